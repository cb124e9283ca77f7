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
      }),
      { numRuns: 60 },
    );
  });

  test('a lone client never collides: one write, done after exactly its four message delays', () => {
    for (const seed of [1, 2, 3, 99]) {
      // The same draws the experiment makes: read to the server, its reply, write to the server, its reply.
      const rng = createRng(seed);
      const delays = [0, 1, 2, 3].map(() => Math.abs(10 + 2 * normal(rng)));
      const run = runContention({ clients: 1, strategy: 'exponential', seed });
      expect(run).toEqual({ writeCalls: 1, failedWrites: 0, completionMs: delays[0]! + delays[1]! + delays[2]! + delays[3]! });
    }
  });

  test('with identical 10 ms delays clients stay in lockstep, one winner a round: n(n+1)/2 writes with no backoff and with plain exponential backoff, which only adds its sleeps', () => {
    for (const clients of [1, 2, 3, 7, 12]) {
      const rounds = (clients * (clients + 1)) / 2;
      const none = runContention({ clients, strategy: 'no-backoff', seed: clients, netSdMs: 0 });
      expect(none).toEqual({ writeCalls: rounds, failedWrites: rounds - clients, completionMs: 40 * clients });
      // Round k ends 40 ms of messages plus the k-th sleep, min(cap, base × 2^k), after the one before.
      let completionMs = 40;
      for (let k = 1; k < clients; k++) completionMs += 40 + Math.min(2000, 5 * 2 ** k);
      const exponential = runContention({ clients, strategy: 'exponential', seed: clients, netSdMs: 0 });
      expect(exponential).toEqual({ writeCalls: rounds, failedWrites: rounds - clients, completionMs });
    }
  });

  test('same seed, same run', () => {
    for (const strategy of CONTENTION_STRATEGIES) {
      expect(runContention({ clients: 30, strategy, seed: 9 })).toEqual(runContention({ clients: 30, strategy, seed: 9 }));
    }
  });

  test('reproduces the post: no jitter costs far more calls and time, its time grows with the clients, and the jittered three rank as published', () => {
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
      // The post's verdict on the jittered three: equal jitter does more work than full jitter and takes
      // longer; decorrelated jitter does more work than full jitter but finishes sooner.
      const [equal, full, decorrelated] = (['equal-jitter', 'full-jitter', 'decorrelated-jitter'] as const).map((s) => at(clients, s));
      expect(equal!.meanWriteCalls).toBeGreaterThan(full!.meanWriteCalls);
      expect(equal!.meanCompletionMs).toBeGreaterThan(full!.meanCompletionMs);
      expect(decorrelated!.meanWriteCalls).toBeGreaterThan(full!.meanWriteCalls);
      expect(decorrelated!.meanCompletionMs).toBeLessThan(full!.meanCompletionMs);
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
