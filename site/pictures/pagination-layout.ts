/**
 * Where everything in the pagination picture goes, as data, so the tests can
 * check it without a browser: the index as a strip drawn to scale (one block
 * stands for a round number of rows), the rows the page's scan read on it,
 * and below it the rows around the page one box a row, with the marks the
 * frame holds. Text positions come with an estimated width so that overlaps
 * can be tested.
 */
import { pageState, type PageState, type PaginationScene } from '../../sim/pagination/scene.ts';

export type SegKind = 'discarded' | 'page' | 'unread';
export type Mark = 'R' | 'L' | 'N' | 'S';

export interface Txt { x: number; y: number; text: string; size: number; anchor: 'start' | 'middle'; cls: string }
/** A stretch of the strip: rows [from, to) in index order, at x..x + w. */
export interface Seg { kind: SegKind; from: number; to: number; x: number; w: number }
/** One box of the zoom: a row (pos relative to the page's first row), or a fold standing for `rows` rows of the page alike (same mark or none), labelled with their count. */
export interface Cell { kind: SegKind | 'gap'; pos: number; rows: number; x: number; w: number; mark?: Mark }
export interface LegendItem { kind: SegKind | 'cursor' | Mark; label: string; x: number; y: number }

export interface PictureLayout {
  /** Drawn compact (its words at 12 units): asked for, and the page's rows fitted its width. */
  compact: boolean;
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

/** A run of the page's rows that share a mark (or have none): `head` and `tail` rows drawn one box each, any between folded into one box. */
interface Run { from: number; to: number; mark?: Mark; head: number; tail: number }

/** Width of a folded run's box: room for its count and letter ("R150"). */
const FOLD_W = 36;
/** Room around a fold's count, both sides together, when the fold is only as wide as its count. */
const FOLD_PAD = 8;
/** The narrowest a single row's box may get in the compact or narrow layout before it gives way to the wide one. */
const MIN_CELL_W = 4;

/**
 * The page's rows as runs of one kind, to fit `slots` boxes: when they do not, the longest runs
 * are folded, each into one box that keeps its mark and says how many rows it stands for, and
 * any room left shows the first and last rows of the folded runs.
 */
function pageRuns(got: number, marks: ReadonlyMap<number, Mark>, slots: number, foldSlots: number): Run[] {
  const runs: Run[] = [];
  for (let i = 0; i < got; ) {
    const mark = marks.get(i);
    let j = i + 1;
    while (j < got && marks.get(j) === mark) j++;
    runs.push({ from: i, to: j, head: j - i, tail: 0, ...(mark ? { mark } : {}) });
    i = j;
  }
  let used = got;
  const folded: Run[] = [];
  for (const r of [...runs].sort((a, b) => b.to - b.from - (a.to - a.from))) {
    if (used <= slots || r.to - r.from <= foldSlots + 1) break;
    r.head = 0;
    used -= r.to - r.from - foldSlots;
    folded.push(r);
  }
  // Hand the room left back to the folded runs' ends, a row at a time, keeping at least two rows folded.
  for (let grew = true; grew && used < slots; ) {
    grew = false;
    for (const r of folded) {
      if (used >= slots || r.to - r.from - r.head - r.tail <= 2) continue;
      if (r.head <= r.tail) r.head++;
      else r.tail++;
      used++;
      grew = true;
    }
  }
  return runs;
}

export function headline(scene: PaginationScene, f: PageState): string {
  // The reader asks page n with OFFSET (n - 1) × LIMIT (reader.ts), even past the end of the table.
  if (scene.method === 'offset') return `Page ${groupDigits(f.page)}: LIMIT ${scene.limit} OFFSET ${groupDigits((f.page - 1) * scene.limit)}`;
  return `Page ${groupDigits(f.page)}: keyset, LIMIT ${scene.limit} after the cursor`;
}

export function readLine(scene: PaginationScene, f: PageState): string {
  if (scene.seqScan) return `No index on the order: a Seq Scan read all ${plural(f.read, 'row')}, sorted them and returned ${groupDigits(f.got)}.`;
  if (scene.method !== 'offset') return `The scan read ${plural(f.read, 'row')}: only the page, starting at row ${groupDigits(f.at + 1)} of ${groupDigits(f.rows)}.`;
  return `The scan read ${plural(f.read, 'row')}: it threw away the ${groupDigits(f.read - f.got)} before the page and returned ${groupDigits(f.got)}.`;
}

/** The frame at a sample index, clamped to the run. */
export const frameAt = (scene: PaginationScene, index: number): PageState => pageState(scene.frames[Math.min(scene.frames.length - 1, Math.max(0, index))]!);

/** The other sessions' writes since the previous page and what they did to this one; '' when there were none. */
export function writesLine(scene: PaginationScene, f: PageState): string {
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

/** What the strip stands for: the index (or, with none, the sorted table) and its order. */
export function indexLine(scene: PaginationScene, f: PageState): string {
  const order = scene.newestFirst ? 'newest first' : 'oldest first';
  return scene.seqScan ? `The table, sorted ${order}: ${plural(f.rows, 'row')}` : `The index: ${plural(f.rows, 'row')} in (created_at, id) order${scene.newestFirst ? ', read backward (newest first)' : ''}`;
}

/**
 * Wide (600), narrow (340), or compact (420, for a small box or a slide): the wide picture's flow
 * in fewer units, its small words at 12 instead of 11, the strip's label cut to its counts and the
 * line that explains the boxes left to the words.
 */
export function layoutPicture(scene: PaginationScene, index: number, vertical: boolean, compact = false): PictureLayout {
  compact = compact && !vertical;
  const f = frameAt(scene, index);
  const width = vertical ? 340 : compact ? 420 : 600;
  const small = compact ? 12 : 11;
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
  const perBlock = rowsPerBlock(f.rows, vertical ? 20 : compact ? 30 : 40);
  y += 6;
  if (compact) para(`${scene.seqScan ? 'Table' : 'Index'}: ${plural(f.rows, 'row')}; block = ${plural(perBlock, 'row')}`, small, 'label');
  else para(`${indexLine(scene, f)}. One block = ${plural(perBlock, 'row')}.`, 11, 'label');
  y += 14; // room for the page's pointer
  const pxPerRow = innerW / Math.max(1, f.rows);
  const xOf = (row: number) => PAD + row * pxPerRow;
  const blockXs: number[] = [];
  for (let r = perBlock; r < f.rows; r += perBlock) blockXs.push(xOf(r));
  const segs: Seg[] = [];
  const seg = (kind: SegKind, from: number, to: number) => {
    if (to > from) segs.push({ kind, from, to, x: xOf(from), w: (to - from) * pxPerRow });
  };
  // A Seq Scan reads every row, before the page and after it, and throws away all but the page.
  const readAll = scene.seqScan === true;
  seg(offset || readAll ? 'discarded' : 'unread', 0, f.at);
  seg('page', f.at, f.at + f.got);
  seg(readAll ? 'discarded' : 'unread', f.at + f.got, f.rows);
  // A page of 20 rows in millions is thinner than a line: it is drawn at least 3 px wide, with a pointer.
  const pageW = Math.max(3, f.got * pxPerRow);
  const pageX = Math.min(PAD + innerW - pageW, xOf(f.at));
  const strip = { x: PAD, y, w: innerW, h: STRIP_H, rowsPerBlock: perBlock, blockXs, segs, pageX, pageW };
  // Room for the lines from the page on the strip to its rows below.
  y += STRIP_H + 30;

  // The zoom: rows around the page, one box each.
  const marks = new Map<number, Mark>();
  for (const p of f.skipAt) marks.set(p, 'S');
  for (const i of f.again) marks.set(i, 'R');
  for (const i of f.late) marks.set(i, 'L');
  for (const i of f.fresh) marks.set(i, 'N');
  let cellW = vertical ? 12 : compact ? 15 : 18;
  const before = Math.min(vertical ? 3 : compact ? 4 : 6, f.at);
  const after = Math.min(vertical ? 2 : 3, Math.max(0, f.rows - f.at - f.got));
  const foldSlots = FOLD_W / cellW;
  const runs = pageRuns(f.got, marks, Math.floor(innerW / cellW) - before - after, foldSlots);
  // A page broken into many short runs may still not fit: then the single rows' boxes get narrower,
  // and a folded run's box keeps the width its count needs.
  const folded = runs.filter((r) => r.head + r.tail < r.to - r.from);
  const singles = before + after + runs.reduce((n, r) => n + r.head + r.tail, 0);
  const foldLabel = (r: Run) => `${r.mark ?? ''}${groupDigits(r.to - r.from - r.head - r.tail)}`;
  // Each fold is FOLD_W wide, room for any count; where that many folds leave no room for the single
  // rows (busy writers speckle a page with new and repeated rows), each is as wide as its own count.
  const narrowFolds = folded.length * FOLD_W + singles * MIN_CELL_W > innerW;
  const foldW = (r: Run) => (narrowFolds ? Math.ceil(textWidth({ text: foldLabel(r), size: small })) + FOLD_PAD : FOLD_W);
  const foldsW = folded.reduce((n, r) => n + foldW(r), 0);
  // Past that, the compact and the narrow widths give way to the wide layout's.
  if ((compact || vertical) && foldsW + singles * MIN_CELL_W > innerW) return layoutPicture(scene, index, false, false);
  if (singles * cellW + foldsW > innerW) cellW = (innerW - foldsW) / singles;
  const cells: Cell[] = [];
  let x = PAD;
  const box = (kind: SegKind, pos: number) => {
    const mark = marks.get(pos);
    cells.push({ kind, pos, rows: 1, x, w: cellW, ...(mark ? { mark } : {}) });
    x += cellW;
  };
  for (let p = -before; p < 0; p++) box(offset || readAll ? 'discarded' : 'unread', p);
  for (const run of runs) {
    for (let p = run.from; p < run.from + run.head; p++) box('page', p);
    const rows = run.to - run.from - run.head - run.tail;
    if (rows > 0) {
      const w = foldW(run);
      cells.push({ kind: 'gap', pos: run.from + run.head, rows, x, w, ...(run.mark ? { mark: run.mark } : {}) });
      texts.push({ x: x + w / 2, y: y + CELL_H / 2 + 4, text: foldLabel(run), size: small, anchor: 'middle', cls: 'gap-count' });
      x += w;
    }
    for (let p = run.to - run.tail; p < run.to; p++) box('page', p);
  }
  for (let p = f.got; p < f.got + after; p++) box(readAll ? 'discarded' : 'unread', p);
  const zoom = { y, h: CELL_H, cells };
  const cursorX = offset ? null : PAD + before * cellW;
  y += CELL_H;
  if (!compact) para(`Each box above is one row: the page, and the rows ${readAll ? 'the Seq Scan read and threw away around it' : offset ? 'OFFSET read and threw away just before it' : 'beside it'}.`, 11, 'label');
  else y += 4;
  y += 4;
  if (!f.stopped) para(writesLine(scene, f), small, 'note');
  const total = totalsSoFar(scene, index);
  para(`So far: ${plural(total.again, 'row')} returned again, ${plural(total.skipped, 'row')} skipped.`, small, 'note');
  y += 6;

  // The legend, flowing in lines, with this page's counts.
  const items: Omit<LegendItem, 'x' | 'y'>[] = [];
  if (offset || readAll) items.push({ kind: 'discarded', label: 'read, thrown away' });
  if (!offset) items.push({ kind: 'cursor', label: readAll ? 'cursor: the Filter keeps rows from here' : 'cursor: the scan starts here' });
  items.push({ kind: 'page', label: 'returned' });
  if (!readAll) items.push({ kind: 'unread', label: 'not read' });
  const skipsBoxed = cells.filter((c) => c.mark === 'S').length;
  const skipsLabel = `skipped: ${groupDigits(f.skipped)}${skipsBoxed < f.skipped ? ` (${groupDigits(f.skipped - skipsBoxed)} before the boxes)` : ''}`;
  items.push({ kind: 'R', label: `returned again: ${f.again.length}` }, { kind: 'S', label: skipsLabel });
  if (f.late.length > 0) items.push({ kind: 'L', label: `returned late: ${f.late.length}` });
  if (f.fresh.length > 0) items.push({ kind: 'N', label: `new rows: ${f.fresh.length}` });
  const legend: LegendItem[] = [];
  let lx = PAD;
  y += 13;
  for (const it of items) {
    const w = 20 + textWidth({ text: it.label, size: small });
    if (lx + w > PAD + innerW) {
      lx = PAD;
      y += 18;
    }
    legend.push({ ...it, x: lx, y });
    texts.push({ x: lx + 18, y, text: it.label, size: small, anchor: 'start', cls: 'legend' });
    lx += w + 14;
  }
  y += 6;
  return { compact, width, height: y + PAD, texts, strip, zoom, cursorX, legend };
}

/** Rows returned again and rows skipped over the walk up to this sample (a row returned late is no longer skipped). */
export function totalsSoFar(scene: PaginationScene, index: number): { again: number; skipped: number } {
  let again = 0;
  let skipped = 0;
  for (const f of scene.frames.slice(0, index + 1)) {
    again += f.again?.length ?? 0;
    // A row returned late was counted skipped when it was passed over: it is seen now.
    skipped += (f.skipped ?? 0) - (f.late?.length ?? 0);
  }
  return { again, skipped };
}
