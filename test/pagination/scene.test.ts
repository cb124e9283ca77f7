/**
 * The walk as a picture (sim/pagination/scene.ts): one frame per sample, and
 * what each frame says about its page agrees with the fetch the model reports
 * to its observer and with the series the charts draw: rows read by OFFSET are
 * the offset plus the page, keyset reads the page alone, and the repeats and
 * skips a frame holds are the ones the series count at that sample.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { defaultParams, type Trace } from '../../sim/core/index.ts';
import { pagination } from '../../sim/pagination/index.ts';
import type { SeriesKey } from '../../sim/pagination/keys.ts';
import { runPagination, type FetchRecord } from '../../sim/pagination/model.ts';
import { METHODS, type PaginationParams } from '../../sim/pagination/params.ts';
import { NO_INDEX } from '../../sim/pagination/params.ts';
import { paginationScenarios } from '../../sim/pagination/scenarios.ts';
import { pageState, type PaginationScene } from '../../sim/pagination/scene.ts';

const defaults = defaultParams(pagination.params);
const paramsOf = (id: string): PaginationParams => ({ ...defaults, ...paginationScenarios.find((s) => s.id === id)!.params });
const OFFSET = METHODS.indexOf('offset');

function run(p: PaginationParams, seed: number) {
  const fetches: FetchRecord[] = [];
  const trace = runPagination(p, seed, (e) => {
    if (e.type === 'fetched') fetches.push(e);
  });
  const scene = trace.scene as PaginationScene;
  return { trace, fetches, scene, frames: scene.frames.map(pageState) };
}
const series = (trace: Trace, key: SeriesKey) => [...trace.series[key]!];
const runningTotal = (values: readonly number[]) => values.map(((t) => (v: number) => (t += v))(0));

/** Small tables, so a run often reaches the end; the writers as busy as the sliders allow. */
const params = fc.record<PaginationParams>({
  rows: fc.oneof(fc.integer({ min: 1, max: 40 }).map((x) => x * 1000), fc.integer({ min: 1, max: 100 }).map((x) => x * 10)),
  tie: fc.integer({ min: 1, max: 50 }),
  index: fc.constantFrom(0, 0, 1),
  method: fc.constantFrom(0, 1, 2),
  order: fc.constantFrom(0, 1),
  pageSize: fc.integer({ min: 3, max: 200 }),
  startPage: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 2000 })),
  pages: fc.integer({ min: 5, max: 300 }),
  insertsPerFetch: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50 })),
  insertAt: fc.constantFrom(0, 1),
  deletesPerFetch: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50 })),
  perRowUs: fc.constant(1),
  perQueryMs: fc.constant(0.2),
});

/** Every way a frame can disagree with the fetches and the series of its run. */
function problemsOf(p: PaginationParams, seed: number): string[] {
  const { trace, fetches, frames } = run(p, seed);
  const out: string[] = [];
  const samples = trace.series.pagesFetched!.length;
  if (frames.length !== samples) out.push(`${frames.length} frames for ${samples} samples`);
  const repeats = series(trace, 'repeats');
  const neverSeen = series(trace, 'neverSeen');
  const inserts = series(trace, 'inserts');
  const deletes = series(trace, 'deletes');
  const seenBefore = new Set<number>();
  frames.forEach((f, i) => {
    const fetch = fetches[i];
    if (!fetch) {
      if (!f.stopped) out.push(`sample ${i}: no fetch, but the frame is not marked stopped`);
      return;
    }
    if (f.stopped || f.page !== fetch.page) out.push(`sample ${i}: frame of page ${f.page}, fetch of page ${fetch.page}`);
    if (f.read !== fetch.scanned) out.push(`sample ${i}: ${f.read} rows read, the scan read ${fetch.scanned}`);
    if (f.got !== fetch.ids.length) out.push(`sample ${i}: ${f.got} rows got, the fetch returned ${fetch.ids.length}`);
    if (p.index === NO_INDEX) {
      // Without the index every page reads the whole table, and so would OFFSET, as the chart says.
      if (f.read !== f.rows || trace.series.rowsReadOffset![i] !== f.rows) out.push(`sample ${i}: a Seq Scan read ${f.read} of ${f.rows}`);
    } else if (p.method === OFFSET) {
      // OFFSET reads its offset and the page, or the whole table when that is shorter.
      if (f.read !== Math.min(f.rows, fetch.query.offset + fetch.query.limit)) out.push(`sample ${i}: OFFSET ${fetch.query.offset} LIMIT ${fetch.query.limit} read ${f.read} of ${f.rows}`);
    } else if (f.read !== f.got) out.push(`sample ${i}: keyset read ${f.read} for a page of ${f.got}`);
    // Where the page sits is what OFFSET would have read to reach it, as the chart says.
    if (p.index !== NO_INDEX && f.at + f.got !== trace.series.rowsReadOffset![i]) out.push(`sample ${i}: page at ${f.at}, rowsReadOffset ${trace.series.rowsReadOffset![i]}`);
    // Repeats, counted again from the pages themselves.
    const again = fetch.ids.filter((id) => seenBefore.has(id)).length;
    fetch.ids.forEach((id) => seenBefore.add(id));
    if (f.again.length !== again || f.again.length !== repeats[i]) out.push(`sample ${i}: ${f.again.length} repeats drawn, ${again} in the pages, ${repeats[i]} in the series`);
    if (f.again.some((k) => !seenBefore.has(fetch.ids[k]!))) out.push(`sample ${i}: a repeat that was never returned`);
    if (f.skipped - f.late.length !== neverSeen[i]) out.push(`sample ${i}: ${f.skipped} skipped less ${f.late.length} late, the series says ${neverSeen[i]}`);
    if (f.skipAt.length !== Math.min(f.skipped, 8)) out.push(`sample ${i}: ${f.skipAt.length} skips placed of ${f.skipped}`);
    // The writes a page shows are the ones between the previous fetch and it.
    const ins = i === 0 ? 0 : inserts[i - 1]!;
    const del = i === 0 ? 0 : deletes[i - 1]!;
    if (f.insBehind + f.insAhead !== ins || f.delBehind + f.delAhead !== del) out.push(`sample ${i}: writes ${f.insBehind}+${f.insAhead} / ${f.delBehind}+${f.delAhead}, series ${ins} / ${del}`);
  });
  const total = (key: 'again' | 'skipped') => runningTotal(frames.map((f) => (key === 'again' ? f.again.length : f.skipped - f.late.length)));
  if (String(total('again')) !== String(runningTotal(repeats))) out.push('running repeats differ from the series');
  if (String(total('skipped')) !== String(runningTotal(neverSeen))) out.push('running skips differ from the series');
  return out;
}

describe('the pagination walk drawn as the index and its page', () => {
  test('every scenario: one frame per sample, each agreeing with its fetch and its series, in under 300 bytes a frame', () => {
    for (const s of paginationScenarios) {
      const p = paramsOf(s.id);
      expect(problemsOf(p, s.seed), s.id).toEqual([]);
      const { scene } = run(p, s.seed);
      expect(JSON.stringify(scene).length / scene.frames.length, s.id).toBeLessThan(300);
    }
  });

  test('whatever the parameters, the frames agree with the fetches and the series', () => {
    fc.assert(
      fc.property(params, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (p, seed) => {
        const problems = problemsOf(p, seed);
        if (problems.length > 0) throw new Error(problems.slice(0, 5).join('; '));
      }),
      { numRuns: 100 },
    );
  });

  test('the longest, busiest run keeps its scene under 150 kB', () => {
    const p = { ...paramsOf('million-rows'), pages: 300, pageSize: 200, tie: 50, insertsPerFetch: 50, deletesPerFetch: 50 };
    expect(JSON.stringify(run(p, 1).scene).length).toBeLessThan(150_000);
  });

  test('with OFFSET and only inserts, n rows inserted behind the reader push n rows back into the page: its first n are repeats or those new rows, and no other row repeats', () => {
    fc.assert(
      fc.property(params, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (p0, seed) => {
        // From page 1, so every row before the page is one the reader has had or one inserted since; no more
        // inserts than a page, so no page falls wholly behind the last row the reader got (then it repeats more).
        const p = { ...p0, method: OFFSET, deletesPerFetch: 0, startPage: 1, insertsPerFetch: Math.min(p0.insertsPerFetch, p0.pageSize) };
        const { frames } = run(p, seed);
        for (const f of frames.filter((x) => !x.stopped)) {
          const shifted = Math.min(f.insBehind, f.got);
          expect(f.again.every((i) => i < shifted), `page ${f.page}`).toBe(true);
          const backAgain = new Set([...f.again, ...f.fresh]);
          expect(Array.from({ length: shifted }, (_, i) => i).every((i) => backAgain.has(i)), `page ${f.page}`).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  test('offset-deletes: a skip comes only after a DELETE since the page before, and sits just before the page', () => {
    const { frames } = run(paramsOf('offset-deletes'), 7);
    const skipping = frames.filter((f) => f.skipped > 0 && !f.stopped);
    expect(skipping.length).toBeGreaterThan(0);
    for (const f of skipping) {
      expect(f.delBehind + f.delAhead, `page ${f.page}`).toBeGreaterThan(0);
      expect(Math.min(...f.skipAt), `page ${f.page}`).toBeGreaterThanOrEqual(-(f.delBehind + f.delAhead));
      expect(Math.max(...f.skipAt), `page ${f.page}`).toBe(-1);
    }
  });

  test('timestamp ties skip rows with no writes at all, right before the cursor; the row-value cursor skips and repeats nothing', () => {
    const ties = run(paramsOf('timestamp-ties'), 1).frames;
    const skipping = ties.filter((f) => f.skipped > 0);
    expect(skipping.length).toBeGreaterThan(ties.length / 2);
    for (const f of skipping) {
      expect(f.insBehind + f.insAhead + f.delBehind + f.delAhead).toBe(0);
      expect(f.skipAt.every((x) => x < 0 && x >= -(paramsOf('timestamp-ties').tie - 1))).toBe(true);
    }
    const fixed = run(paramsOf('row-value-fix'), 1).frames;
    expect(fixed.every((f) => f.skipped === 0 && f.again.length === 0 && f.read === f.got)).toBe(true);
  });

  test('a reader that reaches the end holds its last page, marked stopped, with nothing new on it', () => {
    const { trace, fetches, frames } = run(paramsOf('offset-inserts'), 7);
    expect(trace.summary.reachedEnd).toBe(1);
    const held = frames.slice(fetches.length);
    expect(held.length).toBe(frames.length - trace.summary.pagesFetched!);
    expect(held.length).toBeGreaterThan(0);
    for (const f of held) expect(f).toMatchObject({ stopped: true, page: fetches.at(-1)!.page, again: [], skipped: 0, insBehind: 0, delBehind: 0 });
  });
});
