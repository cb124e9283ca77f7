/**
 * A time-series chart as an SVG string: lines over simulated time (each after
 * the first with its own markers), dashed limit lines, and a cursor. Pure (no
 * DOM), so the build renders the first frame and the browser re-renders with
 * the same code.
 *
 * The whole run is drawn faint and the part up to the cursor solid, through a
 * clip rectangle: moving the cursor changes two attributes, not the paths.
 */
import { linearScale, niceDomain, type LinearScale } from './linear-scale.ts';
import { esc, fmt } from './escape.ts';
import { markPath } from './marks.ts';
import { SERIES_STYLES } from './palette.ts';
import { textWidthPx } from './text-width.ts';

export interface TimeSeries {
  label: string;
  values: ArrayLike<number>;
  /** Its place in the style table (colour, markers): its place in the chart's full list, which a run may leave gaps in. */
  style?: number;
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
   * A run with a wall clock: the x ticks read as its time of day ("Mon 18:00", `t` in the
   * time unit) at the first of `timeSteps` (in the time unit) whose labels do not collide.
   */
  timeLabel?: (t: number) => string;
  timeSteps?: readonly number[];
  /** The size the page sets the tick labels in (larger on a projector), so the axis leaves them room. */
  tickFontPx?: number;
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
/** Between a y tick's label and the plot, and between two x tick labels. */
const LABEL_GAP_PX = 6;
const DEFAULT_TICK_PX = 12;
/** One marker every this many pixels along a series; each series starts a little later than the one before. */
const MARK_EVERY_PX = 48;
const MARK_RADIUS_PX = 3.5;

/** `left`: where the plot starts, after the y labels (the `data-plot-left` of a drawn chart). */
export function chartGeometry(o: Pick<TimeChartOptions, 'width' | 'height' | 'durationSec'>, left = MARGIN.left) {
  const x = linearScale([0, o.durationSec], [left, o.width - MARGIN.right]);
  return { x, top: MARGIN.top, bottom: o.height - MARGIN.bottom };
}

type Scale = LinearScale;

/**
 * The y ticks and their labels. A chart whose every value is a whole number counts things
 * (sockets, messages), so its ticks are whole numbers too: no half a socket.
 */
function yAxis(y: Scale, heightPx: number, counts: boolean) {
  // About one labelled tick per 24 px of height, so a short chart (an embed on a small slide) never stacks its labels.
  const all = y.ticks(Math.max(2, Math.min(4, Math.floor(heightPx / 24))));
  const ticks = counts ? all.filter((t) => Number.isInteger(t)) : all;
  // Enough decimals to tell ticks apart: 0.2 s steps need one, 0.05 need two.
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : 1;
  const digits = step >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(step) - 1e-9));
  return ticks.map((t) => ({ value: t, text: fmt(t, digits) }));
}

/** The x ticks and their labels, the last with the time unit; or the wall clock's times of day, spaced so none collide. */
function xAxis(x: Scale, o: TimeChartOptions, fontPx: number) {
  const [left, right] = x.range() as [number, number];
  // A label centred on its tick must stay inside the drawing: one at the very end often would not.
  const inside = (t: { value: number; text: string }) =>
    x(t.value) - textWidthPx(t.text, fontPx) / 2 >= 0 && x(t.value) + textWidthPx(t.text, fontPx) / 2 <= o.width;
  if (o.timeLabel) {
    const steps = o.timeSteps ?? [1];
    const at = (step: number) => Array.from({ length: Math.floor(o.durationSec / step + 1e-9) + 1 }, (_, k) => k * step);
    const widest = (ts: number[]) => Math.max(...ts.map((t) => textWidthPx(o.timeLabel!(t), fontPx)));
    const step = steps.find((s) => x(s) - x(0) >= widest(at(s)) + LABEL_GAP_PX * 2) ?? steps[steps.length - 1]!;
    return at(step).map((t) => ({ value: t, text: o.timeLabel!(t) })).filter(inside);
  }
  const ticks = x.ticks(Math.max(2, Math.floor((right - left) / 70)));
  const labelled = (n: number) => ticks.slice(0, n).map((t, i) => ({ value: t, text: `${fmt(t)}${i === n - 1 ? ` ${o.timeUnit ?? 's'}` : ''}` }));
  // The unit rides on the last tick whose label fits.
  let n = ticks.length;
  while (n > 1 && !inside(labelled(n)[n - 1]!)) n--;
  return labelled(n);
}

/** Markers along one series, at the samples under every MARK_EVERY_PX of the x axis. */
function marksAlong(values: ArrayLike<number>, x: Scale, y: Scale, o: TimeChartOptions, seriesIndex: number): string {
  const shape = SERIES_STYLES[seriesIndex % SERIES_STYLES.length]!.mark;
  if (shape === 'none' || values.length === 0) return '';
  const [left, right] = x.range() as [number, number];
  const seen = new Set<number>();
  let d = '';
  for (let px = left + 8 + ((seriesIndex * 11) % MARK_EVERY_PX); px <= right; px += MARK_EVERY_PX) {
    const i = Math.min(values.length - 1, Math.max(0, Math.floor(x.invert(px) / o.sampleSec)));
    const v = values[i]!;
    if (seen.has(i) || !Number.isFinite(v)) continue;
    seen.add(i);
    d += markPath(shape, x(Math.min(o.durationSec, (i + 0.5) * o.sampleSec)), y(v), MARK_RADIUS_PX);
  }
  return d;
}

interface ChartPoint { x: number; y: number; ok: boolean }

/**
 * The SVG path of a series: straight segments, broken where a sample is missing, coordinates
 * rounded to `digits` decimals. It writes what d3-shape's line() with its linear curve writes
 * (a lone point closes with Z, so it still draws a dot with round caps); a chart needs nothing
 * else from d3-shape, and this saves every page the library's bytes.
 */
export function linePath(points: readonly ChartPoint[], digits: number): string {
  const k = 10 ** digits;
  const at = (p: ChartPoint) => `${Math.round(p.x * k) / k},${Math.round(p.y * k) / k}`;
  let d = '';
  let run = 0;
  for (const p of points) {
    if (!p.ok) {
      if (run === 1) d += 'Z';
      run = 0;
      continue;
    }
    d += `${run === 0 ? 'M' : 'L'}${at(p)}`;
    run++;
  }
  return run === 1 ? `${d}Z` : d;
}

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
  const fontPx = o.tickFontPx ?? DEFAULT_TICK_PX;
  // The unit's label sits above the plot: larger type (a projector's) moves the plot down to keep it inside the drawing.
  const { bottom } = chartGeometry(o);
  const top = MARGIN.top + Math.max(0, Math.ceil((fontPx - DEFAULT_TICK_PX) * 1.5));
  let dataMax = 0;
  let counts = o.yMax === undefined || Number.isInteger(o.yMax);
  for (const s of series) for (let i = 0; i < s.values.length; i++) {
    const v = s.values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v > dataMax) dataMax = v;
    if (!Number.isInteger(v)) counts = false;
  }
  for (const l of o.limits ?? []) {
    if (l.value > dataMax) dataMax = l.value;
    if (!Number.isInteger(l.value)) counts = false;
  }
  const y = linearScale(niceDomain([0, o.yMax ?? (dataMax > 0 ? dataMax * 1.08 : 1)], 4), [bottom, top]);
  const yTicks = yAxis(y, bottom - top, counts);
  // The plot starts where the widest y label ends, and never nearer the edge than the usual margin.
  const left = Math.max(MARGIN.left, Math.ceil(Math.max(...yTicks.map((t) => textWidthPx(t.text, fontPx))) + LABEL_GAP_PX + 2));
  const { x } = chartGeometry(o, left);
  const xTicks = xAxis(x, o, fontPx);

  // A tenth of a pixel is finer than any screen draws, even at the PNG export's 2x. The page as
  // built is redrawn by its script at the reader's size, so whole pixels serve it until then.
  const digits = o.staticFrame ? 0 : 1;
  const pointsOf = (values: ArrayLike<number>) =>
    flatRunsJoined(
      Array.from(values, (v, i) => ({ x: x(Math.min(o.durationSec, (i + 0.5) * o.sampleSec)), y: y(v), ok: Number.isFinite(v) })),
      digits,
    );

  const clipId = `${o.id}-past`;
  const cursorX = x(o.cursorSec);
  const parts: string[] = [];
  parts.push(
    `<svg class="chart" viewBox="0 0 ${o.width} ${o.height}" width="${o.width}" height="${o.height}" role="img" aria-labelledby="${o.id}-title ${o.id}-desc" data-chart="${esc(o.id)}" data-plot-left="${left}">`,
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
    const ty = y(t.value).toFixed(1);
    parts.push(`<line x1="${left}" x2="${o.width - MARGIN.right}" y1="${ty}" y2="${ty}"/>`);
    parts.push(`<text class="tick" x="${left - LABEL_GAP_PX}" y="${ty}" dy="0.32em" text-anchor="end">${esc(t.text)}</text>`);
  }
  for (const t of xTicks) {
    parts.push(`<text class="tick" x="${x(t.value).toFixed(1)}" y="${bottom + 17}" text-anchor="middle">${esc(t.text)}</text>`);
  }
  parts.push(`<line class="axis" x1="${left}" x2="${o.width - MARGIN.right}" y1="${bottom}" y2="${bottom}"/>`);
  parts.push(`<text class="unit" x="${left}" y="${top - 8}" text-anchor="start">${esc(o.unit)}</text>`);
  parts.push('</g>');

  // Limits at the same value (a SYN queue and an accept queue both capped at the backlog) share one line and label.
  const merged = new Map<number, string[]>();
  for (const l of o.limits ?? []) merged.set(l.value, [...(merged.get(l.value) ?? []), l.label]);
  for (const [value, labels] of merged) {
    const l = { value, label: labels.join(' = ') };
    const ly = y(l.value).toFixed(1);
    parts.push(
      `<g class="limit"><line x1="${left}" x2="${o.width - MARGIN.right}" y1="${ly}" y2="${ly}"/>` +
        `<text x="${o.width - MARGIN.right - 2}" y="${ly}" dy="-0.35em" text-anchor="end">${esc(l.label)} ${esc(fmt(l.value))}</text></g>`,
    );
  }

  const futureHidden = o.staticFrame === true && o.cursorSec >= o.durationSec;
  series.forEach((s, i) => {
    const styleIndex = s.style ?? i;
    const style = SERIES_STYLES[styleIndex % SERIES_STYLES.length]!;
    const d = linePath(pointsOf(s.values), digits);
    const marks = marksAlong(s.values, x, y, o, styleIndex);
    const past = ` clip-path="url(#${clipId})"`;
    parts.push(
      `<g class="series" style="--series:${style.color}">` +
        (futureHidden ? '' : `<path class="future" d="${d}" stroke="${style.color}"/>`) +
        `<path class="past" d="${d}" stroke="${style.color}"${past}/></g>`,
    );
    // Markers in a group of their own, beside the line's: the stylesheets' rules for series lines
    // (no fill, thick strokes) must not reach them, and the page's policy allows no inline style
    // but the series colour, so they are painted with attributes.
    if (marks) {
      parts.push(
        `<g class="series-marks" fill="${style.color}">` +
          (futureHidden ? '' : `<path class="future" d="${marks}" opacity="0.3"/>`) +
          `<path class="past" d="${marks}"${past}/></g>`,
      );
    }
  });
  parts.push(`<line class="cursor" x1="${cursorX.toFixed(1)}" x2="${cursorX.toFixed(1)}" y1="${top}" y2="${bottom}"/>`);
  parts.push('</svg>');
  return parts.join('');
}

/** Moves the cursor of a chart already in the page (no re-render); `left` is the chart's `data-plot-left`. */
export function cursorX(o: Pick<TimeChartOptions, 'width' | 'height' | 'durationSec'>, cursorSec: number, left = MARGIN.left): number {
  return chartGeometry(o, left).x(cursorSec);
}
