/**
 * A priority queue of simulation events, ordered by time and then by the order
 * they were scheduled (SimPy's (time, sequence) rule): two events at the same
 * instant run first-in first-out, so a run never depends on heap internals.
 *
 * An event is three numbers (time in ms, a kind, an argument such as an entity
 * index) kept in heap order in parallel typed arrays, so a run of a million
 * events allocates nothing per event.
 */
export class EventQueue {
  private timeMs: Float64Array;
  private seq: Float64Array;
  private kind: Int32Array;
  private arg: Int32Array;
  private size = 0;
  private nextSeq = 0;

  constructor(initialCapacity = 1024) {
    this.timeMs = new Float64Array(initialCapacity);
    this.seq = new Float64Array(initialCapacity);
    this.kind = new Int32Array(initialCapacity);
    this.arg = new Int32Array(initialCapacity);
  }

  get length(): number {
    return this.size;
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
    return this.size === 0 ? Infinity : this.timeMs[0]!;
  }

  /**
   * Removes the earliest event and writes it into `out`; returns false when empty.
   * Writing into a caller-owned object keeps the hot loop allocation-free.
   */
  pop(out: { timeMs: number; kind: number; arg: number }): boolean {
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
  while (queue.length > 0 && queue.peekTimeMs() <= untilMs) {
    if (events >= budget) return { events, truncated: true, endMs: ev.timeMs };
    queue.pop(ev);
    handle(ev.timeMs, ev.kind, ev.arg);
    events++;
  }
  return { events, truncated: false, endMs: untilMs };
}
