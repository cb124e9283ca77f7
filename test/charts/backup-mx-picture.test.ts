/**
 * The backup-MX picture (site/pictures/backup-mx.ts): every frame of every
 * scenario, wide and narrow, lays out inside the drawing with every line
 * inside its box and no label over another, a box, a lifeline or an arrow;
 * its words and its change sentences say the model's numbers at moments found
 * by the series; and two real frames are kept as snapshots to review.
 */
import { describe, expect, test } from 'vitest';
import { scenarioState, type Trace } from '../../sim/core/index.ts';
import { backupMx } from '../../sim/backup-mx/index.ts';
import type { BackupMxScene } from '../../sim/backup-mx/scene.ts';
import { BOLD_CHAR_W, CHAR_W, backupMxPicture, compactLayout, isBold, pictureLayout, type PictureLayout } from '../../site/pictures/backup-mx.ts';
import { expectSnapshot } from './snapshot.ts';

const runs = backupMx.scenarios.map((s) => {
  const st = scenarioState(backupMx, s.id);
  return [s.id, backupMx.run(st.params, st.seed)] as const;
});
const traceOf = (id: string) => runs.find(([s]) => s === id)![1];
const series = (trace: Trace, key: string) => trace.series[key]!;

interface Rect { x: number; y: number; w: number; h: number; what: string }
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Everything wrong with one layout, in words. Text is 11.5 px (bold but for plain lines and the heading): a label spans 11 px above its baseline and 3 below. */
function layoutProblems(L: PictureLayout): string[] {
  const out: string[] = [];
  const inside = (r: Rect) => r.x >= 0 && r.y >= 0 && r.x + r.w <= L.width && r.y + r.h <= L.height;
  const boxes: Rect[] = L.boxes.map((b) => ({ x: b.x, y: b.y, w: b.w, h: b.h, what: `box ${b.id}` }));
  for (const b of L.boxes) {
    for (const line of b.lines) if (8 + line.text.length * (isBold(line.cls) ? BOLD_CHAR_W : CHAR_W) + 6 > b.w) out.push(`"${line.text}" wider than box ${b.id}`);
    if (10 + b.lines.length * 15 > b.h) out.push(`box ${b.id}: ${b.lines.length} lines do not fit`);
  }
  const labels: Rect[] = L.labels.map((l) => {
    const w = l.text.length * (l.head ? CHAR_W : BOLD_CHAR_W);
    return { x: l.head ? l.x : l.x - w / 2, y: l.y - 11, w, h: 14, what: `label "${l.text}"` };
  });
  for (const r of [...boxes, ...labels]) if (!inside(r)) out.push(`${r.what} outside the drawing`);
  const all = [...boxes, ...labels];
  for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) if (overlap(all[i]!, all[j]!)) out.push(`${all[i]!.what} overlaps ${all[j]!.what}`);
  for (const r of labels) {
    for (const l of L.lifelines) if (r.x < l.x && l.x < r.x + r.w && r.y < l.y2 && l.y1 < r.y + r.h) out.push(`${r.what} crosses the lifeline at ${l.x}`);
    for (const a of L.arrows) if (r.y < a.y && a.y < r.y + r.h && r.x < Math.max(a.x1, a.x2) && Math.min(a.x1, a.x2) < r.x + r.w) out.push(`${r.what} lies on an arrow`);
  }
  return out;
}

describe('the backup-MX picture', () => {
  test.each([false, true])('vertical=%s: every frame of every scenario inside the drawing, lines in their boxes, no label over anything', (vertical) => {
    for (const [id, trace] of runs) {
      const scene = trace.scene as BackupMxScene;
      scene.frames.forEach((f, i) => {
        const problems = layoutProblems(pictureLayout(scene, f, vertical));
        expect(problems, `${id} frame ${i}`).toEqual([]);
      });
    }
  });

  test('the short-expiry row names the expiry the reader set, in the drawing and in words, and fits its box at the longest', () => {
    const st = scenarioState(backupMx, 'outage-no-backup');
    const spec = backupMx.params.shortExpiryHours;
    if (spec.kind !== 'number') throw new Error('shortExpiryHours is a number');
    for (const hours of [spec.min, spec.max]) {
      const trace = backupMx.run({ ...st.params, shortExpiryHours: hours }, st.seed);
      const scene = trace.scene as BackupMxScene;
      for (const vertical of [false, true]) {
        const L = pictureLayout(scene, scene.frames[60]!, vertical);
        expect(L.boxes.find((b) => b.id === 'sender-2')!.lines[0]!.text).toBe(`Short-expiry (${hours} h)`);
        expect(layoutProblems(L)).toEqual([]);
      }
      expect(backupMxPicture.words(trace, 60)).toMatch(new RegExp(`short-expiry \\d+, which give up after ${hours} h\\)`));
    }
  });

  test('the primary going down and coming back is the first thing the change says', () => {
    const trace = traceOf('outage-callout-acl');
    const down = series(trace, 'primaryDown');
    const fails = down.indexOf(1);
    const returns = down.indexOf(0, fails);
    expect(fails).toBeGreaterThan(0);
    expect(backupMxPicture.change(trace, fails - 1, fails)).toMatch(/^Primary down: connections to it time out[;.]/);
    expect(backupMxPicture.change(trace, returns - 1, returns)).toMatch(/^Primary up and takes mail[;.]/);
    expect(backupMxPicture.change(trace, fails, fails)).toBe('');
  });

  test('the words give the backup’s replies and the bounces of the sample, as the counters count them', () => {
    const trap = traceOf('positive-cache-trap');
    const deferred = series(trap, 'rcpt451').findIndex((n, i) => n > 0 && series(trap, 'primaryDown')[i] === 1);
    expect(deferred).toBeGreaterThan(0);
    expect(backupMxPicture.words(trap, deferred)).toContain(`451 to ${series(trap, 'rcpt451')[deferred]} and 550 to ${series(trap, 'rcpt550')[deferred]}.`);
    const acl = traceOf('outage-callout-acl');
    const backscatter = series(acl, 'backscatter').findIndex((n) => n > 0);
    expect(backscatter).toBeGreaterThan(0);
    const bounces = series(acl, 'backscatter')[backscatter]! + series(acl, 'bounced')[backscatter]!;
    expect(backupMxPicture.words(acl, backscatter)).toContain(`${bounces} bounces were sent, ${series(acl, 'backscatter')[backscatter]} of them backscatter`);
    expect(backupMxPicture.change(acl, backscatter - 1, backscatter)).toContain(`${bounces} bounces sent`);
  });

  test('the drawing is an image with the title and the words as its description', () => {
    const trace = traceOf('outage-callout-acl');
    const svg = backupMxPicture.render(trace, 60, { id: 'p', title: 'Mail', vertical: false });
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="p-title p-desc"/);
    expect(svg).toContain('<title id="p-title">Mail</title>');
    expect(svg).toContain(`<desc id="p-desc">${backupMxPicture.words(trace, 60).replace(/'/g, '&#39;')}</desc>`);
  });
});

describe('the backup-MX picture, compact (a small box or a slide)', () => {
  const lines = (L: PictureLayout, id: string) => L.boxes.find((b) => b.id === id)!.lines.map((l) => l.text);

  test('every frame of every scenario inside its 400 units, lines in their boxes, nothing over anything', () => {
    for (const [id, trace] of runs) {
      const scene = trace.scene as BackupMxScene;
      scene.frames.forEach((f, i) => {
        const L = compactLayout(scene, f);
        expect(L.width, `${id} frame ${i}`).toBe(400);
        expect(layoutProblems(L), `${id} frame ${i}`).toEqual([]);
      });
    }
  });

  test('three sender rows: the MTAs summed, short-expiry and spambots; the backup’s 451s and 550s add up to the counters', () => {
    const trap = traceOf('positive-cache-trap');
    const scene = trap.scene as BackupMxScene;
    const counted = (L: PictureLayout, code: string) => L.boxes.filter((b) => b.id.startsWith('mx2-')).flatMap((b) => b.lines.flatMap((l) => l.text.split(' · '))).filter((t) => t.startsWith(`${code} ×`)).reduce((a, t) => a + Number(t.split('×')[1]), 0);
    for (const [code, key] of [['451', 'rcpt451'], ['550', 'rcpt550']] as const) {
      const i = series(trap, key).findIndex((n) => n > 0);
      expect(i, key).toBeGreaterThanOrEqual(0);
      const L = compactLayout(scene, scene.frames[i]!);
      expect(L.boxes.filter((b) => b.cls === 'sender').map((b) => b.lines[0]!.text)).toEqual(['Exim+Postfix+Exchange', `Short-expiry (${scene.shortExpiryHours} h)`, 'Spambots']);
      expect(counted(L, code), key).toBe(series(trap, key)[i]);
    }
  });

  test('the primary’s state and the bounces with their backscatter are drawn as the series have them', () => {
    const acl = traceOf('outage-callout-acl');
    const scene = acl.scene as BackupMxScene;
    const i = series(acl, 'backscatter').findIndex((n) => n > 0);
    expect(i).toBeGreaterThan(0);
    const L = compactLayout(scene, scene.frames[i]!);
    expect(lines(L, 'mx1')[1]).toMatch(series(acl, 'primaryDown')[i] === 1 ? /^DOWN|^SLOW/ : /^UP/);
    const bounces = series(acl, 'backscatter')[i]! + series(acl, 'bounced')[i]!;
    expect(lines(L, 'bounces')[0]).toMatch(new RegExp(`^${bounces} bounces \\(${series(acl, 'backscatter')[i]} backscatter\\)`));
  });

  test('what it sums or leaves out, each MTA’s replies and its retry timers, is in the picture in words', () => {
    const acl = traceOf('outage-callout-acl');
    const scene = acl.scene as BackupMxScene;
    const i = series(acl, 'rcpt451').findIndex((n) => n > 0);
    expect(i).toBeGreaterThan(0);
    const words = backupMxPicture.words(acl, i);
    for (const kind of ['Exim', 'Postfix', 'Exchange']) expect(words).toMatch(new RegExp(`by sender:.*${kind}: `));
    // The 451s each MTA got, as the words list them, add up to the counter for the sample.
    const by451 = [...words.matchAll(/mx2 451 ×(\d+)/g)].reduce((a, m) => a + Number(m[1]), 0);
    expect(by451).toBe(series(acl, 'rcpt451')[i]);
    expect(words).toMatch(/Retry timers running: Exim \d+/);
  });

  test('render draws it at 400 units when asked; a phone’s vertical layout wins', () => {
    const trace = traceOf('outage-callout-acl');
    expect(backupMxPicture.render(trace, 60, { id: 'p', title: 'Mail', vertical: false, compact: true })).toMatch(/^<svg class="bmx compact" viewBox="0 0 400 /);
    expect(backupMxPicture.render(trace, 60, { id: 'p', title: 'Mail', vertical: true, compact: true })).toMatch(/^<svg class="bmx" viewBox="0 0 340 /);
  });
});

describe('backup-MX picture snapshots', () => {
  /** The outage with the callout ACL, at the sample its backup queue was fullest (found by the series). */
  const trace = traceOf('outage-callout-acl');
  const peak = series(trace, 'backupQueue').indexOf(Math.max(...series(trace, 'backupQueue')));
  test.each([['wide', false], ['narrow', true]] as const)('outage-callout-acl at its fullest backup queue, %s', (layout, vertical) => {
    expect(peak).toBeGreaterThan(0);
    expectSnapshot(`backup-mx-outage-callout-acl${vertical ? '-narrow' : ''}`, backupMxPicture.render(trace, peak, { id: 'picture-backup-mx', title: backupMx.view.picture!.title, vertical }));
  });
  test('outage-callout-acl at its fullest backup queue, compact', () => {
    expectSnapshot('backup-mx-outage-callout-acl-compact', backupMxPicture.render(trace, peak, { id: 'picture-backup-mx', title: backupMx.view.picture!.title, vertical: false, compact: true }));
  });
  test('outage-callout-acl at its fullest backup queue, in words', () => {
    expectSnapshot('backup-mx-outage-callout-acl-words', `<p>${backupMxPicture.words(trace, peak)}</p>`, 'html');
  });
});
