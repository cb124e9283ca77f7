import type { Rng } from '../core/prng.ts';
import type { RetryPolicy } from './backoff.ts';

/**
 * backoff.ts's `afterFailure` for a crowd of clients that never give up, with
 * each client's state in typed arrays instead of one new object per failure.
 * The sweep calls it millions of times, so it also reads the exponential
 * ceiling from a table instead of doubling n times per call. Every sleep is
 * the same expression on the same draws as `afterFailure`, so the bits agree
 * (the tests compare the two on long runs of failures for every policy).
 */

/** The policies the contention experiment compares (none of them gives up). */
export type CrowdPolicy = Extract<RetryPolicy, 'immediate' | 'exponential' | 'full-jitter' | 'equal-jitter' | 'decorrelated-jitter'>;

/** From 2^1024 on, doubling gives Infinity, so failure counts beyond share the last ceiling. */
const LAST_FINITE_DOUBLING = 1024;

/**
 * min(cap, base × 2^n) for n = 0 … 1024. Doubling from 1 is what core's pow2 does, so each
 * product is exactly the one `afterFailure` computes.
 */
function exponentialCeilings(baseMs: number, capMs: number): Float64Array {
  const ceilings = new Float64Array(LAST_FINITE_DOUBLING + 1);
  let twoToN = 1;
  for (let n = 0; n <= LAST_FINITE_DOUBLING; n++) {
    ceilings[n] = Math.min(capMs, baseMs * twoToN);
    twoToN *= 2;
  }
  return ceilings;
}

function uniform(rng: Pick<Rng, 'next'>, low: number, high: number): number {
  return low + rng.next() * (high - low);
}

export class CrowdBackoff {
  private readonly failures: Int32Array;
  private readonly previousSleepMs: Float64Array;
  private readonly ceilings: Float64Array;
  private readonly policy: CrowdPolicy;
  private readonly baseMs: number;
  private readonly capMs: number;

  /** Whether a sleep draws from the generator (the jittered policies). */
  readonly drawsOnFailure: boolean;

  constructor(policy: CrowdPolicy, clients: number, baseMs: number, capMs: number) {
    this.policy = policy;
    this.drawsOnFailure = policy === 'full-jitter' || policy === 'equal-jitter' || policy === 'decorrelated-jitter';
    this.baseMs = baseMs;
    this.capMs = capMs;
    this.failures = new Int32Array(clients);
    this.previousSleepMs = new Float64Array(clients).fill(baseMs);
    this.ceilings = policy === 'immediate' || policy === 'decorrelated-jitter' ? new Float64Array(0) : exponentialCeilings(baseMs, capMs);
  }

  /** The client's sleep after its latest failure; draws from `rng` only when the policy is jittered. */
  sleepAfterFailureMs(client: number, rng: Pick<Rng, 'next'>): number {
    const failures = this.failures[client]! + 1;
    this.failures[client] = failures;
    let sleepMs: number;
    switch (this.policy) {
      case 'immediate':
        sleepMs = 0;
        break;
      case 'exponential':
        sleepMs = this.ceilingMs(failures);
        break;
      case 'full-jitter':
        sleepMs = uniform(rng, 0, this.ceilingMs(failures));
        break;
      case 'equal-jitter': {
        const ceilingMs = this.ceilingMs(failures);
        sleepMs = ceilingMs / 2 + uniform(rng, 0, ceilingMs / 2);
        break;
      }
      case 'decorrelated-jitter':
        sleepMs = Math.min(this.capMs, uniform(rng, this.baseMs, this.previousSleepMs[client]! * 3));
        break;
    }
    this.previousSleepMs[client] = sleepMs;
    return sleepMs;
  }

  private ceilingMs(failures: number): number {
    return this.ceilings[failures < LAST_FINITE_DOUBLING ? failures : LAST_FINITE_DOUBLING]!;
  }
}
