/**
 * Draws a pagination trace's scene (sim/pagination/scene.ts) at one sample, as
 * an SVG string: the index as a strip to scale with the rows the page's scan
 * read (hatched where OFFSET threw them away), a pointer to the page, and the
 * rows around the page one box each, lettered R (returned again), S (skipped),
 * L (returned late) and N (new row). Colour is never the only cue: hatching,
 * letters, outlines and the legend say the same, and the words say it again.
 */
import type { Trace } from '../../sim/core/index.ts';
import { pageState, type PaginationScene } from '../../sim/pagination/scene.ts';
import { esc } from '../charts/escape.ts';
import type { PictureRenderer } from './picture.ts';
import { frameAt, groupDigits, headline, indexLine, layoutPicture, readLine, totalsSoFar, writesLine } from './pagination-layout.ts';

const n = (v: number) => v.toFixed(1);
const plural = (v: number, one: string, many = `${one}s`) => `${groupDigits(v)} ${v === 1 ? one : many}`;

/** The picture at a sample in words: the page, what its scan read, what it got, the writes, the totals. */
export function pictureInWords(scene: PaginationScene, index: number): string {
  const f = frameAt(scene, index);
  const out = [`${headline(scene, f)}.`, `${indexLine(scene, f)}.`];
  if (f.stopped) out.push(`The reader has stopped: that page came back with ${plural(f.got, 'row')}, the end of the table.`);
  else {
    out.push(readLine(scene, f));
    const marks: string[] = [];
    if (f.again.length) marks.push(`${plural(f.again.length, 'row')} on this page ${f.again.length === 1 ? 'was' : 'were'} returned before`);
    if (f.skipped) marks.push(`${plural(f.skipped, 'row')} ${f.skipped === 1 ? 'was' : 'were'} passed over and never returned`);
    if (f.late.length) marks.push(`${plural(f.late.length, 'row')} passed over earlier came back late`);
    if (f.fresh.length) marks.push(`${plural(f.fresh.length, 'row')} inserted during the walk came back`);
    if (marks.length) out.push(`${marks.join('; ')}.`);
    const writes = writesLine(scene, f);
    if (writes) out.push(writes);
  }
  const t = totalsSoFar(scene, index);
  out.push(`So far: ${plural(t.again, 'row')} returned again, ${plural(t.skipped, 'row')} skipped.`);
  return out.join(' ');
}

export function renderPagination(scene: PaginationScene, index: number, o: { id: string; title: string; vertical: boolean; compact?: boolean }): string {
  const L = layoutPicture(scene, index, o.vertical, o.compact ?? false);
  const compact = L.compact;
  const { strip, zoom } = L;
  const hatch = `${o.id}-hatch`;
  const fill = (kind: string) => (kind === 'discarded' ? ` fill="url(#${hatch})"` : '');
  const p: string[] = [
    `<svg class="pagemap${compact ? ' compact' : ''}" viewBox="0 0 ${L.width} ${n(L.height)}" width="${L.width}" height="${n(L.height)}" role="img" aria-labelledby="${o.id}-title ${o.id}-desc">`,
    `<title id="${o.id}-title">${esc(o.title)}</title><desc id="${o.id}-desc">${esc(pictureInWords(scene, index))}</desc>`,
    `<defs><pattern id="${hatch}" class="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6"/><path d="M0,0 V6"/></pattern></defs>`,
    '<g class="strip" aria-hidden="true">',
  ];
  for (const s of strip.segs) p.push(`<rect class="seg ${s.kind}" x="${n(s.x)}" y="${n(strip.y)}" width="${n(s.w)}" height="${strip.h}"${fill(s.kind)}/>`);
  // Block lines only while they stay apart; the label still says what a block stands for.
  if (strip.blockXs.length <= 60) for (const x of strip.blockXs) p.push(`<path class="block" d="M${n(x)},${n(strip.y)} v${strip.h}"/>`);
  p.push(`<rect class="outline" x="${n(strip.x)}" y="${n(strip.y)}" width="${n(strip.w)}" height="${strip.h}"/>`);
  const px = strip.pageX;
  const cx = px + strip.pageW / 2;
  p.push(`<rect class="seg page" x="${n(px)}" y="${n(strip.y)}" width="${n(strip.pageW)}" height="${strip.h}"/>`);
  p.push(`<path class="pointer" d="M${n(cx - 6)},${n(strip.y - 10)} h12 l-6,8 z"/>`);
  const pageCells = zoom.cells.filter((c) => c.kind === 'page' || c.kind === 'gap');
  if (pageCells.length) {
    const a = pageCells[0]!.x;
    const last = pageCells[pageCells.length - 1]!;
    const bottom = strip.y + strip.h;
    p.push(`<path class="connector" d="M${n(px)},${n(bottom)} L${n(a)},${n(zoom.y - 2)} M${n(px + strip.pageW)},${n(bottom)} L${n(last.x + last.w)},${n(zoom.y - 2)}"/>`);
  }
  p.push('</g><g class="zoom" aria-hidden="true">');
  for (const c of zoom.cells) {
    const cls = `cell ${c.kind}${c.mark ? ` mark-${c.mark}` : ''}`;
    p.push(`<rect class="${cls}" x="${n(c.x + 1)}" y="${n(zoom.y)}" width="${n(c.w - 2)}" height="${zoom.h}" rx="2"${fill(c.kind)}/>`);
    if (c.mark && c.kind !== 'gap') p.push(`<text class="mark" x="${n(c.x + c.w / 2)}" y="${n(zoom.y + zoom.h / 2 + 4)}" text-anchor="middle">${c.mark}</text>`);
  }
  if (L.cursorX !== null) p.push(`<path class="cursor" d="M${n(L.cursorX)},${n(zoom.y - 5)} v${zoom.h + 10}"/>`);
  p.push('</g><g class="legend" aria-hidden="true">');
  for (const it of L.legend) {
    const y = it.y - 10;
    if (it.kind === 'cursor') p.push(`<path class="cursor" d="M${n(it.x + 6)},${n(y - 2)} v16"/>`);
    else if (it.kind.length > 1) p.push(`<rect class="cell ${it.kind}" x="${n(it.x)}" y="${n(y)}" width="12" height="12" rx="2"${fill(it.kind)}/>`);
    else p.push(`<rect class="cell ${it.kind === 'S' ? 'unread' : 'page'} mark-${it.kind}" x="${n(it.x)}" y="${n(y)}" width="12" height="12" rx="2"/><text class="mark" x="${n(it.x + 6)}" y="${n(y + 10)}" text-anchor="middle">${it.kind}</text>`);
  }
  p.push('</g>');
  for (const t of L.texts) p.push(`<text class="${t.cls}" x="${n(t.x)}" y="${n(t.y)}"${t.anchor === 'middle' ? ' text-anchor="middle"' : ''} aria-hidden="true">${esc(t.text)}</text>`);
  p.push('</svg>');
  return p.join('');
}

const sceneOf = (trace: Trace) => trace.scene as PaginationScene | undefined;

/** What happened between two samples, most important first: repeats and skips, the end of the table, else the cost of the page. */
export function changeBetween(scene: PaginationScene, from: number, to: number): string {
  if (from === to) return '';
  const f = frameAt(scene, to);
  const was = frameAt(scene, from);
  if (f.stopped) return was.stopped ? '' : `The reader stopped: page ${groupDigits(f.page)} came back with ${plural(f.got, 'row')}, the end of the table.`;
  // Moving forward, everything since `from`; moving back, the page at `to` alone.
  const span = scene.frames.slice(to > from ? from + 1 : to, to + 1).map(pageState);
  const again = span.reduce((s, x) => s + x.again.length, 0);
  const skipped = span.reduce((s, x) => s + x.skipped, 0);
  const pages = span.length > 1 ? `Pages ${groupDigits(span[0]!.page)} to ${groupDigits(f.page)}` : `Page ${groupDigits(f.page)}`;
  const cost = scene.seqScan
    ? `read all ${groupDigits(f.read)} rows (no index), threw away ${groupDigits(f.read - f.got)}`
    : scene.method === 'offset' ? `read ${groupDigits(f.read)} rows, threw away ${groupDigits(f.read - f.got)}` : `read ${groupDigits(f.read)} rows, only the page`;
  const what = [again ? `${plural(again, 'row')} returned again` : '', skipped ? `${plural(skipped, 'row')} skipped` : ''].filter(Boolean).join(', ');
  const ins = span.reduce((s, x) => s + x.insBehind, 0);
  const del = span.reduce((s, x) => s + x.delBehind, 0);
  const cause = ins + del > 0 && scene.method === 'offset' ? ` after ${[ins ? plural(ins, 'INSERT') : '', del ? plural(del, 'DELETE') : ''].filter(Boolean).join(' and ')} behind the reader` : '';
  return what ? `${pages}: ${what}${cause}; ${cost}.` : `${pages}: ${cost}.`;
}

/** The index and the page, as the picture panel draws it (site/panels/picture.ts). */
export const pagination: PictureRenderer = {
  render: (trace, index, o) => {
    const scene = sceneOf(trace);
    return scene ? renderPagination(scene, index, o) : '';
  },
  words: (trace, index) => {
    const scene = sceneOf(trace);
    return scene ? pictureInWords(scene, index) : '';
  },
  change: (trace, from, to) => {
    const scene = sceneOf(trace);
    return scene ? changeBetween(scene, from, to) : '';
  },
};
