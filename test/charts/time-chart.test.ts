import { describe, expect, test } from 'vitest';
import { renderTimeChart } from '../../site/charts/time-chart.ts';

const ticks = (svg: string) => [...svg.matchAll(/<text class="tick" x="42" [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
const base = { width: 600, height: 170, sampleSec: 1, durationSec: 10, cursorSec: 5, unit: 's', id: 't', title: 'T', description: 'D' };

describe('time chart', () => {
  test.each([
    [[0.05, 0.12, 0.2], ['0.00', '0.05', '0.10', '0.15', '0.20', '0.25']],
    [[0.3, 0.9], ['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']],
    [[120, 900], ['0', '200', '400', '600', '800', '1,000']],
  ])('y ticks for data %o are distinct and readable: %o', (values, expected) => {
    const svg = renderTimeChart([{ label: 'a', values }], base);
    expect(ticks(svg)).toEqual(expected);
  });

  test('a missing value (NaN) breaks the line instead of drawing it to zero', () => {
    const svg = renderTimeChart([{ label: 'a', values: [1, 2, NaN, NaN, 3, 4] }], { ...base, durationSec: 6 });
    const d = /class="past" d="([^"]+)"/.exec(svg)![1]!;
    expect(d.match(/M/g)).toHaveLength(2);
  });

  test('the cursor and the clip of the past sit at the cursor time', () => {
    const svg = renderTimeChart([{ label: 'a', values: [1, 2, 3] }], { ...base, durationSec: 10, cursorSec: 0 });
    expect(svg).toContain('<rect class="past-clip" x="0" y="0" width="48.0"');
  });

  test('text in labels is escaped', () => {
    const svg = renderTimeChart([{ label: 'a', values: [1] }], { ...base, title: '<script>', limits: [{ value: 1, label: 'a&b' }] });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('a&#38;b');
  });
});
