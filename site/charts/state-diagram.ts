/**
 * Draws an xstate machine (read through describeMachine) as an SVG string:
 * boxes at the grid cells given in each state's `meta` (col, row), arrows for
 * transitions, and a count per state that lights the boxes in use at the
 * cursor. `vertical` swaps rows and columns for narrow screens.
 *
 * An edge that would cross another box is bent into a curve, trying each side.
 */
import type { MachineInfo } from '../../sim/core/machine-table.ts';
import { esc, fmt } from './escape.ts';
import { textWidthPx } from './text-width.ts';

export interface DiagramOptions {
  id: string;
  title: string;
  vertical: boolean;
  /** Entities in (or entering) each state at the cursor. */
  counts: Record<string, number>;
}

// Sized so five columns fit a 600-pixel panel at full scale (text stays at its CSS size on a projector).
const BOX_W = 102;
/** A box whose label is one line, and the taller box every state of a diagram gets when some label needs two. */
const BOX_H_ONE_LINE = 44;
const BOX_H_TWO_LINES = 58;
/** The room a label line has, measured at the largest size the stylesheets set it (13 px bold, projector). */
export const LABEL_ROOM_PX = BOX_W - 12;
export const LABEL_FONT_PX = 13;
const GAP_X = 18;
const GAP_Y = 30;
const PAD = 10;
const LOOP_ROOM = 16;

interface Box { id: string; x: number; y: number; w: number; h: number; lines: string[]; tone: string }

const fits = (text: string) => textWidthPx(text, LABEL_FONT_PX, true) <= LABEL_ROOM_PX;

/**
 * A state's label as the lines its box shows: one if it fits, else two, broken at the space that
 * leaves the longer line shortest. A single word too long for the box stays one line (the renderer
 * squeezes it to the room with textLength).
 */
export function labelLines(label: string): string[] {
  if (fits(label)) return [label];
  let best: string[] = [label];
  let bestWidth = Infinity;
  for (let i = label.indexOf(' '); i > 0; i = label.indexOf(' ', i + 1)) {
    const pair = [label.slice(0, i).trim(), label.slice(i + 1).trim()];
    const width = Math.max(...pair.map((l) => textWidthPx(l, LABEL_FONT_PX, true)));
    if (width < bestWidth) [best, bestWidth] = [pair, width];
  }
  return best;
}

export function diagramLayout(info: MachineInfo, vertical: boolean) {
  const boxes = new Map<string, Box>();
  let maxX = 0;
  let maxY = 0;
  const lines = new Map(info.states.map((s) => [s.id, labelLines(s.label)]));
  const boxH = [...lines.values()].some((l) => l.length > 1) ? BOX_H_TWO_LINES : BOX_H_ONE_LINE;
  for (const s of info.states) {
    const col = Number(s.meta.col ?? 0);
    const row = Number(s.meta.row ?? 0);
    const [c, r] = vertical ? [row, col] : [col, row];
    const x = PAD + c * (BOX_W + GAP_X);
    // Extra room above the first row for the loops of transitions that keep their state.
    const y = PAD + LOOP_ROOM + r * (boxH + GAP_Y);
    maxX = Math.max(maxX, x + BOX_W);
    maxY = Math.max(maxY, y + boxH);
    boxes.set(s.id, { id: s.id, x, y, w: BOX_W, h: boxH, lines: lines.get(s.id)!, tone: String(s.meta.tone ?? (s.final ? 'bad' : 'neutral')) });
  }
  return { boxes, width: maxX + PAD, height: maxY + PAD };
}

/** Where the segment from the centre of a box towards (tx, ty) leaves the box. */
function exitPoint(b: Box, tx: number, ty: number): [number, number] {
  const cx = b.x + b.w / 2;
  const cy = b.y + b.h / 2;
  const dx = tx - cx;
  const dy = ty - cy;
  const scale = 1 / Math.max(Math.abs(dx) / (b.w / 2 + 4), Math.abs(dy) / (b.h / 2 + 4), 1e-9);
  return [cx + dx * scale, cy + dy * scale];
}

function crossesBox(x1: number, y1: number, x2: number, y2: number, box: Box): boolean {
  for (let k = 1; k < 20; k++) {
    const t = k / 20;
    const px = x1 + (x2 - x1) * t;
    const py = y1 + (y2 - y1) * t;
    if (px > box.x - 2 && px < box.x + box.w + 2 && py > box.y - 2 && py < box.y + box.h + 2) return true;
  }
  return false;
}

function quadCrosses(x1: number, y1: number, qx: number, qy: number, x2: number, y2: number, box: Box): boolean {
  for (let k = 1; k < 30; k++) {
    const t = k / 30;
    const px = (1 - t) * (1 - t) * x1 + 2 * (1 - t) * t * qx + t * t * x2;
    const py = (1 - t) * (1 - t) * y1 + 2 * (1 - t) * t * qy + t * t * y2;
    if (px > box.x - 2 && px < box.x + box.w + 2 && py > box.y - 2 && py < box.y + box.h + 2) return true;
  }
  return false;
}

export function renderStateDiagram(info: MachineInfo, o: DiagramOptions): string {
  const { boxes, width, height } = diagramLayout(info, o.vertical);
  const others = (a: string, b: string) => [...boxes.values()].filter((x) => x.id !== a && x.id !== b);
  const parts: string[] = [
    `<svg class="diagram" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${o.id}-title">`,
    `<title id="${o.id}-title">${esc(o.title)}</title>`,
    // userSpaceOnUse: arrowheads keep their size when a lit edge gets a thicker stroke.
    `<defs><marker id="${o.id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>`,
    '<g class="edges" aria-hidden="true">',
  ];
  const drawn = new Set<string>();
  for (const e of info.edges) {
    const key = `${e.from}>${e.to}`;
    if (drawn.has(key)) continue;
    drawn.add(key);
    const a = boxes.get(e.from)!;
    const b = boxes.get(e.to)!;
    const labels = info.edges.filter((x) => x.from === e.from && x.to === e.to).map((x) => x.description || x.event).join('; ');
    const lit = (o.counts[e.to] ?? 0) > 0 && (o.counts[e.from] ?? 0) > 0 ? ' lit' : '';
    if (e.from === e.to) {
      // A transition that keeps the state (an ACK dropped, the request kept): a small loop above the box.
      const cx = a.x + a.w - 22;
      parts.push(`<path class="edge${lit}" d="M${cx - 8},${a.y} C${cx - 14},${a.y - 22} ${cx + 14},${a.y - 22} ${cx + 8},${a.y}" marker-end="url(#${o.id}-arrow)"><title>${esc(labels)}</title></path>`);
      continue;
    }
    const bx = b.x + b.w / 2;
    const by = b.y + b.h / 2;
    const ax = a.x + a.w / 2;
    const ay = a.y + a.h / 2;
    const [x1, y1] = exitPoint(a, bx, by);
    const [x2, y2] = exitPoint(b, ax, ay);
    const blockers = others(e.from, e.to);
    let d = `M${x1.toFixed(1)},${y1.toFixed(1)} L${x2.toFixed(1)},${y2.toFixed(1)}`;
    if (blockers.some((box) => crossesBox(x1, y1, x2, y2, box))) {
      const mx = (x1 + x2) / 2;
      const my = (y1 + y2) / 2;
      const len = Math.hypot(x2 - x1, y2 - y1);
      const nx = -(y2 - y1) / len;
      const ny = (x2 - x1) / len;
      for (const bend of [0.35, -0.35, 0.6, -0.6]) {
        const qx = mx + nx * len * bend;
        const qy = my + ny * len * bend;
        const [sx, sy] = exitPoint(a, qx, qy);
        const [ex, ey] = exitPoint(b, qx, qy);
        d = `M${sx.toFixed(1)},${sy.toFixed(1)} Q${qx.toFixed(1)},${qy.toFixed(1)} ${ex.toFixed(1)},${ey.toFixed(1)}`;
        if (!blockers.some((box) => quadCrosses(sx, sy, qx, qy, ex, ey, box))) break;
      }
    }
    parts.push(`<path class="edge${lit}" d="${d}" marker-end="url(#${o.id}-arrow)"><title>${esc(labels)}</title></path>`);
  }
  parts.push('</g><g class="states">');
  for (const s of info.states) {
    const b = boxes.get(s.id)!;
    const count = o.counts[s.id] ?? 0;
    const lit = count > 0 ? ' lit' : '';
    // Lines 14 px apart from the top; the count sits under the last, at the same distance from the box's foot whatever the height.
    const label = b.lines
      .map((line, k) => {
        const squeeze = fits(line) ? '' : ` textLength="${LABEL_ROOM_PX}" lengthAdjust="spacingAndGlyphs"`;
        return `<tspan x="${b.w / 2}" y="${18 + 14 * k}"${squeeze}>${esc(line)}</tspan>`;
      })
      .join('');
    parts.push(
      `<g class="state tone-${esc(b.tone)}${lit}" data-state="${esc(s.id)}" transform="translate(${b.x},${b.y})">` +
        `<rect width="${b.w}" height="${b.h}" rx="8"/>` +
        `<text class="state-label" text-anchor="middle">${label}</text>` +
        `<text class="state-count" x="${b.w / 2}" y="${b.h - 9}" text-anchor="middle">${esc(fmt(count))}</text>` +
        `<title>${esc(s.description)}</title></g>`,
    );
  }
  parts.push('</g></svg>');
  return parts.join('');
}
