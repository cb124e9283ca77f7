/**
 * The contention sweep's fast parts against the core and token-bucket code they
 * stand in for: the same numbers, in the same order, bit for bit.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { EventQueue } from '../../sim/core/event-queue.ts';
import { createRng } from '../../sim/core/prng.ts';
import { afterFailure, freshBackoff, type BackoffSpec } from '../../sim/token-bucket/backoff.ts';
import { contentionPoint, type SweepPoint } from '../../sim/token-bucket/contention.ts';
import { CrowdBackoff, type CrowdPolicy } from '../../sim/token-bucket/contention-backoff.ts';
import { ClientEventQueue } from '../../sim/token-bucket/contention-queue.ts';

const CROWD_POLICIES: CrowdPolicy[] = ['immediate', 'exponential', 'full-jitter', 'equal-jitter', 'decorrelated-jitter'];

describe('the contention sweep gives what the simulator gave before it was made faster', () => {
  const golden = JSON.parse(readFileSync(new URL('./contention-sweep.golden.json', import.meta.url), 'utf8')) as { points: SweepPoint[] };

  // Each point depends only on its own client count, so a few counts test the same code as the whole
  // sweep (which npm run bench compares in full) at a fraction of its time.
  test.each([10, 60, 110])('every strategy’s means at %i clients over 100 runs equal the recorded ones bit for bit', (clients) => {
    const recorded = golden.points.filter((p) => p.clients === clients);
    expect(recorded).toHaveLength(5);
    for (const point of recorded) expect(contentionPoint(clients, point.strategy, 100)).toStrictEqual(point);
  });
});

describe('ClientEventQueue', () => {
  test('hands out events in exactly core EventQueue’s (time, then scheduling order) order, ties included', () => {
    // Times on a coarse grid make equal times common, so the sequence rule decides many pops.
    const script = fc.record({
      clients: fc.integer({ min: 1, max: 70 }),
      firstTimes: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 70, maxLength: 70 }),
      steps: fc.array(fc.record({ delay: fc.integer({ min: 0, max: 5 }), done: fc.boolean() }), { minLength: 1, maxLength: 400 }),
    });
    fc.assert(
      fc.property(script, ({ clients, firstTimes, steps }) => {
        const core = new EventQueue(4);
        const fast = new ClientEventQueue(clients);
        for (let c = 0; c < clients; c++) {
          core.push(firstTimes[c]!, c % 4, c);
          fast.schedule(c, firstTimes[c]!, c % 4);
        }
        const event = { timeMs: 0, kind: 0, arg: 0 };
        for (const step of steps) {
          if (!core.pop(event)) break;
          expect([fast.topTimeMs(), fast.topKind(), fast.topClient()]).toEqual([event.timeMs, event.kind, event.arg]);
          if (step.done) fast.removeTop();
          else {
            const kind = (event.kind + 1) % 4;
            core.push(event.timeMs + step.delay, kind, event.arg);
            fast.rescheduleTop(event.timeMs + step.delay, kind);
          }
          expect(fast.size).toBe(core.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('refuses a time core’s queue refuses', () => {
    const queue = new ClientEventQueue(2);
    expect(() => queue.schedule(0, Number.NaN, 0)).toThrow(RangeError);
    queue.schedule(0, 1, 0);
    expect(() => queue.rescheduleTop(Infinity, 0)).toThrow(RangeError);
  });
});

describe('CrowdBackoff', () => {
  test('sleeps exactly what afterFailure returns, failure after failure, for every policy the sweep uses', () => {
    const spec = fc.record({
      policy: fc.constantFrom(...CROWD_POLICIES),
      // A tiny base keeps the exponential below the cap past 2^1024, the end of the ceiling table.
      baseMs: fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.constant(1e-300), fc.double({ min: 0, max: 50, noNaN: true })),
      capMs: fc.oneof(fc.integer({ min: 1, max: 120_000 }), fc.constant(Infinity)),
    });
    fc.assert(
      fc.property(spec, fc.integer(), fc.integer({ min: 1, max: 1_100 }), ({ policy, baseMs, capMs }, seed, failures) => {
        const backoffSpec: BackoffSpec = { policy, baseMs, capMs, maxAttempts: Number.POSITIVE_INFINITY };
        // Two clients failing in turn: each keeps its own count and its own previous sleep.
        const states = [freshBackoff(backoffSpec), freshBackoff(backoffSpec)];
        const crowd = new CrowdBackoff(policy, 2, baseMs, capMs);
        const coreRng = createRng(seed);
        const crowdRng = createRng(seed);
        for (let i = 0; i < failures; i++) {
          const client = i % 3 === 0 ? 1 : 0;
          const decision = afterFailure(backoffSpec, states[client]!, coreRng);
          states[client] = decision.state;
          expect(Object.is(crowd.sleepAfterFailureMs(client, crowdRng), decision.sleepMs)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  test('agrees with afterFailure past 1024 failures, where 2^n overflows and the ceiling table ends', () => {
    for (const policy of CROWD_POLICIES) {
      for (const [baseMs, capMs] of [[1e-300, Infinity], [0, Infinity], [5, 2_000]] as const) {
        const backoffSpec: BackoffSpec = { policy, baseMs, capMs, maxAttempts: Number.POSITIVE_INFINITY };
        let state = freshBackoff(backoffSpec);
        const crowd = new CrowdBackoff(policy, 1, baseMs, capMs);
        const coreRng = createRng(7);
        const crowdRng = createRng(7);
        for (let i = 0; i < 1_030; i++) {
          const decision = afterFailure(backoffSpec, state, coreRng);
          state = decision.state;
          expect(Object.is(crowd.sleepAfterFailureMs(0, crowdRng), decision.sleepMs)).toBe(true);
        }
      }
    }
  });
});
