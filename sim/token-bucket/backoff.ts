import { pow2 } from '../core/stats.ts';
import type { Rng } from '../core/prng.ts';

/**
 * Retry delays after a failure (429, 503 or a timeout). The jittered policies
 * are the formulas of Marc Brooker, "Exponential Backoff And Jitter" (AWS
 * Architecture Blog, 2015), numbered as in the simulator published with that
 * post (aws-samples/aws-arch-backoff-simulator): the n-th retry, counting
 * from 1, sleeps around base × 2^n, so the first retry already waits 2 × base.
 */
export type RetryPolicy =
  | 'none'
  | 'immediate'
  | 'fixed'
  | 'exponential'
  | 'full-jitter'
  | 'equal-jitter'
  | 'decorrelated-jitter';

export const RETRY_POLICIES: readonly RetryPolicy[] = [
  'none',
  'immediate',
  'fixed',
  'exponential',
  'full-jitter',
  'equal-jitter',
  'decorrelated-jitter',
];

export interface BackoffSpec {
  policy: RetryPolicy;
  baseMs: number;
  capMs: number;
  /** Attempts in all, the first one included; 1 means never retry. */
  maxAttempts: number;
}

/**
 * What one logical request remembers between attempts. Decorrelated jitter
 * needs the previous sleep; the others only the count.
 */
export interface BackoffState {
  failures: number;
  previousSleepMs: number;
}

export function freshBackoff(spec: BackoffSpec): BackoffState {
  return { failures: 0, previousSleepMs: spec.baseMs };
}

export interface RetryDecision {
  /** `null` when the request gives up (policy `none` or attempts used up). */
  sleepMs: number | null;
  state: BackoffState;
}

function exponentialMs(spec: BackoffSpec, n: number): number {
  // 2^n overflows to Infinity long before it matters, and min() then picks the cap.
  return Math.min(spec.capMs, spec.baseMs * pow2(n));
}

function uniform(rng: Rng, low: number, high: number): number {
  return low + rng.next() * (high - low);
}

/** Called after each failed attempt; draws from `rng` only when the policy is jittered. */
export function afterFailure(spec: BackoffSpec, state: BackoffState, rng: Rng): RetryDecision {
  const failures = state.failures + 1;
  if (spec.policy === 'none' || failures >= spec.maxAttempts) {
    return { sleepMs: null, state: { ...state, failures } };
  }
  let sleepMs: number;
  switch (spec.policy) {
    case 'immediate':
      sleepMs = 0;
      break;
    case 'fixed':
      sleepMs = spec.baseMs;
      break;
    case 'exponential':
      sleepMs = exponentialMs(spec, failures);
      break;
    case 'full-jitter':
      sleepMs = uniform(rng, 0, exponentialMs(spec, failures));
      break;
    case 'equal-jitter': {
      const ceilingMs = exponentialMs(spec, failures);
      sleepMs = ceilingMs / 2 + uniform(rng, 0, ceilingMs / 2);
      break;
    }
    case 'decorrelated-jitter':
      sleepMs = Math.min(spec.capMs, uniform(rng, spec.baseMs, state.previousSleepMs * 3));
      break;
  }
  return { sleepMs, state: { failures, previousSleepMs: sleepMs } };
}

/**
 * A server's hint overrides the computed sleep when the client obeys it: it
 * may not come back before the hint, and backoff may still make it wait longer.
 */
export function honourHint(sleepMs: number, hintMs: number | null): number {
  return hintMs === null ? sleepMs : Math.max(sleepMs, hintMs);
}
