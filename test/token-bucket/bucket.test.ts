import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { fullBucket, levelAt, take, type BucketSpec, type BucketState } from '../../sim/token-bucket/bucket.ts';

/**
 * The same limiter in exact integer arithmetic: with whole-millisecond
 * arrivals and a rate in tokens per minute, a level counted in sixty-
 * thousandths of a token never needs rounding.
 */
function exactDecisions(ratePerMin: number, burst: number, arrivalsMs: number[]): boolean[] {
  const unit = 60_000n;
  const cap = BigInt(burst) * unit;
  let level = cap;
  let lastMs = 0n;
  return arrivalsMs.map((atMs) => {
    const now = BigInt(atMs);
    level += (now - lastMs) * BigInt(ratePerMin);
    if (level > cap) level = cap;
    lastMs = now;
    if (level >= unit) {
      level -= unit;
      return true;
    }
    return false;
  });
}

function run(spec: BucketSpec, arrivalsMs: number[]) {
  let state: BucketState = fullBucket(spec);
  return arrivalsMs.map((atMs) => {
    const result = take(spec, state, atMs);
    state = result.state;
    return result;
  });
}

const arrivals = fc
  .array(fc.integer({ min: 0, max: 3_000 }), { minLength: 1, maxLength: 400 })
  .map((gaps) => gaps.reduce<number[]>((acc, gap) => [...acc, (acc.at(-1) ?? 0) + gap], []));

describe('token bucket', () => {
  test('allows exactly what exact arithmetic allows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 200 }), arrivals, (ratePerMin, burst, arrivalsMs) => {
        const spec = { ratePerSec: ratePerMin / 60, burst };
        expect(run(spec, arrivalsMs).map((r) => r.allowed)).toEqual(exactDecisions(ratePerMin, burst, arrivalsMs));
      }),
    );
  });

  test('the level stays within [0, burst] and never lets more through than burst + rate × time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 200 }), arrivals, (ratePerMin, burst, arrivalsMs) => {
        const spec = { ratePerSec: ratePerMin / 60, burst };
        let state = fullBucket(spec);
        let allowed = 0;
        for (const atMs of arrivalsMs) {
          const result = take(spec, state, atMs);
          state = result.state;
          if (result.allowed) allowed++;
          expect(state.tokens).toBeGreaterThanOrEqual(0);
          expect(state.tokens).toBeLessThanOrEqual(burst);
          expect(levelAt(spec, state, atMs + 1e9)).toBe(burst);
          expect(allowed).toBeLessThanOrEqual(burst + Math.floor((atMs * ratePerMin) / 60_000));
        }
      }),
    );
  });

  test('the source runaway client: 10,000 a minute against 100 a minute gets 100 a minute once the burst is spent', () => {
    const spec = { ratePerSec: 100 / 60, burst: 100 };
    const arrivalsMs = Array.from({ length: 10_000 * 3 }, (_, i) => i * 6); // three minutes, one every 6 ms
    const allowedAt = run(spec, arrivalsMs)
      .map((r, i) => (r.allowed ? arrivalsMs[i]! : -1))
      .filter((t) => t >= 0);
    const inMinute = (m: number) => allowedAt.filter((t) => t >= m * 60_000 && t < (m + 1) * 60_000).length;
    // The full bucket plus a minute of refill (exact arithmetic says the same, checked above).
    expect(inMinute(0)).toBe(exactDecisions(100, 100, arrivalsMs.filter((t) => t < 60_000)).filter(Boolean).length);
    expect(inMinute(0)).toBeGreaterThanOrEqual(199);
    expect(inMinute(1)).toBe(100);
    expect(inMinute(2)).toBe(100);
    // In the steady state a token completes every 600 ms, exactly on every hundredth request.
    const steady = allowedAt.filter((t) => t >= 60_000);
    expect(steady.slice(1).map((t, i) => t - steady[i]!)).toEqual(Array(steady.length - 1).fill(600));
  });

  test('after a refusal, the advertised wait is exactly long enough', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6_000 }), fc.integer({ min: 1, max: 50 }), (ratePerMin, burst) => {
        const spec = { ratePerSec: ratePerMin / 60, burst };
        let state = fullBucket(spec);
        for (let i = 0; i < burst; i++) state = take(spec, state, 0).state;
        const refused = take(spec, state, 0);
        expect(refused.allowed).toBe(false);
        expect(refused.remaining).toBe(0);
        expect(refused.nextTokenInMs).toBeCloseTo(60_000 / ratePerMin, 6);
        expect(refused.fullInMs).toBeCloseTo((burst * 60_000) / ratePerMin, 6);
        expect(take(spec, refused.state, refused.nextTokenInMs).allowed).toBe(true);
        expect(take(spec, refused.state, refused.nextTokenInMs * 0.999).allowed).toBe(false);
      }),
    );
  });

  test('hand-checked trace: 2 tokens a second, burst 3', () => {
    // Worked by hand from tokens = min(burst, tokens + elapsed × rate), one token per request:
    //  t=0     3 → allow, 2 left      t=0     2 → allow, 1      t=0    1 → allow, 0
    //  t=100   0.2 → deny             t=500   1.0 → allow, 0    t=600  0.2 → deny
    //  t=5000  capped at 3 (not 8.8) → allow, 2                 t=5000 2 → cost 3 denied, nothing spent
    //  t=5000  2 → cost 2 allowed, 0  t=5000  0 → cost 4 > burst: denied even later
    const spec = { ratePerSec: 2, burst: 3 };
    const trace: Array<[number, number, boolean, number]> = [
      [0, 1, true, 2],
      [0, 1, true, 1],
      [0, 1, true, 0],
      [100, 1, false, 0],
      [500, 1, true, 0],
      [600, 1, false, 0],
      [5_000, 1, true, 2],
      [5_000, 3, false, 2],
      [5_000, 2, true, 0],
      [60_000, 4, false, 3],
    ];
    let state = fullBucket(spec);
    for (const [atMs, cost, allowed, remaining] of trace) {
      const result = take(spec, state, atMs, cost);
      expect([atMs, cost, result.allowed, result.remaining]).toEqual([atMs, cost, allowed, remaining]);
      state = result.state;
    }
  });

  test('a full bucket reports no wait and does not overfill', () => {
    const spec = { ratePerSec: 10, burst: 5 };
    const first = take(spec, fullBucket(spec), 0);
    expect(first.remaining).toBe(4);
    expect(first.nextTokenInMs).toBeCloseTo(100, 9);
    expect(levelAt(spec, first.state, 10_000)).toBe(5);
    const later = take(spec, first.state, 10_000);
    expect(later.remaining).toBe(4);
  });
});
