/**
 * The pagination picture (site/pictures/pagination.ts): for every frame of
 * every scenario, wide and narrow, everything lies inside the drawing and no
 * two labels overlap; the strip is drawn to one scale and the rows it draws as
 * read are the rows the scan read; every repeat and skip the frame holds is a
 * lettered box; the words and the change sentence say the numbers of a moment
 * found by the log; and one real frame, wide and narrow, is kept as a snapshot.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { defaultParams, scenarioState, type Trace } from '../../sim/core/index.ts';
import { pagination as sim } from '../../sim/pagination/index.ts';
import { pageState, type PaginationScene } from '../../sim/pagination/scene.ts';
import { groupDigits, layoutPicture, textWidth, type PictureLayout, type Txt } from '../../site/pictures/pagination-layout.ts';
import { pagination, pictureInWords } from '../../site/pictures/pagination.ts';
import { expectSnapshot } from './snapshot.ts';

const traces = sim.scenarios.map((s) => {
  const st = scenarioState(sim, s.id);
  return [s.id, sim.run(st.params, st.seed)] as const;
});
const traceOf = (id: string) => traces.find(([x]) => x === id)![1];
const sceneOf = (trace: Trace) => trace.scene as PaginationScene;
/** The sample of the first log line of a kind. */
const sampleOf = (trace: Trace, kind: string) => Math.floor(trace.log.find((l) => l.kind === kind)!.tMs / trace.sampleMs);

function boxOf(t: Txt) {
  const w = textWidth(t);
  const x = t.anchor === 'middle' ? t.x - w / 2 : t.x;
  return { x, y: t.y - t.size * 0.8, w, h: t.size };
}

function problemsOf(L: PictureLayout): string[] {
  const out: string[] = [];
  const boxes = L.texts.map((t) => [t.text, boxOf(t), t.cls] as const);
  for (const [text, b] of boxes) if (b.x < 0 || b.x + b.w > L.width || b.y < 0 || b.y + b.h > L.height) out.push(`"${text}" outside`);
  boxes.forEach(([ta, a], i) => {
    for (const [tb, b] of boxes.slice(i + 1)) if (!(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y)) out.push(`"${ta}" on "${tb}"`);
  });
  const s = L.strip;
  if (s.x < 0 || s.x + s.w > L.width) out.push('strip outside');
  if (s.pageX < s.x - 0.01 || s.pageX + s.pageW > s.x + s.w + 0.01) out.push('page marker outside the strip');
  for (const c of L.zoom.cells) if (c.x < 0 || c.x + c.w > L.width) out.push(`box at ${c.pos} outside`);
  L.zoom.cells.forEach((c, i) => {
    const next = L.zoom.cells[i + 1];
    if (next && next.x < c.x + c.w - 0.01) out.push(`boxes at ${c.pos} and ${next.pos} overlap`);
  });
  // Boxes and strip stay clear of the text.
  for (const [text, b, cls] of boxes) {
    const clear = (y: number, h: number) => b.y + b.h <= y || y + h <= b.y;
    if (!clear(s.y - 10, s.h + 10)) out.push(`"${text}" on the strip`);
    // A folded run's count sits in its own box.
    if (cls === 'gap-count') {
      if (!L.zoom.cells.some((c) => c.kind === 'gap' && c.x <= b.x && b.x + b.w <= c.x + c.w)) out.push(`"${text}" outside its box`);
    } else if (!clear(L.zoom.y, L.zoom.h)) out.push(`"${text}" on the boxes`);
  }
  return out;
}

describe('the pagination picture', () => {
  test.each([[false, false], [true, false], [false, true]])('vertical=%s, compact=%s: every frame of every scenario inside the drawing, no label on another', (vertical, compact) => {
    for (const [id, trace] of traces) {
      const scene = sceneOf(trace);
      scene.frames.forEach((_, i) => {
        const L = layoutPicture(scene, i, vertical, compact);
        expect(L.width).toBe(vertical ? 340 : compact ? 420 : 600);
        expect(problemsOf(L), `${id} frame ${i}`).toEqual([]);
      });
    }
  });

  test.each([[false, false], [true, false], [false, true]])('vertical=%s, compact=%s: the strip is drawn to one scale, and the rows it draws as read are the rows the scan read', (vertical, compact) => {
    for (const [id, trace] of traces) {
      const scene = sceneOf(trace);
      scene.frames.map(pageState).forEach((f, i) => {
        const { strip } = layoutPicture(scene, i, vertical, compact);
        const pxPerRow = strip.w / f.rows;
        for (const s of strip.segs) expect(Math.abs(s.w - (s.to - s.from) * pxPerRow), `${id} frame ${i} ${s.kind}`).toBeLessThan(1e-6);
        expect(strip.segs.reduce((n, s) => n + s.to - s.from, 0), `${id} frame ${i}`).toBe(f.rows);
        const rowsOf = (kind: string) => strip.segs.filter((s) => s.kind === kind).reduce((n, s) => n + s.to - s.from, 0);
        // A stopped reader's frame holds its last fetch.
        const fetch = f.stopped ? trace.summary.pagesFetched! - 1 : i;
        expect(rowsOf('discarded') + rowsOf('page'), `${id} frame ${i}: rows drawn as read`).toBe(trace.series.rowsRead![fetch]);
        if (scene.seqScan) {
          // Without the index a Seq Scan read every row: all but the page are drawn read and thrown away.
          expect(rowsOf('discarded'), `${id} frame ${i}`).toBe(f.rows - f.got);
        } else if (scene.method === 'offset') {
          expect(rowsOf('discarded'), `${id} frame ${i}`).toBe(f.read - f.got);
          // A full page n is OFFSET (n - 1) × LIMIT plus LIMIT rows read.
          if (f.got === scene.limit) expect(rowsOf('discarded') + rowsOf('page'), `${id} frame ${i}`).toBe(f.page * scene.limit);
        } else {
          expect(rowsOf('discarded'), `${id} frame ${i}`).toBe(0);
          expect(rowsOf('page'), `${id} frame ${i}: keyset reads the page alone`).toBe(f.got);
        }
        // Block lines every rowsPerBlock rows, and no more than the layout promised.
        expect(strip.blockXs.length, `${id} frame ${i}`).toBe(Math.ceil(f.rows / strip.rowsPerBlock) - 1);
        expect(strip.blockXs.length).toBeLessThanOrEqual(vertical ? 20 : compact ? 30 : 40);
      });
    }
  });

  test.each([[false, false], [true, false], [false, true]])('vertical=%s, compact=%s: every repeat and every skip the series count is a lettered box', (vertical, compact) => {
    for (const [id, trace] of traces) {
      const scene = sceneOf(trace);
      scene.frames.map(pageState).forEach((f, i) => {
        if (f.stopped) return;
        const cells = layoutPicture(scene, i, vertical, compact).zoom.cells;
        const lettered = (m: string) => cells.filter((c) => c.mark === m).reduce((n, c) => n + c.rows, 0);
        expect(lettered('R'), `${id} frame ${i}`).toBe(trace.series.repeats![i]);
        expect(lettered('S') - lettered('L'), `${id} frame ${i}`).toBe(trace.series.neverSeen![i]);
        // Rows read and thrown away are boxed as such: OFFSET's before the page, a Seq Scan's on both sides of it.
        const thrownAway = scene.seqScan ? f.at > 0 || f.rows > f.at + f.got : scene.method === 'offset' && f.at > 0;
        expect(cells.some((c) => c.kind === 'discarded'), `${id} frame ${i}`).toBe(thrownAway);
      });
    }
  });

  test('a page broken into many short runs by busy writers keeps each folded run\'s count inside its box (found by the property below)', () => {
    const over = { rows: 1000, tie: 1, method: 0, pageSize: 66, startPage: 1, pages: 10, insertsPerFetch: 41, deletesPerFetch: 26 };
    const scene = sceneOf(sim.run({ ...defaultParams(sim.params), ...over }, 1));
    scene.frames.forEach((_, i) => expect(problemsOf(layoutPicture(scene, i, false)), `frame ${i}`).toEqual([]));
  });

  test('a narrow picture of a page speckled by busy writers narrows its folds to their counts and stays narrow (found by the property below)', () => {
    const over = { rows: 1000, tie: 5, method: 0, pageSize: 102, startPage: 2, pages: 5, insertsPerFetch: 39, deletesPerFetch: 24 };
    const scene = sceneOf(sim.run({ ...defaultParams(sim.params), ...over }, 1));
    scene.frames.map(pageState).forEach((f, i) => {
      const L = layoutPicture(scene, i, true, false);
      expect(L.width, `frame ${i}`).toBe(340);
      expect(problemsOf(L), `frame ${i}`).toEqual([]);
      expect(L.zoom.cells.every((c) => c.w > 0), `frame ${i}`).toBe(true);
      expect(L.zoom.cells.filter((c) => c.mark === 'R').reduce((n, c) => n + c.rows, 0), `frame ${i}`).toBe(f.again.length);
    });
  });

  test('whatever the parameters (pages of up to 200 rows, ties of 50, busy writers), every frame lays out clear and letters every repeat', () => {
    const params = fc.record({
      rows: fc.integer({ min: 1, max: 5000 }).map((x) => x * 1000),
      tie: fc.integer({ min: 1, max: 50 }),
      method: fc.constantFrom(0, 1, 2),
      pageSize: fc.integer({ min: 5, max: 200 }),
      startPage: fc.integer({ min: 1, max: 250_000 }),
      pages: fc.integer({ min: 5, max: 40 }),
      insertsPerFetch: fc.integer({ min: 0, max: 50 }),
      deletesPerFetch: fc.integer({ min: 0, max: 50 }),
    });
    fc.assert(
      fc.property(params, fc.constantFrom([false, false], [true, false], [false, true]), (over, [vertical, compact]) => {
        const trace = sim.run({ ...defaultParams(sim.params), ...over }, 1);
        const scene = sceneOf(trace);
        scene.frames.map(pageState).forEach((f, i) => {
          const L = layoutPicture(scene, i, vertical, compact);
          const problems = problemsOf(L);
          if (problems.length) throw new Error(`frame ${i}: ${problems.slice(0, 3).join('; ')}`);
          if (L.zoom.cells.filter((c) => c.mark === 'R').reduce((n, c) => n + c.rows, 0) !== f.again.length) throw new Error(`frame ${i}: ${f.again.length} repeats, not all lettered`);
        });
      }),
      { numRuns: 40 },
    );
  });

  test('the words and the change say the first repeat after an INSERT, and the first skip after a DELETE, with their numbers', () => {
    const ins = traceOf('offset-inserts');
    const i = sampleOf(ins, 'repeat');
    const page = ins.series.pageDepth![i];
    const repeats = ins.series.repeats![i]!;
    const before = ins.series.inserts![i - 1]!;
    const words = pagination.words(ins, i);
    expect(words).toContain(`Page ${page}: LIMIT 20 OFFSET ${(page! - 1) * 20}.`);
    expect(words).toContain(`The scan read ${ins.series.rowsRead![i]} rows`);
    expect(words).toContain(`${repeats} row on this page was returned before`);
    expect(pagination.change(ins, i - 1, i)).toBe(`Page ${page}: ${repeats} row returned again after ${before} INSERT behind the reader; read ${ins.series.rowsRead![i]} rows, threw away ${ins.series.rowsDiscarded![i]}.`);

    const del = traceOf('offset-deletes');
    const j = sampleOf(del, 'skip');
    expect(pagination.change(del, j - 1, j)).toMatch(new RegExp(`^Page ${del.series.pageDepth![j]}: ${del.series.neverSeen![j]} row skipped after 1 DELETE behind the reader;`));
    // The svg carries the same words as its description.
    expect(pagination.render(del, j, { id: 'p', title: 'T', vertical: false })).toContain(`<desc id="p-desc">${pictureInWords(sceneOf(del), j)}</desc>`);
  });

  test('the change names the end of the table once, and says nothing when the cursor has not moved', () => {
    const trace = traceOf('offset-inserts');
    const fetched = trace.summary.pagesFetched!;
    expect(pagination.change(trace, fetched - 1, fetched)).toMatch(/^The reader stopped: page \d+ came back with \d+ rows, the end of the table\.$/);
    expect(pagination.change(trace, fetched, fetched + 1)).toBe('');
    expect(pagination.change(trace, 5, 5)).toBe('');
  });

  test('compact: 420 units, the strip’s label cut to its counts, the boxes’ explanation and the index’s order left to the words', () => {
    const trace = traceOf('offset-inserts');
    const i = sampleOf(trace, 'repeat');
    const scene = sceneOf(trace);
    const f = pageState(scene.frames[i]!);
    const texts = layoutPicture(scene, i, false, true).texts.map((t) => t.text);
    expect(texts.some((t) => t.startsWith(`Index: ${groupDigits(f.rows)} rows; block = `))).toBe(true);
    expect(texts.some((t) => t.startsWith('Each box above'))).toBe(false);
    expect(texts).toContain(`returned again: ${trace.series.repeats![i]}`);
    expect(pagination.words(trace, i)).toContain(`The index: ${groupDigits(f.rows)} rows in (created_at, id) order.`);
    expect(pagination.render(trace, i, { id: 'p', title: 'P', vertical: false, compact: true })).toMatch(/^<svg class="pagemap compact" viewBox="0 0 420 /);
  });

  test.each([false, true])('snapshot, vertical=%s: offset-inserts at its first repeat', (vertical) => {
    const trace = traceOf('offset-inserts');
    expectSnapshot(`pagination-offset-inserts${vertical ? '-narrow' : ''}`, pagination.render(trace, sampleOf(trace, 'repeat'), { id: 'picture-pagination', title: sim.view.picture!.title, vertical }));
  });

  test.each([false, true])('snapshot, vertical=%s: timestamp-ties at its first skip', (vertical) => {
    const trace = traceOf('timestamp-ties');
    expectSnapshot(`pagination-timestamp-ties${vertical ? '-narrow' : ''}`, pagination.render(trace, sampleOf(trace, 'skip'), { id: 'picture-pagination', title: sim.view.picture!.title, vertical }));
  });
});
