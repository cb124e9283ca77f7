/**
 * Each request's time-out, scheduled when it arrives. Most requests are answered on arrival (a hit
 * on a fresh key, a stale copy served, a local or negative cache hit): their time-out finds them
 * ended and does nothing, yet was half of a busy run's events. The cohort run leaves such a
 * time-out off the queue and counts it, as the per-entity run (`perEntity`) counts the event it
 * handles: when it is due by the run's last moment.
 *
 * Why this keeps the trace: two events at one instant run in the order they were scheduled, and
 * leaving an event out never reorders the rest. So the time-out is armed at arrival and scheduled
 * (or counted) just before the read schedules anything else, where the per-entity run scheduled it
 * first; a request still open then keeps its time-out in the queue, in its place.
 */
import type { EventQueue, Ledger } from '../core/index.ts';
import { E_TIMEOUT } from './events.ts';

export class RequestTimeouts {
  /** Time-outs counted instead of queued, due by the run's last moment. */
  offQueue = 0;
  private armed = -1;
  private armedAtMs = 0;
  private readonly queue: EventQueue;
  private readonly lane: number;
  private readonly untilMs: number;
  private readonly cohorts: boolean;
  private readonly requests: Pick<Ledger<string>, 'isOpen'>;

  /** `lane`: the queue's lane of delay timeoutMs; `untilMs`: the run's last moment (Model.untilMs). */
  constructor(queue: EventQueue, lane: number, untilMs: number, requests: Pick<Ledger<string>, 'isOpen'>, cohorts: boolean) {
    this.queue = queue;
    this.lane = lane;
    this.untilMs = untilMs;
    this.requests = requests;
    this.cohorts = cohorts;
  }

  /** Request r arrived at tMs: its time-out is due a time-out later, scheduled by `settle`. */
  arm(r: number, tMs: number): void {
    this.armed = r;
    this.armedAtMs = tMs;
  }

  /** Call before the read schedules any event, and once it is done: queues the armed time-out, or counts it if its request has ended. */
  settle(): void {
    const r = this.armed;
    if (r < 0) return;
    this.armed = -1;
    if (!this.cohorts || this.requests.isOpen(r)) this.queue.pushAfter(this.lane, this.armedAtMs, E_TIMEOUT, r);
    else if (this.queue.dueAfter(this.lane, this.armedAtMs) <= this.untilMs) this.offQueue++;
  }
}
