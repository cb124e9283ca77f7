/**
 * Labels read as data: every label's estimated width (site/charts/text-width.ts) against the room
 * the drawing gives it, for every chart of every lesson, at a phone's width (a 360 px page leaves
 * the chart about 320 px) and at 600 px, with the tick labels at the page's size and the
 * projector's.
 */
import { describe, expect, test } from 'vitest';
import { describeMachine, scenarioState } from '../../sim/core/index.ts';
import { simulations } from '../../sim/index.ts';
import { backupMx } from '../../sim/backup-mx/index.ts';
import { textWidthPx } from '../../site/charts/text-width.ts';
import { renderStateDiagram } from '../../site/charts/state-diagram.ts';
import { renderChart } from '../../site/panels/chart.ts';

interface Label { x: number; anchor: string; text: string }
const labelsIn = (svg: string): Label[] =>
  [...svg.matchAll(/<text class="tick" x="([-\d.]+)" [^>]*text-anchor="(end|middle)">([^<]*)<\/text>/g)].map((m) => ({ x: Number(m[1]), anchor: m[2]!, text: m[3]! }));
const plotLeft = (svg: string) => Number(/<line class="axis" x1="([\d.]+)"/.exec(svg)![1]);

const charts = Object.values(simulations).flatMap((sim) => {
  const state = scenarioState(sim, sim.scenarios[0]!.id);
  const trace = sim.run(state.params, state.seed);
  return sim.view.charts.map((spec) => ({ name: `${sim.id}/${spec.id}`, sim, spec, trace }));
});
const cases = charts.flatMap((c) => [320, 600].flatMap((width) => [12, 15].map((fontPx) => [c.name, width, fontPx, c] as const)));

describe('chart labels have room', () => {
  test.each(cases)('%s at %i px wide, ticks at %i px: y labels end before the plot and inside the drawing, x labels apart', (_name, width, fontPx, c) => {
    const svg = renderChart(c.sim, c.spec, c.trace, c.trace.durationMs / 1000, { width, height: 170 }, false, fontPx);
    const labels = labelsIn(svg);
    const left = plotLeft(svg);
    for (const l of labels.filter((l) => l.anchor === 'end')) {
      expect(l.x - textWidthPx(l.text, fontPx), `${l.text}`).toBeGreaterThanOrEqual(0);
      expect(l.x, `${l.text}`).toBeLessThan(left);
    }
    const xs = labels.filter((l) => l.anchor === 'middle');
    for (const l of xs) {
      expect(l.x - textWidthPx(l.text, fontPx) / 2, `${l.text}`).toBeGreaterThanOrEqual(0);
      expect(l.x + textWidthPx(l.text, fontPx) / 2, `${l.text}`).toBeLessThanOrEqual(width);
    }
    for (let i = 1; i < xs.length; i++) {
      const gap = xs[i]!.x - xs[i - 1]!.x - (textWidthPx(xs[i]!.text, fontPx) + textWidthPx(xs[i - 1]!.text, fontPx)) / 2;
      expect(gap, `${xs[i - 1]!.text} | ${xs[i]!.text}`).toBeGreaterThan(4);
    }
  });
});

describe('a run with a wall clock', () => {
  test('the backup-MX charts’ time axis reads wall time, from the run’s start on Monday at 18:00', () => {
    const c = charts.find((c) => c.sim === backupMx)!;
    const svg = renderChart(c.sim, c.spec, c.trace, 0, { width: 600, height: 170 });
    const xs = labelsIn(svg).filter((l) => l.anchor === 'middle').map((l) => l.text);
    expect(xs[0]).toBe('Mon 18:00');
    for (const text of xs) expect(text).toMatch(/^(Mon|Tue|Wed|Thu) \d\d:00$/);
  });
});

/** Each state's box and the lines of its label (each tspan, or the whole text), from the SVG as drawn. */
function statesIn(svg: string) {
  return [...svg.matchAll(/<g class="state[^"]*" data-state="([^"]+)"[^>]*><rect width="([\d.]+)" height="([\d.]+)"[^>]*\/><text class="state-label"([^>]*)>(.*?)<\/text>/g)].map((m) => {
    const inner = m[5]!;
    const tspans = [...inner.matchAll(/<tspan ([^>]*)>([^<]*)<\/tspan>/g)].map((t) => ({ attrs: t[1]!, text: t[2]! }));
    return { id: m[1]!, w: Number(m[2]), h: Number(m[3]), lines: tspans.length > 0 ? tspans : [{ attrs: m[4]!, text: inner }] };
  });
}

const machines = Object.values(simulations).flatMap((sim) => Object.entries(sim.machines).map(([key, m]) => [`${sim.id}/${key}`, describeMachine(m)] as const));

describe('state labels fit their boxes', () => {
  // The diagram is scaled as a whole to the panel's width (360 px phone or 600 px), so a label that fits its box at full scale fits at any.
  test.each(machines)('%s: every line of every label, at the projector’s 13 px bold, fits inside its box with room to spare, or is squeezed to it', (_name, info) => {
    for (const vertical of [false, true]) {
      const states = statesIn(renderStateDiagram(info, { id: 'd', title: 't', vertical, counts: {} }));
      expect(states).toHaveLength(info.states.length);
      for (const s of states) {
        for (const line of s.lines) {
          const squeezed = /textLength="([\d.]+)"/.exec(line.attrs);
          const width = squeezed ? Number(squeezed[1]) : textWidthPx(line.text, 13, true);
          expect(width, `${s.id}: ${line.text}`).toBeLessThanOrEqual(s.w - 12);
        }
        const ys = s.lines.map((l) => Number(/\by="([\d.]+)"/.exec(l.attrs)?.[1] ?? 18));
        // The count's line sits under the label's last line, inside the box.
        expect(Math.max(...ys) + 13, s.id).toBeLessThanOrEqual(s.h - 9);
      }
    }
  });
});
