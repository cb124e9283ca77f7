/**
 * When the senders' deferred messages will try again, as counts by the
 * sample their retry falls in: what the sender queues' timers say, without
 * keeping a list of every message. A retry leaves its count when it fires
 * (attempts happen at their retry time), so at any moment the counts are the
 * timers still running. Retries due more than an hour after the run land in
 * one last bucket: the picture looks an hour ahead, even from the run's end.
 */
import { LEGIT_KINDS } from './keys.ts';
import { HOUR_MS } from './retry.ts';

export class RetryTimers {
  private readonly sampleMs: number;
  /** Buckets kept apart: the run's samples and an hour after it. */
  private readonly samples: number;
  /** Per real kind, one count per sample plus one for the rest. */
  private readonly due: Int32Array[];
  /** Per real kind, timers running. */
  readonly waiting: number[];

  constructor(durationMs: number, sampleMs: number) {
    this.sampleMs = sampleMs;
    this.samples = Math.ceil((durationMs + HOUR_MS) / sampleMs);
    this.due = LEGIT_KINDS.map(() => new Int32Array(this.samples + 1));
    this.waiting = LEGIT_KINDS.map(() => 0);
  }

  private bucket(tMs: number): number {
    return Math.min(this.samples, Math.floor(tMs / this.sampleMs));
  }

  /** A sender deferred a message of this kind until nextMs. */
  set(kind: number, nextMs: number): void {
    this.due[kind]![this.bucket(nextMs)]!++;
    this.waiting[kind]!++;
  }

  /** A retry of this kind fired at its time. */
  fire(kind: number, tMs: number): void {
    this.due[kind]![this.bucket(tMs)]!--;
    this.waiting[kind]!--;
  }

  /** Timers of this kind that run out in the `samples` samples from sample i on (i's own included). */
  dueWithin(kind: number, i: number, samples: number): number {
    const due = this.due[kind]!;
    let n = 0;
    for (let j = i; j < Math.min(i + samples, this.samples); j++) n += due[j]!;
    return n;
  }
}
