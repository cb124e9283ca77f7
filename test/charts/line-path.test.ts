import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { line } from 'd3-shape';
import { linePath } from '../../site/charts/time-chart.ts';

const point = fc.record({
  x: fc.double({ min: -1e4, max: 1e4, noNaN: true }),
  y: fc.double({ min: -1e4, max: 1e4, noNaN: true }),
  ok: fc.boolean(),
});

describe('a series’ path', () => {
  it('is what d3-shape’s linear line writes, gaps, lone points and rounding included', () => {
    fc.assert(
      fc.property(fc.array(point, { maxLength: 40 }), fc.integer({ min: 0, max: 3 }), (points, digits) => {
        const d3 = line<{ x: number; y: number; ok: boolean }>()
          .defined((p) => p.ok)
          .x((p) => p.x)
          .y((p) => p.y)
          .digits(digits);
        expect(linePath(points, digits)).toBe(d3(points) ?? '');
      }),
      { numRuns: 2000 },
    );
  });

  it('breaks at a missing sample and closes a lone point so it still shows', () => {
    const pts = [
      { x: 0, y: 1, ok: true },
      { x: 1, y: 2.26, ok: true },
      { x: 2, y: 0, ok: false },
      { x: 3, y: 4, ok: true },
    ];
    expect(linePath(pts, 1)).toBe('M0,1L1,2.3M3,4Z');
  });
});
