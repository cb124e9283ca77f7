import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { SeriesRecorder, defaultParams, normalizeParams, type Trace } from '../../sim/core/index.ts';
import { pagination } from '../../sim/pagination/index.ts';
import { OUTCOMES, SERIES_KEYS, type Outcome, type SeriesKey, type SummaryKey } from '../../sim/pagination/keys.ts';
import { runPagination, type FetchRecord } from '../../sim/pagination/model.ts';
import { RowAccount } from '../../sim/pagination/rows.ts';
import { ImplicitTable } from '../../sim/pagination/table.ts';
import { oldestFirst } from '../../sim/pagination/order.ts';
import { lastPage, wholeTableRowsOffset } from '../../sim/pagination/whole-table.ts';
import { INSERT_NOW, METHODS, NO_INDEX, type PaginationParams } from '../../sim/pagination/params.ts';
import { paginationScenarios } from '../../sim/pagination/scenarios.ts';
import { paginationOps } from '../../sim/pagination/workload.ts';

const defaults = defaultParams(pagination.params);
const scenario = (id: string) => paginationScenarios.find((s) => s.id === id)!;
const paramsOf = (id: string, over: Partial<PaginationParams> = {}): PaginationParams => ({ ...defaults, ...scenario(id).params, ...over });
const sum = (trace: Trace, key: SeriesKey) => trace.series[key]!.reduce((a, b) => a + b, 0);
const summaryOf = (trace: Trace) => trace.summary as Record<SummaryKey, number>;
const OFFSET = METHODS.indexOf('offset');
const KEYSET_TS = METHODS.indexOf('keyset-timestamp');
const KEYSET_ROW = METHODS.indexOf('keyset-row-value');

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
  perRowUs: fc.integer({ min: 1, max: 1000 }).map((x) => x / 10),
  perQueryMs: fc.integer({ min: 0, max: 500 }).map((x) => x / 10),
});

function run(p: PaginationParams, seed: number) {
  const fetches: FetchRecord[] = [];
  let outcomes: ReadonlyMap<number, Outcome> = new Map();
  const trace = runPagination(p, seed, (e) => {
    if (e.type === 'fetched') fetches.push(e);
    else outcomes = e.outcomes;
  });
  return { trace, fetches, outcomes };
}

describe('pagination model: invariants', () => {
  test('each row’s outcome is what the fetches returned of it, and each outcome’s per-second series sums to the ledger’s total for it', () => {
    fc.assert(
      fc.property(params, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (p, seed) => {
        const { trace, fetches, outcomes } = run(p, seed);
        const s = summaryOf(trace);
        // Counted from the pages themselves, not from the model's bookkeeping.
        const times = new Map<number, number>();
        for (const f of fetches) for (const id of f.ids) times.set(id, (times.get(id) ?? 0) + 1);
        const wrong = [...outcomes].filter(([id, outcome]) => {
          const n = times.get(id) ?? 0;
          return id > p.rows || outcome !== (n === 0 ? 'neverSeen' : n === 1 ? 'seenOnce' : 'seenMoreThanOnce');
        });
        expect(wrong).toEqual([]);
        expect(outcomes.size).toBe(s.shouldSee);
        expect(sum(trace, 'shouldSee')).toBe(s.shouldSee);
        // The series move rows between outcomes page by page; the ledger ends each row once, when the walk is over.
        for (const o of OUTCOMES) expect(sum(trace, o)).toBe(s[o]);
        // The running totals never go negative and add up to the rows passed so far, second by second.
        let passed = 0;
        const running = Object.fromEntries(OUTCOMES.map((o) => [o, 0]));
        const badSeconds: number[] = [];
        for (let i = 0; i < trace.series.shouldSee!.length; i++) {
          passed += trace.series.shouldSee![i]!;
          for (const o of OUTCOMES) running[o]! += trace.series[o]![i]!;
          if (OUTCOMES.some((o) => running[o]! < 0) || OUTCOMES.reduce((a, o) => a + running[o]!, 0) !== passed) badSeconds.push(i);
        }
        expect(badSeconds).toEqual([]);
        // Rows returned twice are exactly those counted twice in the pages, new rows included.
        expect(s.repeats).toBe([...times.values()].reduce((a, n) => a + n - 1, 0));
      }),
      { numRuns: 150 },
    );
  });

  test('a row ended twice throws: the walk closes its rows once', () => {
    const rec = new SeriesRecorder<SeriesKey>(SERIES_KEYS, 5000, 1000);
    const table = new ImplicitTable(100, 1);
    const rows = new RowAccount(100, table.select(0), oldestFirst(table), rec);
    rows.receive([table.select(0), table.select(1)], 0, 0);
    rows.pass(table.select(4), 0);
    rows.close(5000);
    expect(rows.ledger.pending()).toBe(0);
    expect([...rows.outcomes()]).toEqual([[1, 'seenOnce'], [2, 'seenOnce'], [3, 'neverSeen'], [4, 'neverSeen'], [5, 'neverSeen']]);
    expect(() => rows.close(5000)).toThrow(/entity 0 ended twice \(seenOnce, then seenOnce\)/);
  });

  test('the scan reads at least what it returns: with the index keyset exactly that and OFFSET its offset more, without it every live row; the loop runs once a page', () => {
    fc.assert(
      fc.property(params, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (p, seed) => {
        const { trace, fetches } = run(p, seed);
        const s = summaryOf(trace);
        // Live rows at each fetch, counted from the writers' schedule rather than the model's table.
        const liveAt: number[] = [];
        let live = p.rows;
        for (const op of paginationOps(p, seed)) {
          if (op.kind === 'fetch') liveAt.push(live);
          else live += op.kind === 'insert' ? 1 : -1;
        }
        expect(fetches.length).toBe(s.pagesFetched);
        expect(s.pagesFetched).toBeLessThanOrEqual(p.pages);
        expect(s.reachedEnd === 1).toBe(fetches.at(-1)!.ids.length < p.pageSize);
        for (const f of fetches) {
          expect(f.ids.length).toBeLessThanOrEqual(p.pageSize);
          expect(f.scanned).toBeGreaterThanOrEqual(f.ids.length);
          if (p.index === NO_INDEX) {
            expect(f.scanned).toBe(liveAt[f.fetch]);
            // The Filter drops only rows before the cursor, never the page; OFFSET has no Filter.
            expect(f.scanned - f.filtered).toBeGreaterThanOrEqual(f.ids.length);
            if (p.method === OFFSET) expect(f.filtered).toBe(0);
          } else if (p.method === OFFSET) {
            expect(f.query.offset).toBe((f.page - 1) * p.pageSize);
            // Past the end of a table that shrank, the scan reads what there is and returns nothing.
            if (f.ids.length > 0) expect(f.scanned).toBe(f.query.offset + f.ids.length);
            else expect(f.scanned).toBeLessThanOrEqual(f.query.offset);
          } else expect(f.scanned).toBe(f.ids.length);
        }
        for (let i = 0; i < trace.series.rowsRead!.length; i++) {
          expect(trace.series.rowsRead![i]).toBeGreaterThanOrEqual(trace.series.rowsReturned![i]!);
          expect(trace.series.rowsReadOffset![i]).toBeGreaterThanOrEqual(trace.series.rowsReadKeyset![i]!);
          expect(trace.series.rowsDiscarded![i]).toBe(trace.series.rowsRead![i]! - trace.series.rowsReturned![i]!);
        }
        expect(s.rowsReadTotal).toBe(sum(trace, p.method === OFFSET ? 'rowsReadOffset' : 'rowsReadKeyset'));
        // One fetch a second: the diagram's loop is entered once per page, and ends at most once.
        expect(sum(trace, 'st_requesting')).toBe(s.pagesFetched);
        expect(sum(trace, 'st_received')).toBe(s.pagesFetched);
        expect(sum(trace, 'st_done')).toBe(s.reachedEnd);
        expect(sum(trace, 'st_discarding')).toBe(fetches.filter((f) => f.query.offset > 0).length);
        // Keyset on (created_at, id) resumes after exactly the last row: nothing is repeated or skipped, whatever the writers do.
        if (p.method === KEYSET_ROW) {
          expect(s.repeats).toBe(0);
          expect(s.seenMoreThanOnce + s.neverSeen).toBe(0);
        }
        // Keyset never goes back, so nothing repeats; ties can only make it skip.
        if (p.method === KEYSET_TS) expect(s.repeats + s.seenMoreThanOnce).toBe(0);
        if (p.insertsPerFetch === 0 && p.deletesPerFetch === 0) {
          if (p.method !== KEYSET_TS || p.tie === 1) expect(s.seenMoreThanOnce + s.neverSeen + s.repeats).toBe(0);
          // Without writers every page is full until the end of the table, so the walk is known in advance.
          const start = Math.min(p.startPage, lastPage(p));
          if (p.method === OFFSET) expect(s.pagesFetched).toBe(Math.min(p.pages, Math.floor(p.rows / p.pageSize) + 2 - start));
        }
        // Performance sanity by work done, not by time: one event per fetch and per write, never more.
        expect(trace.events).toBeLessThanOrEqual(p.pages * (1 + p.insertsPerFetch + p.deletesPerFetch));
        expect(trace.truncated).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  test('the same seed gives the same trace; another seed changes the writers, and nothing else', () => {
    for (const s of paginationScenarios) {
      const p = paramsOf(s.id);
      const a = runPagination(p, s.seed);
      expect(runPagination(p, s.seed).hash).toBe(a.hash);
      const b = runPagination(p, s.seed + 1);
      // Rows inserted "now" have no created_at to draw; a delete draws its row, an insert anywhere its second.
      const writers = p.deletesPerFetch > 0 || (p.insertsPerFetch > 0 && p.insertAt !== INSERT_NOW);
      expect(JSON.stringify(b.log) === JSON.stringify(a.log)).toBe(!writers);
      // Without writers that draw, the seed has nothing to choose: the series are the same too.
      if (!writers) for (const key of Object.keys(a.series)) expect(b.series[key]).toEqual(a.series[key]);
    }
  });

  test('the writers’ schedule is a pure function of the parameters and the seed', () => {
    const p = paramsOf('offset-inserts', { deletesPerFetch: 3 });
    expect(paginationOps(p, 5)).toEqual(paginationOps(p, 5));
    expect(paginationOps(p, 5)).not.toEqual(paginationOps(p, 6));
    // Fetch i at i seconds; the writers between fetches, inserts before deletes.
    const ops = paginationOps(p, 5);
    expect(ops.filter((o) => o.kind === 'fetch').length).toBe(p.pages);
    expect(ops.slice(0, 6).map((o) => o.kind)).toEqual(['fetch', 'insert', 'delete', 'delete', 'delete', 'fetch']);
  });
});

describe('pagination model: the cost of a page', () => {
  test('reading a whole table with OFFSET costs the closed form, about N²/2k rows; with keyset, N', () => {
    for (const [rows, pageSize] of [[1000, 20], [2000, 20], [3000, 17], [5000, 200], [4000, 50]] as const) {
      const offsetRun = runPagination({ ...defaults, rows, pageSize, pages: 300, method: OFFSET }, 1);
      const keysetRun = runPagination({ ...defaults, rows, pageSize, pages: 300, method: KEYSET_ROW }, 1);
      expect(offsetRun.summary.reachedEnd).toBe(1);
      expect(offsetRun.summary.rowsReadTotal).toBe(wholeTableRowsOffset(rows, pageSize));
      expect(offsetRun.summary.wholeTableRowsOffset).toBe(wholeTableRowsOffset(rows, pageSize));
      expect(keysetRun.summary.rowsReadTotal).toBe(rows);
      expect(keysetRun.summary.wholeTableRowsKeyset).toBe(rows);
      expect(keysetRun.summary.seenOnce).toBe(rows);
    }
    // 1,000 rows in pages of 20: pages read 20, 40, … 1,000, and a 51st, empty, that reads all 1,000 to find the end.
    expect(wholeTableRowsOffset(1000, 20)).toBe((20 * 50 * 51) / 2 + 1000);
    // Five million rows in pages of 20: 625 billion rows, against five million.
    const big = wholeTableRowsOffset(5_000_000, 20);
    expect(big / (5_000_000 ** 2 / (2 * 20))).toBeCloseTo(1, 4);
  });

  test('OFFSET deep: page 2,501 of 100,000 rows reads 50,020 rows to return 20; keyset at the same depth reads 20', () => {
    const deep: FetchRecord[] = [];
    const offsetRun = runPagination(paramsOf('offset-deep', { startPage: 2501 }), 1, (e) => {
      if (e.type === 'fetched') deep.push(e);
    });
    expect(deep[0]!.query.offset).toBe(50_000);
    expect(deep[0]!.scanned).toBe(50_020);
    expect(offsetRun.summary.rowsReadMax).toBe(50_000 + 60 * 20);
    const keyset = runPagination(paramsOf('keyset-deep'), 1);
    expect(keyset.summary.rowsReadMax).toBe(20);
    // The seek lands where OFFSET would start page 2,500, by value.
    expect(keyset.series.rowsReadOffset![0]).toBe(2499 * 20 + 20);
    // Time per page follows the stated costs: 0.2 ms a query and 1 µs a row.
    expect(offsetRun.series.timeMs![0]).toBeCloseTo(0.2 + 50_020 / 1000, 9);
  });

  test('five million rows run in a handful of events and no table: the page halfway down reads 2.5 million rows', () => {
    const trace = runPagination(paramsOf('million-rows'), 1);
    expect(trace.events).toBe(60);
    expect(trace.series.rowsRead![0]).toBe(124_999 * 20 + 20);
    expect(trace.summary.timeMsMax).toBeGreaterThan(2500);
  });

  test('a start page past the end of the table is clamped to the last page', () => {
    const trace = runPagination({ ...defaults, rows: 1000, pageSize: 30, startPage: 250_000 }, 1);
    expect(trace.summary.startPage).toBe(34);
    expect(trace.summary.rowsReturned).toBe(10);
    expect(trace.summary.reachedEnd).toBe(1);
  });
});

describe('pagination model: the scenarios', () => {
  test('OFFSET with inserts repeats rows, with deletes skips them; keyset on the timestamp skips ties, the row value fixes it', () => {
    const inserts = runPagination(paramsOf('offset-inserts'), scenario('offset-inserts').seed).summary;
    expect(inserts.seenMoreThanOnce).toBeGreaterThan(10);
    expect(inserts.neverSeen).toBe(0);
    const deletes = runPagination(paramsOf('offset-deletes'), scenario('offset-deletes').seed).summary;
    expect(deletes.neverSeen).toBeGreaterThan(10);
    expect(deletes.seenMoreThanOnce).toBe(0);
    // 20 rows a page and 3 a second: every page holds two rows of its last second, and created_at > that second passes over the third (21, 42, 63…): one skip at each of the 59 boundaries.
    const ties = run(paramsOf('timestamp-ties'), 1);
    expect(ties.trace.summary.neverSeen).toBe(59);
    expect([...ties.outcomes].filter(([, o]) => o === 'neverSeen').map(([id]) => id).slice(0, 3)).toEqual([21, 42, 63]);
    const fixed = runPagination(paramsOf('row-value-fix'), 1).summary;
    expect(fixed.seenMoreThanOnce! + fixed.neverSeen!).toBe(0);
    expect(fixed.seenOnce).toBe(1200);
  });

  test('each page is logged once with its SQL and plan; the inspector’s kinds are all logged', () => {
    for (const s of paginationScenarios) {
      const trace = runPagination(paramsOf(s.id), s.seed);
      const pages = trace.log.filter((l) => l.kind === 'page');
      expect(pages.length).toBe(trace.summary.pagesFetched);
      for (const l of pages) expect(l.detail).toMatch(/^SELECT id, created_at FROM items[^\n]*;\n\nLimit \(actual rows=\d+\.00 loops=1\)\n {2}-> {2}(Index Only Scan( Backward)? using items_created_at_id on items|Sort \(actual rows=\d+\.00 loops=1\)\n {8}Sort Key: [^\n]+\n {8}-> {2}Seq Scan on items)/);
    }
    const kinds = new Set(runPagination(paramsOf('offset-inserts', { deletesPerFetch: 1 }), 3).log.map((l) => l.kind));
    expect([...kinds].sort()).toEqual(['delete', 'insert', 'page', 'repeat', 'skip']);
  });
});

// The simulation is not in the registry yet (sim/index.ts), so the registry's checks are repeated here.
describe('pagination: what the registry will check', () => {
  test('scenarios are valid as written with unique ids; every parameter is in one group; defaults lie on their grids', () => {
    for (const s of pagination.scenarios) expect(normalizeParams(pagination.params, s.params).problems).toEqual([]);
    expect(new Set(pagination.scenarios.map((s) => s.id)).size).toBe(pagination.scenarios.length);
    expect(pagination.scenarios.map((s) => s.id)).toEqual(['offset-shallow', 'offset-deep', 'keyset-deep', 'keyset-no-index', 'offset-inserts', 'offset-deletes', 'feed-offset-insert', 'feed-offset-delete', 'feed-keyset', 'timestamp-ties', 'row-value-fix', 'million-rows']);
    expect(pagination.paramGroups.flatMap((g) => g.keys).sort()).toEqual(Object.keys(pagination.params).sort());
    expect(normalizeParams(pagination.params, defaults).problems).toEqual([]);
  });

  test('every chart, outcome, counter and diagram state names a series the model produces', () => {
    const trace = pagination.run(normalizeParams(pagination.params, pagination.scenarios[0]!.params).params, 1);
    const keys = Object.keys(trace.series);
    const named = [
      ...pagination.view.charts.flatMap((c) => c.series.map((s) => s.key)),
      ...pagination.view.outcomeGroups.flatMap((g) => [g.attempts, ...g.outcomes.map((o) => o.series)]),
      ...pagination.view.counters.map((c) => c.series),
      ...Object.values(pagination.view.diagram?.stateSeries ?? {}),
    ];
    expect(named.filter((k) => !keys.includes(k))).toEqual([]);
    expect(trace.series.pageDepth!.length).toBe(pagination.durationSec(defaults));
  });
});
