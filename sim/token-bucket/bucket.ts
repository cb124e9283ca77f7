/**
 * A token bucket with the semantics of the standard limiters (Go's
 * golang.org/x/time/rate, Envoy's local rate limit): tokens refill
 * continuously, `tokens = min(burst, tokens + elapsed × rate)`, and a request
 * passes only when a whole token is there. The bucket starts full.
 *
 * The state is a plain value so a model can keep one per client in an array
 * and a chart can read its level at any instant without mutating it.
 */

export interface BucketSpec {
  ratePerSec: number;
  /** Capacity in tokens; also the largest burst a fresh client can send at once. */
  burst: number;
}

export interface BucketState {
  tokens: number;
  /** The instant `tokens` was last brought up to date. */
  atMs: number;
}

export function fullBucket(spec: BucketSpec, atMs = 0): BucketState {
  return { tokens: spec.burst, atMs };
}

/** The level at `nowMs`, refilled but not spent. Time never runs backwards here. */
export function levelAt(spec: BucketSpec, state: BucketState, nowMs: number): number {
  const elapsedMs = Math.max(0, nowMs - state.atMs);
  return Math.min(spec.burst, state.tokens + (elapsedMs * spec.ratePerSec) / 1000);
}

export interface TakeResult {
  allowed: boolean;
  state: BucketState;
  /** Whole tokens left after this request: what `r` and RateLimit-Remaining report. */
  remaining: number;
  /**
   * Until the level reaches the next whole token (0 when the bucket is full).
   * After a refusal this is the honest Retry-After; after a pass it is when
   * more quota appears, from which headers.ts draws draft-11's `t`.
   */
  nextTokenInMs: number;
  /** Until the bucket is full again. */
  fullInMs: number;
}

/**
 * A billionth of a token of slack: a client that sends exactly when a token
 * completes (the runaway client at 10,000 a minute against 100 a minute does,
 * every hundredth request) must be let in, as exact arithmetic would, even
 * when 100/60 tokens a second leaves the sum a hair under 1 in binary.
 */
const ROUNDING_SLACK_TOKENS = 1e-9;

/**
 * One request arrives at `nowMs` and asks for `cost` whole tokens (1 for a
 * plain request). A cost above the burst can never be met, and is refused
 * without spending anything, as Go's AllowN refuses n > burst.
 */
export function take(spec: BucketSpec, state: BucketState, nowMs: number, cost = 1): TakeResult {
  const before = levelAt(spec, state, nowMs);
  const allowed = cost <= spec.burst && before >= cost - ROUNDING_SLACK_TOKENS;
  const tokens = allowed ? Math.max(0, before - cost) : before;
  const whole = Math.floor(tokens + ROUNDING_SLACK_TOKENS);
  const next: BucketState = { tokens, atMs: Math.max(nowMs, state.atMs) };
  return {
    allowed,
    state: next,
    remaining: whole,
    nextTokenInMs: msUntil(spec, tokens, Math.min(spec.burst, whole + 1)),
    fullInMs: msUntil(spec, tokens, spec.burst),
  };
}

/**
 * How many requests a client can have admitted from a level of `tokens` over the next `withinMs`
 * (both ends included), sending each as soon as a whole token is there: the whole tokens there now
 * and those that grow. Spent as it fills, the bucket never reaches its cap, so none is lost to it.
 */
export function admitsWithin(spec: BucketSpec, tokens: number, withinMs: number): number {
  return Math.floor(tokens + (withinMs * spec.ratePerSec) / 1000 + ROUNDING_SLACK_TOKENS);
}

function msUntil(spec: BucketSpec, from: number, to: number): number {
  if (from >= to - ROUNDING_SLACK_TOKENS) return 0;
  if (spec.ratePerSec <= 0) return Number.POSITIVE_INFINITY;
  return ((to - from) * 1000) / spec.ratePerSec;
}
