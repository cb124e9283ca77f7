/**
 * The backend behind the edge: `concurrency` workers take admitted attempts
 * from one FIFO line, so its latency is an output. During the stall no job
 * starts, and a job caught running by it freezes until it ends.
 */
import type { EventQueue, Rng } from '../core/index.ts';

export class Backend {
  busy = 0;
  private readonly line: number[] = [];
  private head = 0;
  private readonly concurrency: number;
  private readonly serviceMs: number;
  private readonly stall: { startMs: number; endMs: number } | null;
  private readonly rng: Rng;
  private readonly queue: EventQueue;
  private readonly doneKind: number;

  constructor(opts: { concurrency: number; serviceMs: number; stall: { startMs: number; endMs: number } | null; rng: Rng; queue: EventQueue; doneKind: number }) {
    this.concurrency = opts.concurrency;
    this.serviceMs = opts.serviceMs;
    this.stall = opts.stall;
    this.rng = opts.rng;
    this.queue = opts.queue;
    this.doneKind = opts.doneKind;
  }

  /** Attempts admitted and not yet picked up by a worker. */
  get waiting(): number {
    return this.line.length - this.head;
  }

  enqueue(attempt: number): void {
    this.line.push(attempt);
  }

  /** A worker finished its job. */
  finished(): void {
    this.busy--;
  }

  /** Free workers take jobs from the front of the line, unless the backend is stalled. */
  startJobs(tMs: number): void {
    const stall = this.stall;
    if (stall !== null && tMs >= stall.startMs && tMs < stall.endMs) return;
    while (this.busy < this.concurrency && this.head < this.line.length) {
      const attempt = this.line[this.head++]!;
      this.busy++;
      let doneMs = tMs + this.serviceMs * (0.9 + 0.2 * this.rng.next());
      if (stall !== null && tMs < stall.startMs && doneMs > stall.startMs) doneMs += stall.endMs - stall.startMs;
      this.queue.push(doneMs, this.doneKind, attempt);
    }
  }
}
