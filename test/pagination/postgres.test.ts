/**
 * The model against a real PostgreSQL: PGlite 0.5.16, which is PostgreSQL
 * 18.6 compiled to WebAssembly, running in this process.
 *
 * A reader walks the same table in PostgreSQL, building each query from the
 * rows PostgreSQL gave it (never from the model's state), while the writers'
 * schedule from paginationOps is replayed as INSERT and DELETE statements.
 * For every page, the ids PostgreSQL returns must be the model's, and the
 * Index Only Scan's actual rows in EXPLAIN ANALYZE must be the model's rows
 * read. What the reader should have seen is then classified from
 * PostgreSQL's pages by a separate, materialised reference (every live row in
 * a Map) and compared row by row with the model's outcomes.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { defaultParams } from '../../sim/core/index.ts';
import type { Outcome } from '../../sim/pagination/keys.ts';
import { runPagination, type FetchRecord } from '../../sim/pagination/model.ts';
import { METHODS, NEWEST_FIRST, NO_INDEX, paginationParams, type PaginationParams } from '../../sim/pagination/params.ts';
import { EPOCH_TEXT, pageSql, planText, seedSql, timestampText, topNHeapsort, type Bound, type PageQuery } from '../../sim/pagination/queries.ts';
import { paginationScenarios } from '../../sim/pagination/scenarios.ts';
import { paginationOps, type Op } from '../../sim/pagination/workload.ts';

/** Booting PGlite takes about 4 s; a 100,000-row seed and a walk with EXPLAIN on every page take a few more. */
const SLOW_MS = 60_000;
const EPOCH_MS = Date.UTC(2024, 0, 1);
const defaults = defaultParams(paginationParams);

let db: PGlite;
beforeAll(async () => {
  db = await PGlite.create();
}, SLOW_MS);
afterAll(async () => {
  await db.close();
});

async function seed(rows: number, tie: number): Promise<void> {
  await db.exec(`DROP TABLE IF EXISTS items;\n${seedSql(rows, tie)}`);
}

interface Row {
  id: number;
  sec: number;
}

const secOf = (createdAt: Date) => (createdAt.getTime() - EPOCH_MS) / 1000;
/** Whether row a comes before row b in the reader's order: oldest first, or newest first. */
const beforeAsc = (a: Row, b: Row) => a.sec < b.sec || (a.sec === b.sec && a.id < b.id);
const beforeDesc = (a: Row, b: Row) => beforeAsc(b, a);
const orderOf = (p: PaginationParams) => (p.order === NEWEST_FIRST ? { desc: ' DESC', before: beforeDesc, newestFirst: { newestFirst: true } } : { desc: '', before: beforeAsc, newestFirst: {} });

async function rows(sql: string): Promise<Row[]> {
  const result = await db.query<{ id: number; created_at: Date }>(sql);
  return result.rows.map((r) => ({ id: Number(r.id), sec: secOf(r.created_at) }));
}

/** EXPLAIN's row counts and its plan without the lines that depend on the cache, the visibility map or the clock. */
async function explain(sql: string): Promise<{ plan: string; limitRows: number; scanRows: number }> {
  const result = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, COSTS OFF) ${sql}`);
  const lines = result.rows.map((r) => r['QUERY PLAN']);
  // PostgreSQL 18 prints actual rows with two decimals (rows=20.00): read them as numbers.
  const actual = (pattern: RegExp) => {
    const line = lines.find((l) => pattern.test(l));
    if (!line) throw new Error(`no line like ${pattern} in\n${lines.join('\n')}`);
    return Number(/actual rows=([\d.]+)/.exec(line)![1]);
  };
  return {
    plan: lines.filter((l) => !/^\s*(Buffers:|Heap Fetches:|Planning|Execution Time:)/.test(l)).join('\n'),
    limitRows: actual(/^Limit /),
    scanRows: actual(/->\s+.*Scan /),
  };
}

interface PgFetch {
  sql: string;
  ids: number[];
  scanRows: number;
  limitRows: number;
  plan: string;
  query: PageQuery;
}

/**
 * A reader in PostgreSQL. OFFSET asks for page n; keyset seeks to the
 * created_at of the row that starts the start page, then asks for the rows
 * after the last row PostgreSQL returned. Returns its pages and the first key
 * of the range it meant to walk.
 */
async function pgWalk(p: PaginationParams, ops: readonly Op[]): Promise<{ fetches: PgFetch[]; first: Row }> {
  const method = METHODS[p.method]!;
  const k = p.pageSize;
  const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM items')).rows as [{ n: number }];
  const startPage = Math.min(p.startPage, Math.ceil(n / k));
  const { desc, newestFirst } = orderOf(p);
  const [startRow] = await rows(`SELECT id, created_at FROM items ORDER BY created_at${desc}, id${desc} LIMIT 1 OFFSET ${(startPage - 1) * k}`);
  // Keyset seeks to the start row's second: every row of it, the first of which has the lowest id oldest first, the highest newest first.
  const first: Row = method === 'offset' ? startRow! : { sec: startRow!.sec, id: desc ? Infinity : 0 };
  const fetches: PgFetch[] = [];
  let last: Row | null = null;
  for (const op of ops) {
    if (op.kind === 'insert') {
      await db.exec(`INSERT INTO items VALUES (${op.id}, timestamptz '${EPOCH_TEXT}' + ${op.createdAtSec} * interval '1 second')`);
    } else if (op.kind === 'delete') {
      await db.exec(`DELETE FROM items WHERE id = ${op.id}`);
    } else {
      const page = startPage + op.fetch;
      let bound: Bound = { kind: 'none' };
      if (method !== 'offset') {
        if (last === null) bound = startPage === 1 ? { kind: 'none' } : { kind: 'seek', sec: startRow!.sec };
        else bound = method === 'keyset-timestamp' ? { kind: 'afterSec', sec: last.sec } : { kind: 'afterRow', sec: last.sec, id: last.id };
      }
      const query: PageQuery = { method, limit: k, offset: method === 'offset' ? (page - 1) * k : 0, bound, ...newestFirst };
      const sql = pageSql(query);
      const got = await rows(sql);
      fetches.push({ sql, ids: got.map((r) => r.id), query, ...(await explain(sql)) });
      if (got.length > 0) last = got.at(-1)!;
      if (got.length < k) break;
    }
  }
  return { fetches, first };
}

/**
 * The outcome of every row the reader should have seen, from the pages alone:
 * a seed row live when the highest key returned so far passed it (or when
 * the walk ended at the table's end), from `first` on. Its outcome is how many
 * times the walk returned it. Every live row is kept in a Map and scanned in
 * full at each page: slow, and independent of the model's bookkeeping.
 */
function classify(seedRows: number, tie: number, ops: readonly Op[], fetches: readonly { ids: number[] }[], k: number, first: Row, before = beforeAsc) {
  const live = new Map<number, number>();
  for (let id = 1; id <= seedRows; id++) live.set(id, Math.floor((id - 1) / tie));
  const times = new Map<number, number>();
  const passed = new Set<number>();
  let reach: Row | null = null;
  let f = 0;
  for (const op of ops) {
    if (op.kind === 'insert') live.set(op.id, op.createdAtSec);
    else if (op.kind === 'delete') live.delete(op.id);
    else {
      const page = fetches[f++];
      if (!page) break;
      for (const id of page.ids) times.set(id, (times.get(id) ?? 0) + 1);
      const atEnd = page.ids.length < k;
      const lastId = page.ids.at(-1);
      const last = lastId === undefined ? null : { id: lastId, sec: live.get(lastId)! };
      const newReach: Row | null = atEnd ? null : reach === null || before(reach, last!) ? last : reach;
      for (const [id, sec] of live) {
        const row = { id, sec };
        if (id > seedRows || before(row, first)) continue;
        if (reach !== null && !before(reach, row)) continue;
        if (newReach !== null && before(newReach, row)) continue;
        passed.add(id);
      }
      reach = newReach;
      if (atEnd) break;
    }
  }
  const outcomes = new Map<number, Outcome>();
  for (const id of passed) {
    const n = times.get(id) ?? 0;
    outcomes.set(id, n === 0 ? 'neverSeen' : n === 1 ? 'seenOnce' : 'seenMoreThanOnce');
  }
  const repeated = [...times].filter(([, n]) => n > 1).map(([id]) => id);
  return { outcomes, repeated };
}

function modelWalk(p: PaginationParams, seedValue: number) {
  const fetches: FetchRecord[] = [];
  let outcomes: ReadonlyMap<number, Outcome> = new Map();
  let repeated: readonly number[] = [];
  const trace = runPagination(p, seedValue, (e) => {
    if (e.type === 'fetched') fetches.push(e);
    else {
      outcomes = e.outcomes;
      repeated = e.repeatedIds;
    }
  });
  return { trace, fetches, outcomes, repeated };
}

/**
 * The model describes the plan that walks the index in key order. Near the
 * end of a table, where its statistics promise only a handful of rows,
 * PostgreSQL may read them with a Bitmap Heap Scan and Sort them instead (the
 * last describe block shows what that changes), so the page-by-page
 * comparisons pin the planner to the index: enable_sort and
 * enable_bitmapscan off only make those plans look expensive.
 */
async function pinPlanner(pinned: boolean): Promise<void> {
  await db.exec(pinned ? 'SET enable_sort = off; SET enable_bitmapscan = off;' : 'RESET enable_sort; RESET enable_bitmapscan;');
}

/** Seeds the table and walks it in both, PostgreSQL's plan pinned to the index scan. */
async function walkBoth(p: PaginationParams, seedValue: number, pinned = true) {
  await seed(p.rows, p.tie);
  await pinPlanner(pinned);
  const ops = paginationOps(p, seedValue);
  const pg = await pgWalk(p, ops);
  const model = modelWalk(p, seedValue);
  return { model, pg, ops };
}

/** Walks both and checks every page: same SQL, same ids, same rows read, same plan. */
async function compareWalk(p: PaginationParams, seedValue: number) {
  const { model, pg, ops } = await walkBoth(p, seedValue);
  expect(model.fetches.length).toBe(pg.fetches.length);
  model.fetches.forEach((m, i) => {
    const g = pg.fetches[i]!;
    expect(m.sql).toBe(g.sql);
    expect(m.ids).toEqual(g.ids);
    expect(m.ids.length).toBe(g.limitRows);
    // Rows read: the Index Only Scan's actual rows in EXPLAIN ANALYZE.
    expect(m.scanned).toBe(g.scanRows);
    // The whole plan the inspector shows, line for line, once PostgreSQL's cache- and clock-dependent lines are dropped.
    expect(planText(m.query, m.scanned, m.ids.length)).toBe(g.plan);
  });
  return { model, pg, ops };
}

const params = (over: Partial<PaginationParams>): PaginationParams => ({ ...defaults, ...over });

describe('pages of a quiet table: the model reads and returns what PostgreSQL does', () => {
  const requests: Partial<PaginationParams>[] = [
    { method: 0, startPage: 1 },
    { method: 0, startPage: 250 },
    // The last full page, then an empty one that reads the whole table to find the end.
    { method: 0, startPage: 499 },
    { method: 0, startPage: 40, pageSize: 7 },
    { method: 0, startPage: 3, pageSize: 200 },
    { method: 1, startPage: 1 },
    { method: 1, startPage: 123 },
    { method: 2, startPage: 1 },
    { method: 2, startPage: 123 },
    { method: 2, startPage: 498, pageSize: 20 },
    { method: 1, startPage: 61, pageSize: 33 },
  ];

  for (const tie of [1, 3]) {
    test(`10,000 rows, ${tie} per second: ${requests.length} walks of 5 pages`, async () => {
      for (const r of requests) await compareWalk(params({ rows: 10_000, tie, pages: 5, ...r }), 1);
    }, SLOW_MS);
  }

  test('100,000 rows: page 2,501 with OFFSET reads 50,020 rows to return 20; keyset at the same depth reads 20', async () => {
    const { model, pg } = await compareWalk(params({ rows: 100_000, method: 0, startPage: 2501, pages: 5 }), 1);
    // The number the lesson quotes, read from EXPLAIN ANALYZE: Index Only Scan (actual rows=50020.00).
    expect(pg.fetches[0]!.scanRows).toBe(50_020);
    expect(pg.fetches[0]!.plan).toContain('Index Only Scan using items_created_at_id on items (actual rows=50020.00 loops=1)');
    expect(model.fetches[0]!.scanned).toBe(50_020);
    const keyset = await compareWalk(params({ rows: 100_000, method: 2, startPage: 2501, pages: 5 }), 1);
    for (const f of keyset.pg.fetches) expect(f.scanRows).toBe(20);
  }, SLOW_MS);
});

describe('pages under writers: the model repeats and skips exactly the rows PostgreSQL does', () => {
  const cases: [string, Partial<PaginationParams>, number][] = [
    ['OFFSET, inserts', { method: 0, insertsPerFetch: 2 }, 11],
    ['OFFSET, deletes', { method: 0, deletesPerFetch: 2 }, 12],
    ['OFFSET, both, many per page', { method: 0, insertsPerFetch: 30, deletesPerFetch: 25, pageSize: 10 }, 13],
    ['OFFSET, both, deep start, ties', { method: 0, insertsPerFetch: 3, deletesPerFetch: 3, startPage: 40, tie: 4 }, 14],
    ['keyset on created_at, both, ties', { method: 1, insertsPerFetch: 3, deletesPerFetch: 3, tie: 2 }, 15],
    ['keyset on (created_at, id), both, ties', { method: 2, insertsPerFetch: 5, deletesPerFetch: 5, tie: 2 }, 16],
    ['keyset on (created_at, id), deep seek', { method: 2, insertsPerFetch: 4, deletesPerFetch: 2, startPage: 30, tie: 3 }, 17],
    ['newest first, OFFSET, posts at the top and deletes, ties', { method: 0, order: 1, insertsPerFetch: 3, insertAt: 1, deletesPerFetch: 2, tie: 2 }, 18],
    ['newest first, OFFSET, inserts anywhere, deep start', { method: 0, order: 1, insertsPerFetch: 3, deletesPerFetch: 3, startPage: 40, tie: 4 }, 19],
    ['newest first, keyset on created_at, ties', { method: 1, order: 1, insertsPerFetch: 3, deletesPerFetch: 3, tie: 2 }, 20],
    ['newest first, keyset on (created_at, id), deep seek', { method: 2, order: 1, insertsPerFetch: 4, insertAt: 1, deletesPerFetch: 2, startPage: 30, tie: 3 }, 21],
  ];

  for (const [name, over, seedValue] of cases) {
    test(name, async () => {
      const p = params({ rows: 2000, pageSize: 20, pages: 150, ...over });
      const { model, pg, ops } = await compareWalk(p, seedValue);
      const reference = classify(p.rows, p.tie, ops, pg.fetches, p.pageSize, pg.first, orderOf(p).before);
      expect(new Map(model.outcomes)).toEqual(reference.outcomes);
      expect([...model.repeated].sort((a, b) => a - b)).toEqual(reference.repeated.sort((a, b) => a - b));
      const s = model.trace.summary;
      expect(s.seenOnce! + s.seenMoreThanOnce! + s.neverSeen!).toBe(reference.outcomes.size);
      if (p.method === 0) expect(s.seenMoreThanOnce! + s.neverSeen!).toBeGreaterThan(0);
      if (p.method === 2) expect(s.seenMoreThanOnce! + s.neverSeen!).toBe(0);
    }, SLOW_MS);
  }

  for (const id of ['offset-inserts', 'offset-deletes']) {
    test(`the ${id} scenario, as it runs on the page`, async () => {
      const sc = paginationScenarios.find((s) => s.id === id)!;
      const p = params(sc.params);
      const { model, pg, ops } = await compareWalk(p, sc.seed);
      const reference = classify(p.rows, p.tie, ops, pg.fetches, p.pageSize, pg.first);
      expect(new Map(model.outcomes)).toEqual(reference.outcomes);
      const counts = (o: Outcome) => [...reference.outcomes.values()].filter((x) => x === o).length;
      expect(model.trace.summary.seenMoreThanOnce).toBe(counts('seenMoreThanOnce'));
      expect(model.trace.summary.neverSeen).toBe(counts('neverSeen'));
    }, SLOW_MS);
  }
});

describe('keyset on a timestamp that ties', () => {
  test('created_at > the last timestamp skips the tied rows a page did not hold, in PostgreSQL as in the model; (created_at, id) skips none', async () => {
    const p = params({ rows: 3000, tie: 3, pageSize: 20, pages: 300, method: 1 });
    const ts = await compareWalk(p, 1);
    const tsReference = classify(p.rows, p.tie, ts.ops, ts.pg.fetches, p.pageSize, ts.pg.first);
    const skipped = (m: ReadonlyMap<number, Outcome>) => [...m].filter(([, o]) => o === 'neverSeen').map(([id]) => id).sort((a, b) => a - b);
    // Every page holds two rows of its last second and loses the third: 21 rows a page, so 143 pages (the last holds 18)
    // and 142 rows skipped, ids 21, 42, … 2982.
    expect(ts.pg.fetches.length).toBe(143);
    expect(skipped(tsReference.outcomes)).toEqual(Array.from({ length: 142 }, (_, i) => 21 * (i + 1)));
    expect(skipped(ts.model.outcomes)).toEqual(skipped(tsReference.outcomes));
    // The first page ends at id 20, tied with 19 and 21 at 00:00:06; PostgreSQL's next page starts at 22.
    expect(ts.pg.fetches[0]!.ids.at(-1)).toBe(20);
    expect(ts.pg.fetches[1]!.sql).toContain(`created_at > '${timestampText(6)}'`);
    expect(ts.pg.fetches[1]!.ids[0]).toBe(22);

    const rowValue = await compareWalk({ ...p, method: 2 }, 1);
    const rvReference = classify(p.rows, p.tie, rowValue.ops, rowValue.pg.fetches, p.pageSize, rowValue.pg.first);
    expect(skipped(rvReference.outcomes)).toEqual([]);
    expect([...rvReference.outcomes.values()].every((o) => o === 'seenOnce')).toBe(true);
    expect(rvReference.outcomes.size).toBe(3000);
    expect(new Map(rowValue.model.outcomes)).toEqual(rvReference.outcomes);
  }, SLOW_MS);

  test('timestamps: the model writes created_at as PostgreSQL prints it, leap day and five million seconds included', async () => {
    for (const sec of [0, 59, 86_399, 59 * 86_400, 5_000_000]) {
      const result = await db.query<{ t: string }>(`SELECT (timestamptz '${EPOCH_TEXT}' + ${sec} * interval '1 second')::text AS t`);
      expect(timestampText(sec)).toBe(result.rows[0]!.t);
    }
  }, SLOW_MS);
});

describe('where PostgreSQL leaves the index: the end of a table', () => {
  test('left to choose, the planner sorts the last few rows: (created_at, id) still returns the model’s pages, reading the rows it sorts', async () => {
    const p = params({ rows: 2000, pageSize: 20, pages: 150, method: 2, insertsPerFetch: 5, deletesPerFetch: 5, tie: 2 });
    const { model, pg } = await walkBoth(p, 16, false);
    // The row value orders every row, so whatever the plan, the pages are the same.
    expect(pg.fetches.map((f) => f.ids)).toEqual(model.fetches.map((f) => f.ids));
    const sorted = pg.fetches.filter((f) => /Sort Key: created_at, id/.test(f.plan));
    expect(sorted.length).toBeGreaterThan(0);
    expect(sorted.every((f) => /Bitmap Heap Scan on items/.test(f.plan))).toBe(true);
    // Such a plan reads every row past the cursor that it can find, not just the page: here 23 for a page of 20.
    expect(sorted.some((f) => f.scanRows > f.ids.length)).toBe(true);
    model.fetches.forEach((m, i) => {
      if (/Index Only Scan/.test(pg.fetches[i]!.plan)) expect(m.scanned).toBe(pg.fetches[i]!.scanRows);
    });
  }, SLOW_MS);

  test('and under ORDER BY created_at alone, that sort returns tied rows in no particular order: the walk departs from the model only there', async () => {
    const p = params({ rows: 2000, pageSize: 20, pages: 150, method: 1, insertsPerFetch: 3, deletesPerFetch: 3, tie: 2 });
    const { model, pg } = await walkBoth(p, 15, false);
    const first = model.fetches.findIndex((m, i) => JSON.stringify(m.ids) !== JSON.stringify(pg.fetches[i]?.ids));
    expect(first).toBeGreaterThan(0);
    expect(pg.fetches[first]!.plan).toMatch(/Sort Key: created_at\n/);
    // The same rows, in another order within their second.
    expect([...pg.fetches[first]!.ids].sort()).toEqual([...model.fetches[first]!.ids].sort());
    for (let i = 0; i < first; i++) expect(pg.fetches[i]!.ids).toEqual(model.fetches[i]!.ids);
  }, SLOW_MS);
});

describe('a newest-first feed under writers: the textbook anomalies row by row, in PostgreSQL as in the model', () => {
  /** Walks a scenario in both, and classifies PostgreSQL's pages in the feed's own order. */
  async function feed(id: string, over: Partial<PaginationParams> = {}) {
    const sc = paginationScenarios.find((s) => s.id === id)!;
    const p = params({ ...sc.params, ...over });
    const { model, pg, ops } = await compareWalk(p, sc.seed);
    const reference = classify(p.rows, p.tie, ops, pg.fetches, p.pageSize, pg.first, beforeDesc);
    expect(new Map(model.outcomes)).toEqual(reference.outcomes);
    expect([...model.repeated].sort((a, b) => a - b)).toEqual(reference.repeated.sort((a, b) => a - b));
    const pages = pg.fetches.map((f) => f.ids);
    const outcomeIds = (o: Outcome) => [...reference.outcomes].filter(([, x]) => x === o).map(([rowId]) => rowId).sort((a, b) => a - b);
    return { pages, ops, sql: pg.fetches.map((f) => f.sql), plans: pg.fetches.map((f) => f.plan), repeated: outcomeIds('seenMoreThanOnce'), skipped: outcomeIds('neverSeen') };
  }

  test('OFFSET: a post inserted at the top between two fetches makes the next page begin with the row the last page ended on', async () => {
    const { pages, sql, plans } = await feed('feed-offset-insert');
    expect(sql[1]).toBe('SELECT id, created_at FROM items ORDER BY created_at DESC, id DESC LIMIT 3 OFFSET 3');
    expect(plans[0]).toContain('Index Only Scan Backward using items_created_at_id on items');
    expect(pages.slice(0, 2)).toEqual([[10, 9, 8], [8, 7, 6]]);
    for (let i = 1; i < pages.length; i++) expect(pages[i]![0]).toBe(pages[i - 1]!.at(-1));
  }, SLOW_MS);

  test('OFFSET: deleting a row already read slides the rest up, and the row that would have started the next page is never shown', async () => {
    const { pages, ops, skipped } = await feed('feed-offset-delete');
    const firstDelete = ops.find((o) => o.kind === 'delete')!;
    expect(pages[0]).toContain(firstDelete.id);
    expect(pages[1]).toEqual([6, 5, 4]);
    expect(skipped).toContain(7);
  }, SLOW_MS);

  test('left to choose, PostgreSQL reads a ten-row table whole and sorts it rather than use the index, and returns the same pages', async () => {
    for (const id of ['feed-offset-insert', 'feed-offset-delete', 'feed-keyset']) {
      const sc = paginationScenarios.find((s) => s.id === id)!;
      const { model, pg } = await walkBoth(params(sc.params), sc.seed, false);
      expect(pg.fetches.map((f) => f.ids)).toEqual(model.fetches.map((f) => f.ids));
      expect(pg.fetches.every((f) => /Seq Scan on items/.test(f.plan))).toBe(true);
    }
  }, SLOW_MS);

  test('keyset on (created_at, id) < (…): the same kinds of writes repeat and skip nothing, and every page is read backward through the index', async () => {
    const { sql, plans, repeated, skipped } = await feed('feed-keyset');
    expect(sql[1]).toMatch(/WHERE \(created_at, id\) < \('2024-01-01 00:00:07\+00', 8\) ORDER BY created_at DESC, id DESC LIMIT 3$/);
    expect(plans[1]).toContain("Index Cond: (ROW(created_at, id) < ROW('2024-01-01 00:00:07+00'::timestamp with time zone, 8))");
    expect(repeated).toEqual([]);
    expect(skipped).toEqual([]);
    // The OFFSET scenarios' own writes, read with keyset instead.
    for (const id of ['feed-offset-insert', 'feed-offset-delete']) {
      const again = await feed(id, { method: METHODS.indexOf('keyset-row-value') });
      expect([again.repeated, again.skipped]).toEqual([[], []]);
    }
  }, SLOW_MS);
});

describe('a table without a usable index: a Seq Scan and a top-N sort for every page', () => {
  /** Walks both with the index dropped; compares every page's rows and plan, and returns PostgreSQL's Sort Method lines. */
  async function walkWithoutIndex(p: PaginationParams, seedValue: number) {
    await seed(p.rows, p.tie);
    await db.exec('DROP INDEX items_created_at_id; ANALYZE items;');
    await pinPlanner(false);
    const ops = paginationOps(p, seedValue);
    const pg = await pgWalk(p, ops);
    const model = modelWalk(p, seedValue);
    expect(model.fetches.length).toBe(pg.fetches.length);
    const sortMethods: string[] = [];
    model.fetches.forEach((m, i) => {
      const g = pg.fetches[i]!;
      expect(m.sql).toBe(g.sql);
      expect(m.ids).toEqual(g.ids);
      // The Seq Scan visits every live row: those it kept and those its Filter removed.
      const seqRows = Number(/Seq Scan on items \(actual rows=([\d.]+)/.exec(g.plan)![1]);
      const removed = Number(/Rows Removed by Filter: (\d+)/.exec(g.plan)?.[1] ?? 0);
      expect(m.scanned).toBe(seqRows + removed);
      expect(m.filtered).toBe(removed);
      // The Sort Method line depends on memory: the model leaves it out and says which to expect.
      const method = /Sort Method: ([\w-]+(?: [\w-]+)?)/.exec(g.plan)![1]!;
      sortMethods.push(method);
      expect(method).toBe(topNHeapsort(m.query, seqRows) ? 'top-N heapsort' : 'quicksort');
      expect(planText(m.query, m.scanned, m.ids.length, m.filtered)).toBe(g.plan.split('\n').filter((l) => !/Sort Method:/.test(l)).join('\n'));
    });
    return { model, pg, sortMethods };
  }

  test('OFFSET: every page reads the whole table, sorts it keeping offset + limit rows, and returns the page', async () => {
    const p = params({ rows: 2000, pageSize: 20, pages: 12, index: NO_INDEX, method: 0, startPage: 30, insertsPerFetch: 2, deletesPerFetch: 1 });
    const { pg, sortMethods } = await walkWithoutIndex(p, 3);
    expect(pg.fetches[0]!.plan).toMatch(/^Limit \(actual rows=20\.00 loops=1\)\n {2}-> {2}Sort \(actual rows=600\.00 loops=1\)\n {8}Sort Key: created_at, id\n/);
    expect(pg.fetches[0]!.plan).toContain('Seq Scan on items (actual rows=2000.00 loops=1)');
    expect(sortMethods.every((m) => m === 'top-N heapsort')).toBe(true);
  }, SLOW_MS);

  test('keyset: the WHERE becomes a Filter on the Seq Scan, so a page deep in the table still reads every row', async () => {
    for (const order of [0, NEWEST_FIRST]) {
      const p = params({ rows: 2000, pageSize: 20, pages: 8, index: NO_INDEX, method: METHODS.indexOf('keyset-row-value'), order, startPage: 60, insertsPerFetch: 1, insertAt: 1, deletesPerFetch: 1 });
      const { model, pg } = await walkWithoutIndex(p, 4);
      expect(pg.fetches[1]!.plan).toMatch(/Filter: \(ROW\(created_at, id\) [<>] ROW\(/);
      for (const m of model.fetches) expect(m.scanned).toBeGreaterThan(1990);
    }
  }, SLOW_MS);

  test('the last pages, where offset + limit is more than half the rows, are sorted whole: a quicksort, which the model predicts too', async () => {
    const p = params({ rows: 1000, pageSize: 20, pages: 30, index: NO_INDEX, method: 0, startPage: 20 });
    const { sortMethods } = await walkWithoutIndex(p, 1);
    expect(sortMethods).toContain('top-N heapsort');
    expect(sortMethods).toContain('quicksort');
  }, SLOW_MS);
});
