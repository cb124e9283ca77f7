/**
 * The two streams of reads (the hot key, with its missing ids, and the other keys): each a Poisson
 * process, its next arrival an exponential gap after the last, in a FIFO lane of its own.
 *
 * The per-entity run queues each next arrival and handles it when the queue hands it out. One due
 * strictly before everything in the queue would be handed out next, so the cohort run handles it
 * at once and counts it (`offQueue`), with the same draws in the same order: in the herd, nearly
 * every read. At one instant the queue goes by scheduling order, which puts a new arrival last, so
 * a tie stays queued; an arrival after the run's last moment is queued and never handled, as before.
 */
import type { EventQueue, Rng } from '../core/index.ts';
import { E_ARRIVE_HOT, E_ARRIVE_OTHER } from './events.ts';

export interface ArrivalSetup {
  queue: EventQueue;
  rng: Rng;
  hotPerSec: number;
  /** 0 when there are no other keys. */
  otherPerSec: number;
  durationMs: number;
  /** The run's last moment (Model.untilMs). */
  untilMs: number;
  cohorts: boolean;
  /** Handles one read of the stream `kind` (E_ARRIVE_HOT or E_ARRIVE_OTHER) at tMs. */
  arrive: (kind: number, tMs: number) => void;
}

export class ArrivalStreams {
  /** Arrivals handled at once instead of queued, each one event of the per-entity run. */
  offQueue = 0;
  private readonly s: ArrivalSetup;
  private readonly hotLane: number;
  private readonly otherLane: number;

  constructor(setup: ArrivalSetup) {
    this.s = setup;
    // A lane of delay 0 per stream: its next arrival is never before the last.
    this.hotLane = setup.queue.lane(0);
    this.otherLane = setup.queue.lane(0);
  }

  /** Queues each stream's first arrival. */
  start(): void {
    if (this.s.hotPerSec > 0) this.queueIfInRun(E_ARRIVE_HOT, this.nextMs(E_ARRIVE_HOT, 0));
    if (this.s.otherPerSec > 0) this.queueIfInRun(E_ARRIVE_OTHER, this.nextMs(E_ARRIVE_OTHER, 0));
  }

  /** The queue handed out the stream's arrival at tMs: handles it and the ones due before anything else. */
  handle(kind: number, tMs: number): void {
    const s = this.s;
    for (let atMs = tMs; ; ) {
      s.arrive(kind, atMs);
      const nextMs = this.nextMs(kind, atMs);
      if (!s.cohorts || nextMs >= s.durationMs || nextMs > s.untilMs || !(nextMs < s.queue.peekTimeMs())) {
        this.queueIfInRun(kind, nextMs);
        return;
      }
      this.offQueue++;
      atMs = nextMs;
    }
  }

  private nextMs(kind: number, fromMs: number): number {
    return fromMs + this.s.rng.exponential(1000 / (kind === E_ARRIVE_HOT ? this.s.hotPerSec : this.s.otherPerSec));
  }

  private queueIfInRun(kind: number, tMs: number): void {
    if (tMs < this.s.durationMs) this.s.queue.pushAfter(kind === E_ARRIVE_HOT ? this.hotLane : this.otherLane, tMs, kind, 0);
  }
}
