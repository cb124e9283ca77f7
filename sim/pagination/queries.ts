/**
 * The reader's queries as PostgreSQL sees them: the SQL with its bound values
 * written in, the lowest index key its WHERE admits, and the plan in the
 * shape EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) prints it on PostgreSQL 18.
 *
 * The shapes were read off PGlite 0.5.16 (PostgreSQL 18.6) with the table and
 * index the model describes: every one of these queries is a Limit over an
 * Index Only Scan of items_created_at_id (the index holds both columns the
 * query asks for), with an Index Cond when there is a WHERE. Keyset on the
 * timestamp alone orders by created_at only, but the scan still walks the
 * (created_at, id) index, so rows that tie come back in id order; the model
 * relies on that, and test/pagination/postgres.test.ts checks it.
 */
import { pad2, utcFields } from '../core/calendar.ts';
import type { Method } from './params.ts';
import { keyOf } from './table.ts';

export const TABLE = 'items';
export const INDEX = 'items_created_at_id';
/** created_at of the first seed row: the epoch the model counts seconds from. */
export const EPOCH_TEXT = '2024-01-01 00:00:00+00';
/** 2024-01-01 in days after 1970-01-01. */
const EPOCH_DAYS = 19723;

/** What bounds the page from below. */
export type Bound =
  | { kind: 'none' }
  /** The first keyset page of a reader that starts deep: created_at >= a timestamp (keyset seeks by value, not by page number). */
  | { kind: 'seek'; sec: number }
  /** created_at > the last row's timestamp. */
  | { kind: 'afterSec'; sec: number }
  /** (created_at, id) > the last row's pair. */
  | { kind: 'afterRow'; sec: number; id: number };

export interface PageQuery {
  method: Method;
  limit: number;
  /** Rows the Limit throws away first: OFFSET only. */
  offset: number;
  /** The bound's "after" in the reading order: a later row oldest first, an earlier one newest first. */
  bound: Bound;
  /** ORDER BY created_at DESC, id DESC, read backward through the same index. Absent: oldest first. */
  newestFirst?: boolean;
  /** No usable index: a Seq Scan with the WHERE as a Filter, then a Sort. Absent: the index. */
  seqScan?: boolean;
}

/** The smallest index key the WHERE admits (keys are packed by table.ts's keyOf). */
export function lowestKey(bound: Bound): number {
  switch (bound.kind) {
    case 'none':
      return 0;
    case 'seek':
      return keyOf(bound.sec, 0);
    case 'afterSec':
      return keyOf(bound.sec + 1, 0);
    case 'afterRow':
      return keyOf(bound.sec, bound.id) + 1;
  }
}

/** A created_at `sec` seconds after the epoch, as PostgreSQL prints a timestamptz with TimeZone UTC: '2024-01-01 04:00:00+00'. */
export function timestampText(sec: number): string {
  const t = utcFields(EPOCH_DAYS * 86400 + sec);
  return `${t.year}-${pad2(t.month)}-${pad2(t.day)} ${pad2(t.h)}:${pad2(t.m)}:${pad2(t.s)}+00`;
}

function orderBy(q: PageQuery): string {
  const dir = q.newestFirst ? ' DESC' : '';
  return q.method === 'keyset-timestamp' ? `created_at${dir}` : `created_at${dir}, id${dir}`;
}

/** The comparison a bound makes, turned around when the reader goes newest first. */
function operator(bound: Bound, newestFirst: boolean): string {
  const seek = bound.kind === 'seek';
  if (newestFirst) return seek ? '<=' : '<';
  return seek ? '>=' : '>';
}

function whereSql(q: PageQuery): string {
  const { bound } = q;
  if (bound.kind === 'none') return '';
  const op = operator(bound, q.newestFirst === true);
  if (bound.kind === 'afterRow') return ` WHERE (created_at, id) ${op} ('${timestampText(bound.sec)}', ${bound.id})`;
  return ` WHERE created_at ${op} '${timestampText(bound.sec)}'`;
}

/** The query with its values bound, as the reader sends it. */
export function pageSql(q: PageQuery): string {
  const offset = q.method === 'offset' ? ` OFFSET ${q.offset}` : '';
  return `SELECT id, created_at FROM ${TABLE}${whereSql(q)} ORDER BY ${orderBy(q)} LIMIT ${q.limit}${offset}`;
}

/** The Index Cond line EXPLAIN prints for the WHERE, or null without one. */
export function indexCond(bound: Bound, newestFirst = false): string | null {
  const ts = (sec: number) => `'${timestampText(sec)}'::timestamp with time zone`;
  if (bound.kind === 'none') return null;
  const op = operator(bound, newestFirst);
  if (bound.kind === 'afterRow') return `(ROW(created_at, id) ${op} ROW(${ts(bound.sec)}, ${bound.id}))`;
  return `(created_at ${op} ${ts(bound.sec)})`;
}

/** EXPLAIN's row counts: PostgreSQL 18 prints actual rows with two decimals. */
const rowsText = (n: number) => `${n}.00`;

/**
 * The plan the model predicts, in EXPLAIN ANALYZE's layout: `returned` is the
 * Limit's actual rows, `scanned` the Index Only Scan's. PostgreSQL also prints
 * Heap Fetches and, with BUFFERS, buffer counts; those depend on the
 * visibility map and the cache, which the model does not simulate, so they
 * are left out rather than made up.
 *
 * Without the index (q.seqScan), `scanned` is every live row and `filtered`
 * the rows the keyset WHERE removed: the Seq Scan's actual rows are the rest,
 * and the Sort's are what the Limit pulled from it, offset + limit at most.
 */
export function planText(q: PageQuery, scanned: number, returned: number, filtered = 0): string {
  if (q.seqScan) return seqScanPlanText(q, scanned, returned, filtered);
  const lines = [
    `Limit (actual rows=${rowsText(returned)} loops=1)`,
    `  ->  Index Only Scan${q.newestFirst ? ' Backward' : ''} using ${INDEX} on ${TABLE} (actual rows=${rowsText(scanned)} loops=1)`,
  ];
  const cond = indexCond(q.bound, q.newestFirst);
  if (cond !== null) lines.push(`        Index Cond: ${cond}`);
  lines.push('        Index Searches: 1');
  return lines.join('\n');
}

/** The Sort's key as EXPLAIN prints it: the ORDER BY. */
const sortKey = (q: PageQuery) => orderBy(q);

/**
 * Limit over Sort over Seq Scan, as PostgreSQL 18 prints it for a table with
 * no index on the order (read off PGlite 0.5.16). A bounded sort keeps only
 * offset + limit rows: PostgreSQL switches to a top-N heap once its input
 * passes twice that bound (tuplesort.c, puttuple_common), else it sorts them
 * all in memory, or on disk when they outgrow work_mem. That line depends on
 * memory, so like Heap Fetches it is left out, and the log says which to expect.
 */
function seqScanPlanText(q: PageQuery, scanned: number, returned: number, filtered: number): string {
  const passing = scanned - filtered;
  const sorted = Math.min(passing, q.offset + q.limit);
  const lines = [
    `Limit (actual rows=${rowsText(returned)} loops=1)`,
    `  ->  Sort (actual rows=${rowsText(sorted)} loops=1)`,
    `        Sort Key: ${sortKey(q)}`,
    `        ->  Seq Scan on ${TABLE} (actual rows=${rowsText(passing)} loops=1)`,
  ];
  const cond = indexCond(q.bound, q.newestFirst);
  if (cond !== null) lines.push(`              Filter: ${cond}`);
  // EXPLAIN's text format prints the count only when the Filter removed some (explain.c, show_instrumentation_count).
  if (filtered > 0) lines.push(`              Rows Removed by Filter: ${filtered}`);
  return lines.join('\n');
}

/** Whether PostgreSQL's bounded sort becomes a top-N heapsort: its input passes twice offset + limit (memory permitting). */
export function topNHeapsort(q: PageQuery, passing: number): boolean {
  return passing > 2 * (q.offset + q.limit);
}

/** The SQL that builds the model's starting table in PostgreSQL (the tests run exactly this). */
export function seedSql(rows: number, tie: number): string {
  return [
    `CREATE TABLE ${TABLE} (id bigint PRIMARY KEY, created_at timestamptz NOT NULL);`,
    `INSERT INTO ${TABLE} SELECT g, timestamptz '${EPOCH_TEXT}' + ((g - 1) / ${tie}) * interval '1 second' FROM generate_series(1, ${rows}) g;`,
    `CREATE INDEX ${INDEX} ON ${TABLE} (created_at, id);`,
    `ANALYZE ${TABLE};`,
  ].join('\n');
}
