/**
 * What both sides of the handshake act on: the run's parameters and limits,
 * its event queue and network lane, the attempt store, the ledger, the series
 * and the log. The clients and the listener each extend this with their own
 * state and handlers.
 */
import type { EventQueue, Ledger, Rng, SeriesRecorder } from '../core/index.ts';
import type { Attempts } from './attempts.ts';
import type { ClientClass, Outcome, SeriesKey } from './keys.ts';
import type { QueueLimits } from './limits.ts';
import type { SynQueueLog } from './log-lines.ts';
import type { EventsOffQueue } from './off-queue.ts';
import type { SynQueueParams } from './params.ts';

export interface RunParts {
  p: SynQueueParams;
  limits: QueueLimits;
  rng: Rng;
  queue: EventQueue;
  /** The FIFO lane every packet takes: all cross the network in the same one-way time. */
  net: number;
  rec: SeriesRecorder<SeriesKey>;
  attempts: Attempts;
  ledger: Ledger<Outcome, ClientClass>;
  lines: SynQueueLog;
  /** The cohort run's count of events it does not queue; null in the per-entity run, which queues every event. */
  offQueue: EventsOffQueue | null;
}

export abstract class HandshakeSide {
  protected readonly p: SynQueueParams;
  protected readonly limits: QueueLimits;
  protected readonly rng: Rng;
  protected readonly q: EventQueue;
  protected readonly net: number;
  protected readonly rec: SeriesRecorder<SeriesKey>;
  protected readonly a: Attempts;
  protected readonly ledger: Ledger<Outcome, ClientClass>;
  protected readonly lines: SynQueueLog;
  protected readonly offQueue: EventsOffQueue | null;

  constructor(parts: RunParts) {
    this.p = parts.p;
    this.limits = parts.limits;
    this.rng = parts.rng;
    this.q = parts.queue;
    this.net = parts.net;
    this.rec = parts.rec;
    this.a = parts.attempts;
    this.ledger = parts.ledger;
    this.lines = parts.lines;
    this.offQueue = parts.offQueue;
  }

  /** Counts one event in its sample of a per-sample series. */
  protected bump(series: Float64Array, tMs: number): void {
    series[this.rec.index(tMs)]!++;
  }
}
