/**
 * SYN-ACK retransmissions as a cohort. A broken client never answers and a spoofed source never
 * hears, so a request of theirs leaves the SYN queue only when its timer finds no retries left.
 * The machine's retriesExhausted guard compares the retransmissions so far with synackRetryLimit,
 * which pruning never takes below min(2, tcp_synack_retries) (machine.ts): the first that many
 * timers of such a request resend for sure, whatever the queue holds then, at times fixed when the
 * request is queued (each the last plus the doubled timeout, the per-entity run's sums to the bit).
 *
 * So the cohort run queues none of them. At admission it counts what they send (SynAckRetransmits
 * and SynAcksSent in the samples of their due times, and the timer and SYN-ACK events themselves
 * for the trace's event count); what they change (the request's retransmission count and machine
 * state, the young count, the picture's ages) waits in one FIFO per retransmission, due times in
 * admission order and so in time order, and is applied before the run handles its next event at
 * or after the due time, so every reader (a guard, a sample) sees what the per-entity run shows.
 * The request's next timer (its expiry, or the first decision pruning could change) stays a real
 * event, queued at admission at its per-entity time.
 */
import { E_SERVER_TIMER } from './events.ts';
import { SPOOFED } from './keys.ts';
import { retransmitDelayMs } from './limits.ts';
import type { EventsOffQueue } from './off-queue.ts';
import type { RunParts } from './side.ts';

/** Attempts by due time, first in first out; grows by doubling. */
class DueFifo {
  timesMs = new Float64Array(256);
  ids = new Int32Array(256);
  head = 0;
  size = 0;

  push(timeMs: number, id: number): void {
    if (this.size === this.ids.length) this.grow();
    const at = (this.head + this.size) & (this.ids.length - 1);
    this.timesMs[at] = timeMs;
    this.ids[at] = id;
    this.size++;
  }

  private grow(): void {
    const cap = this.ids.length;
    const times = new Float64Array(cap * 2);
    const ids = new Int32Array(cap * 2);
    for (let k = 0; k < this.size; k++) {
      times[k] = this.timesMs[(this.head + k) & (cap - 1)]!;
      ids[k] = this.ids[(this.head + k) & (cap - 1)]!;
    }
    this.timesMs = times;
    this.ids = ids;
    this.head = 0;
  }
}

export class FixedResends {
  /** Retransmissions certain for every broken or spoofed request: min(2, tcp_synack_retries). */
  readonly count: number;
  /** The earliest due time waiting (Infinity for none): the run asks this number before each event, not the FIFOs. */
  nextDueMs = Infinity;
  private readonly fifos: DueFifo[] = [];
  private readonly delaysMs: number[] = [];
  /** The lane of each request's first real timer, pushed at admission with the time the per-entity run gives it. */
  private readonly nextTimerLane: number;
  private readonly parts: RunParts;
  private readonly offQueue: EventsOffQueue;
  private readonly untilMs: number;
  private readonly resent: Float64Array;
  private readonly synAcksSent: Float64Array;

  constructor(parts: RunParts, offQueue: EventsOffQueue, untilMs: number) {
    this.parts = parts;
    this.offQueue = offQueue;
    this.untilMs = untilMs;
    this.count = Math.min(2, parts.p.tcp_synack_retries);
    for (let k = 0; k <= this.count; k++) this.delaysMs.push(retransmitDelayMs(parts.limits.initialRtoMs, k));
    for (let k = 0; k < this.count; k++) this.fifos.push(new DueFifo());
    this.nextTimerLane = parts.queue.lane(this.delaysMs[this.count]!);
    this.resent = parts.rec.get('SynAckRetransmits');
    this.synAcksSent = parts.rec.get('SynAcksSent');
  }

  /**
   * A broken or spoofed request queued at queuedMs: counts its certain retransmissions, keeps their
   * due times, queues its next timer, and returns when that timer is due.
   */
  admit(i: number, queuedMs: number): number {
    const { rec, queue, net, attempts } = this.parts;
    const toClient = attempts.cls[i] !== SPOOFED;
    let dueMs = queuedMs;
    for (let k = 0; k < this.count; k++) {
      dueMs += this.delaysMs[k]!;
      this.fifos[k]!.push(dueMs, i);
      if (dueMs < this.nextDueMs) this.nextDueMs = dueMs;
      if (dueMs > this.untilMs) continue;
      const sample = rec.index(dueMs);
      this.resent[sample]!++;
      this.synAcksSent[sample]!++;
      this.offQueue.add(dueMs);
      if (toClient) this.offQueue.add(queue.dueAfter(net, dueMs));
    }
    queue.pushAfter(this.nextTimerLane, dueMs, E_SERVER_TIMER, i);
    return queue.dueAfter(this.nextTimerLane, dueMs);
  }

  /** Applies, in due order per retransmission, every retransmission due at or before nowMs. */
  applyDue(nowMs: number, apply: (i: number) => void): void {
    let nextDueMs = Infinity;
    for (let k = 0; k < this.count; k++) {
      const fifo = this.fifos[k]!;
      const mask = fifo.ids.length - 1;
      while (fifo.size > 0 && fifo.timesMs[fifo.head]! <= nowMs) {
        const i = fifo.ids[fifo.head]!;
        fifo.head = (fifo.head + 1) & mask;
        fifo.size--;
        apply(i);
      }
      if (fifo.size > 0 && fifo.timesMs[fifo.head]! < nextDueMs) nextDueMs = fifo.timesMs[fifo.head]!;
    }
    this.nextDueMs = nextDueMs;
  }
}
