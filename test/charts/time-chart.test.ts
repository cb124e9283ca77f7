import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { flatRunsJoined, renderTimeChart } from '../../site/charts/time-chart.ts';
import { textWidthPx } from '../../site/charts/text-width.ts';

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

  test('a band shades each run of samples above zero, from the start of its first sample to the end of its last', () => {
    const svg = renderTimeChart([{ label: 'a', values: [1, 1, 1, 1, 1, 1] }], {
      ...base,
      durationSec: 6,
      bands: [{ label: 'down', values: [0, 1, 1, 0, 1, 0] }],
    });
    const rects = [...svg.matchAll(/<rect class="band" x="([\d.]+)" y="\d+" width="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    // x runs from 48 to 586 over 6 s: about 89.67 px a second.
    expect(rects).toHaveLength(2);
    expect(rects[0]![0]).toBeCloseTo(48 + 538 / 6, 0);
    expect(rects[0]![1]).toBeCloseTo((2 * 538) / 6, 0);
    expect(rects[1]![0]).toBeCloseTo(48 + (4 * 538) / 6, 0);
  });

  test('the last x tick carries the time unit', () => {
    const hours = renderTimeChart([{ label: 'a', values: [1] }], { ...base, durationSec: 24, timeUnit: 'h' });
    expect(hours).toMatch(/>20 h<\/text>/);
    expect(renderTimeChart([{ label: 'a', values: [1] }], base)).toMatch(/>10 s<\/text>/);
  });

  test('flat runs keep only their ends, so the line drawn is the same: every dropped point lies on the segment that replaces it', () => {
    const value = fc.oneof(fc.constantFrom(0, 0, 0, 5, NaN), fc.integer({ min: 0, max: 9 }));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 60 }), (values) => {
        const points = values.map((v, i) => ({ x: i * 10, y: v, ok: Number.isFinite(v) }));
        const kept = flatRunsJoined(points);
        if (points.length > 0) {
          expect(kept[0]).toBe(points[0]);
          expect(kept.at(-1)).toBe(points.at(-1));
        }
        // Gaps (missing values) are never removed, so the line still breaks where it did.
        expect(kept.filter((p) => !p.ok)).toEqual(points.filter((p) => !p.ok));
        for (const p of points) {
          if (kept.includes(p)) continue;
          const before = kept.filter((k) => k.x < p.x).at(-1)!;
          const after = kept.find((k) => k.x > p.x)!;
          expect([before.ok, after.ok, before.y, after.y]).toEqual([true, true, p.y, p.y]);
        }
      }),
    );
  });

  test('a long flat run is one segment, and coordinates carry one decimal', () => {
    const svg = renderTimeChart([{ label: 'a', values: [0, ...Array(500).fill(3), 0] }], { ...base, durationSec: 502 });
    const d = /class="past" d="([^"]+)"/.exec(svg)![1]!;
    expect(d.split('L')).toHaveLength(4);
    expect(d).not.toMatch(/\.\d\d/);
  });
});

describe('what the time chart draws for the reader', () => {
  const yTickTexts = (svg: string) => [...svg.matchAll(/<text class="tick" [^>]*text-anchor="end">([^<]*)<\/text>/g)].map((m) => m[1]!);

  test('a chart whose values are all whole numbers (a count) has only whole-number ticks', () => {
    const svg = renderTimeChart([{ label: 'sockets', values: [0, 2, 2, 0] }], { ...base, durationSec: 4, unit: 'sockets' });
    expect(yTickTexts(svg)).toEqual(['0', '1', '2']);
  });

  test('a chart of measurements keeps its fractional ticks', () => {
    const svg = renderTimeChart([{ label: 'load', values: [0.3, 1.7, 2.1] }], { ...base, durationSec: 3 });
    expect(yTickTexts(svg)).toContain('0.5');
  });

  test('no data series is dashed; every series after the first carries markers of its own shape', () => {
    const noisy = Array.from({ length: 60 }, (_, i) => (i * 7919) % 13);
    const svg = renderTimeChart(
      [0, 1, 2].map((k) => ({ label: `s${k}`, values: noisy.map((v) => v + k) })),
      { ...base, durationSec: 60, limits: [{ value: 20, label: 'cap' }] },
    );
    const groups = [...svg.matchAll(/<g class="series"[^>]*>(.*?)<\/g>/g)].map((m) => m[1]!);
    expect(groups).toHaveLength(3);
    for (const g of groups) expect(g).not.toContain('stroke-dasharray');
    // One group of markers for each series after the first, in that series' colour.
    const marks = [...svg.matchAll(/<g class="series-marks" fill="([^"]+)"><path class="future" d="([^"]+)"/g)].map((m) => ({ color: m[1], d: m[2]! }));
    const colours = [...svg.matchAll(/<g class="series" style="--series:([^"]+)"/g)].map((m) => m[1]);
    expect(marks.map((m) => m.color)).toEqual(colours.slice(1));
    expect(marks[0]!.d).toMatch(/a3\.5/); // circles
    expect(marks[1]!.d).toMatch(/h7\.0v7\.0/); // squares
  });

  test('with a wall clock, the x ticks read as times of day at whole hours that divide a day, and none overlap', () => {
    for (const width of [320, 600]) {
      const svg = renderTimeChart([{ label: 'a', values: [1, 2, 3] }], {
        ...base,
        width,
        sampleSec: 8,
        durationSec: 24,
        timeUnit: 'h',
        timeLabel: (t) => `D ${String((18 + t) % 24).padStart(2, '0')}:00`,
        timeSteps: [1, 2, 3, 6, 12, 24],
      });
      const labels = [...svg.matchAll(/<text class="tick" x="([\d.]+)" [^>]*text-anchor="middle">([^<]*)<\/text>/g)].map((m) => ({ x: Number(m[1]), text: m[2]! }));
      expect(labels[0]!.text).toBe('D 18:00');
      expect(labels.length).toBeGreaterThan(1);
      const hours = labels.map((l) => Number(l.text.slice(2, 4)));
      const steps = new Set(hours.slice(1).map((h, i) => (h - hours[i]! + 24) % 24));
      expect(steps.size).toBe(1);
      expect(24 % [...steps][0]!).toBe(0);
      for (let i = 1; i < labels.length; i++) {
        expect(labels[i]!.x - labels[i - 1]!.x).toBeGreaterThan(textWidthPx(labels[i]!.text, 12));
      }
    }
  });
});
