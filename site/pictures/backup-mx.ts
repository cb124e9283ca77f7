/**
 * Draws a backup-MX scene (sim/backup-mx/scene.ts) at one sample, as an SVG string: the two
 * MX hosts as heads of lifelines, each kind of sender as a row whose arrows to the primary
 * (mx1) and the backup (mx2) count this sample's attempts by the reply they got; under them
 * what the backup sent to the primary, the bounces, and the callout cache. On a narrow screen
 * the same boxes stack and the arrows become lines of text ("→ mx1: 250 ×3").
 *
 * Colour is never the only cue: every count is written with its reply code, and a down
 * primary has a dashed box and the word DOWN.
 */
import type { Trace } from '../../sim/core/index.ts';
import { wallClock } from '../../sim/backup-mx/clock.ts';
import { RELAY, REPLY, countsOf, type BackupMxFrame, type BackupMxScene, type FrameCounts } from '../../sim/backup-mx/scene.ts';
import { esc } from '../charts/escape.ts';
import type { PictureOptions, PictureRenderer } from './picture.ts';

/** 11.5 px sans-serif is at most about 6.6 px a character (digits and lower case); bold text (names, flows, labels) about 7.4. */
export const CHAR_W = 6.6;
export const BOLD_CHAR_W = 7.4;
/** Whether a line of a box is drawn bold (site/styles/pictures/backup-mx.css). */
export const isBold = (cls: string) => /name|flow|strong/.test(cls);
const LINE_H = 15;
const PAD = 8;
/** A sender row's name; the short-expiry sender's carries its expiry, which the reader sets. */
const kindName = (scene: BackupMxScene, k: number) => ['Exim', 'Postfix', `Short-expiry (${scene.shortExpiryHours} h)`, 'Exchange', 'Spambots'][k]!;
const FAULT: Record<string, string> = { up: 'UP: takes mail', timeout: 'DOWN: times out', refusing: 'DOWN: refuses', slow: 'SLOW: answers late' };
const FAULT_WORDS: Record<string, string> = { up: 'up and takes mail', timeout: 'down: connections to it time out', refusing: 'down: it refuses connections', slow: 'overloaded: it answers slowly' };

export interface TextLine { text: string; cls: string }
export interface LaidBox { id: string; x: number; y: number; w: number; h: number; cls: string; lines: TextLine[] }
/** A count over an arrow, centred on x; the heading (head) starts at x instead. */
export interface Label { x: number; y: number; text: string; head?: boolean }
export interface Arrow { x1: number; x2: number; y: number }
export interface PictureLayout { width: number; height: number; boxes: LaidBox[]; labels: Label[]; arrows: Arrow[]; lifelines: { x: number; y1: number; y2: number }[] }

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
/** "250 ×3 · 451 ×1", leaving out what did not happen. */
const items = (pairs: [string, number][]) => pairs.filter(([, n]) => n > 0).map(([what, n]) => `${what} ×${n}`);
const toPrimary = (r: readonly number[]) => items([['250', r[REPLY.primary250]!], ['550', r[REPLY.primary550]!], ['no reply', r[REPLY.primaryNoAnswer]!]]);
const toBackup = (r: readonly number[]) => items([['250', r[REPLY.backup250]!], ['451', r[REPLY.backup451]!], ['550', r[REPLY.backup550]!]]);

/** Items packed into lines no wider than maxChars, at most `max` lines (the rest joins the last). */
function pack(list: string[], maxChars: number, max = 2): string[] {
  const lines: string[] = [];
  for (const item of list) {
    const last = lines.length - 1;
    if (last >= 0 && (lines[last]!.length + 3 + item.length <= maxChars || lines.length === max)) lines[last] += ` · ${item}`;
    else lines.push(item);
  }
  return lines;
}

function senderLines(scene: BackupMxScene, f: FrameCounts, k: number): TextLine[] {
  const r = f.replies[k]!;
  const lines: TextLine[] = [{ text: kindName(scene, k), cls: 'name' }];
  // Spambots come last, after every real kind.
  if (k === f.replies.length - 1) lines.push({ text: 'no queue: one try each', cls: 'line' });
  else {
    const [waiting, timers, dueNow, dueHour] = f.senders[k]!;
    lines.push({ text: `${waiting} waiting, ${timers} timers`, cls: 'line' });
    lines.push({ text: `due: ${dueNow} ≤5 min, ${dueHour} ≤1 h`, cls: 'line' });
  }
  const local = items([['deferred', r[REPLY.retryLater]!], ['bounced', r[REPLY.senderBounced]!]]).join(' · ');
  if (local) lines.push({ text: local, cls: r[REPLY.senderBounced]! > 0 ? 'line bad' : 'line' });
  if (r[REPLY.delayNotice]! > 0) lines.push({ text: `delay notices ×${r[REPLY.delayNotice]}`, cls: 'line' });
  return lines;
}

function primaryLines(f: FrameCounts): TextLine[] {
  return [{ text: 'mx1, primary MX', cls: 'name' }, { text: FAULT[f.primary]!, cls: f.primary === 'up' ? 'line good strong' : 'line bad strong' }];
}

function backupLines(scene: BackupMxScene, f: FrameCounts): TextLine[] {
  if (scene.policy === 'none') return [{ text: 'no backup MX', cls: 'name' }, { text: 'senders can only retry', cls: 'line' }];
  const [real = 0, spam = 0, madeUp = 0] = f.backup;
  const lines: TextLine[] = [
    { text: 'mx2, backup MX', cls: 'name' },
    { text: scene.policy === 'relay' ? 'plain relay: takes all' : 'callout ACL', cls: 'line' },
    { text: `queue ${real + spam + madeUp} (peak ${f.peaks[1]})`, cls: 'line' },
    { text: `${real} real, ${spam + madeUp} spam`, cls: 'line' },
  ];
  if (madeUp > 0) lines.push({ text: `${madeUp} made-up addresses`, cls: 'line bad' });
  if (f.relayInMin !== null) lines.push({ text: `tries mx1 in ${f.relayInMin} min`, cls: 'line' });
  return lines;
}

function relayItems(f: FrameCounts): { callouts: string[]; relay: string[] } {
  const r = f.relay;
  return {
    callouts: items([['callouts', r[RELAY.callouts]!], ['from cache', r[RELAY.cacheHits]!]]),
    relay: items([['relayed 250', r[RELAY.relayed]!], ['550', r[RELAY.bounced550]!], ['gave up', r[RELAY.bouncedTimeout]!]]),
  };
}

function bounceLines(scene: BackupMxScene, f: FrameCounts): TextLine[] {
  const bySenders = sum(f.replies.map((r) => r[REPLY.senderBounced]!));
  const byBackup = f.relay[RELAY.bounced550]! + f.relay[RELAY.bouncedTimeout]!;
  const lines: TextLine[] = [
    { text: 'Bounces sent', cls: 'name' },
    { text: `by senders (gave up): ${bySenders}`, cls: bySenders > 0 ? 'line bad' : 'line' },
  ];
  if (scene.policy !== 'none') lines.push({ text: `by mx2: ${byBackup}, backscatter ${f.relay[RELAY.backscatter]}`, cls: byBackup > 0 ? 'line bad' : 'line' });
  return lines;
}

function cacheLines(f: FrameCounts): TextLine[] {
  const [pos, posSoon, posHour, neg, negSoon, negHour] = f.cache;
  return [
    { text: 'mx2 callout cache', cls: 'name' },
    { text: `+ ${pos} positive: ${posSoon} end ≤5 min, ${posHour} ≤1 h`, cls: 'line' },
    { text: `− ${neg} negative: ${negSoon} end ≤5 min, ${negHour} ≤1 h`, cls: 'line' },
  ];
}

const box = (id: string, x: number, y: number, w: number, lines: TextLine[], cls = ''): LaidBox => ({ id, x, y, w, h: 10 + lines.length * LINE_H, cls, lines });

/** Where everything goes, as data (the tests check it): lifelines on a wide screen, a stack on a narrow one. */
export function pictureLayout(scene: BackupMxScene, stored: BackupMxFrame, vertical: boolean): PictureLayout {
  const f = countsOf(stored);
  const boxes: LaidBox[] = [];
  const labels: Label[] = [];
  const arrows: Arrow[] = [];
  const down = f.primary === 'up' ? '' : ' down';
  const hasBackup = scene.policy !== 'none';
  const { callouts, relay } = relayItems(f);
  if (vertical) {
    const width = 340;
    const w = width - 2 * PAD;
    const maxChars = Math.floor((w - 16) / BOLD_CHAR_W);
    let y = PAD;
    const add = (b: LaidBox) => {
      boxes.push(b);
      y += b.h + PAD;
    };
    add(box('mx1', PAD, y, w, primaryLines(f), down));
    add(box('mx2', PAD, y, w, backupLines(scene, f)));
    for (let k = 0; k < f.replies.length; k++) {
      const lines = senderLines(scene, f, k);
      for (const t of pack(toPrimary(f.replies[k]!), maxChars - 7)) lines.push({ text: `→ mx1: ${t}`, cls: 'line flow' });
      if (hasBackup) for (const t of pack(toBackup(f.replies[k]!), maxChars - 7)) lines.push({ text: `→ mx2: ${t}`, cls: 'line flow' });
      add(box(`sender-${k}`, PAD, y, w, lines, 'sender'));
    }
    if (hasBackup) {
      const lines = [...callouts, ...relay].length ? pack([...callouts, ...relay], maxChars - 11, 3).map((t) => ({ text: `mx2 → mx1: ${t}`, cls: 'line flow' })) : [{ text: 'mx2 → mx1: nothing', cls: 'line' }];
      add(box('relay', PAD, y, w, lines, 'plain'));
    }
    add(box('bounces', PAD, y, w, bounceLines(scene, f)));
    if (hasBackup) add(box('cache', PAD, y, w, cacheLines(f)));
    return { width, height: y, boxes, labels, arrows, lifelines: [] };
  }
  const width = 600;
  const senderW = 186;
  const mx1X = 332;
  const mx2X = 504;
  const top = box('mx1', mx1X - 78, PAD, 156, primaryLines(f), down);
  const backup = box('mx2', 416, PAD, width - PAD - 416, backupLines(scene, f));
  boxes.push(top, backup);
  labels.push({ x: PAD, y: PAD + 12, text: 'Senders, the last 5 min', head: true });
  let y = Math.max(top.h, backup.h) + 2 * PAD;
  const rowsTop = y;
  const labelChars = (from: number, to: number) => Math.floor((to - from - 10) / BOLD_CHAR_W);
  // An arrow's counts sit on two lines, one above it and one below.
  const flow = (list: string[], from: number, to: number, ay: number) => {
    if (list.length === 0) return;
    arrows.push({ x1: from, x2: to, y: ay });
    pack(list, labelChars(from, to)).forEach((t, i) => labels.push({ x: (from + to) / 2, y: ay + (i === 0 ? -5 : 15), text: t }));
  };
  for (let k = 0; k < f.replies.length; k++) {
    const b = box(`sender-${k}`, PAD, y, senderW, senderLines(scene, f, k), 'sender');
    b.h = Math.max(b.h, 76);
    boxes.push(b);
    flow(toPrimary(f.replies[k]!), PAD + senderW, mx1X, y + 20);
    // The backup's arrow starts at the primary's lifeline: a sender tries mx1 first.
    if (hasBackup) flow(toBackup(f.replies[k]!), mx1X, mx2X, y + 56);
    y += b.h + PAD;
  }
  if (hasBackup) {
    // What mx2 sends to mx1: right to left, counts over the gap between the lifelines.
    y += 10;
    for (const list of [callouts, relay]) {
      if (list.length > 0) {
        arrows.push({ x1: mx2X, x2: mx1X, y });
        pack(list, labelChars(mx1X, mx2X)).forEach((t, i) => labels.push({ x: (mx1X + mx2X) / 2, y: y + (i === 0 ? -5 : 15), text: t }));
      }
      y += 40;
    }
  }
  const lifelines = [{ x: mx1X, y1: top.y + top.h, y2: y - 14 }];
  if (hasBackup) lifelines.push({ x: mx2X, y1: backup.y + backup.h, y2: y - 14 });
  const bounces = box('bounces', PAD, Math.max(y, rowsTop), 250, bounceLines(scene, f));
  boxes.push(bounces);
  if (hasBackup) boxes.push(box('cache', 270, bounces.y, width - PAD - 270, cacheLines(f)));
  return { width, height: bounces.y + bounces.h + PAD, boxes, labels, arrows, lifelines };
}

/** The kinds the compact layout keeps apart: the three MTAs that retry for days in one row, then short-expiry, then spambots. */
const COMPACT_ROWS: readonly (readonly number[])[] = [[0, 1, 3], [2], [4]];
const rowName = (scene: BackupMxScene, kinds: readonly number[]) => (kinds.length > 1 ? 'Exim+Postfix+Exchange' : kindName(scene, kinds[0]!));
const summed = (rows: readonly (readonly number[])[]) => rows[0]!.map((_, i) => sum(rows.map((r) => r[i]!)));

/**
 * The layout for a small box or a slide: 400 units wide (so the same 11.5-unit words come out half
 * as large again as in the 600-unit one), a table of three sender rows under the two MX hosts. What
 * it leaves out (each MTA on its own, retry timers, the backup's peak, when cache records end) the
 * picture in words says.
 */
export function compactLayout(scene: BackupMxScene, stored: BackupMxFrame): PictureLayout {
  const f = countsOf(stored);
  const width = 400;
  const boxes: LaidBox[] = [];
  const labels: Label[] = [];
  const hasBackup = scene.policy !== 'none';
  const [real = 0, spam = 0, madeUp = 0] = f.backup;
  const mx1Lines: TextLine[] = [{ text: 'mx1 primary', cls: 'name' }, { text: FAULT[f.primary]!, cls: f.primary === 'up' ? 'line good strong' : 'line bad strong' }];
  const mx2Lines: TextLine[] = !hasBackup
    ? [{ text: 'no backup MX', cls: 'name' }]
    : [
        { text: `mx2 backup: ${scene.policy === 'relay' ? 'relay' : 'callout ACL'}`, cls: 'name' },
        { text: `queue ${real + spam + madeUp}: ${real} real, ${spam + madeUp} spam`, cls: 'line' },
        ...(madeUp > 0 ? [{ text: `${madeUp} made-up addresses`, cls: 'line bad' }] : []),
      ];
  const top = box('mx1', PAD, PAD, 150, mx1Lines, f.primary === 'up' ? '' : ' down');
  const backup = box('mx2', 166, PAD, width - PAD - 166, mx2Lines);
  boxes.push(top, backup);
  let y = Math.max(top.h, backup.h) + PAD + 15;
  // Wide enough for "Exim+Postfix+Exchange" in bold as drawn (about 170 units: capitals and plus signs run wider than BOLD_CHAR_W).
  const col1 = 196;
  const col2 = hasBackup ? 300 : width - PAD;
  labels.push({ x: PAD, y: y - 3, text: 'Senders, 5 min', head: true }, { x: col1 + 6, y: y - 3, text: '→ mx1', head: true });
  if (hasBackup) labels.push({ x: col2 + 6, y: y - 3, text: '→ mx2', head: true });
  const cellChars = (w: number) => Math.floor((w - 14) / BOLD_CHAR_W);
  const cell = (id: string, x: number, top: number, w: number, list: string[]) =>
    box(id, x, top, w, pack(list, cellChars(w), Infinity).map((text) => ({ text, cls: 'line flow' })), 'cell');
  const rows: [string, TextLine[], string[], string[]][] = COMPACT_ROWS.map((kinds) => {
    const r = summed(kinds.map((k) => f.replies[k]!));
    const lines: TextLine[] = [{ text: rowName(scene, kinds), cls: 'name' }];
    const local: string[] = [];
    if (kinds[0] !== f.replies.length - 1) local.push(`${sum(kinds.map((k) => f.senders[k]![0]!))} waiting`);
    if (r[REPLY.senderBounced]! > 0) local.push(`${r[REPLY.senderBounced]} bounced`);
    if (local.length) lines.push({ text: local.join(' · '), cls: r[REPLY.senderBounced]! > 0 ? 'line bad' : 'line' });
    // The week's figure asks the reader to watch for them: a line of their own, as in the wide layout.
    if (r[REPLY.delayNotice]! > 0) lines.push({ text: `delay notices ×${r[REPLY.delayNotice]}`, cls: 'line' });
    return [kinds.join('-'), lines, toPrimary(r), hasBackup ? toBackup(r) : []];
  });
  if (hasBackup) {
    const { callouts, relay } = relayItems(f);
    const next: TextLine[] = f.relayInMin === null ? [] : [{ text: `next in ${f.relayInMin} min`, cls: 'line' }];
    rows.push(['relay', [{ text: 'mx2 → mx1', cls: 'name' }, ...next], [...callouts, ...relay], []]);
  }
  for (const [id, lines, toMx1, toMx2] of rows) {
    const sender = box(`sender-${id}`, PAD, y, col1 - PAD - 4, lines, id === 'relay' ? 'plain' : 'sender');
    const cells = [cell(`mx1-${id}`, col1, y, (id === 'relay' ? width - PAD : col2) - col1, toMx1)];
    if (id !== 'relay' && hasBackup) cells.push(cell(`mx2-${id}`, col2, y, width - PAD - col2, toMx2));
    sender.h = Math.max(sender.h, ...cells.map((c) => c.h));
    for (const c of cells) c.h = sender.h;
    boxes.push(sender, ...cells);
    y += sender.h + 3;
  }
  const bySenders = sum(f.replies.map((r) => r[REPLY.senderBounced]!));
  const byBackup = f.relay[RELAY.bounced550]! + f.relay[RELAY.bouncedTimeout]!;
  const bounces = `${bySenders + byBackup} ${bySenders + byBackup === 1 ? 'bounce' : 'bounces'}${hasBackup ? ` (${f.relay[RELAY.backscatter]} backscatter)` : ''}`;
  const bottom = box('bounces', PAD, y + 2, width - 2 * PAD, [{ text: hasBackup ? `${bounces} · cache +${f.cache[0]} −${f.cache[3]}` : bounces, cls: bySenders + byBackup > 0 ? 'line bad strong' : 'line' }], 'plain');
  boxes.push(bottom);
  return { width, height: bottom.y + bottom.h + PAD, boxes, labels, arrows: [], lifelines: [] };
}

const n1 = (x: number) => (Math.round(x * 10) / 10).toString();

function sceneOf(trace: Trace): BackupMxScene | undefined {
  return trace.scene as BackupMxScene | undefined;
}
function frameAt(scene: BackupMxScene, index: number): FrameCounts {
  return countsOf(scene.frames[Math.min(scene.frames.length - 1, Math.max(0, index))]!);
}

export function renderBackupMx(trace: Trace, index: number, o: PictureOptions): string {
  const scene = sceneOf(trace);
  if (!scene || scene.frames.length === 0) return '';
  const stored = scene.frames[Math.min(scene.frames.length - 1, Math.max(0, index))]!;
  const L = o.compact && !o.vertical ? compactLayout(scene, stored) : pictureLayout(scene, stored, o.vertical);
  const out = [
    `<svg class="bmx${o.compact && !o.vertical ? ' compact' : ''}" viewBox="0 0 ${L.width} ${n1(L.height)}" width="${L.width}" height="${n1(L.height)}" role="img" aria-labelledby="${o.id}-title ${o.id}-desc">`,
    `<title id="${o.id}-title">${esc(o.title)}</title><desc id="${o.id}-desc">${esc(inWords(trace, index))}</desc>`,
    `<defs><marker id="${o.id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z"/></marker></defs><g aria-hidden="true">`,
  ];
  for (const l of L.lifelines) out.push(`<line class="bmx-lifeline" x1="${l.x}" y1="${n1(l.y1)}" x2="${l.x}" y2="${n1(l.y2)}"/>`);
  for (const a of L.arrows) out.push(`<line class="bmx-arrow" x1="${a.x1}" y1="${n1(a.y)}" x2="${a.x2}" y2="${n1(a.y)}" marker-end="url(#${o.id}-arrow)"/>`);
  for (const b of L.boxes) {
    out.push(`<g class="bmx-box ${b.cls}" data-box="${b.id}" transform="translate(${n1(b.x)},${n1(b.y)})"><rect width="${n1(b.w)}" height="${n1(b.h)}" rx="5"/>`);
    b.lines.forEach((t, i) => out.push(`<text class="${t.cls.split(' ').map((c) => `bmx-${c}`).join(' ')}" x="8" y="${17 + i * LINE_H}">${esc(t.text)}</text>`));
    out.push('</g>');
  }
  for (const l of L.labels) {
    out.push(`<text class="bmx-label${l.head ? ' bmx-head' : ''}" x="${n1(l.x)}" y="${n1(l.y)}" text-anchor="${l.head ? 'start' : 'middle'}">${esc(l.text)}</text>`);
  }
  out.push('</g></svg>');
  return out.join('');
}

/** The picture in words, for the "in words" disclosure and the SVG's description. */
export function inWords(trace: Trace, index: number): string {
  const scene = sceneOf(trace);
  if (!scene || scene.frames.length === 0) return '';
  const f = frameAt(scene, index);
  const i = Math.min(scene.frames.length - 1, Math.max(0, index));
  // The cursor shows a sample at its end: the clock's time, and the five minutes up to it.
  const s: string[] = [`${wallClock(Math.min(trace.durationMs, (i + 1) * trace.sampleMs))}.`, `The primary is ${FAULT_WORDS[f.primary]}.`];
  const waiting = f.senders.map((x) => x[0]!);
  const n = sum(waiting);
  s.push(`${n} real ${n === 1 ? 'message waits' : 'messages wait'} at their senders (Exim ${waiting[0]}, Postfix ${waiting[1]}, Exchange ${waiting[3]}, short-expiry ${waiting[2]}, which give up after ${scene.shortExpiryHours} h); at most ${f.peaks[0]} in these five minutes.`);
  const timers = (k: number) => {
    const [, running = 0, dueNow = 0, dueHour = 0] = f.senders[k]!;
    return `${kindName(scene, k)} ${running}${running > 0 ? ` (${dueNow} due within 5 minutes, ${dueHour} within the hour)` : ''}`;
  };
  s.push(`Retry timers running: ${[0, 1, 3, 2].map(timers).join(', ')}.`);
  // Each kind's attempts and what its sender did, which the compact picture sums over the three MTAs.
  const perKind = f.replies.map((r, k) => {
    const all = [...toPrimary(r).map((t) => `mx1 ${t}`), ...(scene.policy === 'none' ? [] : toBackup(r).map((t) => `mx2 ${t}`)), ...items([['deferred', r[REPLY.retryLater]!], ['bounced', r[REPLY.senderBounced]!], ['delay notices', r[REPLY.delayNotice]!]])];
    return `${kindName(scene, k)}: ${all.length ? all.join(', ') : 'nothing'}`;
  });
  s.push(`In these five minutes, by sender: ${perKind.join('; ')}.`);
  const notices = sum(f.replies.map((r) => r[REPLY.delayNotice]!));
  if (notices > 0) s.push(`Senders told their users of ${notices} delayed ${notices === 1 ? 'message' : 'messages'}.`);
  if (scene.policy === 'none') s.push('There is no backup MX.');
  else {
    const [real = 0, spam = 0, madeUp = 0] = f.backup;
    s.push(`The backup (${scene.policy === 'relay' ? 'a plain relay' : 'with a callout ACL'}) holds ${real + spam + madeUp} messages: ${real} real, ${spam} spam to real mailboxes, ${madeUp} spam to made-up addresses; at most ${f.peaks[1]} in these five minutes.`);
    if (f.relayInMin !== null) s.push(`It tries the primary again in ${f.relayInMin} minutes.`);
    const { callouts, relay } = relayItems(f);
    if (callouts.length + relay.length > 0) s.push(`To the primary: ${[...callouts, ...relay].join(', ')}.`);
    const backupReplies = [REPLY.backup250, REPLY.backup451, REPLY.backup550].map((r) => sum(f.replies.map((x) => x[r]!)));
    s.push(`In these five minutes the backup answered 250 to ${backupReplies[0]}, 451 to ${backupReplies[1]} and 550 to ${backupReplies[2]}.`);
    s.push(`Its callout cache has ${f.cache[0]} positive records (${f.cache[1]} end within 5 minutes, ${f.cache[2]} within the hour) and ${f.cache[3]} negative (${f.cache[4]} and ${f.cache[5]}).`);
  }
  const took = sum(f.replies.map((x) => x[REPLY.primary250]!));
  s.push(`The primary took ${took} messages from senders.`);
  const bounces = sum(f.replies.map((r) => r[REPLY.senderBounced]!)) + f.relay[RELAY.bounced550]! + f.relay[RELAY.bouncedTimeout]!;
  s.push(bounces > 0 ? `${bounces} bounces were sent, ${f.relay[RELAY.backscatter]} of them backscatter to forged senders.` : 'No bounces.');
  return s.join(' ');
}

/** One sentence of what changed from sample `from` to sample `to`, most important first. */
export function changeOf(trace: Trace, from: number, to: number): string {
  const scene = sceneOf(trace);
  if (!scene || scene.frames.length === 0 || from === to) return '';
  const a = frameAt(scene, from);
  const b = frameAt(scene, to);
  const parts: string[] = [];
  if (a.primary !== b.primary) parts.push(`Primary ${FAULT_WORDS[b.primary]}`);
  const span = scene.frames.slice(Math.min(from, to) + 1, Math.max(from, to) + 1);
  const bounces = sum(span.map(countsOf).map((f) => sum(f.replies.map((r) => r[REPLY.senderBounced]!)) + f.relay[RELAY.bounced550]! + f.relay[RELAY.bouncedTimeout]!));
  if (bounces > 0) parts.push(`${bounces} ${bounces === 1 ? 'bounce' : 'bounces'} sent`);
  const held = (f: FrameCounts) => sum(f.backup);
  if (held(a) !== held(b)) parts.push(`backup queue ${held(a)} → ${held(b)}`);
  const waiting = (f: FrameCounts) => sum(f.senders.map((x) => x[0]!));
  if (waiting(a) !== waiting(b)) parts.push(`${waiting(b)} waiting at senders`);
  if (a.cache[0] !== b.cache[0]) parts.push(`${b.cache[0]} positive cache records`);
  if (parts.length === 0) return '';
  const sentence = parts.slice(0, 3).join('; ');
  return `${sentence[0]!.toUpperCase()}${sentence.slice(1)}.`;
}

/** The backup-MX picture as the picture panel draws it (site/panels/picture.ts). */
export const backupMxPicture: PictureRenderer = {
  render: renderBackupMx,
  words: inWords,
  change: changeOf,
};
