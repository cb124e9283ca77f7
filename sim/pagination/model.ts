/**
 * A reader pages through `items` in (created_at, id) order, one page a
 * second, with LIMIT/OFFSET or with keyset pagination (reader.ts), while
 * other sessions insert and delete rows between its fetches (workload.ts).
 *
 * Correctness: the rows the reader should see are the seed rows that are
 * still there when its cursor reaches them, from the first row it asked for
 * to the last row it got (or the end of the table, if it got there); each
 * ends seen once, seen more than once, or never seen (rows.ts).
 *
 * Simplifications: one reader, no transaction spans two pages (each fetch
 * sees every write before it, as READ COMMITTED would), and every page is
 * read by walking the (created_at, id) index in order, so ties under
 * ORDER BY created_at alone come back in id order. PostgreSQL does walk the
 * index, except near the end of a table, where its statistics promise only a
 * few rows: there it may read them with a bitmap scan and sort them, reading
 * every row left rather than the page, and ties under created_at alone then
 * come back in no set order (test/pagination/postgres.test.ts shows both).
 */
import { createModel, type Observer, type Trace } from '../core/index.ts';
import { SERIES_KEYS, type Outcome } from './keys.ts';
import { LOG_PER_KIND, logPage, logWrite } from './page-log.ts';
import { newestFirst, oldestFirst } from './order.ts';
import { NEWEST_FIRST, type PaginationParams } from './params.ts';
import { pageSql, type PageQuery } from './queries.ts';
import { Reader } from './reader.ts';
import { SceneRecorder } from './scene.ts';
import { summarize } from './summary.ts';
import { ImplicitTable } from './table.ts';
import { workload, type Op } from './workload.ts';

export const SAMPLE_MS = 1000;

/** What one fetch did. */
export interface FetchRecord {
  fetch: number;
  page: number;
  query: PageQuery;
  sql: string;
  ids: number[];
  /** Rows the scan read (every live row without the index). */
  scanned: number;
  /** Without the index: rows the keyset Filter removed. */
  filtered: number;
}

/** At the end: each row the reader should have seen, by id, with its outcome; the ids of rows returned more than once; the new rows it got. */
export interface WalkEnd {
  outcomes: ReadonlyMap<number, Outcome>;
  repeatedIds: readonly number[];
  newRowsSeen: readonly number[];
}

/** What a test can watch: every fetch, and the walk's end. */
export type PaginationEvent = ({ type: 'fetched' } & FetchRecord) | ({ type: 'finished' } & WalkEnd);

export function runPagination(p: PaginationParams, seed: number, observe?: Observer<PaginationEvent>): Trace {
  const durationMs = p.pages * SAMPLE_MS;
  const model = createModel({
    simId: 'pagination',
    seed,
    params: p,
    durationMs,
    sampleMs: SAMPLE_MS,
    series: SERIES_KEYS,
    // The run is bounded by its parameters: a fetch a second, and the writers between two.
    budget: p.pages * (1 + p.insertsPerFetch + p.deletesPerFetch),
    // One page line a second is never thinned: pages ≤ 300, and the other kinds are capped per second.
    log: { perKindPerWindow: LOG_PER_KIND, total: 6000 },
  });
  const { queue, rec, log } = model;
  const table = new ImplicitTable(p.rows, p.tie);
  // The writers change the table in its own (created_at, id) order; the reader sees it in its reading order.
  const order = p.order === NEWEST_FIRST ? newestFirst(table) : oldestFirst(table);
  const reader = new Reader(p, order, rec);
  const scene = new SceneRecorder();

  // The writers change the table themselves as their operations are drawn, so the next operation is
  // drawn only once this one is handled: a fetch sees every write before it and none after, and a
  // reader that reaches the end never meets the writes after it.
  const ops = workload(p, model.rng, table);
  let op: Op | null = null;
  const drawNext = () => {
    const next = ops.next();
    op = next.done ? null : next.value;
    if (op) queue.push(op.tMs, 0, 0);
  };
  drawNext();
  model.run((tMs) => {
    const now = op!;
    if (now.kind === 'fetch') {
      const f = reader.fetch(now.fetch, tMs);
      logPage(log, tMs, reader.walk, f, reader.rows, order);
      scene.fetched(f, reader.rows, order);
      observe?.({ type: 'fetched', fetch: f.fetch, page: f.page, query: f.query, sql: pageSql(f.query), ids: f.keys.map(order.id), scanned: f.scanned, filtered: f.filtered });
      if (reader.reachedEnd) return;
    } else {
      rec.add(now.kind === 'insert' ? 'inserts' : 'deletes', tMs);
      const behindReader = order.key(now.createdAtSec, now.id) < reader.rows.reach;
      logWrite(log, tMs, now.kind, now.id, now.createdAtSec, behindReader);
      scene.wrote(now.kind, behindReader);
    }
    drawNext();
  });

  reader.rows.close(durationMs);
  observe?.({ type: 'finished', outcomes: reader.rows.outcomes(), repeatedIds: reader.rows.repeatedIds, newRowsSeen: reader.rows.newIds });
  return model.trace(summarize(p, rec, reader, table), { scene: scene.scene(reader.walk.method, p.pageSize, rec.count, reader.walk.seqScan, order.newestFirst) });
}
