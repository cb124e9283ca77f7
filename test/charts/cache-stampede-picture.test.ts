/**
 * The cache-stampede picture's layout and words: for every frame of every
 * scenario, wide and narrow, everything lies inside the drawing and no two
 * labels overlap; the drawing has one arrow per server that queried, carrying
 * the queries the model started, and no more busy slots than the database has;
 * the words and the change sentence say the numbers of a moment found from the
 * series; and one real frame, wide and narrow, as reviewed snapshots.
 */
import { describe, expect, test } from 'vitest';
import { normalizeParams, scenarioState, type Trace } from '../../sim/core/index.ts';
import { cacheStampede } from '../../sim/cache-stampede/index.ts';
import type { CacheScene } from '../../sim/cache-stampede/scene.ts';
import { cacheLayout, cacheStampedePicture as picture, textWidth, type Label, type Rect } from '../../site/pictures/cache-stampede.ts';
import { expectSnapshot } from './snapshot.ts';

const traceOf = (id: string) => {
  const st = scenarioState(cacheStampede, id);
  return cacheStampede.run(st.params, st.seed);
};
const traces = cacheStampede.scenarios.map((s) => [s.id, traceOf(s.id)] as const);
const sceneOf = (t: Trace) => t.scene as CacheScene;

/** A label's box: its anchor decides where the text runs; the baseline sits a fifth above the bottom. */
function labelBox(l: Label): Rect {
  const w = textWidth(l);
  const x = l.anchor === 'start' ? l.x : l.anchor === 'end' ? l.x - w : l.x - w / 2;
  return { x, y: l.y - l.size * 0.8, w, h: l.size };
}
const inside = (r: Rect, w: number, h: number) => r.x >= 0 && r.y >= 0 && r.x + r.w <= w + 0.01 && r.y + r.h <= h + 0.01;
const apart = (a: Rect, b: Rect) => a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;

function layoutProblems(s: CacheScene, i: number, vertical: boolean, compact = false, wide = false): string[] {
  const f = s.frames[i]!;
  const L = cacheLayout(s, f, vertical, compact, wide);
  const problems: string[] = [];
  const at = `frame ${i}${vertical ? ' narrow' : compact ? ' compact' : ''}${wide ? ' wide' : ''}`;
  // The cache, the servers and the database side by side (wide) or in bands: never one over another.
  L.panels.forEach((a, k) => L.panels.slice(k + 1).forEach((b) => apart(a, b) || problems.push(`${at}: panels ${a.cls} and ${b.cls} overlap`)));
  for (const b of L.servers) for (const p of L.panels) if (!apart(b, p)) problems.push(`${at}: server ${b.app} over the ${p.cls} panel`);
  if (wide && L.width < 2 * L.height) problems.push(`${at}: ${L.width} x ${L.height} is not twice as wide as tall`);
  for (const r of [...L.panels, ...L.bars, ...L.servers, ...L.slots, ...L.line]) if (!inside(r, L.width, L.height)) problems.push(`${at}: ${JSON.stringify(r)} outside`);
  const boxes = L.labels.map(labelBox);
  L.labels.forEach((l, k) => {
    if (!inside(boxes[k]!, L.width, L.height)) problems.push(`${at}: “${l.text}” outside`);
    if (l.size < 11) problems.push(`${at}: “${l.text}” at ${l.size} px`);
    for (let m = k + 1; m < boxes.length; m++) if (!apart(boxes[k]!, boxes[m]!)) problems.push(`${at}: “${l.text}” overlaps “${L.labels[m]!.text}”`);
  });
  L.servers.forEach((a, k) => L.servers.slice(k + 1).forEach((b) => apart(a, b) || problems.push(`${at}: servers ${a.app} and ${b.app} overlap`)));
  // A count written in a server's box fits in it.
  for (const l of L.labels.filter((x) => x.cls === 'count' || x.cls === 'app')) {
    if (!L.servers.some((b) => inside({ ...labelBox(l), x: labelBox(l).x - b.x, y: labelBox(l).y - b.y }, b.w, b.h))) problems.push(`${at}: “${l.text}” not inside its server`);
  }
  if (L.slots.length !== s.dbSlots || L.slots.filter((c) => c.busy).length !== Math.min(f.busy, s.dbSlots)) problems.push(`${at}: slots`);
  return problems;
}

describe('the cache-stampede picture', () => {
  test.each([[false, false, false], [true, false, false], [false, true, false], [false, true, true]])('vertical=%s, compact=%s, wide=%s: every frame of every scenario lies inside the drawing with no label over another', (vertical, compact, wide) => {
    for (const [id, t] of traces) {
      const s = sceneOf(t);
      const problems = s.frames.flatMap((_, i) => layoutProblems(s, i, vertical, compact, wide));
      expect(problems.slice(0, 5), id).toEqual([]);
    }
  });

  test('at the extremes (50 servers, 200 slots, 5000 keys, the lock and XFetch on) the layout still holds', () => {
    const p = normalizeParams(cacheStampede.params, { servers: 50, dbConcurrency: 200, otherKeys: 5000, otherKeysPerSec: 5000, ttlSec: 5, fleetLock: 1, xfetchBeta: 4, durationSec: 20 }).params;
    const s = sceneOf(cacheStampede.run(p, 5));
    for (const vertical of [false, true]) expect(s.frames.flatMap((_, i) => layoutProblems(s, i, vertical)).slice(0, 5)).toEqual([]);
    expect(s.frames.flatMap((_, i) => layoutProblems(s, i, false, true)).slice(0, 5)).toEqual([]);
    expect(s.frames.flatMap((_, i) => layoutProblems(s, i, false, true, true)).slice(0, 5)).toEqual([]);
  });

  test('at the herd’s biggest second the drawing has an arrow per server carrying the queries started, and the words and the change say its numbers', () => {
    const [, t] = traces.find(([id]) => id === 'herd')!;
    const hot = [...t.series.queriesHot!];
    const i = hot.indexOf(Math.max(...hot));
    const started = t.series.queriesStarted![i]!;
    const svg = picture.render(t, i, { id: 'c', title: 'Cache', vertical: false });
    const counts = [...svg.matchAll(/class="arrow[^"]*" data-app="\d+" data-count="(\d+)"/g)].map((m) => Number(m[1]));
    expect(counts).toHaveLength(10);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(started);
    expect(svg.match(/class="slot busy"/g)).toHaveLength(t.series.dbInFlight![i]!);
    const words = picture.words(t, i);
    expect(words).toContain(`10 app servers started ${started} queries`);
    expect(words).toContain(`at most ${t.series.dbInFlight![i]} of its 20 slots`);
    expect(words).toContain(`up to ${t.series.dbQueue![i]} queries waited`);
    expect(svg).toContain(`<desc id="c-desc">${words}</desc>`);
    const change = picture.change(t, i - 1, i);
    expect(change).toMatch(/^widgets:top expired at \d+\.\d\d s; /);
    expect(change).toContain(`${started} queries from 10 servers; database full: 20 of 20 busy, ${t.series.dbQueue![i]} waiting`);
    expect(picture.change(t, i, i)).toBe('');
  });

  test('compact: at the herd’s biggest second, 420 units wide, an arrow per server carrying the queries started, the busy slots and the line as the series count them', () => {
    const [, t] = traces.find(([id]) => id === 'herd')!;
    const hot = [...t.series.queriesHot!];
    const i = hot.indexOf(Math.max(...hot));
    const svg = picture.render(t, i, { id: 'c', title: 'Cache', vertical: false, compact: true });
    expect(svg).toMatch(/viewBox="0 0 420 /);
    const counts = [...svg.matchAll(/class="arrow[^"]*" data-app="\d+" data-count="(\d+)"/g)].map((m) => Number(m[1]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(t.series.queriesStarted![i]);
    expect(svg.match(/class="slot busy"/g)).toHaveLength(t.series.dbInFlight![i]!);
    const texts = cacheLayout(sceneOf(t), sceneOf(t).frames[i]!, false, true).labels.map((l) => l.text);
    expect(texts).toContain(`${t.series.queriesStarted![i]} queries started`);
    expect(texts).toContain(`Waiting in line: ${t.series.dbQueue![i]}`);
    // The moment the TTL ran out is left to the words.
    expect(texts.some((x) => /TTL out at/.test(x))).toBe(false);
    expect(picture.words(t, i)).toMatch(/Its TTL runs out in this second, at \d+\.\d\d s\./);
  });

  test('compact: the lock in one line, its holder, its lease and how it ended', () => {
    const [, t] = traces.find(([id]) => id === 'lock-expires')!;
    const s = sceneOf(t);
    const i = s.frames.findIndex((f) => f.lock?.endMs != null);
    expect(i).toBeGreaterThanOrEqual(0);
    const lock = s.frames[i]!.lock!;
    const texts = cacheLayout(s, s.frames[i]!, false, true).labels.map((l) => l.text);
    expect(texts.find((x) => x.startsWith('Lock: '))).toBe(`Lock: app ${lock.app + 1}, lease ${(lock.fromMs / 1000).toFixed(2)} s–${(lock.untilMs / 1000).toFixed(2)} s; ${lock.end} ${(lock.endMs! / 1000).toFixed(2)} s`);
  });

  test('with the fleet lock the expiry’s second draws one arrow, from the box outlined as the holder, and says who took the lock', () => {
    const [, t] = traces.find(([id]) => id === 'single-flight-lock')!;
    const i = t.series.queriesHot!.findIndex((n) => n > 0);
    const holder = sceneOf(t).frames[i]!.lock!.app;
    const svg = picture.render(t, i, { id: 'c', title: 'Cache', vertical: true });
    expect(svg.match(/class="arrow/g)).toHaveLength(1);
    expect(svg).toContain(`data-app="${holder}" data-count="1"`);
    expect(svg.match(/class="server sent holder"/g)).toHaveLength(1);
    expect(picture.change(t, i - 1, i)).toContain(`app ${holder + 1} took the lock; 1 query from 1 server`);
    expect(picture.words(t, i)).toContain(`Lock: held by app ${holder + 1}`);
  });

  test('a thousand keys: the words count them by group at the second they all expire', () => {
    const [, t] = traces.find(([id]) => id === 'thousand-keys')!;
    const i = sceneOf(t).frames.findIndex((f) => f.keys!.expired === sceneOf(t).keyCount);
    expect(picture.words(t, i)).toContain('1,001 keys: 0 fresh, 1,001 expired, 0 loading.');
  });

  test('XFetch: the words give the chance per read at the start of the second of its first early refresh', () => {
    const [, t] = traces.find(([id]) => id === 'xfetch')!;
    const first = t.log.findIndex((l) => l.kind === 'early');
    const i = Math.floor(t.log[first]!.tMs / t.sampleMs);
    const c = sceneOf(t).frames[i]!.earlyChance!;
    expect(c).toBeGreaterThan(0);
    expect(picture.words(t, i)).toContain(c >= 0.1 ? `${Math.round(c * 100)}% of reads` : `1 read in ${Math.round(1 / c).toLocaleString('en')} recomputes early`);
  });

  test('snapshots: the herd’s biggest second, wide and narrow', () => {
    const [, t] = traces.find(([id]) => id === 'herd')!;
    const hot = [...t.series.queriesHot!];
    const i = hot.indexOf(Math.max(...hot));
    expectSnapshot('cache-stampede-herd-wide', picture.render(t, i, { id: 'c', title: 'The fleet, the shared cache and the database', vertical: false }));
    expectSnapshot('cache-stampede-herd-narrow', picture.render(t, i, { id: 'c', title: 'The fleet, the shared cache and the database', vertical: true }));
  });
});
