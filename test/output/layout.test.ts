/**
 * Exported figures keep their words apart and inside the drawing: the title, the subtitle, the
 * legend, the chart titles and the caption never overlap one another or a chart or picture, and
 * no word (a chart's ticks and limits included) leaves the viewBox. Checked for every chart of
 * every lesson as a standalone figure, and for each lesson's picture-and-chart figure, in both
 * themes and at a narrow and a wide size.
 */
import { describe, expect, test } from 'vitest';
import { scenarioState, type AnySimulation } from '../../sim/core/index.ts';
import { simulations } from '../../sim/index.ts';
import { standaloneChartSvg } from '../../site/panels/chart-export.ts';
import { figureLayout, figureSvg } from '../../site/export/compose.ts';
import { defaultPanels } from '../../site/export/animation-options.ts';
import { pictureOf } from '../../scripts/export-gif.ts';
import { layoutProblems as problems } from './svg-text-boxes.ts';

const traceOf = (sim: AnySimulation) => {
  const s = scenarioState(sim, sim.scenarios[0]!.id);
  return { trace: sim.run(s.params, s.seed), scenario: sim.scenarios[0]! };
};
const LONG_LINK = `https://training.example.net/opslab/articles/syn-queue/?scenario=fastmail-2002&tcp_max_syn_backlog=2048&backlog=1024&tcp_syncookies=1&t=42#sim`;

describe.each(Object.values(simulations))('$id', (sim) => {
  const { trace, scenario } = traceOf(sim);
  const t = trace.durationMs / 1000 / 2;

  test.each(['light', 'projector'] as const)('every chart as a figure, %s: no word overlaps another or leaves the drawing, at 960×420 and 480×360', (theme) => {
    for (const spec of sim.view.charts) {
      for (const size of [{ width: 960, height: 420 }, { width: 480, height: 360 }]) {
        const svg = standaloneChartSvg(sim, spec, trace, t, scenario.title, size, { theme, link: LONG_LINK });
        expect(problems(svg, theme), `${spec.id} at ${size.width}`).toEqual([]);
      }
    }
  });

  test.each(['light', 'projector'] as const)('the picture and first chart as one figure, %s: no word overlaps another or leaves the drawing', async (theme) => {
    const panels = defaultPanels(sim);
    for (const widthPx of [480, 1280]) {
      const input = { sim, trace, scenarioTitle: scenario.title, panels, theme, widthPx, link: LONG_LINK, ...(await pictureOf(sim, trace, panels)) };
      const svg = figureSvg(input, figureLayout(input, t), t);
      expect(problems(svg, theme), `at ${widthPx}`).toEqual([]);
    }
  });
});

test('the check finds a title that runs into its subtitle and a label past the edge', () => {
  const svg =
    `<svg viewBox="0 0 300 100"><text class="x-title" x="10" y="30">A long title of the chart</text>` +
    `<text class="x-subtitle" x="290" y="30" text-anchor="end">and its subtitle</text><text class="x-caption" x="280" y="90">edge</text></svg>`;
  expect(problems(svg, 'light')).toEqual(['“edge” leaves the drawing', '“A long title of the chart” overlaps “and its subtitle”']);
});
