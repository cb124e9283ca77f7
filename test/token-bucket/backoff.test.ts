import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createRng } from '../../sim/core/prng.ts';
import { afterFailure, freshBackoff, honourHint, RETRY_POLICIES, type BackoffSpec, type RetryPolicy } from '../../sim/token-bucket/backoff.ts';

function sleeps(spec: BackoffSpec, seed: number): number[] {
  const rng = createRng(seed);
  let state = freshBackoff(spec);
  const out: number[] = [];
  for (;;) {
    const decision = afterFailure(spec, state, rng);
    if (decision.sleepMs === null) return out;
    out.push(decision.sleepMs);
    state = decision.state;
  }
}

const specs = fc.record({
  policy: fc.constantFrom(...RETRY_POLICIES),
  baseMs: fc.integer({ min: 1, max: 2_000 }),
  capMs: fc.integer({ min: 1, max: 120_000 }),
  maxAttempts: fc.integer({ min: 1, max: 30 }),
});

describe('retry backoff (Brooker 2015)', () => {
  test('every policy retries at most maxAttempts − 1 times, and "none" never', () => {
    fc.assert(
      fc.property(specs, fc.integer(), (spec, seed) => {
        const n = sleeps(spec, seed).length;
        expect(n).toBe(spec.policy === 'none' ? 0 : spec.maxAttempts - 1);
      }),
    );
  });

  test('each sleep lies where its formula puts it', () => {
    fc.assert(
      fc.property(specs, fc.integer(), (spec, seed) => {
        const { baseMs, capMs } = spec;
        let previous = baseMs;
        sleeps(spec, seed).forEach((sleepMs, i) => {
          const expo = Math.min(capMs, baseMs * 2 ** (i + 1));
          const bounds: Record<RetryPolicy, [number, number]> = {
            none: [NaN, NaN],
            immediate: [0, 0],
            fixed: [baseMs, baseMs],
            exponential: [expo, expo],
            'full-jitter': [0, expo],
            'equal-jitter': [expo / 2, expo],
            'decorrelated-jitter': [Math.min(capMs, baseMs), Math.min(capMs, previous * 3)],
          };
          const [low, high] = bounds[spec.policy];
          expect(sleepMs).toBeGreaterThanOrEqual(low);
          expect(sleepMs).toBeLessThanOrEqual(high);
          previous = sleepMs;
        });
      }),
    );
  });

  test('exponential without jitter doubles from 2 × base up to the cap, as in the published simulator', () => {
    expect(sleeps({ policy: 'exponential', baseMs: 5, capMs: 2_000, maxAttempts: 11 }, 1)).toEqual([
      10, 20, 40, 80, 160, 320, 640, 1280, 2000, 2000,
    ]);
  });

  test('full jitter averages half the exponential ceiling; equal jitter three quarters', () => {
    const draws = 20_000;
    for (const [policy, fraction] of [['full-jitter', 0.5], ['equal-jitter', 0.75]] as const) {
      // First retry only: ceiling = 2 × base = 200 ms.
      const rng = createRng(7);
      let sum = 0;
      for (let i = 0; i < draws; i++) {
        sum += afterFailure({ policy, baseMs: 100, capMs: 10_000, maxAttempts: 5 }, { failures: 0, previousSleepMs: 100 }, rng).sleepMs!;
      }
      const width = policy === 'full-jitter' ? 200 : 100;
      const sigma = width / Math.sqrt(12) / Math.sqrt(draws);
      expect(Math.abs(sum / draws - 200 * fraction)).toBeLessThan(5 * sigma);
    }
  });

  test('jitter decorrelates clients: a hundred clients failing together spread out instead of returning together', () => {
    const spec = (policy: RetryPolicy): BackoffSpec => ({ policy, baseMs: 100, capMs: 60_000, maxAttempts: 4 });
    const distinctFirstRetry = (policy: RetryPolicy) =>
      new Set(Array.from({ length: 100 }, (_, seed) => sleeps(spec(policy), seed)[0])).size;
    expect(distinctFirstRetry('exponential')).toBe(1);
    expect(distinctFirstRetry('full-jitter')).toBe(100);
    expect(distinctFirstRetry('decorrelated-jitter')).toBe(100);
  });

  test('same seed, same sleeps', () => {
    fc.assert(
      fc.property(specs, fc.integer(), (spec, seed) => {
        expect(sleeps(spec, seed)).toEqual(sleeps(spec, seed));
      }),
    );
  });

  test('an obeyed hint is a floor, never a shortcut', () => {
    expect(honourHint(200, null)).toBe(200);
    expect(honourHint(200, 1_000)).toBe(1_000);
    expect(honourHint(5_000, 1_000)).toBe(5_000);
  });
});
