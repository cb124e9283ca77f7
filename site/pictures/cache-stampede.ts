/**
 * Draws a cache-stampede frame (sim/cache-stampede/scene.ts) as an SVG string:
 * the shared cache on top (the hot key's state, its TTL as a bar, XFetch's
 * chance, the fleet lock, and with many keys how many are fresh, expired and
 * loading), the app servers below on the left, the database on the right with
 * one cell per slot and its waiting line, and an arrow from each server that
 * queried the database in the second, as thick as its count and numbered in
 * its box. The layout is data (cacheLayout), so tests can check that nothing
 * leaves the drawing and no two labels overlap.
 *
 * Colour is never the only cue: busy slots and expired keys are hatched,
 * loading keys dotted, and every count is written out.
 */
import type { Trace } from '../../sim/core/index.ts';
import type { CacheFrame, CacheScene, KeyGroup } from '../../sim/cache-stampede/scene.ts';
import { esc } from '../charts/escape.ts';
import type { PictureOptions, PictureRenderer } from './picture.ts';

export interface Rect { x: number; y: number; w: number; h: number }
export interface Label { text: string; x: number; y: number; size: number; anchor: 'start' | 'middle' | 'end'; cls: string }
export interface Arrow { app: number; count: number; d: string; width: number }
export interface CacheLayout {
  width: number;
  height: number;
  panels: (Rect & { cls: string })[];
  bars: (Rect & { cls: string })[];
  servers: (Rect & { app: number; sent: number; holder: boolean })[];
  slots: (Rect & { busy: boolean })[];
  line: Rect[];
  arrows: Arrow[];
  labels: Label[];
}

const PAD = 10;
const ROW = 20;
/** A generous average glyph width (em) for the site's sans-serif, so estimated labels are never narrower than drawn ones. */
const EM = 0.6;
export const textWidth = (l: Pick<Label, 'text' | 'size'>) => l.text.length * l.size * EM;

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
const sec = (ms: number, dp = 1) => `${(ms / 1000).toFixed(dp)} s`;
const n1 = (v: number) => v.toFixed(1);
const sentOf = (f: CacheFrame) => f.sent.reduce((a, [, n]) => a + n, 0);

const STATE_WORDS: Record<CacheFrame['hot'], string> = {
  empty: 'expired, nothing cached',
  loading: 'expired and loading, with nothing to serve',
  loadingLocked: 'expired, one rebuild under the lock',
  fresh: 'fresh',
  refreshing: 'fresh, refreshing early',
  stale: 'expired, stale copy kept',
  revalidating: 'expired, stale copy served while one refresh runs',
};
const GROUPS: KeyGroup[] = ['fresh', 'expired', 'loading'];
const isFresh = (f: CacheFrame) => f.hot === 'fresh' || f.hot === 'refreshing';
/** The hot key's state at the start of the second, and its expiry if that came during it. */
const hotWords = (f: CacheFrame) => `${STATE_WORDS[f.hot]}${f.expiredMs !== null ? `, TTL out at ${sec(f.expiredMs, 2)}` : ''}`;

function ttlWords(s: CacheScene, f: CacheFrame): string {
  if (f.ttlLeftMs > 0) return `TTL ${sec(f.ttlLeftMs)} left of ${sec(s.ttlMs, 0)}`;
  return f.staleLeftMs > 0 ? `TTL over; stale copy kept ${sec(f.staleLeftMs, 0)} more` : 'TTL over';
}

function earlyWords(f: CacheFrame): string | null {
  if (f.earlyChance === null) return null;
  if (f.earlyChance >= 1) return 'XFetch: every read recomputes';
  if (f.earlyChance >= 0.1) return `XFetch: ${Math.round(f.earlyChance * 100)}% of reads recompute early`;
  const oneIn = f.earlyChance > 0 ? Math.round(1 / f.earlyChance) : 0;
  return oneIn > 0 && oneIn < 1e9 ? `XFetch: 1 read in ${oneIn.toLocaleString('en')} recomputes early` : 'XFetch: almost no read recomputes early';
}

function lockWords(s: CacheScene, f: CacheFrame): string | null {
  if (!s.fleetLock) return null;
  const l = f.lock;
  if (!l) return 'Lock: free';
  const held = `Lock: held by app ${l.app + 1} from ${sec(l.fromMs, 2)}, lease until ${sec(l.untilMs, 2)}`;
  return l.endMs === null ? held : `${held}; ${l.end} at ${sec(l.endMs, 2)}`;
}

/** The lock in one line for the compact layout: who holds it, its lease, and how it ended. */
function shortLockWords(s: CacheScene, f: CacheFrame): string | null {
  if (!s.fleetLock) return null;
  const l = f.lock;
  if (!l) return 'Lock: free';
  return `Lock: app ${l.app + 1}, lease ${sec(l.fromMs, 2)}–${sec(l.untilMs, 2)}${l.endMs === null ? '' : `; ${l.end} ${sec(l.endMs, 2)}`}`;
}

const keysWords = (f: CacheFrame, total: number) =>
  f.keys ? `${plural(total, 'key')}: ${GROUPS.map((g) => `${f.keys![g].toLocaleString('en')} ${g}`).join(', ')}` : null;

function queriesWords(s: CacheScene, f: CacheFrame): string {
  const n = sentOf(f);
  if (n === 0) return 'No queries started this second';
  return `${plural(n, 'query', 'queries')} started this second${f.hotQueries !== n ? ` (${f.hotQueries.toLocaleString('en')} for ${s.hotKey})` : ''}`;
}

/** Splits text into lines no wider than `width` at `size` px, at spaces. */
function wrap(text: string, width: number, size: number): string[] {
  const max = Math.max(8, Math.floor(width / (size * EM)));
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * Everything the drawing places, for one frame, wide (600) or narrow (340); or compact (420, for a
 * small box or a slide): the wide arrangement with the servers a narrow column of shorter boxes,
 * their counts and the database's lines at 12 units, so the words come out half as large again.
 * Compact and `wide` (a cell at least twice as wide as tall, as a 4:3 slide gives a picture above
 * its chart): the cache a column on the left of the servers rather than a band above them, so the
 * drawing is three times as wide as tall and the cell's height lets it grow.
 */
export function cacheLayout(s: CacheScene, f: CacheFrame, vertical: boolean, compact = false, wide = false): CacheLayout {
  compact = compact && !vertical;
  wide = wide && compact;
  /** The cache column's width in the wide arrangement. */
  const cacheW = 200;
  const width = vertical ? 340 : wide ? 420 + cacheW + 20 : compact ? 420 : 600;
  /** The database's lines and the servers' counts: 11 units, 12 in the compact layout. */
  const small = compact ? 12 : 11;
  const L: CacheLayout = { width, height: 0, panels: [], bars: [], servers: [], slots: [], line: [], arrows: [], labels: [] };
  const text = (t: string, x: number, y: number, cls: string, size = 12, anchor: Label['anchor'] = 'start') => L.labels.push({ text: t, x, y, size, anchor, cls });
  /** Wrapped lines from y (a baseline); returns the next free baseline. */
  const para = (t: string, x: number, y: number, w: number, cls: string, size = 12) => {
    for (const line of wrap(t, w, size)) {
      text(line, x, y, cls, size);
      y += size + 5;
    }
    return y;
  };

  // The shared cache.
  const cx = PAD + 10;
  const cw = (wide ? cacheW : width - 2 * PAD) - 20;
  // Compact: the key's state without its moment of expiry, the lock in one line; the words keep both whole.
  let y = para(compact ? `${s.hotKey}: ${STATE_WORDS[f.hot]}` : `Shared cache: ${s.hotKey}, ${hotWords(f)}`, cx, PAD + 18, cw, 'title', 13);
  const barW = vertical || wide ? cw : compact ? 100 : 200;
  const left = Math.min(1, Math.max(0, f.ttlLeftMs / s.ttlMs));
  L.bars.push({ x: cx, y: y - 9, w: barW, h: 12, cls: 'ttl-track' });
  if (left > 0) L.bars.push({ x: cx, y: y - 9, w: barW * left, h: 12, cls: 'ttl-left' });
  else if (f.staleLeftMs > 0) L.bars.push({ x: cx, y: y - 9, w: barW, h: 12, cls: 'ttl-stale' });
  y = vertical || wide ? para(ttlWords(s, f), cx, y + ROW, cw, 'info') : para(ttlWords(s, f), cx + barW + 10, y, cw - barW - 10, 'info');
  for (const t of [earlyWords(f), compact ? shortLockWords(s, f) : lockWords(s, f), keysWords(f, s.keyCount)]) if (t) y = para(t, cx, y + 2, cw, 'info');
  if (f.keys) {
    let x = cx;
    for (const g of GROUPS) {
      const w = (cw * f.keys[g]) / s.keyCount;
      if (w > 0) L.bars.push({ x, y: y - 9, w, h: 12, cls: `keys-${g}` });
      x += w;
    }
    y += ROW;
  }
  L.panels.push({ x: PAD, y: PAD, w: wide ? cacheW : width - 2 * PAD, h: y - 4 - PAD, cls: 'cache' });
  const cacheBottom = y - 4;
  const top = wide ? PAD : y + 12;

  // The app servers: a grid, one box each; the number in a box is the queries it started.
  const sent = new Map(f.sent);
  // One row of up to ten on a phone, one column of up to ten on a wide screen: then no arrow passes behind another server.
  const cols = vertical ? Math.min(s.servers, 10) : Math.ceil(s.servers / 10);
  const rows = Math.ceil(s.servers / cols);
  const sx = wide ? PAD + cacheW + 20 : PAD;
  // Compact: boxes 30 units wide, room for a count of four characters ("1.2k") at 12.
  const sw = vertical ? width - 2 * PAD : compact ? cols * 34 - 4 : 150;
  const boxW = (sw - (cols - 1) * 4) / cols;
  const [boxH, step] = compact ? [15, 17] : [20, 24];
  text(compact ? `Apps (${s.servers})` : `App servers (${s.servers})`, sx, top + 12, 'heading');
  for (let a = 0; a < s.servers; a++) {
    const box = { x: sx + (a % cols) * (boxW + 4), y: top + 22 + Math.floor(a / cols) * step, w: boxW, h: boxH };
    const n = sent.get(a) ?? 0;
    L.servers.push({ ...box, app: a, sent: n, holder: f.lock?.app === a });
    if (boxW >= 90) text(`app ${a + 1}`, box.x + 6, box.y + 14, 'app', 11);
    const count = boxW >= 90 || n < 1000 ? n.toLocaleString('en') : `${(n / 1000).toFixed(1)}k`;
    if (n > 0) text(count, boxW >= 90 ? box.x + boxW - 6 : box.x + boxW / 2, box.y + (compact ? 11.5 : 14), 'count', small, boxW >= 90 ? 'end' : 'middle');
  }
  const serversBottom = top + 22 + rows * step;

  // The database, right of the servers (below them on a phone).
  const dx = vertical ? PAD : compact ? sx + sw + 80 : 330;
  const dw = width - PAD - dx;
  const dy = vertical ? serversBottom + 70 : top;
  const ix = dx + 10;
  const iw = dw - 20;
  text('Database', ix, dy + 16, 'heading');
  let by = para(compact ? `${plural(sentOf(f), 'query', 'queries')} started` : queriesWords(s, f), ix, dy + 34, iw, 'info', small);
  by = para(`Busy: ${f.busy} of ${s.dbSlots} slots${compact ? '' : ' (most at once)'}`, ix, by, iw, 'info', small);
  // Compact: twenty to a row, so twenty slots take one line.
  const slotCols = s.dbSlots <= 40 && !compact ? Math.min(s.dbSlots, 10) : Math.min(s.dbSlots, 20);
  const cell = Math.min(16, (iw - (slotCols - 1) * 3) / slotCols);
  for (let i = 0; i < s.dbSlots; i++) {
    L.slots.push({ x: ix + (i % slotCols) * (cell + 3), y: by - 8 + Math.floor(i / slotCols) * (cell + 3), w: cell, h: cell, busy: i < f.busy });
  }
  by += Math.ceil(s.dbSlots / slotCols) * (cell + 3) + 8;
  by = para(f.waiting > 0 ? `Waiting in line: ${f.waiting.toLocaleString('en')}${compact ? '' : ' (most at once)'}` : 'Nobody waiting in line', ix, by, iw, 'info', small);
  const fits = Math.floor((iw + 2) / 10);
  for (let i = 0; i < Math.min(f.waiting, fits); i++) L.line.push({ x: ix + i * 10, y: by - 8, w: 8, h: 10 });
  const db = { x: dx, y: dy, w: dw, h: by + 8 - dy };
  L.panels.push({ ...db, cls: 'db' });

  // One arrow per server that queried, from its box to the database's edge, spread along that edge.
  f.sent.forEach(([a, n]) => {
    const b = L.servers[a]!;
    // Spread along the database's edge in the order of the boxes, so that no two arrows end at one point.
    const [col, row] = [a % cols, Math.floor(a / cols)];
    const spread = vertical ? (col + (row + 0.5) / rows) / cols : (row + (col + 0.5) / cols) / rows;
    const [x1, y1, x2, y2] = vertical
      ? [b.x + b.w / 2, b.y + b.h, db.x + 20 + spread * (db.w - 40), db.y - 3]
      : [b.x + b.w, b.y + b.h / 2, db.x - 3, db.y + 20 + spread * (db.h - 40)];
    const [c1, c2] = vertical ? [[x1, (y1 + y2) / 2], [x2, (y1 + y2) / 2]] : [[(x1 + x2) / 2, y1], [(x1 + x2) / 2, y2]];
    const d = `M${n1(x1)},${n1(y1)} C${c1.map(n1).join()} ${c2.map(n1).join()} ${n1(x2)},${n1(y2)}`;
    L.arrows.push({ app: a, count: n, d, width: Math.min(9, 1.5 + Math.log2(n) * 1.2) });
  });
  L.height = Math.max(serversBottom, db.y + db.h, cacheBottom) + PAD;
  return L;
}

export function pictureWords(s: CacheScene, f: CacheFrame, index: number, sampleSec: number): string {
  const said: string[] = [`At ${index * sampleSec} s, ${s.hotKey} in the shared cache is ${STATE_WORDS[f.hot]}; ${ttlWords(s, f)}.`];
  if (f.expiredMs !== null) said.push(`Its TTL runs out in this second, at ${sec(f.expiredMs, 2)}.`);
  for (const t of [earlyWords(f), lockWords(s, f), keysWords(f, s.keyCount)]) if (t) said.push(`${t}.`);
  const n = sentOf(f);
  said.push(n === 0 ? 'No app server queried the database in this second.' : `In this second ${plural(f.sent.length, 'app server')} started ${queriesWords(s, f).replace(/ started this second/, '')}.`);
  said.push(`The database ran at most ${f.busy} of its ${s.dbSlots} slots at once${f.waiting > 0 ? `; up to ${plural(f.waiting, 'query', 'queries')} waited in line` : ''}.`);
  return said.join(' ');
}

/** One sentence, most important first: the key's state, the lock, the herd, the database. */
export function pictureChange(s: CacheScene, a: CacheFrame, b: CacheFrame): string {
  const parts: string[] = [];
  if (b.expiredMs !== null) parts.push(`${s.hotKey} expired at ${sec(b.expiredMs, 2)}`);
  else if (isFresh(a) !== isFresh(b)) parts.push(isFresh(b) ? `${s.hotKey} fresh again, TTL ${sec(b.ttlLeftMs)}` : `${s.hotKey} expired`);
  if (b.keys && a.keys && b.keys.expired !== a.keys.expired) parts.push(`${b.keys.expired.toLocaleString('en')} of ${s.keyCount.toLocaleString('en')} keys expired, ${b.keys.loading.toLocaleString('en')} loading`);
  if (b.lock && b.lock.fromMs !== a.lock?.fromMs) parts.push(`app ${b.lock.app + 1} took the lock`);
  const n = sentOf(b);
  if (n > 0) parts.push(`${plural(n, 'query', 'queries')} from ${plural(b.sent.length, 'server')}`);
  if (b.busy >= s.dbSlots) parts.push(`database full: ${b.busy} of ${s.dbSlots} busy, ${b.waiting.toLocaleString('en')} waiting`);
  else if (b.busy === 0 && a.busy > 0) parts.push('database idle');
  const said = parts.join('; ');
  // A key's name keeps its case at the start of the sentence.
  return said ? `${said.startsWith(s.hotKey) ? said[0] : said[0]!.toUpperCase()}${said.slice(1)}.` : '';
}

const sceneOf = (trace: Trace) => trace.scene as CacheScene | undefined;
const frameAt = (s: CacheScene, i: number) => s.frames[Math.min(s.frames.length - 1, Math.max(0, i))]!;
const OUTLINE = ' fill="none" stroke="currentColor"';
const rect = (r: Rect, cls: string, extra = '') => `<rect class="${cls}" x="${n1(r.x)}" y="${n1(r.y)}" width="${n1(r.w)}" height="${n1(r.h)}"${extra}/>`;

export function renderCachePicture(s: CacheScene, index: number, sampleSec: number, o: PictureOptions): string {
  const f = frameAt(s, index);
  const L = cacheLayout(s, f, o.vertical, o.compact, o.wide);
  const id = o.id;
  const out: string[] = [
    `<svg class="cachepic${o.compact && !o.vertical ? ' compact' : ''}" viewBox="0 0 ${L.width} ${L.height}" width="${L.width}" height="${L.height}" role="img" aria-labelledby="${id}-title ${id}-desc">`,
    `<title id="${id}-title">${esc(o.title)}</title><desc id="${id}-desc">${esc(pictureWords(s, f, index, sampleSec))}</desc>`,
    `<defs><pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect class="hatch-bg" width="6" height="6" fill="none"/><line class="hatch" x1="0" y1="0" x2="0" y2="6" stroke="currentColor"/></pattern>`,
    `<pattern id="${id}-dots" width="5" height="5" patternUnits="userSpaceOnUse"><rect class="dots-bg" width="5" height="5" fill="none"/><circle class="dot" cx="2.5" cy="2.5" r="1.2" fill="currentColor"/></pattern>`,
    `<marker id="${id}-head" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto"><path class="head" d="M0,0 L10,5 L0,10 z"/></marker></defs>`,
    '<g aria-hidden="true">',
  ];
  // The fill and stroke attributes are fallbacks for a drawing read without the site's stylesheet, which overrides them.
  const fill: Record<string, string> = { 'ttl-stale': `url(#${id}-hatch)`, 'keys-expired': `url(#${id}-hatch)`, 'keys-loading': `url(#${id}-dots)`, 'ttl-track': 'none' };
  for (const p of L.panels) out.push(rect(p, `panel ${p.cls}`, `${OUTLINE} rx="6"`));
  for (const b of L.bars) out.push(rect(b, `bar ${b.cls}`, ` fill="${fill[b.cls] ?? 'currentColor'}" stroke="currentColor"`));
  for (const a of L.arrows) out.push(`<path class="arrow${a.count > 1 ? ' many' : ''}" data-app="${a.app}" data-count="${a.count}" d="${a.d}" fill="none" stroke="currentColor" stroke-width="${n1(a.width)}" marker-end="url(#${id}-head)"/>`);
  for (const b of L.servers) out.push(rect(b, `server${b.sent > 0 ? ' sent' : ''}${b.holder ? ' holder' : ''}`, `${OUTLINE} rx="3"`));
  for (const c of L.slots) out.push(rect(c, c.busy ? 'slot busy' : 'slot', c.busy ? ` fill="url(#${id}-hatch)" stroke="currentColor"` : OUTLINE));
  for (const c of L.line) out.push(rect(c, 'waiting', ' fill="currentColor"'));
  for (const l of L.labels) out.push(`<text class="${l.cls}" x="${n1(l.x)}" y="${n1(l.y)}" font-size="${l.size}"${l.anchor === 'start' ? '' : ` text-anchor="${l.anchor}"`}>${esc(l.text)}</text>`);
  out.push('</g></svg>');
  return out.join('');
}

export const cacheStampedePicture: PictureRenderer = {
  render(trace, index, o) {
    const s = sceneOf(trace);
    return s ? renderCachePicture(s, index, trace.sampleMs / 1000, o) : '';
  },
  words(trace, index) {
    const s = sceneOf(trace);
    return s ? pictureWords(s, frameAt(s, index), index, trace.sampleMs / 1000) : '';
  },
  change(trace, from, to) {
    const s = sceneOf(trace);
    return s && from !== to ? pictureChange(s, frameAt(s, from), frameAt(s, to)) : '';
  },
};
