import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { EventLog, finishTrace, hashTrace, type Trace } from '../../sim/core/trace.ts';
import { Hasher } from '../../sim/core/hash.ts';

function tinyTrace(): Omit<Trace, 'hash'> {
  return {
    simId: 'tiny',
    seed: 1,
    params: { a: 1, b: 'x' },
    durationMs: 2000,
    sampleMs: 1000,
    series: { q: new Float64Array([1, 2]), r: new Float64Array([NaN, 0.5]) },
    log: [{ tMs: 10, kind: 'k', text: 'hello' }],
    logSuppressed: 0,
    summary: { total: 3 },
    events: 5,
    truncated: false,
  };
}

describe('trace hash', () => {
  test('is stable: this exact tiny trace always hashes to the same value', () => {
    expect(finishTrace(tinyTrace()).hash).toMatchInlineSnapshot(`"b7bc8d72da27ccde"`);
  });

  test('does not depend on the order of keys', () => {
    const a = tinyTrace();
    const b = { ...tinyTrace(), params: { b: 'x', a: 1 }, series: { r: a.series.r!, q: a.series.q! } };
    expect(hashTrace(b)).toBe(hashTrace(a));
  });

  test.each([
    ['a series value', (t: Omit<Trace, 'hash'>) => { t.series.q![1] = 2.0000000001; }],
    ['a log line', (t: Omit<Trace, 'hash'>) => { t.log[0]!.text = 'hellO'; }],
    ['a summary number', (t: Omit<Trace, 'hash'>) => { t.summary.total = 4; }],
    ['the seed', (t: Omit<Trace, 'hash'>) => { t.seed = 2; }],
    ['a parameter', (t: Omit<Trace, 'hash'>) => { t.params.a = 2; }],
  ])('changes when %s changes', (_what, mutate) => {
    const t = tinyTrace();
    mutate(t);
    expect(hashTrace(t)).not.toBe(hashTrace(tinyTrace()));
  });

  test('treats every NaN bit pattern alike', () => {
    const bits = new DataView(new ArrayBuffer(8));
    bits.setUint32(0, 0x7ff80001, false);
    const otherNaN = bits.getFloat64(0, false);
    expect(new Hasher().number(NaN).digest()).toBe(new Hasher().number(otherNaN).digest());
  });
});

describe('hashing a picture (Hasher.json)', () => {
  const h = (v: unknown) => new Hasher().json(v).digest();

  test.each([
    ['nesting', [1, [2]], [[1], 2]],
    ['an array split differently', [[1, 2], [3]], [[1], [2, 3]]],
    ['where an array ends', [[1], 2], [[1, 2]]],
    ['where an object ends', [{ a: 1 }, 2], [{ a: 1, b: 2 }]],
    ['a number and its text', [15], ['15']],
    ['a whole number and a fraction', [1], [1.0000001]],
    ['zero and minus zero', [0], [-0]],
    ['a large whole number and its low bits', [2 ** 32 + 5], [5]],
    ['true and 1', [true], [1]],
    ['null and 0', [null], [0]],
    ['an empty array and an empty object', [], {}],
    ['a key and its value swapped', { a: 'b' }, { b: 'a' }],
    ['a value moved to another key', { a: 1, b: 2 }, { a: 2, b: 1 }],
  ])('tells apart %s', (_what, a, b) => {
    expect(h(a)).not.toBe(h(b));
  });

  test('tells apart a small whole number from every other kind of item in an array', () => {
    const items: unknown[] = [...Array.from({ length: 17 }, (_, n) => n), null, true, false, '', [], {}];
    expect(new Set(items.map((item) => h([item]))).size).toBe(items.length);
  });

  test('agrees with JSON where JSON says two values are the same', () => {
    // A key whose value is undefined is left out, and an array's undefined is its null, as JSON.stringify writes them.
    expect(h({ a: 1, b: undefined })).toBe(h({ a: 1 }));
    expect(h([undefined, 1])).toBe(h([null, 1]));
  });

  test('is the hash of what the value holds: equal JSON, equal hash (property)', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(json, (v) => {
        // A copy through JSON text: the same value, built anew (but -0 comes back 0, which the hash keeps apart).
        fc.pre(!hasMinusZero(v));
        expect(h(JSON.parse(JSON.stringify(v)))).toBe(h(v));
      }),
    );
  });

  test('tells apart values whose JSON differs (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.jsonValue({ maxDepth: 3 }), (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b));
        expect(h(a)).not.toBe(h(b));
      }),
    );
  });

  test('refuses what is not JSON', () => {
    expect(() => h([1n])).toThrow(/bigint is not a JSON value/);
  });
});

function hasMinusZero(v: unknown): boolean {
  if (typeof v === 'number') return Object.is(v, -0);
  if (Array.isArray(v)) return v.some(hasMinusZero);
  if (v !== null && typeof v === 'object') return Object.values(v).some(hasMinusZero);
  return false;
}

describe('event log', () => {
  test('keeps at most N lines of a kind per simulated second, and counts the rest', () => {
    const log = new EventLog({ perKindPerWindow: 2, total: 100 });
    for (let i = 0; i < 5; i++) log.write(100 + i, 'drop', `d${i}`);
    log.write(150, 'accept', 'a0');
    log.write(1100, 'drop', 'next second');
    expect(log.lines.map((l) => l.text)).toEqual(['d0', 'd1', 'a0', 'next second']);
    expect(log.suppressed).toBe(3);
  });

  test('stops at its total limit', () => {
    const log = new EventLog({ perKindPerWindow: 1000, total: 10 });
    for (let i = 0; i < 50; i++) log.write(i, 'x', String(i));
    expect(log.lines).toHaveLength(10);
    expect(log.suppressed).toBe(40);
  });

  test('spreads its total over the run it is given: a busy start leaves lines for the end', () => {
    // 100 windows of a second, 200 lines wanted in each, room for 400 in all: a quarter at once, then 3 a second.
    const log = new EventLog({ perKindPerWindow: 1000, total: 400 }, 100_000);
    for (let s = 0; s < 100; s++) for (let i = 0; i < 200; i++) log.write(s * 1000 + i, 'k', `${s}.${i}`);
    expect(log.lines).toHaveLength(400);
    const perSecond = Array.from({ length: 100 }, (_, s) => log.lines.filter((l) => Math.floor(l.tMs / 1000) === s).length);
    expect(perSecond[0]).toBe(100 + 3);
    expect(perSecond.slice(1).every((n) => n === 3)).toBe(true);
    expect(log.suppressed).toBe(100 * 200 - 400);
  });

  test('never holds more than its share of the total by the end of a window, and has lines in the last window of a busy run', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 500 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 59_999 }), fc.integer({ min: 0, max: 3 })), { maxLength: 400 }),
        (windows, total, writes) => {
          const runMs = windows * 1000;
          const log = new EventLog({ perKindPerWindow: 1000, total }, runMs);
          const times = writes.map(([t]) => t % runMs).sort((a, b) => a - b);
          times.forEach((t, i) => log.write(t, `k${writes[i]![1]}`, String(t)));
          const burst = Math.floor(total / 4);
          for (let w = 0; w < windows; w++) {
            const held = log.lines.filter((l) => Math.floor(l.tMs / 1000) <= w).length;
            expect(held).toBeLessThanOrEqual(Math.min(total, burst + Math.floor(((total - burst) * (w + 1)) / windows)));
          }
          expect(log.lines.length + log.suppressed).toBe(times.length);
          // The end's allowance is never spent before the end: a line offered in the last window is kept
          // whenever the spread gives every window at least one line.
          const offeredLast = times.some((t) => Math.floor(t / 1000) === windows - 1);
          if (offeredLast && total - burst >= windows) expect(log.lines.some((l) => Math.floor(l.tMs / 1000) === windows - 1)).toBe(true);
        },
      ),
    );
  });
});
