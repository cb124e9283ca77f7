/**
 * Single-flight forgets a load that was cancelled in line. Go's singleflight
 * deletes a call from its group as soon as fn returns, error or not, and hands
 * the same result to every duplicate (golang.org/x/sync
 * singleflight/singleflight.go, doCall); a query cancelled because its caller
 * timed out is such a return. These tests watch the real run through spies on
 * the single-flight group, the database and the requests' ledger.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import fc from 'fast-check';
import { normalizeParams, Ledger } from '../../sim/core/index.ts';
import { cacheStampede } from '../../sim/cache-stampede/index.ts';
import { Database } from '../../sim/cache-stampede/database.ts';
import { SingleFlight } from '../../sim/cache-stampede/single-flight.ts';
import { OUTCOMES } from '../../sim/cache-stampede/keys.ts';

type Step =
  | { kind: 'add'; id: number; key: number; server: number; requester: number }
  | { kind: 'cancel'; id: number }
  | { kind: 'wait'; id: number; request: number }
  | { kind: 'end'; request: number; outcome: string; tMs: number };

/** Runs the model and returns, in order, every query added, cancelled in line and waited on, and every request's ending. */
function recordedRun(overrides: Record<string, number>, seed: number) {
  const steps: Step[] = [];
  const add = Database.prototype.add;
  const cancel = Database.prototype.cancelIfWaiting;
  const wait = SingleFlight.prototype.wait;
  const end = Ledger.prototype.end;
  vi.spyOn(Database.prototype, 'add').mockImplementation(function (this: Database, key, server, requester, tMs, background, token) {
    const id = add.call(this, key, server, requester, tMs, background, token);
    steps.push({ kind: 'add', id, key, server, requester });
    return id;
  });
  vi.spyOn(Database.prototype, 'cancelIfWaiting').mockImplementation(function (this: Database, id) {
    // A query not yet started is cancelled by this call (read here, not from its answer).
    if (this.queries.col.started[id] === -1) steps.push({ kind: 'cancel', id });
    return cancel.call(this, id);
  });
  vi.spyOn(SingleFlight.prototype, 'wait').mockImplementation(function (this: SingleFlight, id, request) {
    steps.push({ kind: 'wait', id, request });
    wait.call(this, id, request);
  });
  vi.spyOn(Ledger.prototype, 'end').mockImplementation(function (this: Ledger<string>, request, outcome, tMs) {
    steps.push({ kind: 'end', request, outcome: OUTCOMES[outcome]!, tMs });
    end.call(this, request, outcome, tMs);
  });
  const p = normalizeParams(cacheStampede.params, { singleFlight: 1, ...overrides }).params;
  const trace = cacheStampede.run(p, seed);
  vi.restoreAllMocks();
  return { steps, trace };
}

type Audit = { waitsOnCancelled: number; waitersLeftWaiting: number; cancelledWithWaiters: number; newLoadsAfterCancel: number };

/** Checks the recorded steps against Go's rule; counts what happened so a test can tell it was not vacuous. */
function audit(steps: readonly Step[]): Audit {
  const cancelledAt = new Map<number, number>(); // query → time of its cancellation
  const load = new Map<number, { key: number; server: number }>();
  const waitersOf = new Map<number, number[]>();
  const endedAt = new Map<number, number>();
  let nowMs = 0;
  const a: Audit = { waitsOnCancelled: 0, waitersLeftWaiting: 0, cancelledWithWaiters: 0, newLoadsAfterCancel: 0 };
  const pendingCancels: { key: number; server: number }[] = [];
  for (const s of steps) {
    if (s.kind === 'end') {
      nowMs = s.tMs;
      endedAt.set(s.request, s.tMs);
    } else if (s.kind === 'add') {
      load.set(s.id, { key: s.key, server: s.server });
      const i = pendingCancels.findIndex((c) => c.key === s.key && c.server === s.server);
      if (i >= 0) {
        a.newLoadsAfterCancel++;
        pendingCancels.splice(i, 1);
      }
    } else if (s.kind === 'wait') {
      if (cancelledAt.has(s.id)) a.waitsOnCancelled++;
      waitersOf.set(s.id, [...(waitersOf.get(s.id) ?? []), s.request]);
    } else {
      // The requester's time-out is the ending just before its query's cancellation.
      cancelledAt.set(s.id, nowMs);
      const l = load.get(s.id)!;
      if (l.key >= 0) pendingCancels.push(l);
      if ((waitersOf.get(s.id) ?? []).length > 0) a.cancelledWithWaiters++;
    }
  }
  for (const [id, tMs] of cancelledAt) {
    for (const w of waitersOf.get(id) ?? []) if (!(endedAt.get(w)! <= tMs)) a.waitersLeftWaiting++;
  }
  return a;
}

afterEach(() => vi.restoreAllMocks());

describe('single-flight forgets a load cancelled in line', () => {
  test('over random settings, no request waits on a cancelled load: none joins one after it is cancelled, and those already waiting end when it is', () => {
    const totals = { cancelledWithWaiters: 0, newLoadsAfterCancel: 0 };
    fc.assert(
      fc.property(
        fc.record({
          servers: fc.integer({ min: 1, max: 6 }),
          requestsPerSec: fc.integer({ min: 20, max: 400 }),
          ttlSec: fc.integer({ min: 1, max: 8 }),
          queryMs: fc.integer({ min: 200, max: 3000 }),
          dbConcurrency: fc.integer({ min: 1, max: 4 }),
          timeoutMs: fc.integer({ min: 1, max: 30 }).map((n) => n * 100),
          missingPct: fc.integer({ min: 0, max: 40 }),
          otherKeys: fc.constantFrom(0, 20),
          otherKeysPerSec: fc.integer({ min: 0, max: 20 }).map((n) => n * 10),
          fleetLock: fc.constantFrom(0, 1),
          durationSec: fc.constant(20),
        }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (settings, seed) => {
          const a = audit(recordedRun(settings, seed).steps);
          expect(a.waitsOnCancelled).toBe(0);
          expect(a.waitersLeftWaiting).toBe(0);
          totals.cancelledWithWaiters += a.cancelledWithWaiters;
          totals.newLoadsAfterCancel += a.newLoadsAfterCancel;
        },
      ),
      { numRuns: 40 },
    );
    // The settings do reach the case: loads cancelled with requests on them, and fresh loads after.
    expect(totals.cancelledWithWaiters).toBeGreaterThan(0);
    expect(totals.newLoadsAfterCancel).toBeGreaterThan(0);
  });

  test('a worked case: one server whose database line outlasts the time-out sends a new query for the next miss after its load is cancelled, and the load’s waiters fail at that moment', () => {
    // One slot, 2 s queries, 1 s time-outs, and a tenth of the reads for ids that do not exist (never
    // coalesced), so the hot key's load waits in line behind them and is cancelled there.
    const { steps, trace } = recordedRun({ servers: 1, requestsPerSec: 50, ttlSec: 2, queryMs: 2000, dbConcurrency: 1, timeoutMs: 1000, missingPct: 10, durationSec: 20 }, 7);
    const a = audit(steps);
    expect(a.cancelledWithWaiters).toBeGreaterThan(0);
    expect(a.newLoadsAfterCancel).toBeGreaterThan(0);
    expect(a.waitsOnCancelled).toBe(0);
    expect(a.waitersLeftWaiting).toBe(0);
    expect(trace.log.some((l) => /load cancelled with its caller: \d+ waiting on it fail too/.test(l.text))).toBe(true);
  });
});
