/**
 * A chart draws only the series its run has: the token-bucket lesson's per-client charts show the
 * clients that take part (as its picture does), each in the colour it has in the full list, in the
 * line, the page's legend, the data table and the exported figure's legend alike.
 */
import { describe, expect, test } from 'vitest';
import { normalizeParams, scenarioState, type Trace } from '../../sim/core/index.ts';
import { tokenBucket, type TokenBucketParams } from '../../sim/token-bucket/index.ts';
import { SERIES_STYLES } from '../../site/charts/palette.ts';
import { drawnSeries, renderChart, renderChartTable, renderLegend } from '../../site/panels/chart.ts';
import { standaloneChartSvg } from '../../site/panels/chart-export.ts';

const run = (overrides: Partial<TokenBucketParams>): Trace => {
  const base = scenarioState(tokenBucket, 'runaway');
  const { params } = normalizeParams(tokenBucket.params, { ...base.params, durationSec: 20, ...overrides }, base.params);
  return tokenBucket.run(params as TokenBucketParams, base.seed);
};
const admitted = tokenBucket.view.charts.find((c) => c.id === 'admitted')!;
const colourOf = (label: string) => SERIES_STYLES[admitted.series.findIndex((s) => s.label === label) % SERIES_STYLES.length]!.color;
const legendLabels = (html: string) => [...html.matchAll(/<\/svg>([^<]+)<\/li>/g)].map((m) => m[1]!);
const lineColours = (svg: string) => [...svg.matchAll(/<g class="series" style="--series:([^"]+)"/g)].map((m) => m[1]!);
const tableHeads = (html: string) => [...html.matchAll(/<th scope="col">([^<(]+) \(/g)].map((m) => m[1]!.trim()).filter((h) => h !== 'time');

describe('the series a run draws', () => {
  test.each([
    [{ clients: 3 }, ['client-1', 'client-2', 'client-3', 'runaway']],
    [{ clients: 4 }, ['client-1', 'client-2', 'client-3', 'client-4', 'runaway']],
    [{ clients: 1, runawayPerMin: 0 }, ['client-1']],
    [{ clients: 2, runawayPerMin: 600 }, ['client-1', 'client-2', 'runaway']],
  ] as const)('with %o: the clients that take part, in their own colours, everywhere the chart is shown', (overrides, expected) => {
    const trace = run(overrides);
    expect((trace.scene as unknown as { clients: string[] }).clients, 'the picture draws the same clients').toEqual(expected);
    expect(drawnSeries(admitted, trace.params).map((s) => s.label)).toEqual(expected);
    expect(legendLabels(renderLegend(admitted, trace.params))).toEqual(expected);
    expect(lineColours(renderChart(tokenBucket, admitted, trace, 10, { width: 600, height: 200 }))).toEqual(expected.map(colourOf));
    expect(tableHeads(renderChartTable(tokenBucket, admitted, trace, 10))).toEqual(expected);
    const figure = standaloneChartSvg(tokenBucket, admitted, trace, 10, 'test', { width: 960, height: 420 }, { link: 'https://example.org/' });
    for (const label of ['client-1', 'client-2', 'client-3', 'client-4', 'runaway']) {
      expect(figure.includes(`>${label}</text>`), `${label} in the exported legend`).toBe(expected.includes(label as never));
    }
  });
});
