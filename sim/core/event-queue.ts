/**
 * A priority queue of simulation events, ordered by time and then by the order
 * they were scheduled (SimPy's (time, sequence) rule): two events at the same
 * instant run first-in first-out, so a run never depends on heap internals.
 *
 * An event is three numbers (time in ms, a kind, an argument such as an entity
 * index) and its sequence number, kept side by side in one Float64Array (four
 * slots per event), so a run of a million events allocates nothing per event,
 * and a pop or a step of a sift reads one cache line rather than one in each
 * of four arrays. Kinds and arguments read back through `| 0`, the same ToInt32
 * an Int32Array store applies.
 *
 * Lanes: most events in a network model are "now + a fixed delay" (a packet's
 * one-way trip, a timer's timeout). Scheduled from a clock that only moves
 * forward, such events are already in time order, so a lane keeps them in a
 * plain FIFO and the heap only holds the rest (arrivals). The non-empty lanes
 * sit in a small heap of their own, ordered by their first event: a push onto
 * a non-empty lane costs nothing, since it cannot change that lane's first
 * event. `pop` takes the earlier of the event heap's top and the first lane's
 * head by the same (time, sequence) rule, so the order is exactly what a single
 * heap would give. A lane of delay 0 carries any stream whose times never go
 * backwards, such as a Poisson process's next arrival: `pushAfter` at its time.
 */
import { doubled } from './typed-arrays.ts';

/** Doubles per event: time, sequence, kind, argument. */
const STRIDE = 4;
const SEQ = 1;
const KIND = 2;
const ARG = 3;
/** Where the event heap's first event sits (see EventQueue.slots). */
const TOP = STRIDE;

class Lane {
  /** A ring of events whose capacity is a power of two, so wrapping is a mask, not a division. */
  slots: Float64Array = new Float64Array(256 * STRIDE);
  mask = 255;
  head = 0;
  size = 0;
  lastTimeMs = -Infinity;
  readonly delayMs: number;

  constructor(delayMs: number) {
    this.delayMs = delayMs;
  }

  push(timeMs: number, seq: number, kind: number, arg: number): void {
    if (this.size > this.mask) this.grow();
    const o = ((this.head + this.size) & this.mask) * STRIDE;
    const slots = this.slots;
    slots[o] = timeMs;
    slots[o + SEQ] = seq;
    slots[o + KIND] = kind;
    slots[o + ARG] = arg;
    this.size++;
    this.lastTimeMs = timeMs;
  }

  /** Drops the first event (read it first); returns where the next one starts in `slots`. */
  shift(): number {
    const h = (this.head + 1) & this.mask;
    this.head = h;
    this.size--;
    return h * STRIDE;
  }

  private grow(): void {
    const cap = this.mask + 1;
    const next = new Float64Array(cap * 2 * STRIDE);
    // Unwrap the ring: the first event moves to slot 0.
    const first = this.head * STRIDE;
    next.set(this.slots.subarray(first));
    next.set(this.slots.subarray(0, first), cap * STRIDE - first);
    this.slots = next;
    this.mask = cap * 2 - 1;
    this.head = 0;
  }
}

export class EventQueue {
  /**
   * The event `take` removed last: time, kind, argument. A typed array, not an object, because a
   * double stored in an object field may be boxed anew on every store, one allocation per event.
   */
  readonly taken = new Float64Array(3);

  /**
   * The event heap, counted from 1 (slot 0 is unused): event i at slots[i * STRIDE ...], its children
   * at 2i and 2i + 1, which then share one 64-byte cache line.
   */
  private slots: Float64Array;
  private size = 0;
  private nextSeq = 0;
  private readonly lanes: Lane[] = [];
  private readonly laneByDelay = new Map<number, number>();
  private laneEvents = 0;
  /**
   * Each lane's first (time, sequence), by lane id, and the non-empty lanes' ids as a binary heap
   * keyed by them. Typed arrays: the heap compares these on every pop, and a double field of a
   * lane object sat behind a pointer of its own.
   */
  private laneHeadTime = new Float64Array(8);
  private laneHeadSeq = new Float64Array(8);
  private laneHeap = new Int32Array(8);
  private laneHeapSize = 0;

  constructor(initialCapacity = 1024) {
    this.slots = new Float64Array((Math.max(1, initialCapacity) + 1) * STRIDE);
  }

  get length(): number {
    return this.size + this.laneEvents;
  }

  /** Creates a lane for events scheduled a fixed delay after the current time; returns its id. */
  lane(delayMs: number): number {
    if (!(delayMs >= 0) || delayMs === Infinity) throw new RangeError(`lane delay must be a finite, non-negative number of ms, got ${delayMs}`);
    this.lanes.push(new Lane(delayMs));
    if (this.lanes.length > this.laneHeap.length) {
      this.laneHeadTime = doubled(this.laneHeadTime);
      this.laneHeadSeq = doubled(this.laneHeadSeq);
      this.laneHeap = doubled(this.laneHeap);
    }
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
   * Schedules an event `delayMs` of the lane after `nowMs` (which must never go backwards). Returns
   * nothing: a returned time is a boxed number on every call the engine does not inline, an
   * allocation per packet; a handler that recognises stale timers by time asks `dueAfter`.
   */
  pushAfter(laneId: number, nowMs: number, kind: number, arg: number): void {
    const lane = this.lanes[laneId]!;
    const timeMs = nowMs + lane.delayMs;
    if (timeMs < lane.lastTimeMs) throw new RangeError('a lane was given a time earlier than its last event');
    const seq = this.nextSeq++;
    if (lane.size === 0) {
      this.laneHeadTime[laneId] = timeMs;
      this.laneHeadSeq[laneId] = seq;
      this.laneHeapInsert(laneId);
    }
    lane.push(timeMs, seq, kind, arg);
    this.laneEvents++;
  }

  /** The exact time `pushAfter(laneId, nowMs, ...)` gives its event. */
  dueAfter(laneId: number, nowMs: number): number {
    return nowMs + this.lanes[laneId]!.delayMs;
  }

  /** Schedules an event. Events are never cancelled: handlers recognise and skip stale ones. */
  push(timeMs: number, kind: number, arg: number): void {
    if (!(timeMs >= 0) || timeMs === Infinity) {
      throw new RangeError(`event time must be a finite, non-negative number of ms, got ${timeMs}`);
    }
    if ((this.size + 2) * STRIDE > this.slots.length) this.grow();
    const seq = this.nextSeq++;
    const slots = this.slots;
    let i = ++this.size;
    while (i > 1) {
      const parent = i >> 1;
      const po = parent * STRIDE;
      const pt = slots[po]!;
      if (pt < timeMs || (pt === timeMs && slots[po + SEQ]! < seq)) break;
      const o = i * STRIDE;
      slots[o] = pt;
      slots[o + SEQ] = slots[po + SEQ]!;
      slots[o + KIND] = slots[po + KIND]!;
      slots[o + ARG] = slots[po + ARG]!;
      i = parent;
    }
    const o = i * STRIDE;
    slots[o] = timeMs;
    slots[o + SEQ] = seq;
    slots[o + KIND] = kind;
    slots[o + ARG] = arg;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTimeMs(): number {
    const t = this.size === 0 ? Infinity : this.slots[TOP]!;
    if (this.laneHeapSize === 0) return t;
    const laneT = this.laneHeadTime[this.laneHeap[0]!]!;
    return laneT < t ? laneT : t;
  }

  /**
   * Removes the earliest event and writes it into `out`; returns false when empty.
   * Writing into a caller-owned object keeps the hot loop allocation-free.
   */
  pop(out: { timeMs: number; kind: number; arg: number }): boolean {
    if (!this.take()) return false;
    const taken = this.taken;
    out.timeMs = taken[0]!;
    out.kind = taken[1]! | 0;
    out.arg = taken[2]! | 0;
    return true;
  }

  /** Removes the earliest event into `taken`; returns false when empty. */
  take(): boolean {
    if (this.laneEvents > 0) {
      const id = this.laneHeap[0]!;
      const t = this.laneHeadTime[id]!;
      const heapFirst = this.size > 0 && (this.slots[TOP]! < t || (this.slots[TOP]! === t && this.slots[TOP + SEQ]! < this.laneHeadSeq[id]!));
      if (!heapFirst) {
        const lane = this.lanes[id]!;
        const slots = lane.slots;
        const o = lane.head * STRIDE;
        const taken = this.taken;
        taken[0] = t;
        taken[1] = slots[o + KIND]!;
        taken[2] = slots[o + ARG]!;
        const next = lane.shift();
        this.laneEvents--;
        // The lane's first event changed (later, or gone): restore the lane heap.
        if (lane.size === 0) this.laneHeapRemoveTop();
        else {
          this.laneHeadTime[id] = slots[next]!;
          this.laneHeadSeq[id] = slots[next + SEQ]!;
          this.laneHeapSiftDown(0);
        }
        return true;
      }
    }
    return this.takeFromHeap();
  }

  /** Whether lane a's first event comes before lane b's, by (time, sequence). */
  private laneBefore(a: number, b: number): boolean {
    const ta = this.laneHeadTime[a]!;
    const tb = this.laneHeadTime[b]!;
    return ta < tb || (ta === tb && this.laneHeadSeq[a]! < this.laneHeadSeq[b]!);
  }

  private laneHeapInsert(id: number): void {
    const heap = this.laneHeap;
    let i = this.laneHeapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.laneBefore(id, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = id;
  }

  private laneHeapRemoveTop(): void {
    const last = this.laneHeap[--this.laneHeapSize]!;
    if (this.laneHeapSize > 0) {
      this.laneHeap[0] = last;
      this.laneHeapSiftDown(0);
    }
  }

  private laneHeapSiftDown(start: number): void {
    const heap = this.laneHeap;
    const n = this.laneHeapSize;
    const id = heap[start]!;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.laneBefore(heap[right]!, heap[left]!) ? right : left;
      if (!this.laneBefore(heap[child]!, id)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = id;
  }

  private takeFromHeap(): boolean {
    if (this.size === 0) return false;
    const slots = this.slots;
    const taken = this.taken;
    taken[0] = slots[TOP]!;
    taken[1] = slots[TOP + KIND]!;
    taken[2] = slots[TOP + ARG]!;
    const lo = this.size * STRIDE;
    const n = --this.size;
    if (n === 0) return true;
    const lastTime = slots[lo]!;
    const lastSeq = slots[lo + SEQ]!;
    const lastKind = slots[lo + KIND]!;
    const lastArg = slots[lo + ARG]!;
    let i = 1;
    for (;;) {
      let child = 2 * i;
      if (child > n) break;
      let co = child * STRIDE;
      if (child < n) {
        const ro = co + STRIDE;
        const rt = slots[ro]!;
        const lt = slots[co]!;
        if (rt < lt || (rt === lt && slots[ro + SEQ]! < slots[co + SEQ]!)) {
          child++;
          co = ro;
        }
      }
      const ct = slots[co]!;
      if (ct > lastTime || (ct === lastTime && slots[co + SEQ]! > lastSeq)) break;
      const o = i * STRIDE;
      slots[o] = ct;
      slots[o + SEQ] = slots[co + SEQ]!;
      slots[o + KIND] = slots[co + KIND]!;
      slots[o + ARG] = slots[co + ARG]!;
      i = child;
    }
    const o = i * STRIDE;
    slots[o] = lastTime;
    slots[o + SEQ] = lastSeq;
    slots[o + KIND] = lastKind;
    slots[o + ARG] = lastArg;
    return true;
  }

  private grow(): void {
    const next = new Float64Array(this.slots.length * 2);
    next.set(this.slots);
    this.slots = next;
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
  const taken = queue.taken;
  let events = 0;
  let lastMs = 0;
  // Take first, then look at the time: an event past the end is simply not handled.
  while (queue.take()) {
    const timeMs = taken[0]!;
    if (timeMs > untilMs) break;
    if (events >= budget) return { events, truncated: true, endMs: lastMs };
    handle(timeMs, taken[1]! | 0, taken[2]! | 0);
    lastMs = timeMs;
    events++;
  }
  return { events, truncated: false, endMs: untilMs };
}
