/**
 * Where everything in the SYN-queue picture goes, as data (so tests can check
 * that nothing leaves the drawing and no two labels overlap): the wire counts
 * of the second as marks with words, then each queue as a grid of slots at its
 * real limit, then the application, then the legend.
 *
 * A queue with more slots than MAX_CELLS is drawn in blocks, each standing for
 * the same round number of entries; the filled blocks (entries / block size,
 * rounded up) are shared among kinds and ages by largest remainder, so a grid
 * never shows more than the queue's limit and a block's colour is that of the
 * entries that fill most of it.
 */
import type { SynQueueFrame, SynQueueScene } from '../../sim/syn-queue/scene.ts';
import { fmt } from '../charts/escape.ts';

export const PAD = 10;
/** Text is 11 px (headings 13 px); these widths are generous so a label never runs past its box. */
const CHAR_W = 6.7;
const HEAD_CHAR_W = 8;
const LINE_H = 17;
export const MAX_CELLS = 160;
const BLOCK_SIZES = [1, 2, 4, 5, 8, 10, 16, 20, 25, 32, 50, 64, 100, 128, 200, 256];

export type CellKind = 'legit' | 'broken' | 'spoofed' | 'cookie' | 'empty' | 'reserved';
export type MarkShape = 'syn' | 'synack' | 'drop' | 'rst' | 'expired' | 'accept';

/** A line of text; `y` is its baseline, and it takes the box [x, x + w] by [y - 11, y + 4] (headings a little taller). */
export interface Label { x: number; y: number; w: number; h: number; text: string; cls: string }
export interface Cell { x: number; y: number; size: number; kind: CellKind; /** SYN-ACKs had, for a SYN-queue entry. */ synAcks?: number }
export interface Mark { x: number; y: number; shape: MarkShape }

export interface SynQueueLayout {
  width: number;
  height: number;
  labels: Label[];
  cells: { syn: Cell[]; accept: Cell[]; legend: Cell[] };
  marks: Mark[];
  /** Entries one block stands for, per queue. */
  perBlock: { syn: number; accept: number };
}

/** The smallest round block size that draws `cap` slots in at most MAX_CELLS blocks. */
export function entriesPerBlock(cap: number): number {
  return BLOCK_SIZES.find((n) => Math.ceil(cap / n) <= MAX_CELLS) ?? Math.ceil(cap / MAX_CELLS);
}

interface Group { kind: CellKind; count: number; synAcks?: number }

/** The SYN queue's groups in drawing order: kind by kind, youngest first. */
export function synGroups(frame: SynQueueFrame): Group[] {
  const kinds: CellKind[] = ['legit', 'broken', 'spoofed'];
  return frame.syn.flatMap((byAge, c) => byAge.map((count, r) => ({ kind: kinds[c]!, count, synAcks: r + 1 })).filter((g) => g.count > 0));
}

export function acceptGroups(frame: SynQueueFrame): Group[] {
  return [{ kind: 'legit' as CellKind, count: frame.accept[0] }, { kind: 'cookie' as CellKind, count: frame.accept[1] }].filter((g) => g.count > 0);
}

/** Filled blocks per group: ceil(entries / per) in all, shared by largest remainder (ties to the earlier group). */
export function apportion(groups: readonly Group[], per: number): number[] {
  const total = groups.reduce((s, g) => s + g.count, 0);
  const blocks = groups.map((g) => Math.floor(g.count / per));
  let left = Math.ceil(total / per) - blocks.reduce((s, b) => s + b, 0);
  const order = groups.map((g, i) => i).sort((a, b) => (groups[b]!.count % per) - (groups[a]!.count % per) || a - b);
  for (const i of order) {
    if (left <= 0) break;
    if (groups[i]!.count % per === 0) continue;
    blocks[i]!++;
    left--;
  }
  return blocks;
}

export const textWidth = (text: string, cls = '') => text.length * (cls.includes('head') ? HEAD_CHAR_W : CHAR_W);

/** Places labels top to bottom, and marks with their words left to right, wrapping at the width. */
class Flow {
  y = PAD;
  labels: Label[] = [];
  marks: Mark[] = [];
  swatches: Cell[] = [];
  private x = PAD;
  readonly width: number;
  constructor(width: number) {
    this.width = width;
  }

  line(text: string, cls = 'sq-note'): void {
    this.newLine();
    const head = cls.includes('head');
    this.y += head ? 15 : 13;
    this.labels.push({ x: PAD, y: this.y, w: textWidth(text, cls), h: head ? 17 : 15, text, cls });
    this.y += 4;
  }

  /** Words wrapped to the width, one label per line. */
  para(text: string, cls = 'sq-note'): void {
    const max = Math.floor((this.width - 2 * PAD) / CHAR_W);
    let line = '';
    for (const word of text.split(' ')) {
      if (line && (line + ' ' + word).length > max) {
        this.line(line, cls);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) this.line(line, cls);
  }

  /** Words after a mark (12 px) or a legend swatch (14 px), on this line if they fit, else on the next. */
  chip(text: string, lead: { mark: MarkShape } | { swatch: CellKind }, cls = 'sq-wire'): void {
    const w = 18 + textWidth(text);
    if (this.x > PAD && this.x + w > this.width - PAD) this.newLine();
    if (this.x === PAD) this.y += LINE_H;
    if ('mark' in lead) this.marks.push({ x: this.x, y: this.y - 10, shape: lead.mark });
    else this.swatches.push({ x: this.x, y: this.y - 11, size: 14, kind: lead.swatch });
    this.labels.push({ x: this.x + 18, y: this.y, w: textWidth(text), h: 15, text, cls });
    this.x += w + 14;
  }

  newLine(): void {
    if (this.x > PAD) this.y += 4;
    this.x = PAD;
  }
}

/** A queue's slots, filled in order; free slots from `reservedFrom` entries on are kept for proven peers. */
function grid(flow: Flow, cap: number, groups: readonly Group[], vertical: boolean, reservedFrom = Infinity): { cells: Cell[]; per: number } {
  const per = entriesPerBlock(cap);
  const slots = Math.ceil(cap / per);
  // Compact (420 units): 40 columns, so a grid takes fewer lines; its blocks are too small for the SYN-ACK numbers, whose tint stays.
  const cols = vertical ? 16 : flow.width === COMPACT_WIDTH ? 40 : 32;
  const size = Math.floor((flow.width - 2 * PAD) / cols);
  const counts = apportion(groups, per);
  const cells: Cell[] = [];
  const top = flow.y + 6;
  const place = (kind: CellKind, synAcks?: number) => {
    const n = cells.length;
    cells.push({ x: PAD + (n % cols) * size, y: top + Math.floor(n / cols) * size, size: size - 2, kind, ...(synAcks === undefined ? {} : { synAcks }) });
  };
  groups.forEach((g, i) => {
    for (let k = 0; k < counts[i]!; k++) place(g.kind, g.synAcks);
  });
  while (cells.length < slots) place(cells.length * per >= reservedFrom ? 'reserved' : 'empty');
  flow.y = top + Math.ceil(slots / cols) * size + 2;
  return { cells, per };
}

const plural = (n: number, one: string, many = `${one}s`) => `${fmt(n)} ${n === 1 ? one : many}`;

/** When the listener resends a SYN-ACK, and when an entry goes: said under the wide picture, and in words. */
export function synAckSchedule(scene: SynQueueScene): string {
  const at = scene.synAckAtMs.map((ms) => fmt(ms / 1000)).join(', ');
  return `SYN-ACKs go out ${at} s after the SYN; an entry with none left expires at its next timeout (sooner when the kernel prunes a crowded queue).`;
}

/** The backlog listen() was given, when the kernel kept another: "backlog 8192 → 4096 (somaxconn)"; null when kept as given. */
export function backlogClamp(scene: SynQueueScene): string | null {
  const { backlog, somaxconn, effective } = scene.listen;
  if (backlog === effective) return null;
  const why = backlog < 0 ? 'somaxconn: a negative backlog reads as a huge unsigned one' : 'somaxconn';
  return `listen() backlog ${fmt(backlog)} → ${fmt(effective)} (${why}${somaxconn === effective ? '' : ` ${fmt(somaxconn)}`})`;
}

/**
 * The compact layout (a small box or a slide) is the same flow in 420 units, so its 11-unit words
 * come out half as large again; it puts each queue's peak and block size on its heading's line, names
 * the legend's kinds in a word each, and leaves the SYN-ACK schedule and the numbers in the blocks
 * to the picture in words.
 */
export const COMPACT_WIDTH = 420;

export function synQueueLayout(scene: SynQueueScene, frame: SynQueueFrame, vertical: boolean, compact = false): SynQueueLayout {
  compact = compact && !vertical;
  const flow = new Flow(vertical ? 340 : compact ? COMPACT_WIDTH : 600);
  const w = frame.wire;
  flow.line('On the wire in this second', 'sq-head');
  flow.chip(`${plural(w.syn, 'SYN')} in`, { mark: 'syn' });
  const extra = [w.resent > 0 ? `${fmt(w.resent)} resent` : '', w.cookie > 0 ? plural(w.cookie, 'cookie') : ''].filter(Boolean).join(', ');
  flow.chip(`${plural(w.synAck, 'SYN-ACK')} out${extra ? ` (${extra})` : ''}`, { mark: 'synack' });
  flow.chip(`${fmt(w.drop)} dropped`, { mark: 'drop' });
  flow.chip(plural(w.rst, 'RST'), { mark: 'rst' });
  flow.chip(`${fmt(w.expired)} expired`, { mark: 'expired' });
  flow.newLine();

  const synTotal = frame.syn.flat().reduce((s, n) => s + n, 0);
  const accTotal = frame.accept[0] + frame.accept[1];
  const blockWords = (per: number) => (per === 1 ? '1 slot = 1 entry' : `1 block = ${per} entries`);
  const perSyn = entriesPerBlock(scene.synQueueCap);
  flow.y += 6;
  const clamp = backlogClamp(scene);
  if (clamp) flow.para(clamp);
  // Compact: the peak and the block size on the heading's line.
  const headExtra = (peak: number, per: number) => (compact ? `, peak ${fmt(peak)}${per === 1 ? '' : ` (block = ${per})`}` : '');
  flow.line(`SYN queue: ${fmt(synTotal)} of ${fmt(scene.synQueueCap)}${headExtra(frame.peak[0], perSyn)}`, 'sq-head');
  const proven = scene.provenOnlyAbove;
  if (!compact) flow.para(`peak in this second ${fmt(frame.peak[0])}; ${blockWords(perSyn)}; number = SYN-ACKs had${proven === null ? '' : `; past ${fmt(proven)} only proven peers get in`}`);
  const syn = grid(flow, scene.synQueueCap, synGroups(frame), vertical, proven ?? Infinity);

  const perAcc = entriesPerBlock(scene.acceptQueueCap);
  flow.y += 6;
  flow.line(`Accept queue: ${fmt(accTotal)} of ${fmt(scene.acceptQueueCap)}${headExtra(frame.peak[1], perAcc)}`, 'sq-head');
  if (!compact) flow.para(`peak in this second ${fmt(frame.peak[1])}; ${blockWords(perAcc)}`);
  const accept = grid(flow, scene.acceptQueueCap, acceptGroups(frame), vertical);
  flow.y += 4;
  flow.chip(compact ? `application accepted ${fmt(w.accepted)}` : `the application accepted ${fmt(w.accepted)} this second`, { mark: 'accept' });
  flow.newLine();

  // The legend: a swatch per kind, with its words.
  flow.y += 6;
  const kinds: [CellKind, string][] = compact
    ? [['legit', 'legit'], ['broken', 'broken'], ['spoofed', 'spoofed'], ['cookie', 'cookie'], ['empty', 'free']]
    : [['legit', 'legitimate'], ['broken', 'broken client'], ['spoofed', 'spoofed'], ['cookie', 'answered by a cookie'], ['empty', 'free slot']];
  if (scene.provenOnlyAbove !== null) kinds.push(['reserved', compact ? 'proven only' : 'free, proven peers only']);
  for (const [kind, words] of kinds) flow.chip(words, { swatch: kind }, 'sq-legend');
  flow.newLine();
  if (!compact) flow.para(synAckSchedule(scene));
  return { width: flow.width, height: flow.y + PAD, labels: flow.labels, cells: { syn: syn.cells, accept: accept.cells, legend: flow.swatches }, marks: flow.marks, perBlock: { syn: syn.per, accept: accept.per } };
}
