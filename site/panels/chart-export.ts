/**
 * A chart as a standalone figure: one SVG file with its title, legend, styles
 * and a white background inside, readable on paper and in any SVG tool, and
 * the same figure as a PNG at twice the size. Built from the same pure
 * renderer as the page, with fixed light colours (the page's dark theme must
 * not leak into a slide).
 */
import type { AnySimulation, ChartSpec, Trace } from '../../sim/core/index.ts';
import { renderChart } from './chart.ts';
import { clockText } from './frame.ts';
import { esc } from '../charts/escape.ts';
import { markPath } from '../charts/marks.ts';
import { SERIES_STYLES } from '../charts/palette.ts';

const EXPORT_CSS = `
  svg { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif; }
  .title { font-size: 20px; font-weight: 700; fill: #1d1d1b; }
  .subtitle, .legend-label { font-size: 14px; fill: #444; }
  .grid line { stroke: #d9d6cc; stroke-width: 1; }
  .axis { stroke: #5b5b57; }
  .tick, .unit { fill: #444; font-size: 12px; }
  .series path { fill: none; stroke-width: 2.5; stroke-linejoin: round; }
  .series path.future { opacity: 0.28; }
  .limit line { stroke: #1d1d1b; stroke-width: 1.25; stroke-dasharray: 3 4; opacity: 0.75; }
  .limit text { fill: #1d1d1b; font-size: 11.5px; }
  .cursor { stroke: #c2410c; stroke-width: 2; }
  .band { fill: #8a8a84; opacity: 0.16; }
`;

export interface FigureSize {
  width: number;
  height: number;
}

export function figureFileName(simId: string, scenario: string, tSec: number, chartId: string, ext: 'svg' | 'png'): string {
  const safe = (s: string) => s.replace(/[^a-z0-9-]+/gi, '-');
  return `${safe(simId)}-${safe(scenario)}-t${Math.round(tSec)}s-${safe(chartId)}.${ext}`;
}

export function standaloneChartSvg(
  sim: AnySimulation,
  spec: ChartSpec,
  trace: Trace,
  tSec: number,
  scenarioTitle: string,
  size: FigureSize = { width: 960, height: 420 },
): string {
  const headerH = 74;
  const body = renderChart(sim, spec, trace, tSec, { width: size.width - 32, height: size.height - headerH - 16 })
    // The inner chart becomes a positioned child of the figure.
    .replace('<svg class="chart"', `<svg class="chart" x="16" y="${headerH}"`);
  let x = 16;
  const legend = spec.series
    .map((s, i) => {
      const style = SERIES_STYLES[i % SERIES_STYLES.length]!;
      const item =
        `<line x1="${x}" x2="${x + 28}" y1="58" y2="58" stroke="${style.color}" stroke-width="3"/>` +
        (style.mark === 'none' ? '' : `<path d="${markPath(style.mark, x + 14, 58, 4.5)}" fill="${style.color}"/>`) +
        `<text class="legend-label" x="${x + 34}" y="58" dy="0.35em">${esc(s.label)}</text>`;
      x += 44 + s.label.length * 8;
      return item;
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size.width} ${size.height}" width="${size.width}" height="${size.height}">` +
    `<style>${EXPORT_CSS}</style>` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    `<text class="title" x="16" y="28">${esc(spec.title)}</text>` +
    `<text class="subtitle" x="${size.width - 16}" y="28" text-anchor="end">${esc(`${sim.title}: ${scenarioTitle}, t = ${clockText(sim, tSec, trace.durationMs / 1000, 'short').split(' / ')[0]}`)}</text>` +
    legend +
    body +
    `</svg>`
  );
}

/** Renders SVG text to a PNG blob at `scale` times its size (browser only). */
export async function svgToPng(svg: string, size: FigureSize, scale = 2): Promise<Blob> {
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
    canvas.width = size.width * scale;
    canvas.height = size.height * scale;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
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
