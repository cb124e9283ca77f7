/**
 * One moment of a run as a single self-contained SVG: a header (lesson, scenario, moment), the
 * chosen panels from the top (the lesson's picture and its time charts, drawn by the same pure
 * renderers as the page), and a caption (the state's address). The figure export and every frame
 * of an animation are this drawing; the page and the command line call it alike.
 *
 * An animation's frames must all be one size, so the layout is fixed once per export
 * (`figureLayout`) and every frame is drawn into it.
 */
import { sampleAt, type AnySimulation, type Trace } from '../../sim/core/index.ts';
import { chartBlock, chartHeadHeight, MARGIN_PX, momentText, textLines, TYPE, wrapText } from '../panels/chart-export.ts';
import type { PictureRenderer } from '../pictures/picture.ts';
import { exportCss, type ExportTheme } from './theme.ts';

export interface FigureInput {
  sim: AnySimulation;
  trace: Trace;
  scenarioTitle: string;
  /** Panel tokens (animation-options.ts): `picture`, `chart:<id>`. */
  panels: readonly string[];
  theme: ExportTheme;
  widthPx: number;
  /** The lesson's picture renderer, when `panels` names the picture. */
  picture: PictureRenderer | null;
  /** The picture's stylesheet (site/styles/pictures/<id>.css): the page's own rules. */
  pictureCss: string;
  /** The address that opens this state, as the caption. */
  link: string;
}

interface Box {
  token: string;
  y: number;
  height: number;
}

export interface FigureLayout {
  width: number;
  height: number;
  boxes: Box[];
  captionLines: string[];
  captionY: number;
  headerY: number;
}

/** A chart's height against the figure's width: wide enough to read, short enough that a picture and a chart fit one slide. */
function chartHeightPx(widthPx: number, headPx: number): number {
  return headPx + Math.max(150, Math.round(widthPx * 0.22));
}

const HEADER_PX = TYPE.title.line + TYPE.subtitle.line + 8;
const GAP_PX = 14;

/** The picture's own size (its viewBox) at a sample: the layout keeps its proportions. */
function pictureSize(input: FigureInput, index: number): { width: number; height: number } {
  const svg = input.picture!.render(input.trace, index, { id: 'x-picture', title: input.sim.view.picture!.title, vertical: false });
  const box = /viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"/.exec(svg);
  return box ? { width: Number(box[1]), height: Number(box[2]) } : { width: 600, height: 400 };
}

/** Where everything goes, for the frames from `fromSec` on: the picture's proportions are its first frame's. */
export function figureLayout(input: FigureInput, fromSec: number): FigureLayout {
  const inner = input.widthPx - 2 * MARGIN_PX;
  let y = MARGIN_PX / 2 + HEADER_PX;
  const boxes: Box[] = [];
  for (const token of input.panels) {
    let height: number;
    if (token === 'picture') {
      const own = pictureSize(input, sampleAt(input.trace, fromSec));
      height = Math.round((inner * own.height) / own.width);
    } else {
      const spec = input.sim.view.charts.find((c) => `chart:${c.id}` === token);
      if (!spec) throw new Error(`no panel ${token}`);
      height = chartHeightPx(input.widthPx, chartHeadHeight(spec, input.trace.params, inner));
    }
    boxes.push({ token, y, height });
    y += height + GAP_PX;
  }
  const captionLines = wrapText(input.link, inner, TYPE.caption.px);
  const captionY = y;
  return { width: input.widthPx, height: captionY + captionLines.length * TYPE.caption.line + MARGIN_PX / 2, boxes, captionLines, captionY, headerY: MARGIN_PX / 2 };
}

/**
 * A picture's own <svg> placed and sized in the figure; its viewBox keeps its proportions should a
 * later frame's differ. The inline size wins over the page's rule that lets a picture shrink.
 */
function placed(svg: string, x: number, y: number, width: number, height: number): string {
  const end = svg.indexOf('>');
  const open = svg.slice('<svg'.length, end);
  const cls = /\sclass="([^"]*)"/.exec(open)?.[1] ?? '';
  const rest = open.replace(/\s(width|height|class|x|y|style)="[^"]*"/g, '');
  return `<svg class="x-part ${cls}" x="${x}" y="${y}" width="${width}" height="${height}" style="width:${width}px;height:${height}px"${rest}${svg.slice(end)}`;
}

/** The drawing at `tSec`, in `layout`. */
export function figureSvg(input: FigureInput, layout: FigureLayout, tSec: number): string {
  const { sim, trace, theme } = input;
  const inner = layout.width - 2 * MARGIN_PX;
  const index = sampleAt(trace, tSec);
  const parts: string[] = [
    textLines(wrapText(`${sim.title}: ${input.scenarioTitle}`, inner, TYPE.title.px, true).slice(0, 1), 'x-title', MARGIN_PX, layout.headerY, TYPE.title.line),
    textLines([momentText(sim, trace, tSec)], 'x-subtitle', MARGIN_PX, layout.headerY + TYPE.title.line, TYPE.subtitle.line),
  ];
  for (const box of layout.boxes) {
    if (box.token === 'picture') {
      const svg = input.picture!.render(trace, index, { id: 'x-picture', title: sim.view.picture!.title, vertical: false });
      parts.push(placed(svg, MARGIN_PX, box.y, inner, box.height));
    } else {
      const spec = sim.view.charts.find((c) => `chart:${c.id}` === box.token)!;
      parts.push(chartBlock(sim, spec, trace, tSec, { x: MARGIN_PX, y: box.y, width: inner, height: box.height }, theme));
    }
  }
  parts.push(textLines(layout.captionLines, 'x-caption', MARGIN_PX, layout.captionY, TYPE.caption.line));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="opslab-export" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}">` +
    `<style>${exportCss(theme)}${input.pictureCss}</style>` +
    `<rect width="100%" height="100%" fill="${theme === 'projector' ? '#ffffff' : '#fbfaf7'}"/>` +
    parts.join('') +
    `</svg>`
  );
}
