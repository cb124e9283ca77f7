import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createModel, Ledger } from '../../sim/core/model.ts';
import { SampleLatencies } from '../../sim/core/latency.ts';
import { percentile, pow2, selectKth } from '../../sim/core/stats.ts';

describe('the outcomes ledger', () => {
  test('a second ending of the same entity throws and names both outcomes', () => {
    const ledger = new Ledger(['served', 'dropped'] as const);
    const id = ledger.open();
    ledger.end(id, 0, 10);
    expect(() => ledger.end(id, 1, 20)).toThrow(/ended twice \(served, then dropped\)/);
    expect(ledger.count(0)).toBe(1);
    expect(ledger.count(1)).toBe(0);
  });

  test('ending an entity that was never opened throws', () => {
    const ledger = new Ledger(['ok'] as const);
    expect(() => ledger.end(0, 0, 0)).toThrow(/no entity 0/);
  });

  test('attempts equal every ending plus those pending, per class and in all, over random histories', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: -1, max: 3 })), { maxLength: 3000 }), (plan) => {
        const ledger = new Ledger(['a', 'b', 'c', 'd'] as const, ['x', 'y', 'z'] as const);
        const expected = new Map<string, number>();
        for (const [cls, outcome] of plan) {
          const id = ledger.open(cls);
          if (outcome >= 0) {
            ledger.end(id, outcome, 0);
            const key = `${'xyz'[cls]}_${'abcd'[outcome]}`;
            expected.set(key, (expected.get(key) ?? 0) + 1);
          }
        }
        const totals = ledger.totals((o, c) => `${c}_${o}`);
        for (const [key, n] of Object.entries(totals)) expect(n).toBe(expected.get(key) ?? 0);
        for (let c = 0; c < 3; c++) {
          expect(ledger.attempts(c)).toBe(plan.filter(([k]) => k === c).length);
          expect(ledger.pending(c)).toBe(plan.filter(([k, o]) => k === c && o < 0).length);
        }
        expect(ledger.pending()).toBe(plan.filter(([, o]) => o < 0).length);
        expect(ledger.size).toBe(plan.length);
      }),
      { numRuns: 200 },
    );
  });

  test('a ledger sized for a few entities keeps every class and ending as it grows past that', () => {
    const ledger = new Ledger(['ok', 'lost'] as const, ['a', 'b'] as const, 4);
    for (let i = 0; i < 100; i++) ledger.open(i % 2);
    for (let i = 0; i < 100; i += 3) ledger.end(i, i % 5 === 0 ? 1 : 0, i);
    for (let i = 0; i < 100; i++) {
      expect(ledger.classOf(i)).toBe(i % 2);
      expect(ledger.outcomeOf(i)).toBe(i % 3 !== 0 ? -1 : i % 5 === 0 ? 1 : 0);
    }
  });

  test('onEnd hears each ending once, with its class and time', () => {
    const ledger = new Ledger(['ok', 'late'] as const, ['p', 'q'] as const);
    const heard: number[][] = [];
    ledger.onEnd = (id, o, c, t) => heard.push([id, o, c, t]);
    const a = ledger.open(1);
    const b = ledger.open(0);
    ledger.end(b, 1, 5);
    ledger.end(a, 0, 7);
    expect(heard).toEqual([[1, 1, 0, 5], [0, 0, 1, 7]]);
    expect(ledger.isOpen(a)).toBe(false);
    expect(ledger.outcomeOf(b)).toBe(1);
  });
});

describe('the model skeleton', () => {
  test('runs its events in time order to the end of the run and refuses a second run', () => {
    const m = createModel({ simId: 't', seed: 1, params: {}, durationMs: 1000, sampleMs: 100, series: ['n'] as const, budget: 100 });
    const seen: number[] = [];
    m.queue.push(500, 0, 0);
    m.queue.push(200, 0, 1);
    m.queue.push(1500, 0, 2);
    const result = m.run((tMs, _k, arg) => {
      seen.push(arg);
      m.rec.add('n', tMs);
    });
    expect(seen).toEqual([1, 0]);
    expect(result.truncated).toBe(false);
    expect(() => m.run(() => {})).toThrow(/ran twice/);
    const trace = m.trace({ total: 2 });
    expect(Array.from(trace.series.n!)).toEqual([0, 0, 1, 0, 0, 1, 0, 0, 0, 0]);
    expect(trace.summary).toEqual({ total: 2 });
  });

  test('a budget that runs out gives a truncated trace with its message', () => {
    const m = createModel({ simId: 't', seed: 1, params: {}, durationMs: 10_000, sampleMs: 1000, series: [] as const, budget: 3 });
    for (let i = 0; i < 10; i++) m.queue.push(i * 100, 0, i);
    m.run(() => {});
    const trace = m.trace({});
    expect(trace.truncated).toBe(true);
    expect(trace.events).toBe(3);
    expect(trace.message).toMatch(/stopped at 0\.2 s after 3 events/);
  });
});

describe('per-sample latencies', () => {
  test('the run’s quantiles by selection are the sorted run’s percentiles, with the same per-sample series', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), { minLength: 1, maxLength: 12 }), (samples) => {
        const fill = (lat: SampleLatencies) => samples.forEach((values, i) => values.forEach((v) => lat.add(i, v)));
        const bySort = new SampleLatencies(samples.length, 4);
        const bySelection = new SampleLatencies(samples.length, 4);
        fill(bySort);
        fill(bySelection);
        const seriesOf = () => [new Float64Array(samples.length), new Float64Array(samples.length)];
        const sortSeries = seriesOf();
        const selectSeries = seriesOf();
        const all = bySort.finish([0.5, 0.99], sortSeries, 1000);
        const run = bySelection.finishQuantiles([0.5, 0.99], selectSeries, 1000);
        expect(run).toEqual([percentile(all, 0.5), percentile(all, 0.99)]);
        expect(selectSeries).toEqual(sortSeries);
      }),
      { numRuns: 300 },
    );
  });

  test('each sample gets the nearest-rank quantiles of its own values, and the run gets all of them sorted', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 30 }), { minLength: 1, maxLength: 20 }), (samples) => {
        const lat = new SampleLatencies(samples.length);
        samples.forEach((values, i) => values.forEach((v) => lat.add(i, v)));
        const p50 = new Float64Array(samples.length);
        const p99 = new Float64Array(samples.length);
        const all = lat.finish([0.5, 0.99], [p50, p99], 1000);
        expect(Array.from(all)).toEqual(samples.flat().sort((a, b) => a - b));
        samples.forEach((values, i) => {
          const sorted = [...values].sort((a, b) => a - b);
          // Nearest rank: the smallest value with at least q of the sample at or below it.
          const rank = (q: number) => sorted.find((v) => sorted.filter((w) => w <= v).length >= q * sorted.length);
          if (sorted.length === 0) expect(Number.isNaN(p50[i]!)).toBe(true);
          else {
            expect(p50[i]).toBe(rank(0.5)! / 1000);
            expect(p99[i]).toBe(rank(0.99)! / 1000);
          }
        });
      }),
    );
  });
});

describe('selecting a rank without sorting', () => {
  /** Arrays with many repeats, and the orders that defeat a naive pivot: sorted, reversed, all equal (no -0: it equals 0 under <). */
  const arbValues = fc.oneof(
    fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 400 }),
    fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => x + 0), { minLength: 1, maxLength: 400 }),
    fc.integer({ min: 1, max: 2000 }).map((n) => Array.from({ length: n }, (_, i) => i)),
    fc.integer({ min: 1, max: 2000 }).map((n) => Array.from({ length: n }, (_, i) => n - i)),
    fc.integer({ min: 1, max: 2000 }).map((n) => Array.from({ length: n }, () => 7)),
  );

  test('finds the value a sort puts at any index, within any range', () => {
    fc.assert(
      fc.property(arbValues, fc.nat(), fc.nat(), fc.nat(), (values, a, b, c) => {
        const lo = a % values.length;
        const hi = lo + 1 + (b % (values.length - lo));
        const k = lo + (c % (hi - lo));
        const arr = Float64Array.from(values);
        const expected = Float64Array.from(values.slice(lo, hi)).sort()[k - lo];
        expect(Object.is(selectKth(arr, k, lo, hi), expected)).toBe(true);
        // Only the range is reordered, and it keeps its values.
        expect(Array.from(arr.subarray(0, lo))).toEqual(values.slice(0, lo));
        expect(Array.from(arr.subarray(hi))).toEqual(values.slice(hi));
        expect(Array.from(arr.subarray(lo, hi).sort())).toEqual(Array.from(Float64Array.from(values.slice(lo, hi)).sort()));
      }),
      { numRuns: 500 },
    );
  });

  test('refuses an index outside its range', () => {
    expect(() => selectKth(new Float64Array(3), 3)).toThrow(/outside/);
  });
});

describe('pow2', () => {
  test('is exactly 2 to the power, for every whole power a double holds', () => {
    for (let n = -1074; n <= 1023; n++) expect(pow2(n)).toBe(2 ** n);
  });
});
