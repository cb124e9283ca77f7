/**
 * The cohort run (events that change nothing but the count are counted, not queued: off-queue.ts)
 * against the per-entity run, which queues and handles every event: the same trace, hash for hash,
 * over random parameters in every kernel era, on the scenarios, cut short by a progressive run's
 * stop, and stopped by the event budget.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { normalizeParams, runUpTo, scenarioState } from '../../sim/core/index.ts';
import { synQueue, type SynQueueParams } from '../../sim/syn-queue/index.ts';
import { KERNELS, guardRules } from '../../sim/syn-queue/kernels.ts';
import { arbitraryParams } from './arbitrary-params.ts';
import { synackRetryLimit } from '../../sim/syn-queue/machine.ts';
import { EVENT_BUDGET, runSynQueue, type SynQueueRunEnd } from '../../sim/syn-queue/model.ts';
import { O_ACCEPTED, O_ACCEPTED_COOKIE } from '../../sim/syn-queue/keys.ts';

/** Every knob, with broken clients and floods common: the entities the cohorts stand for. */
const arbParams = arbitraryParams({ brokenHalvesMax: 60, floodTensMax: 50, floodStartMaxSec: 30, durationsSec: [10, 30, 60] });

function bothRuns(p: SynQueueParams, seed: number) {
  let cohortEnd: SynQueueRunEnd | undefined;
  const cohort = runSynQueue(p, seed, (e) => (cohortEnd = e));
  const perEntity = runSynQueue(p, seed, undefined, { perEntity: true });
  return { cohort, perEntity, offQueue: cohortEnd!.eventsOffQueue };
}

describe('what the retransmission cohort rests on (fixed-resends.ts)', () => {
  test('pruning never leaves a request fewer than min(2, tcp_synack_retries) retransmissions, whatever the queue holds', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...KERNELS),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.boolean(),
        (kernel, retries, cap, qlen, young, acked) => {
          const synQueueLen = Math.min(qlen, cap);
          const view = {
            kernel, ...guardRules(kernel), synQueueLen, synQueueCap: cap, acceptQueueLen: 0, acceptQueueCap: 1,
            youngLen: Math.min(young, synQueueLen), tcpMaxSynBacklog: 1024, tcpSyncookies: 0 as const, tcpAbortOnOverflow: 0 as const,
            peerProven: false, retransmits: 0, acked, effectiveBacklog: Math.max(0, cap - 1), tcpSynackRetries: retries,
          };
          expect(synackRetryLimit(view)).toBeGreaterThanOrEqual(Math.min(2, retries));
        },
      ),
    );
  });
});

describe('cohorts give the per-entity trace', () => {
  test('over random parameters in every kernel era, the cohort run and the per-entity run have the same trace hash', () => {
    fc.assert(
      fc.property(arbParams, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (p, seed) => {
        const { cohort, perEntity } = bothRuns(p, seed);
        expect(cohort.events).toBe(perEntity.events);
        expect(cohort.hash).toBe(perEntity.hash);
      }),
      { numRuns: 120 },
    );
    // Each case runs the model twice; under a shared machine's load that can take a minute or two.
  }, 240_000);

  test.each(synQueue.scenarios.map((s) => s.id))('scenario %s: same hash both ways', (id) => {
    const { params, seed } = scenarioState(synQueue, id);
    const { cohort, perEntity } = bothRuns(params, seed);
    expect(cohort.hash).toBe(perEntity.hash);
  });

  test('a run with broken clients counts events off the queue, so the cohorts are in use', () => {
    const { params, seed } = scenarioState(synQueue, 'fastmail-2002');
    expect(bothRuns(params, seed).offQueue).toBeGreaterThan(10_000);
  });

  test('in a healthy hour the cohort run queues under 2.5 events per accepted attempt, where the per-entity run queues five', () => {
    const { params, seed } = scenarioState(synQueue, 'busy-hour');
    let end: SynQueueRunEnd | undefined;
    const cohort = runSynQueue(params, seed, (e) => (end = e));
    const perEntity = runSynQueue(params, seed, undefined, { perEntity: true });
    const accepted = end!.ledger.count(O_ACCEPTED) + end!.ledger.count(O_ACCEPTED_COOKIE);
    expect(accepted).toBeGreaterThan(5000);
    // Per entity: arrival, SYN, SYN-ACK, ACK and accept(). As cohorts: the SYN (its arrival with it)
    // and the ACK, and accept() only when the application is still busy with the one before (1 ms
    // each, at 150 arrivals a second); each shortcut left out would add about one event per attempt.
    expect(perEntity.events / accepted).toBeGreaterThanOrEqual(5);
    expect((cohort.events - end!.eventsOffQueue) / accepted).toBeLessThan(2.5);
  });

  test('a run reusing the attempt store of a bigger run before it gives the trace of a run with a fresh store', () => {
    const flood = scenarioState(synQueue, 'syn-flood');
    const slow = scenarioState(synQueue, 'slow-app');
    runSynQueue(flood.params, flood.seed);
    const reusing = runSynQueue(slow.params, slow.seed);
    // An observed run never reuses a store: the test may keep it.
    const fresh = runSynQueue(slow.params, slow.seed, () => {});
    expect(reusing.hash).toBe(fresh.hash);
  });

  test('a progressive run cut short at a random moment gives the same partial trace both ways', () => {
    const { params, seed } = scenarioState(synQueue, 'fastmail-fix');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: params.durationSec - 1 }), (untilSec) => {
        const cohort = runUpTo(untilSec, () => runSynQueue(params, seed));
        const perEntity = runUpTo(untilSec, () => runSynQueue(params, seed, undefined, { perEntity: true }));
        expect(cohort.computedToSec).toBe(perEntity.computedToSec);
        expect(cohort.hash).toBe(perEntity.hash);
      }),
      { numRuns: 8 },
    );
  });

  test('a run past the event budget stops at the same event both ways', () => {
    const p = normalizeParams(synQueue.params, { kernel: 'linux-2.4', brokenPerSec: 100, clientsPerSec: 1000, floodPerSec: 3000, floodStartSec: 0, floodDurationSec: 600, durationSec: 600 }).params;
    const { cohort, perEntity } = bothRuns(p, 1);
    expect(perEntity.truncated).toBe(true);
    expect(perEntity.events).toBe(EVENT_BUDGET);
    expect(cohort.hash).toBe(perEntity.hash);
  }, 60_000);
});
