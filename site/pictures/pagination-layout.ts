/**
 * Where everything in the pagination picture goes, as data, so the tests can
 * check it without a browser: the index as a strip drawn to scale (one block
 * stands for a round number of rows), the rows the page's scan read on it,
 * and below it the rows around the page one box a row, with the marks the
 * frame holds. Text positions come with an estimated width so that overlaps
 * can be tested.
 */
import type { PageFrame, PaginationScene } from '../../sim/pagination/scene.ts';

export type SegKind = 'discarded' | 'page' | 'unread';
export type Mark = 'R' | 'L' | 'N' | 'S';

export interface Txt { x: number; y: number; text: string; size: number; anchor: 'start' | 'middle'; cls: string }
/** A stretch of the strip: rows [from, to) in index order, at x..x + w. */
export interface Seg { kind: SegKind; from: number; to: number; x: number; w: number }
/** One box of the zoom: a row (pos relative to the page's first row), or a gap standing for `rows` rows of the page not drawn one by one. */
export interface Cell { kind: SegKind | 'gap'; pos: number; rows: number; x: number; w: number; mark?: Mark }
export interface LegendItem { kind: SegKind | 'cursor' | Mark; label: string; x: number; y: number }

export interface PictureLayout {
  width: number;
  height: number;
  texts: Txt[];
  strip: { x: number; y: number; w: number; h: number; rowsPerBlock: number; blockXs: number[]; segs: Seg[]; pageX: number; pageW: number };
  zoom: { y: number; h: number; cells: Cell[] };
  /** Keyset only: where the scan starts, at the page's first row. */
  cursorX: number | null;
  legend: LegendItem[];
}

const PAD = 10;
const STRIP_H = 22;
const CELL_H = 22;
/** Sans-serif text is at most about 0.6 em a character on average: the width the overlap test assumes. */
export const textWidth = (t: Pick<Txt, 'text' | 'size'>): number => t.text.length * t.size * 0.6;

export const groupDigits = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const plural = (n: number, one: string, many = `${one}s`) => `${groupDigits(n)} ${n === 1 ? one : many}`;

/** The smallest round number (1, 2, 2.5 or 5 times a power of ten) of rows a block can stand for, so that `rows` fit in `blocks`. */
export function rowsPerBlock(rows: number, blocks: number): number {
  for (let unit = 1; ; unit *= 10) for (const m of [1, 2, 2.5, 5]) if (m * unit * blocks >= rows) return m * unit;
}

/** Breaks `text` into lines no wider than `maxW`, at spaces. */
function wrap(text: string, size: number, maxW: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth({ text: next, size }) > maxW) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** The page's rows to draw one by one: all of them when they fit, else the first and last few and every marked one, the rest as gaps. */
function pageRuns(got: number, marked: ReadonlySet<number>, budget: number): { from: number; to: number; gap: boolean }[] {
  const GAP_CELLS = 3;
  if (got <= budget) return got > 0 ? [{ from: 0, to: got, gap: false }] : [];
  const shown = new Set(marked);
  const ends = Math.max(1, Math.floor((budget - shown.size - 2 * GAP_CELLS) / 2));
  for (let i = 0; i < ends; i++) shown.add(i).add(got - 1 - i);
  const runs: { from: number; to: number; gap: boolean }[] = [];
  for (let i = 0; i < got; ) {
    const gap = !shown.has(i);
    let j = i;
    while (j < got && !shown.has(j) === gap) j++;
    runs.push({ from: i, to: j, gap });
    i = j;
  }
  return runs;
}

export function headline(scene: PaginationScene, f: PageFrame): string {
  if (scene.method === 'offset') return `Page ${groupDigits(f.page)}: LIMIT ${scene.limit} OFFSET ${groupDigits((f.page - 1) * scene.limit)}`;
  return `Page ${groupDigits(f.page)}: keyset, LIMIT ${scene.limit} after the cursor`;
}

export function readLine(scene: PaginationScene, f: PageFrame): string {
  if (scene.method !== 'offset') return `The scan read ${plural(f.read, 'row')}: only the page, starting at row ${groupDigits(f.at + 1)} of ${groupDigits(f.rows)}.`;
  return `The scan read ${plural(f.read, 'row')}: it threw away the ${groupDigits(f.read - f.got)} before the page and returned ${groupDigits(f.got)}.`;
}

/** The frame at a sample index, clamped to the run. */
export const frameAt = (scene: PaginationScene, index: number): PageFrame => scene.frames[Math.min(scene.frames.length - 1, Math.max(0, index))]!;

/** The other sessions' writes since the previous page and what they did to this one; '' when there were none. */
export function writesLine(scene: PaginationScene, f: PageFrame): string {
  const behind = f.insBehind + f.delBehind;
  const ahead = f.insAhead + f.delAhead;
  if (behind + ahead === 0) return '';
  const since = `Since page ${groupDigits(f.page - 1)}:`;
  const aheadText = ahead > 0 ? ` ${plural(ahead, 'write')} landed ahead of the reader.` : '';
  if (behind === 0) return `${since}${aheadText}`;
  const what = [f.insBehind > 0 ? plural(f.insBehind, 'INSERT') : '', f.delBehind > 0 ? plural(f.delBehind, 'DELETE') : ''].filter(Boolean).join(' and ');
  const net = f.insBehind - f.delBehind;
  const effect =
    scene.method !== 'offset' ? 'keyset starts after its last row, so they move nothing'
    : net > 0 ? `every row after them moved ${plural(net, 'place')} later`
    : net < 0 ? `every row after them moved ${plural(-net, 'place')} earlier`
    : 'their shifts cancel out';
  return `${since} ${what} behind the reader: ${effect}.${aheadText}`;
}

export function layoutPicture(scene: PaginationScene, index: number, vertical: boolean): PictureLayout {
  const f = frameAt(scene, index);
  const width = vertical ? 340 : 600;
  const innerW = width - 2 * PAD;
  const offset = scene.method === 'offset';
  const texts: Txt[] = [];
  let y = PAD;
  const para = (text: string, size: number, cls: string) => {
    for (const line of wrap(text, size, innerW)) {
      y += size + 3;
      texts.push({ x: PAD, y, text: line, size, anchor: 'start', cls });
    }
  };
  para(headline(scene, f), 13, 'head');
  if (f.stopped) para(`The reader has stopped: page ${groupDigits(f.page)} came back with ${plural(f.got, 'row')}, the end of the table.`, 12, 'note');
  else para(readLine(scene, f), 12, 'note');

  // The strip: every row of the index at one scale; block lines every rowsPerBlock rows.
  const perBlock = rowsPerBlock(f.rows, vertical ? 20 : 40);
  y += 6;
  para(`The index: ${plural(f.rows, 'row')} in (created_at, id) order. One block = ${plural(perBlock, 'row')}.`, 11, 'label');
  y += 12; // room for the page's pointer
  const pxPerRow = innerW / Math.max(1, f.rows);
  const xOf = (row: number) => PAD + row * pxPerRow;
  const blockXs: number[] = [];
  for (let r = perBlock; r < f.rows; r += perBlock) blockXs.push(xOf(r));
  const segs: Seg[] = [];
  const seg = (kind: SegKind, from: number, to: number) => {
    if (to > from) segs.push({ kind, from, to, x: xOf(from), w: (to - from) * pxPerRow });
  };
  seg(offset ? 'discarded' : 'unread', 0, f.at);
  seg('page', f.at, f.at + f.got);
  seg('unread', f.at + f.got, f.rows);
  // A page of 20 rows in millions is thinner than a line: it is drawn at least 3 px wide, with a pointer.
  const pageW = Math.max(3, f.got * pxPerRow);
  const pageX = Math.min(PAD + innerW - pageW, xOf(f.at));
  const strip = { x: PAD, y, w: innerW, h: STRIP_H, rowsPerBlock: perBlock, blockXs, segs, pageX, pageW };
  // Room for the lines from the page on the strip to its rows below.
  y += STRIP_H + 30;

  // The zoom: rows around the page, one box each.
  const cellW = vertical ? 12 : 18;
  const before = Math.min(vertical ? 3 : 6, f.at);
  const after = Math.min(vertical ? 2 : 3, Math.max(0, f.rows - f.at - f.got));
  const marks = new Map<number, Mark>();
  for (const i of f.again) marks.set(i, 'R');
  for (const i of f.late) marks.set(i, 'L');
  for (const i of f.fresh) marks.set(i, 'N');
  for (const p of f.skipAt) marks.set(p, 'S');
  const budget = Math.floor(innerW / cellW) - before - after;
  const cells: Cell[] = [];
  let x = PAD;
  const box = (kind: SegKind, pos: number) => {
    const mark = marks.get(pos);
    cells.push({ kind, pos, rows: 1, x, w: cellW, ...(mark ? { mark } : {}) });
    x += cellW;
  };
  for (let p = -before; p < 0; p++) box(offset ? 'discarded' : 'unread', p);
  const pageMarks = new Set([...f.again, ...f.late, ...f.fresh]);
  for (const run of pageRuns(f.got, pageMarks, budget)) {
    if (!run.gap) for (let p = run.from; p < run.to; p++) box('page', p);
    else {
      cells.push({ kind: 'gap', pos: run.from, rows: run.to - run.from, x, w: 3 * cellW });
      texts.push({ x: x + 1.5 * cellW, y: y + CELL_H / 2 + 4, text: groupDigits(run.to - run.from), size: 11, anchor: 'middle', cls: 'gap-count' });
      x += 3 * cellW;
    }
  }
  for (let p = f.got; p < f.got + after; p++) box('unread', p);
  const zoom = { y, h: CELL_H, cells };
  const cursorX = offset ? null : PAD + before * cellW;
  y += CELL_H;
  para(`Each box above is one row: the page, and the rows ${offset ? 'OFFSET read and threw away just before it' : 'beside it'}.`, 11, 'label');
  y += 4;
  if (!f.stopped) para(writesLine(scene, f), 11, 'note');
  const total = totalsSoFar(scene, index);
  para(`So far: ${plural(total.again, 'row')} returned again, ${plural(total.skipped, 'row')} skipped.`, 11, 'note');
  y += 6;

  // The legend, flowing in lines, with this page's counts.
  const items: Omit<LegendItem, 'x' | 'y'>[] = [];
  if (offset) items.push({ kind: 'discarded', label: 'read, thrown away' });
  else items.push({ kind: 'cursor', label: 'cursor: the scan starts here' });
  items.push({ kind: 'page', label: 'returned' }, { kind: 'unread', label: 'not read' });
  items.push({ kind: 'R', label: `returned again: ${f.again.length}` }, { kind: 'S', label: `skipped: ${groupDigits(f.skipped)}` });
  if (f.late.length > 0) items.push({ kind: 'L', label: `returned late: ${f.late.length}` });
  if (f.fresh.length > 0) items.push({ kind: 'N', label: `new row: ${f.fresh.length}` });
  const legend: LegendItem[] = [];
  let lx = PAD;
  y += 13;
  for (const it of items) {
    const w = 20 + textWidth({ text: it.label, size: 11 });
    if (lx + w > PAD + innerW) {
      lx = PAD;
      y += 18;
    }
    legend.push({ ...it, x: lx, y });
    texts.push({ x: lx + 18, y, text: it.label, size: 11, anchor: 'start', cls: 'legend' });
    lx += w + 14;
  }
  y += 6;
  return { width, height: y + PAD, texts, strip, zoom, cursorX, legend };
}

/** Rows returned again and rows skipped over the walk up to this sample (a row returned late is no longer skipped). */
export function totalsSoFar(scene: PaginationScene, index: number): { again: number; skipped: number } {
  let again = 0;
  let skipped = 0;
  for (const f of scene.frames.slice(0, index + 1)) {
    again += f.again.length;
    // A row returned late was counted skipped when it was passed over: it is seen now.
    skipped += f.skipped - f.late.length;
  }
  return { again, skipped };
}
