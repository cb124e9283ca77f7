/**
 * A priority queue of simulation events, ordered by time and then by the order
 * they were scheduled (SimPy's (time, sequence) rule): two events at the same
 * instant run first-in first-out, so a run never depends on heap internals.
 *
 * An event is three numbers (time in ms, a kind, an argument such as an entity
 * index) kept in heap order in parallel typed arrays, so a run of a million
 * events allocates nothing per event.
 *
 * Lanes: most events in a network model are "now + a fixed delay" (a packet's
 * one-way trip, a timer's timeout). Scheduled from a clock that only moves
 * forward, such events are already in time order, so a lane keeps them in a
 * plain FIFO and the heap only holds the rest (arrivals). The non-empty lanes
 * sit in a small heap of their own, ordered by their first event: a push onto
 * a non-empty lane costs nothing, since it cannot change that lane's first
 * event. `pop` takes the earlier of the event heap's top and the first lane's
 * head by the same (time, sequence) rule, so the order is exactly what a single
 * heap would give.
 */
class Lane {
  timeMs: Float64Array = new Float64Array(256);
  seq: Float64Array = new Float64Array(256);
  kind: Int32Array = new Int32Array(256);
  arg: Int32Array = new Int32Array(256);
  head = 0;
  size = 0;
  lastTimeMs = -Infinity;
  readonly delayMs: number;

  constructor(delayMs: number) {
    this.delayMs = delayMs;
  }

  push(timeMs: number, seq: number, kind: number, arg: number): void {
    if (this.size === this.timeMs.length) this.grow();
    const cap = this.timeMs.length;
    const i = (this.head + this.size) % cap;
    this.timeMs[i] = timeMs;
    this.seq[i] = seq;
    this.kind[i] = kind;
    this.arg[i] = arg;
    this.size++;
    this.lastTimeMs = timeMs;
  }

  private grow(): void {
    const cap = this.timeMs.length;
    const order = (old: Float64Array | Int32Array, next: Float64Array | Int32Array) => {
      for (let k = 0; k < this.size; k++) next[k] = old[(this.head + k) % cap]!;
      return next;
    };
    this.timeMs = order(this.timeMs, new Float64Array(cap * 2)) as Float64Array;
    this.seq = order(this.seq, new Float64Array(cap * 2)) as Float64Array;
    this.kind = order(this.kind, new Int32Array(cap * 2)) as Int32Array;
    this.arg = order(this.arg, new Int32Array(cap * 2)) as Int32Array;
    this.head = 0;
  }
}

export class EventQueue {
  private timeMs: Float64Array;
  private seq: Float64Array;
  private kind: Int32Array;
  private arg: Int32Array;
  private size = 0;
  private nextSeq = 0;
  private readonly lanes: Lane[] = [];
  private readonly laneByDelay = new Map<number, number>();
  private laneEvents = 0;
  /** The non-empty lanes, as a binary heap keyed by each lane's first (time, sequence). */
  private readonly laneHeap: Lane[] = [];

  constructor(initialCapacity = 1024) {
    this.timeMs = new Float64Array(initialCapacity);
    this.seq = new Float64Array(initialCapacity);
    this.kind = new Int32Array(initialCapacity);
    this.arg = new Int32Array(initialCapacity);
  }

  get length(): number {
    return this.size + this.laneEvents;
  }

  /** Creates a lane for events scheduled a fixed delay after the current time; returns its id. */
  lane(delayMs: number): number {
    if (!(delayMs >= 0) || delayMs === Infinity) throw new RangeError(`lane delay must be a finite, non-negative number of ms, got ${delayMs}`);
    this.lanes.push(new Lane(delayMs));
    return this.lanes.length - 1;
  }

  /** The lane for a delay, created on first use: a model with a handful of distinct delays gets a handful of FIFOs. */
  laneFor(delayMs: number): number {
    let id = this.laneByDelay.get(delayMs);
    if (id === undefined) {
      id = this.lane(delayMs);
      this.laneByDelay.set(delayMs, id);
    }
    return id;
  }

  /**
   * Schedules an event `delayMs` of the lane after `nowMs` (which must never go backwards) and
   * returns its exact time, for handlers that recognise stale timers by time.
   */
  pushAfter(laneId: number, nowMs: number, kind: number, arg: number): number {
    const lane = this.lanes[laneId]!;
    const timeMs = nowMs + lane.delayMs;
    if (timeMs < lane.lastTimeMs) throw new RangeError('a lane was given a time earlier than its last event');
    const wasEmpty = lane.size === 0;
    lane.push(timeMs, this.nextSeq++, kind, arg);
    this.laneEvents++;
    if (wasEmpty) this.laneHeapInsert(lane);
    return timeMs;
  }

  /** Schedules an event. Events are never cancelled: handlers recognise and skip stale ones. */
  push(timeMs: number, kind: number, arg: number): void {
    if (!(timeMs >= 0) || timeMs === Infinity) {
      throw new RangeError(`event time must be a finite, non-negative number of ms, got ${timeMs}`);
    }
    if (this.size === this.timeMs.length) this.grow();
    const seq = this.nextSeq++;
    const times = this.timeMs;
    const seqs = this.seq;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < timeMs || (pt === timeMs && seqs[parent]! < seq)) break;
      this.move(parent, i);
      i = parent;
    }
    times[i] = timeMs;
    seqs[i] = seq;
    this.kind[i] = kind;
    this.arg[i] = arg;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTimeMs(): number {
    const t = this.size === 0 ? Infinity : this.timeMs[0]!;
    const lane = this.laneHeap[0];
    return lane && lane.timeMs[lane.head]! < t ? lane.timeMs[lane.head]! : t;
  }

  /**
   * Removes the earliest event and writes it into `out`; returns false when empty.
   * Writing into a caller-owned object keeps the hot loop allocation-free.
   */
  pop(out: { timeMs: number; kind: number; arg: number }): boolean {
    if (this.laneEvents > 0) {
      const lane = this.laneHeap[0]!;
      const h = lane.head;
      const t = lane.timeMs[h]!;
      const heapFirst = this.size > 0 && (this.timeMs[0]! < t || (this.timeMs[0]! === t && this.seq[0]! < lane.seq[h]!));
      if (!heapFirst) {
        out.timeMs = t;
        out.kind = lane.kind[h]!;
        out.arg = lane.arg[h]!;
        lane.head = (h + 1) % lane.timeMs.length;
        lane.size--;
        this.laneEvents--;
        // The lane's first event changed (later, or gone): restore the lane heap.
        if (lane.size === 0) this.laneHeapRemoveTop();
        else this.laneHeapSiftDown(0);
        return true;
      }
    }
    return this.popHeap(out);
  }

  private static laneBefore(a: Lane, b: Lane): boolean {
    const ta = a.timeMs[a.head]!;
    const tb = b.timeMs[b.head]!;
    return ta < tb || (ta === tb && a.seq[a.head]! < b.seq[b.head]!);
  }

  private laneHeapInsert(lane: Lane): void {
    const heap = this.laneHeap;
    let i = heap.length;
    heap.push(lane);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!EventQueue.laneBefore(lane, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = lane;
  }

  private laneHeapRemoveTop(): void {
    const last = this.laneHeap.pop()!;
    if (this.laneHeap.length > 0) {
      this.laneHeap[0] = last;
      this.laneHeapSiftDown(0);
    }
  }

  private laneHeapSiftDown(start: number): void {
    const heap = this.laneHeap;
    const n = heap.length;
    const lane = heap[start]!;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && EventQueue.laneBefore(heap[right]!, heap[left]!) ? right : left;
      if (!EventQueue.laneBefore(heap[child]!, lane)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = lane;
  }

  private popHeap(out: { timeMs: number; kind: number; arg: number }): boolean {
    if (this.size === 0) return false;
    const times = this.timeMs;
    const seqs = this.seq;
    out.timeMs = times[0]!;
    out.kind = this.kind[0]!;
    out.arg = this.arg[0]!;
    const n = --this.size;
    if (n === 0) return true;
    const lastTime = times[n]!;
    const lastSeq = seqs[n]!;
    const lastKind = this.kind[n]!;
    const lastArg = this.arg[n]!;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n) {
        const rt = times[right]!;
        const lt = times[left]!;
        if (rt < lt || (rt === lt && seqs[right]! < seqs[left]!)) child = right;
      }
      const ct = times[child]!;
      if (ct > lastTime || (ct === lastTime && seqs[child]! > lastSeq)) break;
      this.move(child, i);
      i = child;
    }
    times[i] = lastTime;
    seqs[i] = lastSeq;
    this.kind[i] = lastKind;
    this.arg[i] = lastArg;
    return true;
  }

  private move(from: number, to: number): void {
    this.timeMs[to] = this.timeMs[from]!;
    this.seq[to] = this.seq[from]!;
    this.kind[to] = this.kind[from]!;
    this.arg[to] = this.arg[from]!;
  }

  private grow(): void {
    const cap = this.timeMs.length * 2;
    const times = new Float64Array(cap);
    times.set(this.timeMs);
    const seqs = new Float64Array(cap);
    seqs.set(this.seq);
    const kinds = new Int32Array(cap);
    kinds.set(this.kind);
    const args = new Int32Array(cap);
    args.set(this.arg);
    this.timeMs = times;
    this.seq = seqs;
    this.kind = kinds;
    this.arg = args;
  }
}

export interface RunResult {
  /** Events handled. */
  events: number;
  /** True when the event budget ran out before the end time: the trace is partial. */
  truncated: boolean;
  /** Simulated time reached, in ms. */
  endMs: number;
}

/**
 * Pops events in order and hands them to `handle` until the queue is empty, the
 * next event lies beyond `untilMs`, or `budget` events have run. The budget is
 * what turns an extreme parameter choice into a visible message instead of a
 * hung tab.
 */
export function runEvents(
  queue: EventQueue,
  untilMs: number,
  budget: number,
  handle: (timeMs: number, kind: number, arg: number) => void,
): RunResult {
  const ev = { timeMs: 0, kind: 0, arg: 0 };
  let events = 0;
  let lastMs = 0;
  // Pop first, then look at the time: an event past the end is simply not handled.
  while (queue.pop(ev)) {
    if (ev.timeMs > untilMs) break;
    if (events >= budget) return { events, truncated: true, endMs: lastMs };
    handle(ev.timeMs, ev.kind, ev.arg);
    lastMs = ev.timeMs;
    events++;
  }
  return { events, truncated: false, endMs: untilMs };
}
