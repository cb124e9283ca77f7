import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scaleLinear } from 'd3-scale';
import { linearScale, niceDomain } from '../../site/charts/linear-scale.ts';

// Subnormal numbers are left out: d3-array's ticks() itself throws on a domain that narrow.
const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }).filter((v) => v === 0 || Math.abs(v) > 1e-300);
const pair = fc.tuple(finite, finite);

describe('the charts’ linear scale', () => {
  it('maps, inverts and ticks exactly as d3-scale’s scaleLinear, for any domain and range', () => {
    fc.assert(
      fc.property(pair, pair, finite, fc.integer({ min: 1, max: 12 }), (domain, range, value, count) => {
        const d3 = scaleLinear().domain(domain).range(range);
        const ours = linearScale(domain, range);
        expect(ours(value)).toBe(d3(value));
        expect(ours.invert(value)).toBe(d3.invert(value));
        expect(ours.ticks(count)).toEqual(d3.ticks(count));
        expect(ours.range()).toEqual(d3.range());
      }),
      { numRuns: 3000 },
    );
  });

  it('widens a domain to round steps exactly as d3-scale’s nice()', () => {
    fc.assert(
      fc.property(pair, fc.integer({ min: 1, max: 12 }), (domain, count) => {
        expect(niceDomain(domain, count)).toEqual(scaleLinear().domain(domain).nice(count).domain());
      }),
      { numRuns: 3000 },
    );
    // A queue that peaked at 769 entries, drawn with a little headroom: the axis runs to 1,000.
    expect(niceDomain([0, 769 * 1.08], 4)).toEqual([0, 1000]);
  });
});
