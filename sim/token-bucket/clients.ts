/**
 * The clients: how often each sends a new request, how it backs off after a
 * failure, and whether it obeys the edge's RateLimit and Retry-After fields.
 * The runaway client (c4) has its own rate and retry policy and never obeys.
 */
import { RETRY_POLICIES, type BackoffSpec } from './backoff.ts';
import type { ClientHints } from './headers.ts';
import { MAX_CLIENTS, RUNAWAY } from './keys.ts';
import type { TokenBucketParams } from './params.ts';

export class Clients {
  /** Each client's retry policy. */
  readonly backoff: readonly BackoffSpec[];
  /** An obedient client sends nothing before this (from RateLimit r=0 or Retry-After). */
  readonly notBeforeMs = new Float64Array(MAX_CLIENTS);
  private readonly p: TokenBucketParams;

  constructor(p: TokenBucketParams) {
    this.p = p;
    this.backoff = Array.from({ length: MAX_CLIENTS }, (_, c) => ({
      policy: RETRY_POLICIES[c === RUNAWAY ? p.runawayRetryPolicy : p.retryPolicy] ?? 'none',
      baseMs: p.baseMs,
      capMs: p.capMs,
      maxAttempts: p.maxAttempts,
    }));
  }

  active(c: number): boolean {
    return c === RUNAWAY ? this.p.runawayPerMin > 0 : c < this.p.clients;
  }

  ratePerMin(c: number): number {
    return c === RUNAWAY ? this.p.runawayPerMin : this.p.clientPerMin;
  }

  obeys(c: number): boolean {
    return c !== RUNAWAY && this.p.obeyHints === 1;
  }

  /**
   * An obedient client reads a response's fields back like any other client would: r=0 for the next
   * t seconds (draft-11's effective window) holds its requests; the older Reset counts to a full
   * bucket, so a client obeying it waits longer.
   */
  heed(c: number, hints: ClientHints, tMs: number): void {
    if (this.obeys(c) && hints.remaining === 0 && hints.windowSec !== null) {
      this.notBeforeMs[c] = Math.max(this.notBeforeMs[c]!, tMs + hints.windowSec * 1000);
    }
  }
}
