/** The time charts: one figure per chart in the view, with its legend, its data table and its download buttons. */
import { clockOf, type AnySimulation, type ChartSeriesSpec, type ChartSpec, type ParamValues, type Trace } from '../../sim/core/index.ts';
import { esc, fmt } from '../charts/escape.ts';
import { markPath } from '../charts/marks.ts';
import { SERIES_STYLES } from '../charts/palette.ts';
import { chartGeometry, cursorX, renderTimeChart } from '../charts/time-chart.ts';
import { sampleIndex, type ChartSize, type PanelFrame, type PanelKind } from './frame.ts';

/** The values a chart draws for one of its series: the trace's own, or their running total when the spec asks. */
export function chartValues(trace: Trace, s: ChartSpec['series'][number]): Float64Array {
  const values = trace.series[s.key] ?? new Float64Array(0);
  if (!s.runningTotal) return values;
  const sums = new Float64Array(values.length);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i]!)) total += values[i]!;
    sums[i] = total;
  }
  return sums;
}

/** Wall-clock ticks fall on whole hours that divide a day, so a run starting at 18:00 reads 18:00, 00:00, 06:00. */
const WALL_STEP_HOURS = [1, 2, 3, 6, 12, 24, 48];

/**
 * The series a run draws, each with its place in the style table: those its parameters have (see
 * ChartSeriesSpec.shownWhen), keeping the colour and markers each has in the full list, so a client
 * keeps its colour whether or not the one before it takes part.
 */
export function drawnSeries(spec: ChartSpec, params: ParamValues): (ChartSeriesSpec & { style: number })[] {
  return spec.series.flatMap((s, style) => (s.shownWhen === undefined || s.shownWhen(params) ? [{ ...s, style }] : []));
}

/**
 * `staticFrame`: the page as built, drawn once (see renderTimeChart). `tickFontPx`: the size the
 * page's stylesheet gives tick labels (larger in projector mode).
 */
export function renderChart(sim: AnySimulation, spec: ChartSpec, trace: Trace, tSec: number, size: ChartSize, staticFrame = false, tickFontPx?: number, domId: string = sim.id): string {
  // A run's first part: lines only as far as it was computed (the zeros after are not data).
  const computed = trace.computedToSec === undefined ? Infinity : Math.round((trace.computedToSec * 1000) / trace.sampleMs);
  const series = drawnSeries(spec, trace.params).map((s) => ({ label: s.label, style: s.style, values: chartValues(trace, s).subarray(0, computed) }));
  const limits = (spec.limits ?? [])
    .map((l) => ({ value: trace.summary[l.summaryKey] ?? NaN, label: l.label }))
    .filter((l) => Number.isFinite(l.value));
  const { unitSec, unit, wallClock } = clockOf(sim);
  const bands = (spec.bands ?? []).map((b) => ({ label: b.label, values: (trace.series[b.key] ?? new Float64Array(0)).subarray(0, computed) }));
  const svg = renderTimeChart(series, {
    ...size,
    timeUnit: unit,
    // The text and the clock give a run with a wall clock its times of day; so does its time axis.
    ...(wallClock ? { timeLabel: (t: number) => wallClock(t * unitSec), timeSteps: WALL_STEP_HOURS.map((h) => (h * 3600) / unitSec) } : {}),
    ...(tickFontPx !== undefined ? { tickFontPx } : {}),
    ...(bands.length > 0 ? { bands } : {}),
    id: `chart-${domId}-${spec.id}`,
    title: spec.title,
    description: spec.describe,
    unit: spec.unit,
    sampleSec: trace.sampleMs / 1000 / unitSec,
    durationSec: trace.durationMs / 1000 / unitSec,
    cursorSec: tSec / unitSec,
    ...(limits.length > 0 ? { limits } : {}),
    ...(spec.yMax !== undefined ? { yMax: spec.yMax } : {}),
    staticFrame,
  });
  return trace.computedToSec === undefined ? svg : withNotComputed(svg, { ...size, durationSec: trace.durationMs / 1000 / unitSec }, trace.computedToSec / unitSec);
}

/**
 * Shades the part of a chart's time axis its trace has not reached yet (the axis keeps the whole
 * run), under the grid and the lines. Painted with attributes: the page's policy allows no inline style.
 */
function withNotComputed(svg: string, size: ChartSize & { durationSec: number }, computedSec: number): string {
  const left = Number(/data-plot-left="([\d.]+)"/.exec(svg)?.[1]) || undefined;
  const { x, top, bottom } = chartGeometry(size, left);
  const x0 = x(computedSec);
  const rect =
    `<rect class="not-computed" x="${x0.toFixed(1)}" y="${top}" width="${Math.max(0, x(size.durationSec) - x0).toFixed(1)}" height="${bottom - top}" ` +
    `fill="currentColor" fill-opacity="0.07" aria-hidden="true"><title>Not computed yet</title></rect>`;
  return svg.replace('</defs>', `</defs>${rect}`);
}

export function renderLegend(spec: ChartSpec, params: ParamValues): string {
  return drawnSeries(spec, params)
    .map((s) => {
      // The same style table the chart lines use, so a legend can never disagree with its chart.
      const style = SERIES_STYLES[s.style % SERIES_STYLES.length]!;
      const mark = markPath(style.mark, 13, 5, 3.5);
      return (
        `<li class="legend-item"><svg width="26" height="10" aria-hidden="true"><line x1="1" x2="25" y1="5" y2="5" stroke="${style.color}"/>` +
        `${mark ? `<path class="marks" d="${mark}" fill="${style.color}"/>` : ''}</svg>${esc(s.label)}</li>`
      );
    })
    .concat((spec.bands ?? []).map((b) => `<li class="legend-item"><svg width="26" height="10" aria-hidden="true"><rect class="band" x="1" y="0" width="24" height="10"/></svg>${esc(b.label)}</li>`))
    .join('');
}

/** The data behind a chart, as a table: every tenth of the run, plus the cursor's sample. */
export function renderChartTable(sim: AnySimulation, spec: ChartSpec, trace: Trace, tSec: number): string {
  const { unitSec, unit } = clockOf(sim);
  // A run's first part tabulates only the samples it computed.
  const length = Object.values(trace.series)[0]?.length ?? 0;
  const n = trace.computedToSec === undefined ? length : Math.min(length, Math.round((trace.computedToSec * 1000) / trace.sampleMs));
  const step = Math.max(1, Math.round(n / 10));
  const rows = new Set<number>();
  for (let i = 0; i < n; i += step) rows.add(i);
  rows.add(n - 1);
  if (sampleIndex(trace, tSec) < n) rows.add(sampleIndex(trace, tSec));
  const bands = spec.bands ?? [];
  const shown = drawnSeries(spec, trace.params);
  const columns = shown.map((s) => chartValues(trace, s));
  const head =
    `<tr><th scope="col">time (${esc(unit)})</th>${shown.map((s) => `<th scope="col">${esc(s.label)} (${esc(spec.unit)})</th>`).join('')}` +
    `${bands.map((b) => `<th scope="col">${esc(b.label)}</th>`).join('')}</tr>`;
  const body = [...rows]
    .sort((a, b) => a - b)
    .map((i) => {
      const t = ((i + 1) * trace.sampleMs) / 1000 / unitSec;
      const cells = columns.map((values) => `<td>${esc(fmt(values[i] ?? NaN, spec.unit === '%' ? 1 : 0))}</td>`).join('');
      const bandCells = bands.map((b) => `<td>${(trace.series[b.key]?.[i] ?? 0) > 0 ? 'yes' : 'no'}</td>`).join('');
      return `<tr${i === sampleIndex(trace, tSec) ? ' class="at-cursor"' : ''}><th scope="row">${esc(fmt(t, unitSec === 1 ? 0 : 2))}</th>${cells}${bandCells}</tr>`;
    })
    .join('');
  return `<table class="data"><caption>${esc(spec.title)}, sampled</caption><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

export const chartPanel: PanelKind = {
  slot: 'figures',
  present: (sim) => sim.view.charts.length > 0,
  mark: '[data-chart-id]',
  build: ({ sim, domId, trace, tSec, chartSize, staticPanels, charts }) =>
    sim.view.charts
      .filter((spec) => !charts || charts.includes(spec.id))
      .map(
        (spec) =>
          `<figure class="chart-figure" data-chart-id="${esc(spec.id)}">` +
          `<figcaption><span class="chart-title">${esc(spec.title)}</span><ul class="legend">${renderLegend(spec, trace.params)}</ul></figcaption>` +
          `<div class="chart-box" data-role="chart">${renderChart(sim, spec, trace, tSec, chartSize, true, undefined, domId)}</div>` +
          `<div class="figure-foot"><details class="chart-data"><summary>Data table</summary>` +
          // A box that scrolls must take the keyboard's focus, or its hidden columns are out of reach.
          `<div class="table-scroll" data-role="chart-table" tabindex="0" role="region" aria-label="${esc(`${spec.title}, data table`)}">` +
          `${staticPanels ? renderChartTable(sim, spec, trace, tSec) : ''}</div></details>` +
          `<div class="figure-actions" role="group" aria-label="${esc(`Download “${spec.title}”`)}">` +
          `<button type="button" data-export="svg" data-chart="${esc(spec.id)}" disabled>SVG</button>` +
          `<button type="button" data-export="png" data-chart="${esc(spec.id)}" disabled>PNG 2×</button>` +
          `</div></div></figure>`,
      )
      .join(''),
  mount(root, sim) {
    const figures = [...root.querySelectorAll<HTMLElement>('[data-chart-id]')].flatMap((figure) => {
      const spec = sim.view.charts.find((c) => c.id === figure.dataset.chartId);
      // The legend as built: redrawn only when a run draws other series (a client added or removed).
      return spec ? [{ figure, spec, legend: figure.querySelector('.legend')!.innerHTML }] : [];
    });
    // The size the stylesheet gives tick labels, per chart, with what it depends on. Reading it makes
    // the browser compute the page's styles there and then, which after a run's writes to the page
    // cost more than drawing the charts, so it is read again only when the charts' size or the page's
    // look (projector mode, an embed's theme) changed.
    let tickFontsPx: (number | undefined)[] = [];
    let tickFontsFor = '';
    const tickSizes = (f: PanelFrame) => {
      const html = document.documentElement;
      const key = `${f.chartSize.width}x${f.chartSize.height} ${html.className} ${html.dataset.theme ?? ''}`;
      if (key === tickFontsFor) return tickFontsPx;
      // Every chart's size is read before any chart is replaced: a read after a write lays the page out again.
      tickFontsPx = figures.map(({ figure }) => {
        const tick = figure.querySelector('svg.chart .tick');
        return tick ? parseFloat(getComputedStyle(tick).fontSize) || undefined : undefined;
      });
      // A chart drawn without ticks yet is asked again next time.
      tickFontsFor = tickFontsPx.includes(undefined) ? '' : key;
      return tickFontsPx;
    };
    return {
      run(f) {
        const tickFontsPx = tickSizes(f);
        for (const [i, entry] of figures.entries()) {
          const { figure, spec } = entry;
          const legend = renderLegend(spec, f.trace.params);
          if (legend !== entry.legend) figure.querySelector('.legend')!.innerHTML = entry.legend = legend;
          figure.querySelector('[data-role=chart]')!.innerHTML = renderChart(sim, spec, f.trace, f.tSec, f.chartSize, false, tickFontsPx[i], f.domId);
          figure.querySelector('[data-role=chart-table]')!.innerHTML = renderChartTable(sim, spec, f.trace, f.tSec);
        }
      },
      cursor(f) {
        // Only the cursor line and the clip of the drawn past move: the lines themselves stay.
        const { unitSec } = clockOf(sim);
        const size = { ...f.chartSize, durationSec: f.trace.durationMs / 1000 / unitSec };
        for (const { figure } of figures) {
          const svg = figure.querySelector<SVGSVGElement>('svg.chart');
          // Each chart's plot starts after its own y labels.
          const x = cursorX(size, f.tSec / unitSec, Number(svg?.dataset.plotLeft) || undefined).toFixed(1);
          svg?.querySelector('.past-clip')?.setAttribute('width', x);
          const line = svg?.querySelector('.cursor');
          line?.setAttribute('x1', x);
          line?.setAttribute('x2', x);
        }
      },
    };
  },
};
