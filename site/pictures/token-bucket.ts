/**
 * Draws a token-bucket scene (sim/token-bucket/scene.ts) at one sample, as an
 * SVG string: one row per client with its bucket as a gauge (tokens against
 * capacity) and what its attempts met during the second; the requests waiting
 * at the clients; the last 429's header lines as sent and a line of its body; and the backend's
 * workers and line, with the shedding threshold when it is on.
 *
 * The layout is data (bucketsLayout), so a test can check that every label
 * fits and none overlaps. Colour is never the only cue: counts carry a sign
 * and a word (✓ passed, ✗ got 429), tokens and busy workers are hatched, idle
 * workers are hollow.
 */
import type { Trace } from '../../sim/core/index.ts';
import type { BucketsFrame, BucketsScene } from '../../sim/token-bucket/scene.ts';
import { esc, fmt } from '../charts/escape.ts';
import type { PictureOptions, PictureRenderer } from './picture.ts';

const PAD = 12;
/** Text widths are estimated at this many ems a character (wide enough for DejaVu Sans and its mono). */
export const EM_PER_CHAR = 0.62;

export interface LaidText { x: number; y: number; text: string; cls: string; size: number; anchor: 'start' | 'middle' | 'end' }
export interface LaidRect { x: number; y: number; w: number; h: number; cls: string }
export interface BucketsLayout { width: number; height: number; texts: LaidText[]; rects: LaidRect[] }

const frameAt = (scene: BucketsScene, index: number): BucketsFrame => scene.frames[Math.min(scene.frames.length - 1, Math.max(0, index))]!;
/** Whole tokens: what a request needs, and what RateLimit's r reports. */
const whole = (tokens: number) => Math.floor(tokens + 1e-9);
const clock = (index: number) => `${Math.floor(index / 60)}:${String(index % 60).padStart(2, '0')}`;
/** A count of none is drawn quietly, so the eye goes to what happened. */
const tone = (cls: string, n: number) => (n === 0 ? `${cls} none` : cls);
const plural = (n: number, one: string, many: string) => `${fmt(n)} ${n === 1 ? one : many}`;

/**
 * One line for a 429's problem details body: its last member, the policies it names as violated,
 * the rest elided (the log shows the whole body). A phone's picture has room for no more.
 */
export const bodyLine = (body: string) => {
  const last = body.lastIndexOf(',"');
  return last < 0 ? body : `{…${body.slice(last)}`;
};

/** The last 429's header lines in the order sent, the policy line (the same in every response) first. */
const headersOf = (scene: BucketsScene, frame: BucketsFrame) => (frame.last429 ? [...(scene.policyLine === null ? [] : [scene.policyLine]), ...frame.last429.lines] : []);
/** What the picture prints of the last 429: its header lines and a line of its body. */
const printedOf = (scene: BucketsScene, frame: BucketsFrame) => [...headersOf(scene, frame), ...(frame.last429 && scene.problemBody !== null ? [bodyLine(scene.problemBody)] : [])];
/** The policies a problem details body names as violated, said in words. */
const violatedInWords = (body: string) => (JSON.parse(body) as { 'violated-policies': string[] })['violated-policies'].map((name) => `“${name}”`).join(' and ');

/** Where a text's box starts and ends, as the tests and the layout estimate it. */
export function textBox(t: LaidText): { x0: number; x1: number; y0: number; y1: number } {
  const w = t.text.length * t.size * EM_PER_CHAR;
  const x0 = t.anchor === 'start' ? t.x : t.anchor === 'end' ? t.x - w : t.x - w / 2;
  return { x0, x1: x0 + w, y0: t.y - t.size * 0.8, y1: t.y + t.size * 0.25 };
}

export function bucketsLayout(scene: BucketsScene, index: number, vertical: boolean): BucketsLayout {
  const frame = frameAt(scene, index);
  const width = vertical ? 340 : 600;
  const inner = width - 2 * PAD;
  /** Headings and long lines a size down on a phone. */
  const small = vertical ? 11 : 12;
  const texts: LaidText[] = [];
  const rects: LaidRect[] = [];
  const text = (x: number, y: number, s: string, cls: string, size = 12, anchor: LaidText['anchor'] = 'start') => texts.push({ x, y, text: s, cls, size, anchor });
  let y = PAD + 12;
  const span = `${clock(index)}–${clock(index + 1)}`;
  text(PAD, y, vertical ? `Buckets at ${clock(index)}; attempts ${span}` : `Each client’s bucket at ${clock(index)}, and its attempts ${span}`, 'heading', small);
  y += 12;
  const cap = scene.capacityTokens;
  scene.clients.forEach((name, k) => {
    const tokens = frame.tokens[k]!;
    const gauge = `${fmt(whole(tokens))} / ${fmt(cap)}`;
    const passed = `✓ ${fmt(frame.passed[k]!)} passed`;
    const refused = `✗ ${fmt(frame.refused[k]!)} got 429`;
    // The bar is the capacity; the hatched part is the tokens in it.
    const bar = (x: number, top: number, w: number, h: number) => {
      rects.push({ x, y: top, w, h, cls: 'capacity' });
      rects.push({ x, y: top, w: (w * Math.min(cap, Math.max(0, tokens))) / cap, h, cls: 'tokens' });
    };
    if (vertical) {
      text(PAD, y + 14, name, 'client');
      text(width - PAD, y + 14, `${gauge} tokens`, 'gauge', 11, 'end');
      bar(PAD, y + 20, inner, 14);
      text(PAD, y + 50, passed, tone('passed', frame.passed[k]!));
      text(width / 2, y + 50, refused, tone('refused', frame.refused[k]!));
      y += 58;
    } else {
      text(PAD, y + 17, name, 'client');
      bar(84, y + 4, 200, 18);
      text(292, y + 17, gauge, 'gauge', 11);
      text(372, y + 17, passed, tone('passed', frame.passed[k]!));
      text(476, y + 17, refused, tone('refused', frame.refused[k]!));
      y += 28;
    }
  });

  y += 10;
  text(PAD, (y += 12), `${plural(frame.backingOff, 'request', 'requests')} backing off before a retry`, 'waiting', small);
  if (scene.frames.some((f) => f.held > 0)) text(PAD, (y += 18), `${plural(frame.held, 'new request', 'new requests')} held back by their clients`, 'waiting', small);

  // As many lines as the run's longest 429, so the picture keeps its height while it plays.
  const headerLines = Math.max(1, ...scene.frames.map((f) => printedOf(scene, f).length));
  y += 10;
  const last = frame.last429;
  text(PAD, (y += 14), last ? `The last 429 of the second, to ${scene.clients[last.client]}, said:` : 'No 429 in this second.', 'heading', small);
  printedOf(scene, frame).forEach((line, i) => text(PAD + 8, y + 16 * (i + 1), line, 'header', 11));
  y += 16 * headerLines + 8;

  text(PAD, (y += 16), `Backend: ${fmt(frame.busy)} of ${plural(scene.workers, 'worker', 'workers')} busy`, 'heading', small);
  y += 6;
  const perRow = Math.floor((inner + 2) / 14);
  if (scene.workers <= 2 * perRow) {
    for (let w = 0; w < scene.workers; w++) {
      rects.push({ x: PAD + (w % perRow) * 14, y: y + Math.floor(w / perRow) * 14, w: 12, h: 12, cls: w < frame.busy ? 'worker busy' : 'worker' });
    }
    y += 14 * Math.ceil(scene.workers / perRow);
  } else {
    rects.push({ x: PAD, y, w: inner, h: 12, cls: 'capacity' });
    rects.push({ x: PAD, y, w: (inner * frame.busy) / scene.workers, h: 12, cls: 'worker busy' });
    y += 14;
  }

  text(PAD, (y += 20), `Line: ${plural(frame.queued, 'attempt', 'attempts')} waiting for a worker`, 'heading', small);
  const shed = lineBar(scene, frame, y, width, 11, rects);
  y += 18;
  if (shed) {
    text(shed.x, y + 15, shed.label, 'note', 11, 'middle');
    y += 16;
  }
  y += 22;
  text(PAD, y, `✗ ${fmt(frame.shed)} shed with 503`, tone('refused', frame.shed));
  text(width / 2, y, `✗ ${fmt(frame.timedOut)} timed out`, tone('refused', frame.timedOut));
  const inBackend = fmt(frame.busy + frame.queued);
  const awaited = vertical ? `${fmt(frame.awaited)} of ${inBackend} still awaited by a client` : `Clients still wait for ${fmt(frame.awaited)} of the ${inBackend} attempts in the backend`;
  text(PAD, (y += 18), awaited, 'note', 11);
  return { width, height: y + PAD, texts, rects };
}

/** The compact layout's one size of type, in units of its 420-unit width. */
export const COMPACT_TEXT = 13;

/**
 * The backend's line as a bar from the top `y` of a drawing `width` wide, on one scale for the whole
 * run so its length compares across seconds, with the shedding threshold marked: its rects go into
 * `rects`; the threshold's label comes back with the x that centres it under the mark and keeps it
 * inside the drawing at `labelUnits` (null when the backend sheds nothing).
 */
function lineBar(scene: BucketsScene, frame: BucketsFrame, y: number, width: number, labelUnits: number, rects: LaidRect[]): { x: number; label: string } | null {
  const inner = width - 2 * PAD;
  const lineMax = Math.max(1, scene.shedAbove ?? 0, ...scene.frames.map((f) => f.queued));
  rects.push({ x: PAD, y: y + 6, w: inner, h: 12, cls: 'line-room' });
  rects.push({ x: PAD, y: y + 6, w: (inner * frame.queued) / lineMax, h: 12, cls: 'queued' });
  if (scene.shedAbove === null) return null;
  const x = PAD + (inner * scene.shedAbove) / lineMax;
  rects.push({ x: x - 1, y: y + 2, w: 2, h: 20, cls: 'shed-mark' });
  const label = `shed above ${fmt(scene.shedAbove)}`;
  const half = (label.length * labelUnits * EM_PER_CHAR) / 2;
  return { x: Math.min(width - PAD - half, Math.max(PAD + half, x)), label };
}

/**
 * The layout for a small box or a slide: 420 units wide, every word at 13 units, a row per client
 * (its bucket, ✓ passed, ✗ got 429), then the backend in three lines. The last 429's header lines,
 * the workers one by one and what clients still await are left to the picture in words.
 */
export function compactBucketsLayout(scene: BucketsScene, index: number): BucketsLayout {
  const frame = frameAt(scene, index);
  const width = 420;
  const inner = width - 2 * PAD;
  const texts: LaidText[] = [];
  const rects: LaidRect[] = [];
  const text = (x: number, y: number, s: string, cls: string, anchor: LaidText['anchor'] = 'start') => texts.push({ x, y, text: s, cls, size: COMPACT_TEXT, anchor });
  const cap = scene.capacityTokens;
  let y = PAD + 13;
  text(PAD, y, `Buckets of ${fmt(cap)} at ${clock(index)}`, 'heading');
  text(width - PAD, y, `attempts ${clock(index)}–${clock(index + 1)}`, 'note', 'end');
  y += 8;
  scene.clients.forEach((name, k) => {
    const tokens = frame.tokens[k]!;
    text(PAD, y + 17, name, 'client');
    rects.push({ x: 84, y: y + 5, w: 110, h: 15, cls: 'capacity' });
    rects.push({ x: 84, y: y + 5, w: (110 * Math.min(cap, Math.max(0, tokens))) / cap, h: 15, cls: 'tokens' });
    text(200, y + 17, fmt(whole(tokens)), 'gauge');
    text(246, y + 17, `✓ ${fmt(frame.passed[k]!)}`, tone('passed', frame.passed[k]!));
    text(width - PAD, y + 17, `✗ ${fmt(frame.refused[k]!)} got 429`, tone('refused', frame.refused[k]!), 'end');
    y += 25;
  });
  const waiting = [`${fmt(frame.backingOff)} backing off`];
  if (scene.frames.some((f) => f.held > 0)) waiting.push(`${fmt(frame.held)} held back`);
  text(PAD, (y += 20), waiting.join(' · '), 'waiting');
  text(PAD, (y += 22), `Backend: ${fmt(frame.busy)} of ${fmt(scene.workers)} busy, ${fmt(frame.queued)} in line`, 'heading');
  const shed = lineBar(scene, frame, y, width, COMPACT_TEXT, rects);
  y += 18;
  if (shed) {
    text(shed.x, y + 16, shed.label, 'note', 'middle');
    y += 17;
  }
  y += 22;
  text(PAD, y, `✗ ${fmt(frame.shed)} shed with 503`, tone('refused', frame.shed));
  text(width / 2 + 10, y, `✗ ${fmt(frame.timedOut)} timed out`, tone('refused', frame.timedOut));
  return { width, height: y + PAD, texts, rects };
}

export function renderBuckets(scene: BucketsScene, index: number, o: PictureOptions): string {
  const compact = (o.compact ?? false) && !o.vertical;
  const { width, height, texts, rects } = compact ? compactBucketsLayout(scene, index) : bucketsLayout(scene, index, o.vertical);
  const f = (n: number) => n.toFixed(1);
  const hatch = `${o.id}-hatch`;
  return [
    `<svg class="tbucket${compact ? ' compact' : ''}" viewBox="0 0 ${width} ${f(height)}" width="${width}" height="${f(height)}" role="img" aria-labelledby="${o.id}-title ${o.id}-desc">`,
    `<title id="${o.id}-title">${esc(o.title)}</title><desc id="${o.id}-desc">${esc(bucketsInWords(scene, index))}</desc>`,
    `<defs><pattern id="${hatch}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect class="hatch-ground" width="6" height="6"/><line class="hatch" x1="1" y1="0" x2="1" y2="6"/></pattern></defs>`,
    '<g aria-hidden="true">',
    ...rects.map((r) => `<rect class="${r.cls}" x="${f(r.x)}" y="${f(r.y)}" width="${f(r.w)}" height="${f(r.h)}"${/tokens|busy|queued/.test(r.cls) ? ` fill="url(#${hatch})"` : ''}/>`),
    ...texts.map((t) => `<text class="${t.cls}" x="${f(t.x)}" y="${f(t.y)}"${t.anchor === 'start' ? '' : ` text-anchor="${t.anchor}"`}>${esc(t.text)}</text>`),
    '</g></svg>',
  ].join('');
}

/** The sample in a few plain sentences. */
export function bucketsInWords(scene: BucketsScene, index: number): string {
  const frame = frameAt(scene, index);
  const cap = scene.capacityTokens;
  const buckets = scene.clients.map((name, k) => `${name} ${fmt(whole(frame.tokens[k]!))}`).join(', ');
  const sentences = [
    `At ${clock(index)}, whole tokens in each bucket of ${fmt(cap)}: ${buckets}.`,
    `From ${clock(index)} to ${clock(index + 1)}, ${fmt(sum(frame.passed))} attempts passed, ${fmt(sum(frame.refused))} got 429, ${fmt(frame.shed)} were shed with 503 and ${fmt(frame.timedOut)} timed out.`,
  ];
  if (frame.last429) {
    const body = scene.problemBody === null ? '' : `, and a problem details body saying the quota of ${violatedInWords(scene.problemBody)} was exceeded`;
    sentences.push(`The last 429 went to ${scene.clients[frame.last429.client]} with ${headersOf(scene, frame).join('; ')}${body}.`);
  }
  sentences.push(`${plural(frame.backingOff, 'request waits', 'requests wait')} out a backoff${frame.held > 0 ? `, and ${plural(frame.held, 'new request is', 'new requests are')} held back by their clients, to keep within what the RateLimit fields allow` : ''}.`);
  sentences.push(`Backend: ${fmt(frame.busy)} of ${fmt(scene.workers)} workers busy, ${fmt(frame.queued)} in line; clients still wait for ${fmt(frame.awaited)} of those ${fmt(frame.busy + frame.queued)} attempts.`);
  return sentences.join(' ');
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** One sentence of what changed, the most important first: shedding, empty buckets, a full backend, the waiting. */
export function bucketsChange(scene: BucketsScene, from: number, to: number): string {
  if (from === to) return '';
  const a = frameAt(scene, from);
  const b = frameAt(scene, to);
  const said: string[] = [];
  if (b.shed > 0) said.push(`line at ${fmt(b.queued)}: ${fmt(b.shed)} shed with 503`);
  const emptied = scene.clients.map((_, k) => k).filter((k) => b.refused[k]! > 0 && a.refused[k] === 0);
  if (emptied.length > 0) {
    const retry = b.last429?.lines.find((l) => l.startsWith('Retry-After:'));
    const refused = sum(emptied.map((k) => b.refused[k]!));
    said.push(`${emptied.map((k) => scene.clients[k]).join(', ')} out of tokens: ${fmt(refused)} got 429${retry ? ` (${retry})` : ''}`);
  }
  const refilled = scene.clients.filter((_, k) => b.refused[k] === 0 && a.refused[k]! > 0);
  if (refilled.length > 0) said.push(`no more 429s for ${refilled.join(', ')}`);
  if (b.busy === scene.workers && a.busy < scene.workers) said.push(`all ${fmt(scene.workers)} workers busy, ${fmt(b.queued)} in line`);
  if (b.busy < scene.workers && a.busy === scene.workers) said.push(`workers free again: ${fmt(b.busy)} of ${fmt(scene.workers)} busy`);
  if (b.timedOut > 0 && a.timedOut === 0) said.push(`${fmt(b.timedOut)} timed out`);
  if (Math.abs(b.queued - a.queued) >= 10) said.push(`${fmt(b.queued)} waiting in line (was ${fmt(a.queued)})`);
  if (Math.abs(b.backingOff - a.backingOff) >= 5) said.push(`${fmt(b.backingOff)} requests backing off (was ${fmt(a.backingOff)})`);
  if (said.length === 0) return '';
  const sentence = said.slice(0, 2).join('; ');
  return `${sentence[0]!.toUpperCase()}${sentence.slice(1)}.`;
}

const sceneOf = (trace: Trace) => trace.scene as BucketsScene | undefined;

/** The buckets picture as the picture panel draws it (site/panels/picture.ts). */
export const tokenBucketPicture: PictureRenderer = {
  render(trace, index, o) {
    const scene = sceneOf(trace);
    return scene ? renderBuckets(scene, index, o) : '';
  },
  words(trace, index) {
    const scene = sceneOf(trace);
    return scene ? bucketsInWords(scene, index) : '';
  },
  change(trace, from, to) {
    const scene = sceneOf(trace);
    return scene ? bucketsChange(scene, from, to) : '';
  },
};
