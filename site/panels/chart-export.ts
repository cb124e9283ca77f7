/**
 * A chart as a standalone figure: one SVG file with its title, legend, styles, caption and a white
 * background inside, readable on paper and in any SVG tool, and the same figure as a PNG at a
 * chosen scale. Built from the same pure renderer as the page, with the export theme's fixed
 * colours (the page's dark theme must not leak into a slide).
 *
 * Nothing may overlap or leave the drawing: the title and the subtitle have a line each, the legend
 * wraps, the caption takes what lines it needs, and the chart gets the height that is left. Widths
 * are estimated with charts/text-width.ts, which errs wide.
 */
import type { AnySimulation, ChartSpec, ParamValues, Trace } from '../../sim/core/index.ts';
import { drawnSeries, renderChart } from './chart.ts';
import { clockText } from './frame.ts';
import { esc } from '../charts/escape.ts';
import { markPath } from '../charts/marks.ts';
import { SERIES_STYLES } from '../charts/palette.ts';
import { textWidthPx } from '../charts/text-width.ts';
import { exportCss, THEME_LOOKS, type ExportTheme } from '../export/theme.ts';

export interface FigureSize {
  width: number;
  height: number;
}

/** Type sizes and line heights of an exported figure's words (exportCss sets the same sizes). */
export const TYPE = {
  title: { px: 20, line: 28, bold: true },
  subtitle: { px: 14, line: 20, bold: false },
  chartTitle: { px: 16, line: 22, bold: true },
  legend: { px: 14, line: 22, bold: false },
  caption: { px: 12, line: 16, bold: false },
} as const;

export const MARGIN_PX = 16;
const LEGEND_SWATCH_PX = 34;
const LEGEND_GAP_PX = 18;

export function figureFileName(simId: string, scenario: string, tSec: number, chartId: string, ext: 'svg' | 'png' | 'gif'): string {
  const safe = (s: string) => s.replace(/[^a-z0-9-]+/gi, '-');
  return `${safe(simId)}-${safe(scenario)}-t${Math.round(tSec)}s-${safe(chartId)}.${ext}`;
}

/**
 * Text broken into lines no wider than `maxPx`, at spaces, or after `&`, `/` and `?` in a link;
 * a word wider than a line is cut to fit.
 */
export function wrapText(text: string, maxPx: number, fontPx: number, bold = false): string[] {
  const pieces = text.split(/(?<=[ &/?])/);
  const lines: string[] = [];
  let line = '';
  for (let piece of pieces) {
    if (line && textWidthPx(line + piece, fontPx, bold) > maxPx) {
      lines.push(line.trimEnd());
      line = '';
    }
    while (textWidthPx(piece, fontPx, bold) > maxPx && piece.length > 1) {
      let n = piece.length - 1;
      while (n > 1 && textWidthPx(piece.slice(0, n), fontPx, bold) > maxPx) n--;
      lines.push(piece.slice(0, n));
      piece = piece.slice(n);
    }
    line += piece;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

/** Lines of text as SVG, the first baseline `line` below `y` less the descent. */
export function textLines(lines: readonly string[], cls: string, x: number, y: number, lineH: number): string {
  return lines.map((l, i) => `<text class="${cls}" x="${x}" y="${y + (i + 1) * lineH - Math.round(lineH * 0.28)}">${esc(l)}</text>`).join('');
}

/** The legend's items placed in rows that fit `width`; returns the SVG and its height. */
function legendRows(spec: ChartSpec, params: ParamValues, x0: number, y0: number, width: number): { svg: string; height: number } {
  let x = x0;
  let row = 0;
  const place = (label: string, swatch: (x: number, y: number) => string) => {
    const itemW = LEGEND_SWATCH_PX + textWidthPx(label, TYPE.legend.px);
    if (x > x0 && x + itemW > x0 + width) {
      x = x0;
      row++;
    }
    const y = y0 + row * TYPE.legend.line + TYPE.legend.line / 2;
    const item = swatch(x, y) + `<text class="legend-label" x="${x + LEGEND_SWATCH_PX}" y="${y}" dy="0.35em">${esc(label)}</text>`;
    x += itemW + LEGEND_GAP_PX;
    return item;
  };
  // The same style table the chart lines use, and the bands after the lines, as the page's legend has them.
  const items = [
    ...drawnSeries(spec, params).map((s) => {
      const style = SERIES_STYLES[s.style % SERIES_STYLES.length]!;
      return place(s.label, (x, y) =>
        `<line x1="${x}" x2="${x + 28}" y1="${y}" y2="${y}" stroke="${style.color}" stroke-width="3"/>` +
        (style.mark === 'none' ? '' : `<path d="${markPath(style.mark, x + 14, y, 4.5)}" fill="${style.color}"/>`),
      );
    }),
    ...(spec.bands ?? []).map((b) => place(b.label, (x, y) => `<rect class="band" x="${x}" y="${y - 6}" width="28" height="12"/>`)),
  ];
  return { svg: items.join(''), height: (row + 1) * TYPE.legend.line };
}

/** How tall a chart's title and legend are at this width, so a layout can give the chart the rest. */
export function chartHeadHeight(spec: ChartSpec, params: ParamValues, width: number): number {
  return wrapText(spec.title, width, TYPE.chartTitle.px, true).length * TYPE.chartTitle.line + legendRows(spec, params, 0, 0, width).height + 4;
}

/** One chart with its title and legend, placed at (x, y) in a figure; `height` includes the head. */
export function chartBlock(sim: AnySimulation, spec: ChartSpec, trace: Trace, tSec: number, at: { x: number; y: number; width: number; height: number }, theme: ExportTheme): string {
  const titleLines = wrapText(spec.title, at.width, TYPE.chartTitle.px, true);
  const titleH = titleLines.length * TYPE.chartTitle.line;
  const legend = legendRows(spec, trace.params, at.x, at.y + titleH, at.width);
  const headH = chartHeadHeight(spec, trace.params, at.width);
  const body = renderChart(sim, spec, trace, tSec, { width: at.width, height: at.height - headH }, false, THEME_LOOKS[theme].tickFontPx, `export-${spec.id}`)
    // The inner chart becomes a positioned child of the figure.
    .replace('<svg class="chart"', `<svg class="chart" x="${at.x}" y="${at.y + headH}"`);
  return textLines(titleLines, 'x-chart-title', at.x, at.y, TYPE.chartTitle.line) + legend.svg + body;
}

/** The moment in a figure's subtitle: "t = 40 s", or "t = 4.25 h · Mon 22:15" for a run with a wall clock. */
export function momentText(sim: AnySimulation, trace: Trace, tSec: number): string {
  const [now = '', wall] = clockText(sim, tSec, trace.durationMs / 1000, 'short').split(' / ');
  const wallClock = wall?.split(' · ')[1];
  return `t = ${now}${wallClock ? ` · ${wallClock}` : ''}`;
}

export interface StandaloneOptions {
  theme?: ExportTheme;
  /** The address that opens this state (sharing.ts's link to the view), printed under the chart. */
  link?: string;
}

/** One chart as a figure of exactly `size`: title, subtitle, legend, chart, and a caption saying where it comes from. */
export function standaloneChartSvg(
  sim: AnySimulation,
  spec: ChartSpec,
  trace: Trace,
  tSec: number,
  scenarioTitle: string,
  size: FigureSize = { width: 960, height: 420 },
  options: StandaloneOptions = {},
): string {
  const theme = options.theme ?? 'light';
  const inner = size.width - 2 * MARGIN_PX;
  const titleLines = wrapText(spec.title, inner, TYPE.title.px, true);
  const subtitleLines = wrapText(`${sim.title}: ${scenarioTitle}, ${momentText(sim, trace, tSec)}`, inner, TYPE.subtitle.px);
  const caption = options.link ?? `Opslab, ${sim.id}, scenario ${scenarioOf(sim, scenarioTitle)}, seed ${trace.seed}`;
  const captionLines = wrapText(caption, inner, TYPE.caption.px);
  let y = MARGIN_PX / 2;
  const parts = [textLines(titleLines, 'x-title', MARGIN_PX, y, TYPE.title.line)];
  y += titleLines.length * TYPE.title.line;
  parts.push(textLines(subtitleLines, 'x-subtitle', MARGIN_PX, y, TYPE.subtitle.line));
  y += subtitleLines.length * TYPE.subtitle.line + 6;
  const captionH = captionLines.length * TYPE.caption.line;
  const chartH = size.height - y - captionH - MARGIN_PX;
  // The chart block's own title would repeat the figure's: give it only the legend and the chart.
  parts.push(chartBlock(sim, { ...spec, title: '' }, trace, tSec, { x: MARGIN_PX, y, width: inner, height: chartH }, theme));
  parts.push(textLines(captionLines, 'x-caption', MARGIN_PX, size.height - MARGIN_PX / 2 - captionH, TYPE.caption.line));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="opslab-export" viewBox="0 0 ${size.width} ${size.height}" width="${size.width}" height="${size.height}">` +
    `<style>${exportCss(theme)}</style>` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    parts.join('') +
    `</svg>`
  );
}

function scenarioOf(sim: AnySimulation, scenarioTitle: string): string {
  return sim.scenarios.find((s) => s.title === scenarioTitle)?.id ?? scenarioTitle;
}

/** Draws SVG text on a canvas at `scale` times its size (browser only). */
export async function svgToCanvas(svg: string, size: FigureSize, scale = 1): Promise<HTMLCanvasElement> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.decoding = 'sync';
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the figure could not be drawn'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(size.width * scale);
    canvas.height = Math.round(size.height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    return canvas;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Renders SVG text to a PNG blob at `scale` times its size (browser only). */
export async function svgToPng(svg: string, size: FigureSize, scale = 2): Promise<Blob> {
  const canvas = await svgToCanvas(svg, size, scale);
  return new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
}

export function download(blob: Blob, fileName: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
