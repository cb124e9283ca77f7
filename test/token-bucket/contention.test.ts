import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createRng } from '../../sim/core/prng.ts';
import { CONTENTION_STRATEGIES, contentionSweep, normal, runContention } from '../../sim/token-bucket/contention.ts';

describe('the AWS backoff contention experiment', () => {
  test('every client writes successfully exactly once, whatever the strategy', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.constantFrom(...CONTENTION_STRATEGIES), fc.integer(), (clients, strategy, seed) => {
        const run = runContention({ clients, strategy, seed });
        expect(run.writeCalls - run.failedWrites).toBe(clients);
        expect(run.completionMs).toBeGreaterThan(0);
        expect(run.failedWrites).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 60 },
    );
  });

  test('same seed, same run', () => {
    for (const strategy of CONTENTION_STRATEGIES) {
      expect(runContention({ clients: 30, strategy, seed: 9 })).toEqual(runContention({ clients: 30, strategy, seed: 9 }));
    }
  });

  test('reproduces the post: no jitter costs far more calls and time, and its time grows with the clients', () => {
    const points = contentionSweep([10, 50, 100], 20);
    const at = (clients: number, strategy: string) => points.find((p) => p.clients === clients && p.strategy === strategy)!;
    for (const clients of [50, 100]) {
      const exponential = at(clients, 'exponential');
      for (const jittered of ['full-jitter', 'decorrelated-jitter']) {
        expect(exponential.meanWriteCalls).toBeGreaterThan(1.5 * at(clients, jittered).meanWriteCalls);
        expect(exponential.meanCompletionMs).toBeGreaterThan(5 * at(clients, jittered).meanCompletionMs);
      }
      // Without any backoff the clients hammer the row: the most calls of all.
      expect(at(clients, 'no-backoff').meanWriteCalls).toBeGreaterThan(exponential.meanWriteCalls);
    }
    const completion = [10, 50, 100].map((n) => at(n, 'exponential').meanCompletionMs);
    expect(completion[1]).toBeGreaterThan(completion[0]!);
    expect(completion[2]).toBeGreaterThan(completion[1]!);
  });

  test('network delays come from a standard normal drawn the portable way', () => {
    const rng = createRng(3);
    const n = 50_000;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const z = normal(rng);
      sum += z;
      squares += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(squares / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });
});
