/**
 * The clients: how often each sends a new request, how it backs off after a
 * failure, and whether it obeys the edge's RateLimit and Retry-After fields.
 * The runaway client (c4) has its own rate and retry policy and never obeys.
 */
import { RETRY_POLICIES, type BackoffSpec } from './backoff.ts';
import type { ClientHints } from './headers.ts';
import { MAX_CLIENTS, RUNAWAY } from './keys.ts';
import type { TokenBucketParams } from './params.ts';

/** Whether client c takes part in a run: the runaway when it sends at all, the others up to `clients`. */
export function clientActive(p: Pick<TokenBucketParams, 'clients' | 'runawayPerMin'>, c: number): boolean {
  return c === RUNAWAY ? p.runawayPerMin > 0 : c < p.clients;
}

export class Clients {
  /** Each client's retry policy. */
  readonly backoff: readonly BackoffSpec[];
  /** An obedient client sends nothing before this: its turn in the spread RateLimit asks for, or the older fields' hold. */
  readonly notBeforeMs = new Float64Array(MAX_CLIENTS);
  /** The spread between an obedient client's requests (draft form), and when the next may go. */
  private readonly gapMs = new Float64Array(MAX_CLIENTS);
  private readonly pacedUntilMs = new Float64Array(MAX_CLIENTS);
  /** Until when the older fields said none are left. */
  private readonly heldUntilMs = new Float64Array(MAX_CLIENTS);
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
    return clientActive(this.p, c);
  }

  ratePerMin(c: number): number {
    return c === RUNAWAY ? this.p.runawayPerMin : this.p.clientPerMin;
  }

  obeys(c: number): boolean {
    return c !== RUNAWAY && this.p.obeyHints === 1;
  }

  /**
   * An obedient client reads a response's fields back like any other client would. Draft-11 says a
   * client should not use more than `r` within `t` seconds (§7), so it spreads them: one request every
   * t/r seconds from the response (t when r=0), each waiting its turn. Sent that evenly, each finds its
   * token: the bucket admits r within t, and by each k·t/r it has grown k of them, unless it is so near
   * full that growth spills over its cap between two of them. The freshest response restarts the count,
   * as it already counts every request sent before it. The older Reset counts to a
   * full bucket, and Remaining says nothing of tokens to come, so a client obeying those holds only at
   * Remaining 0, until Reset.
   */
  heed(c: number, hints: ClientHints, tMs: number): void {
    if (!this.obeys(c) || hints.remaining === null || hints.windowSec === null) return;
    if (hints.form === 'draft') {
      this.gapMs[c] = (hints.windowSec * 1000) / Math.max(1, hints.remaining);
      this.pacedUntilMs[c] = tMs + this.gapMs[c]!;
    } else if (hints.remaining === 0) {
      this.heldUntilMs[c] = Math.max(this.heldUntilMs[c]!, tMs + hints.windowSec * 1000);
    }
    this.notBeforeMs[c] = Math.max(this.pacedUntilMs[c]!, this.heldUntilMs[c]!);
  }

  /** An obedient client sent a request: the next one waits its turn in the spread. */
  sent(c: number, tMs: number): void {
    if (!this.obeys(c)) return;
    this.pacedUntilMs[c] = Math.max(this.pacedUntilMs[c]!, tMs + this.gapMs[c]!);
    this.notBeforeMs[c] = Math.max(this.pacedUntilMs[c]!, this.heldUntilMs[c]!);
  }
}
