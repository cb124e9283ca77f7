/**
 * The buckets picture's layout and words (site/pictures/token-bucket.ts): for
 * every frame of every token-bucket scenario, wide and narrow, everything lies
 * inside the drawing, no two labels overlap, a bucket's tokens never leave its
 * capacity, and the picture keeps its height while the run plays; the words
 * and the change sentence say the numbers the series say at moments the series
 * pick out; and one real frame, wide and narrow, as a reviewed snapshot.
 */
import { describe, expect, test } from 'vitest';
import { scenarioState, type Trace } from '../../sim/core/index.ts';
import { tokenBucket } from '../../sim/token-bucket/index.ts';
import { clientName, CLIENTS } from '../../sim/token-bucket/keys.ts';
import type { BucketsScene } from '../../sim/token-bucket/scene.ts';
import { bucketsLayout, compactBucketsLayout, COMPACT_TEXT, textBox, tokenBucketPicture, type BucketsLayout } from '../../site/pictures/token-bucket.ts';
import { expectSnapshot } from './snapshot.ts';

const traces = new Map<string, Trace>(
  tokenBucket.scenarios.map((s) => {
    const st = scenarioState(tokenBucket, s.id);
    return [s.id, tokenBucket.run(st.params, st.seed)];
  }),
);
const trace = (id: string) => traces.get(id)!;
const sceneOf = (t: Trace) => t.scene as BucketsScene;
const sumAt = (t: Trace, family: string, i: number) => Object.keys(t.series).filter((k) => k.startsWith(`${family}_c`)).reduce((a, k) => a + (t.series[k]![i] ?? 0), 0);
/** The first sample at or after `from` where `hit` holds. */
const firstSample = (t: Trace, hit: (i: number) => boolean, from = 0) => t.series.attempts!.findIndex((_, i) => i >= from && hit(i));

function layoutProblems(scene: BucketsScene, i: number, vertical: boolean, laid: BucketsLayout = bucketsLayout(scene, i, vertical)): string[] {
  const { width, height, texts, rects } = laid;
  const problems: string[] = [];
  for (const t of texts) {
    const b = textBox(t);
    if (t.size < 11) problems.push(`“${t.text}” at ${t.size} px`);
    if (b.x0 < 0 || b.x1 > width || b.y0 < 0 || b.y1 > height) problems.push(`“${t.text}” outside ${width}×${height}`);
  }
  for (const r of rects) if (r.x < 0 || r.y < 0 || r.x + r.w > width + 1e-9 || r.y + r.h > height) problems.push(`${r.cls} rect outside`);
  texts.forEach((a, k) => {
    const p = textBox(a);
    for (const b of texts.slice(k + 1)) {
      const q = textBox(b);
      if (p.x0 < q.x1 && q.x0 < p.x1 && p.y0 < q.y1 && q.y0 < p.y1) problems.push(`“${a.text}” overlaps “${b.text}”`);
    }
  });
  // Each capacity bar is followed by its tokens: never wider, never negative.
  rects.forEach((r, k) => {
    if (r.cls !== 'tokens') return;
    const cap = rects[k - 1]!;
    if (cap.cls !== 'capacity' || r.w < 0 || r.w > cap.w + 1e-9 || r.x !== cap.x) problems.push(`tokens ${r.w} in a capacity of ${cap.w}`);
  });
  return problems;
}

describe('the buckets picture, compact (a small box or a slide)', () => {
  test('every frame of every scenario inside its 420 units, every word at 13 units, labels apart', () => {
    for (const [id, t] of traces) {
      const scene = sceneOf(t);
      scene.frames.forEach((_, i) => {
        const laid = compactBucketsLayout(scene, i);
        expect(laid.width).toBe(420);
        expect(laid.texts.every((x) => x.size === COMPACT_TEXT), `${id} sample ${i}`).toBe(true);
        expect(layoutProblems(scene, i, false, laid), `${id} sample ${i}`).toEqual([]);
      });
    }
  });

  test('a row per client with its tokens, passed and 429s as the series count them; the backend’s line and what clients await', () => {
    const t = trace('runaway');
    const scene = sceneOf(t);
    const i = firstSample(t, (k) => sumAt(t, 'rejected', k) > 0);
    expect(i).toBeGreaterThanOrEqual(0);
    const words = compactBucketsLayout(scene, i).texts.map((x) => x.text);
    const refused = words.filter((w) => /^✗ [\d,]+ got 429$/.test(w)).map((w) => Number(w.slice(2).split(' ')[0]!.replace(/,/g, '')));
    expect(refused).toHaveLength(scene.clients.length);
    expect(refused.reduce((a, b) => a + b, 0)).toBe(sumAt(t, 'rejected', i));
    expect(words).toContain(`Backend: ${scene.frames[i]!.busy} of ${scene.workers} busy, ${scene.frames[i]!.queued.toLocaleString('en-US')} in line`);
    // The 429's header lines are not drawn; the words have them, and what clients still await.
    expect(words.some((w) => w.startsWith('Retry-After') || w.startsWith('RateLimit'))).toBe(false);
    expect(tokenBucketPicture.words(t, i)).toMatch(/clients still wait for [\d,]+ of those [\d,]+ attempts/);
  });

  test('render draws it when asked, and a phone’s vertical layout wins', () => {
    const t = trace('stall-no-jitter');
    expect(tokenBucketPicture.render(t, 5, { id: 'b', title: 'B', vertical: false, compact: true })).toMatch(/^<svg class="tbucket compact" viewBox="0 0 420 /);
    expect(tokenBucketPicture.render(t, 5, { id: 'b', title: 'B', vertical: true, compact: true })).toMatch(/^<svg class="tbucket" viewBox="0 0 340 /);
  });
});

describe('the buckets picture', () => {
  test.each([false, true])('vertical=%s: every frame of every scenario lays out inside the drawing, labels apart, at one height per run', (vertical) => {
    for (const [id, t] of traces) {
      const scene = sceneOf(t);
      const heights = new Set<number>();
      scene.frames.forEach((_, i) => {
        expect(layoutProblems(scene, i, vertical), `${id} sample ${i}`).toEqual([]);
        heights.add(bucketsLayout(scene, i, vertical).height);
      });
      expect([...heights], id).toHaveLength(1);
    }
  });

  test('the drawing has as many token bars as clients, hatched, and its description is the words', () => {
    const t = trace('runaway');
    const svg = tokenBucketPicture.render(t, 3, { id: 'p', title: 'Buckets', vertical: false });
    expect(svg.match(/<rect class="tokens"[^>]*fill="url\(#p-hatch\)"/g)).toHaveLength(sceneOf(t).clients.length);
    expect(svg).toContain(`<desc id="p-desc">${tokenBucketPicture.words(t, 3).replace(/"/g, '&#34;').replace(/'/g, '&#39;')}</desc>`);
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
  });

  test('when the shedding scenario first sheds, the change and the words give the series’ counts', () => {
    const t = trace('stall-shedding');
    const i = firstSample(t, (k) => t.series.shed503![k]! > 0);
    expect(i).toBeGreaterThan(0);
    const shed = t.series.shed503![i]!;
    expect(tokenBucketPicture.change(t, i - 1, i)).toMatch(new RegExp(`^Line at \\d+: ${shed} shed with 503`));
    expect(tokenBucketPicture.words(t, i)).toContain(`${sumAt(t, 'admitted', i)} attempts passed, ${sumAt(t, 'rejected', i)} got 429, ${shed} were shed with 503 and ${t.series.timeout![i]} timed out.`);
  });

  test('when a client first runs out of tokens, the change names it and says the Retry-After the edge logged that second', () => {
    const t = trace('ignore-headers');
    const scene = sceneOf(t);
    const i = firstSample(t, (k) => sumAt(t, 'rejected', k) > 0);
    expect(i).toBeGreaterThan(0);
    const refused = (name: string) => t.series[`rejected_c${CLIENTS.find((c) => clientName(c) === name)}`]![i]!;
    const names = scene.clients.filter((name) => refused(name) > 0);
    const change = tokenBucketPicture.change(t, i - 1, i);
    const count = names.reduce((n, name) => n + refused(name), 0);
    expect(change.startsWith(`${names.join(', ')} out of tokens: ${count} got 429`.replace(/^./, (c) => c.toUpperCase()))).toBe(true);
    const logged = t.log.filter((l) => l.kind === '429' && Math.floor(l.tMs / t.sampleMs) === i).map((l) => l.detail!.split('\n').find((x) => x.startsWith('Retry-After:'))!);
    // The log keeps a few 429s a second; here they all carry the one value the change must say.
    expect(new Set(logged).size).toBe(1);
    expect(change).toContain(`(${logged[0]})`);
    expect(tokenBucketPicture.words(t, i)).toContain(logged[0]!);
  });

  test('the last 429 shown is a problem details response: its Content-Type, and the body’s violated policies as the log has them', () => {
    const t = trace('runaway');
    const i = 3;
    const logged = t.log.filter((l) => l.kind === '429' && Math.floor(l.tMs / t.sampleMs) === i).at(-1)!;
    const [head, body] = logged.detail!.split('\n\n');
    expect(head).toContain('Content-Type: application/problem+json');
    const shown = bucketsLayout(sceneOf(t), i, true).texts.filter((x) => x.cls === 'header').map((x) => x.text);
    expect(shown).toContain('Content-Type: application/problem+json');
    const policies = JSON.stringify(JSON.parse(body!)['violated-policies']);
    expect(shown.at(-1)).toBe(`{…,"violated-policies":${policies}}`);
    expect(tokenBucketPicture.words(t, i)).toContain('Content-Type: application/problem+json, and a problem details body saying the quota of “default” was exceeded.');
  });

  test('the runaway’s last second, like the one before it, says nothing', () => {
    const t = trace('runaway');
    const last = t.series.attempts!.length - 1;
    expect(t.series.rejected_c4![last - 1]! > 0 && t.series.rejected_c4![last]! > 0).toBe(true);
    expect(tokenBucketPicture.change(t, last - 1, last)).toBe('');
    expect(tokenBucketPicture.change(t, last, last)).toBe('');
  });

  test.each([['wide', false], ['narrow', true]] as const)('snapshot: the runaway at its second 5, %s', (layout, vertical) => {
    const t = trace('runaway');
    const svg = tokenBucketPicture.render(t, 5, { id: 'picture-token-bucket', title: tokenBucket.view.picture!.title, vertical });
    expectSnapshot(`token-bucket-runaway${layout === 'narrow' ? '-narrow' : ''}`, svg);
  });
});
