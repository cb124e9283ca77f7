/**
 * The cohort run (a time-out whose request has already ended is counted, not queued: timeouts.ts;
 * an arrival due before everything in the queue is handled at once: model.ts `arrivals`) against
 * the per-entity run, which queues and handles every event: the same trace, hash for
 * hash (scene included), over random parameters, on every scenario, cut short by a progressive
 * run's stop, and stopped by the event budget. A shortcut that breaks the rule fails the property.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import fc from 'fast-check';
import { EventQueue, normalizeParams, runUpTo, scenarioState } from '../../sim/core/index.ts';
import { cacheStampede, type CacheStampedeParams } from '../../sim/cache-stampede/index.ts';
import { E_ARRIVE_HOT, E_LOCK_EXPIRE, E_TIMEOUT } from '../../sim/cache-stampede/events.ts';
import { EVENT_BUDGET, runCacheStampede } from '../../sim/cache-stampede/model.ts';
import { RequestTimeouts } from '../../sim/cache-stampede/timeouts.ts';
import { arbParams } from './arbitrary-params.ts';

const bothRuns = (p: CacheStampedeParams, seed: number) => ({
  cohort: runCacheStampede(p, seed),
  perEntity: runCacheStampede(p, seed, { perEntity: true }),
});
const sameTrace = (p: CacheStampedeParams, seed: number) => {
  const { cohort, perEntity } = bothRuns(p, seed);
  expect(cohort.events).toBe(perEntity.events);
  expect(cohort.hash).toBe(perEntity.hash);
};
const scenario = (id: string, overrides: Partial<CacheStampedeParams> = {}) => {
  const { params, seed } = scenarioState(cacheStampede, id);
  return { p: normalizeParams(cacheStampede.params, overrides, params).params, seed };
};

/** Counts the events of each kind a run schedules through the queue's lanes. */
function lanePushes(runIt: () => void): Map<number, number[]> {
  const pushes = new Map<number, number[]>();
  const pushAfter = EventQueue.prototype.pushAfter;
  const spy = vi.spyOn(EventQueue.prototype, 'pushAfter').mockImplementation(function (this: EventQueue, lane, nowMs, kind, arg) {
    const due = this.dueAfter(lane, nowMs);
    const dues = pushes.get(kind);
    if (dues === undefined) pushes.set(kind, [due]);
    else dues.push(due);
    pushAfter.call(this, lane, nowMs, kind, arg);
  });
  try {
    runIt();
  } finally {
    spy.mockRestore();
  }
  return pushes;
}

afterEach(() => vi.restoreAllMocks());

describe('cohorts give the per-entity trace', () => {
  test('over random parameters, the cohort run and the per-entity run have the same event count and trace hash', () => {
    fc.assert(fc.property(arbParams, fc.integer({ min: 0, max: 2 ** 32 - 1 }), sameTrace), { numRuns: 100 });
  }, 240_000);

  test.each(cacheStampede.scenarios.map((s) => s.id))('scenario %s: same hash both ways', (id) => {
    const { p, seed } = scenario(id);
    sameTrace(p, seed);
  });

  test('a progressive run cut short at a random moment gives the same partial trace both ways', () => {
    const { p, seed } = scenario('single-flight-lock');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: p.durationSec - 1 }), (untilSec) => {
        const cohort = runUpTo(untilSec, () => runCacheStampede(p, seed));
        const perEntity = runUpTo(untilSec, () => runCacheStampede(p, seed, { perEntity: true }));
        expect(cohort.computedToSec).toBe(perEntity.computedToSec);
        expect(cohort.hash).toBe(perEntity.hash);
      }),
      { numRuns: 8 },
    );
  });

  test('a run past the event budget stops at the same event both ways', () => {
    const { p, seed } = scenario('herd', { requestsPerSec: 2000, otherKeys: 100, otherKeysPerSec: 5000, durationSec: 300 });
    const { cohort, perEntity } = bothRuns(p, seed);
    expect(perEntity.truncated).toBe(true);
    expect(perEntity.events).toBe(EVENT_BUDGET);
    expect(cohort.hash).toBe(perEntity.hash);
  }, 60_000);

  test('a time-out due at the same instant as its request’s lock expiry keeps its place before it', () => {
    // The lock's lease equals the time-out and the rebuild outlasts both: the reader that takes the
    // lock is still waiting when both fall due, and the per-entity run handles its time-out first.
    const { p, seed } = scenario('lock-expires', { timeoutMs: 1000, lockTtlSec: 1, queryMs: 2000 });
    const pushes = lanePushes(() => runCacheStampede(p, seed, { perEntity: true }));
    const timeouts = new Set(pushes.get(E_TIMEOUT));
    expect(pushes.get(E_LOCK_EXPIRE)!.some((t) => timeouts.has(t))).toBe(true);
    sameTrace(p, seed);
  });
});

describe('the cohorts are in use, and the property catches a broken shortcut', () => {
  test('in the herd, most time-outs and most arrivals are counted instead of queued', () => {
    const { p, seed } = scenario('herd');
    const cohort = lanePushes(() => runCacheStampede(p, seed));
    const perEntity = lanePushes(() => runCacheStampede(p, seed, { perEntity: true }));
    for (const kind of [E_TIMEOUT, E_ARRIVE_HOT]) expect(cohort.get(kind)!.length).toBeLessThan(perEntity.get(kind)!.length / 4);
  });

  /** The shortcut's private state, which a mutant reads; the per-entity run (cohorts off) keeps the real settle. */
  type Inside = { armed: number; cohorts: boolean; requests: { isOpen(r: number): boolean } };
  const settle = RequestTimeouts.prototype.settle;
  const mutants: [string, (this: RequestTimeouts) => void][] = [
    [
      'drops every time-out, the open requests’ too',
      function (this: RequestTimeouts) {
        const t = this as unknown as Inside;
        if (t.cohorts && t.armed >= 0) {
          this.offQueue++;
          t.armed = -1;
        }
        settle.call(this);
      },
    ],
    [
      'counts a dropped time-out even when it falls due after the run',
      function (this: RequestTimeouts) {
        const t = this as unknown as Inside;
        if (t.cohorts && t.armed >= 0 && !t.requests.isOpen(t.armed)) {
          this.offQueue++;
          t.armed = -1;
        }
        settle.call(this);
      },
    ],
  ];

  const failsTheProperty = () =>
    fc.check(
      fc.property(arbParams, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (p, seed) => {
        const { cohort, perEntity } = bothRuns(p, seed);
        return cohort.hash === perEntity.hash;
      }),
      { numRuns: 100 },
    ).failed;

  test.each(mutants)('a shortcut that %s fails the property', (_what, mutant) => {
    vi.spyOn(RequestTimeouts.prototype, 'settle').mockImplementation(mutant);
    expect(failsTheProperty()).toBe(true);
  }, 240_000);

  test('handling the next arrival at once even when the queue holds an earlier event fails the property', () => {
    // Only the cohort run asks when the queue's next event is due.
    vi.spyOn(EventQueue.prototype, 'peekTimeMs').mockReturnValue(Infinity);
    expect(failsTheProperty()).toBe(true);
  }, 240_000);
});
