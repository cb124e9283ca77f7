/**
 * The cache-stampede model against its invariants and against the
 * arithmetic the article (and the literature) states.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createRng, normalizeParams, scenarioState } from '../../sim/core/index.ts';
import { cacheStampede, xfetchRecomputes, type CacheStampedeParams } from '../../sim/cache-stampede/index.ts';
import { Columns } from '../../sim/core/columns.ts';
import { SampleLatencies, SeriesRecorder } from '../../sim/core/index.ts';
import { ENTRY_STATES, OUTCOMES, SERIES_KEYS } from '../../sim/cache-stampede/keys.ts';
import { requestLedger } from '../../sim/cache-stampede/outcomes.ts';
import { cacheEntryMachine } from '../../sim/cache-stampede/machine.ts';
import { arbParams } from './arbitrary-params.ts';

const params = (overrides: Partial<CacheStampedeParams>, scenario = 'herd') =>
  normalizeParams(cacheStampede.params, overrides, scenarioState(cacheStampede, scenario).params).params;
const run = (p: CacheStampedeParams, seed: number) => cacheStampede.run(p, seed);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('invariants over random parameters', () => {
  test('each outcome’s per-second series sums to its total, arrivals to attempts, and only requests younger than the time-out are still pending', () => {
    fc.assert(
      fc.property(arbParams, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (p, seed) => {
        const { summary, series, truncated, durationMs } = run(p, seed);
        for (const o of OUTCOMES) expect(series[o]!.reduce((a, b) => a + b, 0)).toBe(summary[o]);
        expect(series.requests!.reduce((a, b) => a + b, 0)).toBe(summary.attempts);
        if (truncated) return;
        // A request that arrived a time-out before the end has had its time-out event: it cannot be open.
        const firstSample = Math.max(0, Math.floor((durationMs - p.timeoutMs) / 1000));
        const young = series.requests!.slice(firstSample).reduce((a, b) => a + b, 0);
        expect(summary.pending!).toBeLessThanOrEqual(young);
      }),
      { numRuns: 80 },
    );
  });

  test('a query answer that comes after its requester timed out reaches nobody: with every query slower than the time-out, no request is answered as the one that queried', () => {
    // Queries take 2.7-3.3 s and requests give up after 1 s, so every request that sent a query has timed out
    // by its answer; only those that joined the server's load in its last second are still there to share it.
    for (const seed of [1, 2, 3]) {
      const { summary } = run(params({ queryMs: 3000, timeoutMs: 1000, singleFlight: 1, servers: 5, requestsPerSec: 200, dbConcurrency: 200, ttlSec: 5, durationSec: 30 }), seed);
      expect(summary.dbQuery).toBe(0);
      // Every query's requester timed out, or is still waiting when the run ends.
      expect(summary.timeout! + summary.pending!).toBeGreaterThanOrEqual(summary.dbQueries!);
      expect(summary.coalesced!).toBeGreaterThan(0);
      // Each late answer still writes the key, so the reads between expiries are fresh hits.
      expect(summary.freshHit!).toBeGreaterThan(summary.timeout!);
    }
  });

  test('the database never runs more queries than its concurrency', () => {
    fc.assert(
      fc.property(arbParams, fc.integer({ min: 0, max: 999 }), (p, seed) => {
        const { summary } = run(p, seed);
        expect(summary.peakDbInFlight!).toBeLessThanOrEqual(p.dbConcurrency);
      }),
      { numRuns: 80 },
    );
  });

  test('with the fleet lock and an expiry longer than any rebuild, never more than one query per expiry', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 10, max: 1500 }), fc.integer({ min: 0, max: 99 }), (servers, queryMs, seed) => {
        const { summary } = run(params({ servers, queryMs, fleetLock: 1, lockTtlSec: 30, dbConcurrency: 20, durationSec: 40 }), seed);
        expect(summary.maxQueriesPerExpiry).toBe(1);
      }),
      { numRuns: 20 },
    );
  });
});

describe('the herd and its defences', () => {
  test('without protection, queries per expiry ≈ arrival rate × query time (database below its limit)', () => {
    // 200 reads/s, 100 ms queries: the window before the first write holds about 20 more reads.
    const runs = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => run(params({ requestsPerSec: 200, queryMs: 100, dbConcurrency: 100, servers: 10, durationSec: 60 }), seed));
    const perExpiry = mean(runs.map((t) => t.summary.queriesPerExpiry!));
    expect(perExpiry).toBeGreaterThan(200 * 0.1 * 0.85);
    expect(perExpiry).toBeLessThan(200 * 0.1 * 1.15 + 1);
    for (const t of runs) expect(t.summary.peakDbInFlight!).toBeLessThan(100);
  });

  test('the source’s herd: hundreds of identical queries per expiry, queuing behind the database', () => {
    const { summary } = run(params({}), 10);
    expect(summary.queriesPerExpiry!).toBeGreaterThan(200);
    expect(summary.peakDbQueue!).toBeGreaterThan(100);
    expect(summary.peakDbInFlight).toBe(20);
  });

  test('single-flight: one query per server that saw the miss, never more', () => {
    for (const servers of [1, 5, 10, 20]) {
      const { summary } = run(params({ servers, singleFlight: 1 }), servers);
      expect(summary.maxQueriesPerExpiry).toBe(servers);
      expect(summary.queriesPerExpiry).toBe(servers);
    }
  });

  test('single-flight and the lock: exactly one query per expiry; losers are served stale', () => {
    const { summary } = run(scenarioState(cacheStampede, 'single-flight-lock').params, 10);
    expect(summary.queriesPerExpiry).toBe(1);
    expect(summary.maxQueriesPerExpiry).toBe(1);
    expect(summary.staleHit!).toBeGreaterThan(0);
  });

  test('a lock whose EX is shorter than the rebuild lets a second rebuild start, as the article warns', () => {
    const { summary, log } = run(scenarioState(cacheStampede, 'lock-expires').params, 10);
    expect(summary.queriesPerExpiry!).toBeGreaterThan(1);
    expect(log.some((l) => l.text.includes('expired after 1s with the rebuild still running'))).toBe(true);
    expect(log.some((l) => l.text.includes('release skipped'))).toBe(true);
  });

  test('stale-while-revalidate: no request waits for the database; one background refresh per expiry', () => {
    const { summary } = run(scenarioState(cacheStampede, 'stale-while-revalidate').params, 10);
    expect(summary.dbQuery).toBe(0);
    expect(summary.coalesced).toBe(0);
    expect(summary.queriesPerExpiry).toBe(1);
    expect(summary.latencyP99Ms!).toBeLessThan(5);
  });

  test('a thousand keys expiring together spike the database; jitter spreads the same work out', () => {
    const together = run(scenarioState(cacheStampede, 'thousand-keys').params, 11).series.queriesStarted!;
    const jittered = run(scenarioState(cacheStampede, 'thousand-keys-jitter').params, 11).series.queriesStarted!;
    expect(Math.max(...together)).toBeGreaterThan(500);
    expect(Math.max(...jittered)).toBeLessThan(Math.max(...together) / 4);
  });

  test('the tiny-TTL scenario: about one database query per thousand reads', () => {
    const { summary } = run(scenarioState(cacheStampede, 'tiny-ttl').params, 13);
    expect(summary.readsPerQuery!).toBeGreaterThan(900);
    expect(summary.readsPerQuery!).toBeLessThan(1100);
  });

  test('negative caching: ids that do not exist stop reaching the database', () => {
    const off = run(scenarioState(cacheStampede, 'negative-cache').params, 14).summary;
    const on = run(params({ negativeCaching: 1 }, 'negative-cache'), 14).summary;
    expect(off.dbQueries! - on.dbQueries!).toBeGreaterThan(1000);
    // At most one query per missing id per 10 s of negative TTL (100 ids, 40 s), plus the hot key's.
    expect(on.dbQueries! - on.dbQueriesHot!).toBeLessThanOrEqual(100 * 4 + 100);
  });
});

describe('the requests’ ledger', () => {
  const setup = () => {
    const rec = new SeriesRecorder(SERIES_KEYS, 5000, 1000);
    const req = new Columns(['arrival'] as const);
    const latencies = new SampleLatencies(rec.count);
    return { rec, req, latencies, ledger: requestLedger(rec, req, latencies) };
  };

  test('an ending counts once in its outcome’s series, in the sample it ended in, with its latency from arrival', () => {
    const { rec, req, latencies, ledger } = setup();
    const served = ledger.open();
    req.col.arrival[req.add()] = 1200;
    const late = ledger.open();
    req.col.arrival[req.add()] = 1500;
    ledger.end(served, OUTCOMES.indexOf('dbQuery'), 3700);
    ledger.end(late, OUTCOMES.indexOf('timeout'), 4500);
    expect(Array.from(rec.get('dbQuery'))).toEqual([0, 0, 0, 1, 0]);
    expect(Array.from(rec.get('timeout'))).toEqual([0, 0, 0, 0, 1]);
    // A time-out has no latency: only the served request's 2.5 s is there.
    const p50 = new Float64Array(5);
    expect(Array.from(latencies.finish([0.5], [p50]))).toEqual([2.5]);
    expect(p50[3]).toBe(2.5);
  });

  test('a second ending of the same request throws and is not counted', () => {
    const { rec, req, ledger } = setup();
    const r = ledger.open();
    req.add();
    ledger.end(r, OUTCOMES.indexOf('timeout'), 1000);
    expect(() => ledger.end(r, OUTCOMES.indexOf('dbQuery'), 2000)).toThrow(/ended twice \(timeout, then dbQuery\)/);
    expect(rec.get('dbQuery').reduce((a, b) => a + b, 0)).toBe(0);
    expect(ledger.pending()).toBe(0);
  });
});

describe('XFetch', () => {
  test.each([
    [2000, 300, 1],
    [500, 300, 1],
    [1000, 300, 2],
    [100, 50, 0.5],
  ])('a read %i ms before expiry (delta %i ms, beta %f) recomputes with probability exp(−gap/(beta·delta))', (gapMs, deltaMs, beta) => {
    const rng = createRng(gapMs * 7 + deltaMs);
    const n = 40_000;
    let hits = 0;
    for (let i = 0; i < n; i++) if (xfetchRecomputes(10_000 - gapMs, 10_000, deltaMs, beta, rng.nextOpen())) hits++;
    const expected = Math.exp(-gapMs / (beta * deltaMs));
    const sd = Math.sqrt((expected * (1 - expected)) / n);
    expect(Math.abs(hits / n - expected)).toBeLessThan(5 * sd + 1e-4);
  });

  test('past expiry a read always recomputes; far before it, practically never', () => {
    expect(xfetchRecomputes(10_001, 10_000, 300, 1, 1)).toBe(true);
    expect(xfetchRecomputes(0, 10_000, 300, 1, 0.5)).toBe(false);
  });

  // Nobody coordinates: the first volunteer typically appears where λ·δ·e^(−gap/δ) ≈ 1, and while its
  // recompute runs (δ) about (e − 1) more readers draw a recompute too. So at read rates well above 1/δ
  // a refresh costs 1 + (e − 1) ≈ 2.7 queries on average: a few, against a herd of about λ·δ.
  test('with beta 1 a refresh costs about e ≈ 2.7 queries when reads are frequent: a few, never a herd; nobody waits on another', () => {
    const runs = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => run(scenarioState(cacheStampede, 'xfetch').params, seed).summary);
    const perExpiry = mean(runs.map((s) => s.queriesPerExpiry!));
    expect(perExpiry).toBeGreaterThan(1.8);
    expect(perExpiry).toBeLessThan(3.8);
    const herd = run(scenarioState(cacheStampede, 'herd').params, 1).summary.queriesPerExpiry!;
    expect(Math.max(...runs.map((s) => s.maxQueriesPerExpiry!))).toBeLessThan(herd / 20);
    for (const s of runs) expect(s.coalesced).toBe(0);
  });

  test('when reads are rare next to the recompute time, a refresh is usually a single query', () => {
    const rare = [1, 2, 3, 4, 5, 6].map((seed) => run(params({ requestsPerSec: 2, queryMs: 50, durationSec: 120 }, 'xfetch'), seed).summary);
    expect(mean(rare.map((s) => s.queriesPerExpiry!))).toBeLessThan(1.3);
  });
});

describe('keys', () => {
  test('the entry states the series are named after are the cacheEntry machine’s, in its order', () => {
    expect(ENTRY_STATES).toEqual(Object.keys(cacheEntryMachine.config.states!));
  });
});

describe('determinism', () => {
  test('the same seed gives the same hash; another seed another hash', () => {
    for (const scenario of cacheStampede.scenarios) {
      const s = scenarioState(cacheStampede, scenario.id);
      expect(run(s.params, s.seed).hash).toBe(run(s.params, s.seed).hash);
      expect(run(s.params, s.seed + 1).hash).not.toBe(run(s.params, s.seed).hash);
    }
  });
});
