/**
 * The read path skips XFetch's logarithm when no draw could make a read recompute (xfetchOutOfReach).
 * That is exact only if the bound covers the smallest u the PRNG's nextOpen gives, (0 + 1) / 2^32.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { xfetchOutOfReach, xfetchRecomputes } from '../../sim/cache-stampede/xfetch.ts';

const SMALLEST_U = 1 / 2 ** 32;

describe('XFetch out of reach', () => {
  test('when a read is out of reach, no u in [2^-32, 1] recomputes, the smallest included', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 300_000, noNaN: true }),
        fc.double({ min: 0, max: 30, noNaN: true }),
        fc.double({ min: 0, max: 60_000, noNaN: true }),
        fc.constantFrom(0.5, 1, 1.5, 2, 3),
        fc.double({ min: SMALLEST_U, max: 1, noNaN: true }),
        (nowMs, gapInDeltas, deltaMs, beta, u) => {
          const expiryMs = nowMs + deltaMs * beta * gapInDeltas;
          if (!xfetchOutOfReach(nowMs, expiryMs, deltaMs, beta)) return;
          expect(xfetchRecomputes(nowMs, expiryMs, deltaMs, beta, SMALLEST_U)).toBe(false);
          expect(xfetchRecomputes(nowMs, expiryMs, deltaMs, beta, u)).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('a bound of 22 deltas would be wrong: the smallest u still recomputes 22 deltas before expiry', () => {
    expect(xfetchRecomputes(10_000, 10_000 + 300 * 22, 300, 1, SMALLEST_U)).toBe(true);
    expect(xfetchOutOfReach(10_000, 10_000 + 300 * 22, 300, 1)).toBe(false);
  });

  test('far from expiry a read is out of reach, so most reads of a fresh key skip the logarithm', () => {
    expect(xfetchOutOfReach(0, 10_000, 300, 1)).toBe(true);
  });
});
