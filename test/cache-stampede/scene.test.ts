/**
 * The fleet, the shared cache and the database as a picture
 * (sim/cache-stampede/scene.ts): one frame per sample, counts that are the
 * model's own series, and the lesson's facts as the picture shows them: the
 * herd's arrows are the queries started, one arrow when the lock works, the
 * database never drawn busier than its slots, XFetch's chance rising as the TTL
 * runs down, and a thousand keys expiring together.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { normalizeParams, scenarioState, type Trace } from '../../sim/core/index.ts';
import { cacheStampede, xfetchRecomputes, type CacheStampedeParams } from '../../sim/cache-stampede/index.ts';
import { earlyChance, KEY_GROUP, type CacheFrame, type CacheScene } from '../../sim/cache-stampede/scene.ts';
import { ENTRY_STATES } from '../../sim/cache-stampede/keys.ts';

const paramsOf = (id: string, overrides: Partial<CacheStampedeParams> = {}) =>
  normalizeParams(cacheStampede.params, overrides, scenarioState(cacheStampede, id).params).params;
const runOf = (id: string) => cacheStampede.run(paramsOf(id), scenarioState(cacheStampede, id).seed);
const sceneOf = (t: Trace) => t.scene as CacheScene;
const sent = (f: CacheFrame) => f.sent.reduce((a, [, n]) => a + n, 0);
/** Samples in which some query for the hot key started: its expiries (or early refreshes). */
const hotSamples = (t: Trace) => [...t.series.queriesHot!].flatMap((n, i) => (n > 0 ? [i] : []));

/** Everything that must hold of any run's scene; returns what does not. */
function problemsOf(t: Trace): string[] {
  const s = sceneOf(t);
  const p = t.params as CacheStampedeParams;
  const problems: string[] = [];
  const samples = t.series.queriesStarted!.length;
  if (s.frames.length !== samples) problems.push(`${s.frames.length} frames for ${samples} samples`);
  s.frames.forEach((f, i) => {
    const at = `sample ${i}`;
    if (sent(f) !== t.series.queriesStarted![i]) problems.push(`${at}: arrows carry ${sent(f)} queries, the series ${t.series.queriesStarted![i]}`);
    if (f.hotQueries !== t.series.queriesHot![i]) problems.push(`${at}: ${f.hotQueries} hot queries, the series ${t.series.queriesHot![i]}`);
    if (f.busy !== t.series.dbInFlight![i] || f.waiting !== t.series.dbQueue![i]) problems.push(`${at}: database ${f.busy}/${f.waiting}, the series ${t.series.dbInFlight![i]}/${t.series.dbQueue![i]}`);
    if (f.busy > s.dbSlots) problems.push(`${at}: ${f.busy} busy of ${s.dbSlots} slots`);
    for (const [app, n] of f.sent) if (!(app >= 0 && app < p.servers && n > 0)) problems.push(`${at}: arrow from app ${app} with ${n}`);
    if (f.lock && !s.fleetLock) problems.push(`${at}: a lock with the fleet lock off`);
    if (f.lock && !(f.lock.fromMs < (i + 1) * t.sampleMs && (f.lock.endMs === null || f.lock.endMs >= i * t.sampleMs))) problems.push(`${at}: a lock held outside the second`);
    if ((f.earlyChance !== null) !== (p.xfetchBeta > 0 && KEY_GROUP[f.hot] === 'fresh')) problems.push(`${at}: XFetch chance ${f.earlyChance} for ${f.hot}`);
    if (s.keyCount > 1) {
      const k = f.keys;
      if (!k || k.fresh + k.expired + k.loading !== s.keyCount) problems.push(`${at}: keys ${JSON.stringify(k)} of ${s.keyCount}`);
      // The picture counts each key once, in the state it starts the second in; the diagram counts every state it was in.
      for (const g of ['fresh', 'expired', 'loading'] as const) {
        const during = ENTRY_STATES.filter((st) => KEY_GROUP[st] === g).reduce((a, st) => a + t.series[`st_${st}`]![i]!, 0);
        if (k && k[g] > during) problems.push(`${at}: ${k[g]} keys ${g}, but the diagram counts ${during}`);
      }
    } else if (f.keys !== null) problems.push(`${at}: key counts with one key`);
  });
  return problems;
}

describe('the cache-stampede scene', () => {
  test('every scenario: one frame per sample, whose counts are the model’s series at that sample', () => {
    for (const sc of cacheStampede.scenarios) expect(problemsOf(runOf(sc.id)), sc.id).toEqual([]);
  });

  test('over random parameters the picture agrees with the series and never draws more busy slots than the database has', () => {
    const arb = fc.record({
      servers: fc.integer({ min: 1, max: 50 }),
      requestsPerSec: fc.integer({ min: 1, max: 1500 }),
      ttlSec: fc.integer({ min: 1, max: 15 }),
      ttlJitterPct: fc.integer({ min: 0, max: 50 }),
      queryMs: fc.integer({ min: 1, max: 3000 }),
      dbConcurrency: fc.integer({ min: 1, max: 60 }),
      singleFlight: fc.constantFrom(0, 1),
      fleetLock: fc.constantFrom(0, 1),
      lockTtlSec: fc.integer({ min: 1, max: 40 }).map((n) => n / 10),
      swrSec: fc.constantFrom(0, 5, 30),
      xfetchBeta: fc.constantFrom(0, 1, 4),
      otherKeys: fc.constantFrom(0, 200),
      otherKeysPerSec: fc.constantFrom(0, 300),
      missingPct: fc.integer({ min: 0, max: 30 }),
      durationSec: fc.constantFrom(10, 20),
    });
    fc.assert(
      fc.property(arb, fc.integer({ min: 1, max: 1000 }), (o, seed) => {
        const problems = problemsOf(cacheStampede.run(normalizeParams(cacheStampede.params, o).params, seed));
        if (problems.length > 0) throw new Error(problems.slice(0, 3).join('; '));
      }),
      { numRuns: 40 },
    );
  });

  test('the herd: the arrows come only when the hot key is not fresh, add up to the queries the model started, and at each expiry every server sends hundreds', () => {
    const t = runOf('herd');
    const herds = hotSamples(t);
    for (const i of herds) {
      const f = sceneOf(t).frames[i]!;
      // Not fresh at the start of the second, or expired during it (a herd can spill into the next second).
      expect(KEY_GROUP[f.hot] !== 'fresh' || f.expiredMs !== null, `sample ${i}`).toBe(true);
      expect(sent(f)).toBe(t.series.queriesStarted![i]);
    }
    const big = herds.map((i) => sceneOf(t).frames[i]!).filter((f) => f.sent.length === 10 && sent(f) > 100 && f.busy === sceneOf(t).dbSlots);
    expect(big.length).toBeGreaterThanOrEqual(t.summary.expiries! - 1);
    expect(big.length).toBeGreaterThan(1);
  });

  test('with single-flight and the fleet lock, each expiry draws one arrow, from the server the lock names', () => {
    const t = runOf('single-flight-lock');
    const expiries = hotSamples(t);
    expect(expiries.length).toBeGreaterThan(2);
    for (const i of expiries) {
      const f = sceneOf(t).frames[i]!;
      expect(f.sent, `sample ${i}`).toEqual([[f.lock!.app, 1]]);
      expect(f.lock!.end).toBe('released');
    }
  });

  test('a lock whose EX runs out mid-rebuild is drawn as expired at the time the log says', () => {
    const t = runOf('lock-expires');
    const expired = t.log.filter((l) => l.kind === 'lock' && l.text.includes('expired after'));
    expect(expired.length).toBeGreaterThan(0);
    const holdings = sceneOf(t).frames.flatMap((f) => (f.lock ? [f.lock] : []));
    for (const l of expired) expect(holdings.some((h) => h.end === 'expired' && h.endMs === Math.floor(l.tMs)), `${l.tMs}`).toBe(true);
  });

  test('stale-while-revalidate: at each expiry one background query, and the stale copy is what the next second starts with unless the refresh already wrote', () => {
    const t = runOf('stale-while-revalidate');
    const frames = sceneOf(t).frames;
    for (const i of hotSamples(t)) {
      expect(sent(frames[i]!), `sample ${i}`).toBe(1);
      const next = frames[i + 1];
      if (next) expect(['fresh', 'revalidating']).toContain(next.hot);
    }
    for (const f of frames) if (f.hot !== 'stale' && f.hot !== 'revalidating') expect(f.staleLeftMs).toBe(0);
  });

  test('XFetch’s chance per read is the model’s own rule, exp(−gap / (delta·beta)), and rises as the TTL runs down', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 5000 }), fc.constantFrom(0.5, 1, 2, 4), (gapMs, deltaMs, beta) => {
        const c = earlyChance(0, gapMs, deltaMs, beta);
        expect(c).toBeCloseTo(Math.exp(-gapMs / (deltaMs * beta)), 9);
        if (c > 1e-9) {
          expect(xfetchRecomputes(0, gapMs, deltaMs, beta, c * 0.999)).toBe(true);
          if (c * 1.001 < 1) expect(xfetchRecomputes(0, gapMs, deltaMs, beta, c * 1.001)).toBe(false);
        }
      }),
    );
    const frames = sceneOf(runOf('xfetch')).frames;
    let rises = 0;
    for (let i = 1; i < frames.length; i++) {
      const [a, b] = [frames[i - 1]!, frames[i]!];
      // The same write, one second on: less TTL left, never a smaller chance.
      if (a.earlyChance !== null && b.earlyChance !== null && a.ttlLeftMs - b.ttlLeftMs === 1000) {
        expect(b.earlyChance, `sample ${i}`).toBeGreaterThanOrEqual(a.earlyChance);
        if (b.earlyChance > a.earlyChance) rises++;
      }
    }
    expect(rises).toBeGreaterThan(3);
  });

  test('a thousand keys written together all expire in the same second; with jitter never more than a fifth at once', () => {
    const together = sceneOf(runOf('thousand-keys'));
    const worst = (s: CacheScene) => Math.max(...s.frames.map((f) => f.keys!.expired));
    expect(worst(together)).toBe(together.keyCount);
    expect(worst(sceneOf(runOf('thousand-keys-jitter')))).toBeLessThan(together.keyCount / 5);
  });

  test('frames stay small: under 300 bytes each on average in every scenario, and the longest, widest run under 150 kB', () => {
    for (const sc of cacheStampede.scenarios) {
      const s = sceneOf(runOf(sc.id));
      expect(JSON.stringify(s).length / s.frames.length, sc.id).toBeLessThan(300);
    }
    const p = paramsOf('herd', { servers: 50, otherKeys: 5000, otherKeysPerSec: 5000, durationSec: 300, ttlSec: 1, fleetLock: 1, lockTtlSec: 0.1, xfetchBeta: 4 });
    expect(JSON.stringify(cacheStampede.run(p, 3).scene).length).toBeLessThan(150_000);
  });
});
