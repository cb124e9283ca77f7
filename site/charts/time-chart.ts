/**
 * A time-series chart as an SVG string: lines over simulated time, dashed
 * limit lines, and a cursor. Pure (no DOM), so the build renders the first
 * frame and the browser re-renders with the same code.
 *
 * The whole run is drawn faint and the part up to the cursor solid, through a
 * clip rectangle: moving the cursor changes two attributes, not the paths.
 */
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { esc, fmt } from './escape.ts';
import { SERIES_STYLES } from './palette.ts';

export interface TimeSeries {
  label: string;
  values: ArrayLike<number>;
}

export interface TimeChartOptions {
  /** Drawing size in CSS pixels; the SVG's viewBox matches, so text stays at its CSS size. */
  width: number;
  height: number;
  sampleSec: number;
  durationSec: number;
  cursorSec: number;
  unit: string;
  limits?: readonly { value: number; label: string }[];
  /** Shaded spans where the values are above zero (an outage), drawn under the lines. */
  bands?: readonly TimeSeries[];
  yMax?: number;
  /** The unit of the x axis (the time values above are in it), shown after the last tick. */
  timeUnit?: string;
  /**
   * Drawn once and never scrubbed (the page as built, before any script runs): when the cursor is at
   * the end, the faint copy of the run is entirely hidden, so it is left out.
   */
  staticFrame?: boolean;
  /** Unique per chart on the page: ids for the clip path and the accessible name. */
  id: string;
  title: string;
  description: string;
}

const MARGIN = { top: 20, right: 14, bottom: 26, left: 48 };

export function chartGeometry(o: Pick<TimeChartOptions, 'width' | 'height' | 'durationSec'>) {
  const x = scaleLinear().domain([0, o.durationSec]).range([MARGIN.left, o.width - MARGIN.right]);
  return { x, top: MARGIN.top, bottom: o.height - MARGIN.bottom };
}

interface ChartPoint { x: number; y: number; ok: boolean }

/**
 * The same line with fewer points: inside a run of samples at one height (a queue that stays
 * empty, a total that stops growing), only the run's two ends are kept. A long run becomes one
 * segment instead of hundreds, and the drawing does not change: heights are compared at the
 * precision the path is written with (`digits` decimals).
 */
export function flatRunsJoined(points: readonly ChartPoint[], digits = 1): ChartPoint[] {
  const scale = 10 ** digits;
  const level = (p: ChartPoint) => Math.round(p.y * scale);
  return points.filter((p, i) => {
    const a = points[i - 1];
    const b = points[i + 1];
    return !(a && b && a.ok && p.ok && b.ok && level(a) === level(p) && level(p) === level(b));
  });
}

export function renderTimeChart(series: readonly TimeSeries[], o: TimeChartOptions): string {
  const { x, top, bottom } = chartGeometry(o);
  let dataMax = 0;
  for (const s of series) for (let i = 0; i < s.values.length; i++) {
    const v = s.values[i]!;
    if (Number.isFinite(v) && v > dataMax) dataMax = v;
  }
  for (const l of o.limits ?? []) if (l.value > dataMax) dataMax = l.value;
  const y = scaleLinear()
    .domain([0, o.yMax ?? (dataMax > 0 ? dataMax * 1.08 : 1)])
    .range([bottom, top])
    .nice(4);
  // About one labelled tick per 24 px of height, so a short chart (an embed on a small slide) never stacks its labels.
  const yTicks = y.ticks(Math.max(2, Math.min(4, Math.floor((bottom - top) / 24))));
  // Enough decimals to tell ticks apart: 0.2 s steps need one, 0.05 need two.
  const yStep = yTicks.length > 1 ? yTicks[1]! - yTicks[0]! : 1;
  const yDigits = yStep >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(yStep) - 1e-9));
  const xTicks = x.ticks(Math.max(2, Math.floor((o.width - MARGIN.left) / 70)));

  // A tenth of a pixel is finer than any screen draws, even at the PNG export's 2x. The page as
  // built is redrawn by its script at the reader's size, so whole pixels serve it until then.
  const digits = o.staticFrame ? 0 : 1;
  const path = line<ChartPoint>()
    .defined((p) => p.ok)
    .x((p) => p.x)
    .y((p) => p.y)
    .digits(digits);
  const pointsOf = (values: ArrayLike<number>) =>
    flatRunsJoined(
      Array.from(values, (v, i) => ({ x: x(Math.min(o.durationSec, (i + 0.5) * o.sampleSec)), y: y(v), ok: Number.isFinite(v) })),
      digits,
    );

  const clipId = `${o.id}-past`;
  const cursorX = x(o.cursorSec);
  const parts: string[] = [];
  parts.push(
    `<svg class="chart" viewBox="0 0 ${o.width} ${o.height}" width="${o.width}" height="${o.height}" role="img" aria-labelledby="${o.id}-title ${o.id}-desc" data-chart="${esc(o.id)}">`,
    `<title id="${o.id}-title">${esc(o.title)}</title><desc id="${o.id}-desc">${esc(o.description)}</desc>`,
    `<defs><clipPath id="${clipId}"><rect class="past-clip" x="0" y="0" width="${cursorX.toFixed(1)}" height="${o.height}"/></clipPath></defs>`,
  );
  for (const band of o.bands ?? []) {
    // One rectangle per run of consecutive samples above zero.
    const v = band.values;
    for (let i = 0; i < v.length; i++) {
      if (!(v[i]! > 0)) continue;
      let j = i;
      while (j + 1 < v.length && v[j + 1]! > 0) j++;
      const x0 = x(i * o.sampleSec);
      const x1 = x(Math.min(o.durationSec, (j + 1) * o.sampleSec));
      parts.push(`<rect class="band" x="${x0.toFixed(1)}" y="${top}" width="${(x1 - x0).toFixed(1)}" height="${bottom - top}" aria-hidden="true"><title>${esc(band.label)}</title></rect>`);
      i = j;
    }
  }
  parts.push('<g class="grid" aria-hidden="true">');
  for (const t of yTicks) {
    parts.push(`<line x1="${MARGIN.left}" x2="${o.width - MARGIN.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}"/>`);
    parts.push(`<text class="tick" x="${MARGIN.left - 6}" y="${y(t).toFixed(1)}" dy="0.32em" text-anchor="end">${esc(fmt(t, yDigits))}</text>`);
  }
  for (const t of xTicks) {
    parts.push(`<text class="tick" x="${x(t).toFixed(1)}" y="${bottom + 17}" text-anchor="middle">${esc(fmt(t))}${t === xTicks[xTicks.length - 1] ? ` ${esc(o.timeUnit ?? 's')}` : ''}</text>`);
  }
  parts.push(`<line class="axis" x1="${MARGIN.left}" x2="${o.width - MARGIN.right}" y1="${bottom}" y2="${bottom}"/>`);
  parts.push(`<text class="unit" x="${MARGIN.left}" y="${top - 8}" text-anchor="start">${esc(o.unit)}</text>`);
  parts.push('</g>');

  // Limits at the same value (a SYN queue and an accept queue both capped at the backlog) share one line and label.
  const merged = new Map<number, string[]>();
  for (const l of o.limits ?? []) merged.set(l.value, [...(merged.get(l.value) ?? []), l.label]);
  for (const [value, labels] of merged) {
    const l = { value, label: labels.join(' = ') };
    const ly = y(l.value).toFixed(1);
    parts.push(
      `<g class="limit"><line x1="${MARGIN.left}" x2="${o.width - MARGIN.right}" y1="${ly}" y2="${ly}"/>` +
        `<text x="${o.width - MARGIN.right - 2}" y="${ly}" dy="-0.35em" text-anchor="end">${esc(l.label)} ${esc(fmt(l.value))}</text></g>`,
    );
  }

  const futureHidden = o.staticFrame === true && o.cursorSec >= o.durationSec;
  series.forEach((s, i) => {
    const style = SERIES_STYLES[i % SERIES_STYLES.length]!;
    const d = path(pointsOf(s.values)) ?? '';
    const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : '';
    parts.push(
      `<g class="series" style="--series:${style.color}">` +
        (futureHidden ? '' : `<path class="future" d="${d}" stroke="${style.color}"${dash}/>`) +
        `<path class="past" d="${d}" stroke="${style.color}"${dash} clip-path="url(#${clipId})"/></g>`,
    );
  });
  parts.push(`<line class="cursor" x1="${cursorX.toFixed(1)}" x2="${cursorX.toFixed(1)}" y1="${top}" y2="${bottom}"/>`);
  parts.push('</svg>');
  return parts.join('');
}

/** Moves the cursor of a chart already in the page (no re-render). */
export function cursorX(o: Pick<TimeChartOptions, 'width' | 'height' | 'durationSec'>, cursorSec: number): number {
  return chartGeometry(o).x(cursorSec);
}
