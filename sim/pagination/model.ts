/**
 * A reader pages through `items` in (created_at, id) order, one page a
 * second, with LIMIT/OFFSET or with keyset pagination, while other sessions
 * insert and delete rows between its fetches (workload.ts).
 *
 * Cost: the rows the index scan under the Limit produces. OFFSET's Limit
 * pulls offset + limit rows and throws the first offset away, so a page costs
 * its depth; keyset descends the index to the cursor and reads only the page.
 * Time per page is a stated assumption, not a measurement: perQueryMs plus
 * perRowUs for each row read.
 *
 * Correctness: the rows the reader should see are the seed rows that are
 * still there when its cursor reaches them, from the first row it asked for
 * to the last row it got (or the end of the table, if it got there). The
 * cursor's reach is the highest key returned so far; when a page moves it,
 * every live seed row it passes is accounted: seen once, seen more than once,
 * or never seen. OFFSET can later return a row it has passed (a row inserted
 * before the reader pushes the window back), so such a row moves from "seen
 * once" to "seen more than once", or from "never seen" to "seen once", in the
 * page where that happens: the per-page counts can then be negative, and the
 * running totals always add up to the rows passed. Rows inserted during the
 * walk are counted apart (newRowsSeen), and a row deleted after the cursor
 * passed it keeps the outcome it had.
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
import { EventLog, SeriesRecorder, compileMachine, finishTrace, groupDigits, logClock, type Trace } from '../core/index.ts';
import { pageGuards, readerMachine, type PageView } from './machine.ts';
import { METHODS, type Method, type PaginationParams } from './params.ts';
import { lowestKey, pageSql, planText, timestampText, type Bound, type PageQuery } from './queries.ts';
import { IdCounts, ImplicitTable, idOfKey, keyOf, secOfKey } from './table.ts';
import { workload } from './workload.ts';

export const SAMPLE_MS = 1000;
/** Log lines of one kind kept per second, that is per page. */
const LOG_PER_KIND = 4;

const machine = compileMachine<PageView>(readerMachine, pageGuards);
type StateName = 'ready' | 'requesting' | 'discarding' | 'scanning' | 'received' | 'cursorSaved' | 'done';
const S = machine.stateIndex as Record<StateName, number>;
const EV = machine.eventIndex as Record<'FETCH' | 'SCAN' | 'RECEIVE' | 'REMEMBER' | 'NEXT', number>;
export const READER_STATES = machine.info.states.map((s) => s.id);

export const OUTCOMES = ['seenOnce', 'seenMoreThanOnce', 'neverSeen'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const SERIES_KEYS = [
  'pagesFetched', 'pageDepth', 'rowsReturned', 'rowsRead', 'rowsReadOffset', 'rowsReadKeyset', 'rowsDiscarded', 'timeMs',
  'shouldSee', ...OUTCOMES,
  'repeats', 'newRowsSeen', 'inserts', 'deletes',
  ...READER_STATES.map((s) => `st_${s}`),
] as const;

/** The last page that has a row in it: where a start page is clamped to. */
export function lastPage(p: Pick<PaginationParams, 'rows' | 'pageSize'>): number {
  return Math.ceil(p.rows / p.pageSize);
}

/**
 * Rows an OFFSET reader's scans produce to read a table of `rows` from page 1
 * to the end: page n reads min(rows, n × pageSize), and the reader stops at
 * the first short page, floor(rows / pageSize) + 1 (an empty one when the
 * page size divides the table, read to the end just to find nothing). About
 * rows² / (2 × pageSize).
 */
export function wholeTableRowsOffset(rows: number, pageSize: number): number {
  const pages = Math.floor(rows / pageSize) + 1;
  return (pageSize * (pages - 1) * pages) / 2 + rows;
}

/** The same walk with keyset: every row is read once. */
export function wholeTableRowsKeyset(rows: number): number {
  return rows;
}

export const wholeTablePages = (rows: number, pageSize: number): number => Math.floor(rows / pageSize) + 1;

/** What one fetch did, for tests. */
export interface FetchRecord {
  fetch: number;
  page: number;
  query: PageQuery;
  sql: string;
  ids: number[];
  /** Actual rows of the index scan. */
  scanned: number;
}

/** For tests: what the trace only counts. */
export interface PaginationObserver {
  fetched?(r: FetchRecord): void;
  /** At the end: each seed row the reader should have seen, by id, with its outcome; and the ids of rows returned more than once. */
  finished?(end: { outcomes: ReadonlyMap<number, Outcome>; repeatedIds: readonly number[]; newRowsSeen: readonly number[] }): void;
}

const fmtMs = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

function idList(ids: readonly number[]): string {
  if (ids.length <= 8) return ids.join(', ');
  return `${ids.slice(0, 3).join(', ')} … ${ids.slice(-3).join(', ')}`;
}

function cursorText(method: Method, page: number, pageSize: number, lastKey: number): string {
  if (method === 'offset') return `page ${groupDigits(page + 1)}, so OFFSET ${groupDigits(page * pageSize)} next`;
  if (method === 'keyset-timestamp') return `created_at = '${timestampText(secOfKey(lastKey))}' (the last row’s timestamp)`;
  return `(created_at, id) = ('${timestampText(secOfKey(lastKey))}', ${idOfKey(lastKey)})`;
}

export function runPagination(p: PaginationParams, seed: number, observe: PaginationObserver = {}): Trace {
  const method: Method = METHODS[p.method] ?? 'offset';
  const k = p.pageSize;
  const durationMs = p.pages * SAMPLE_MS;
  const rec = new SeriesRecorder(SERIES_KEYS, durationMs, SAMPLE_MS);
  // One page line a second is never thinned: pages ≤ 300, and the other kinds are capped per second.
  const log = new EventLog({ perKindPerWindow: LOG_PER_KIND, total: 6000 });
  const table = new ImplicitTable(p.rows, p.tie);

  const startPage = Math.min(p.startPage, lastPage(p));
  const startKey = table.select((startPage - 1) * k);
  // Keyset cannot count pages: a deep start seeks to the start row's timestamp, which also takes the rows tied with it before it.
  const seekSec = secOfKey(startKey);
  const firstKey = method === 'offset' ? startKey : keyOf(seekSec, 0);

  /** The highest key the reader's pages have reached: the end of the range it has walked. */
  let reach = firstKey - 1;
  // Rows are tracked by id, which is unique to a row and a small integer.
  /** Times each row has been returned. */
  const returned = new IdCounts();
  /** The fetch that first returned each row. */
  const firstFetchOf = new IdCounts();
  /** The seed rows the reach has passed, with their outcome so far (OUTCOMES index + 1; 0 for not passed). */
  const passed = new IdCounts();
  const passedIds: number[] = [];
  const repeatedIds: number[] = [];
  const newIds: number[] = [];
  let beforeStartSeen = 0;
  let lastKey = -1;
  let reachedEnd = false;
  let fetches = 0;
  let events = 0;
  let state = S.ready;
  rec.add('st_ready', 0);
  const view: PageView = { discards: false, shortPage: false };

  const step = (event: number, tMs: number) => {
    const next = machine.step(state, event, view);
    if (next !== state) rec.add(`st_${READER_STATES[next]}`, tMs);
    state = next;
  };

  const move = (id: number, to: Outcome, tMs: number) => {
    rec.add(OUTCOMES[passed.get(id) - 1]!, tMs, -1);
    passed.set(id, OUTCOMES.indexOf(to) + 1);
    rec.add(to, tMs);
  };

  const queryFor = (fetch: number, page: number): PageQuery => {
    if (method === 'offset') return { method, limit: k, offset: (page - 1) * k, bound: { kind: 'none' } };
    let bound: Bound;
    if (fetch === 0) bound = startPage === 1 ? { kind: 'none' } : { kind: 'seek', sec: seekSec };
    else if (method === 'keyset-timestamp') bound = { kind: 'afterSec', sec: secOfKey(lastKey) };
    else bound = { kind: 'afterRow', sec: secOfKey(lastKey), id: idOfKey(lastKey) };
    return { method, limit: k, offset: 0, bound };
  };

  const fetchPage = (fetch: number, tMs: number) => {
    const page = startPage + fetch;
    const query = queryFor(fetch, page);
    const keys = method === 'offset' ? table.rowsAt(query.offset, k) : table.rowsFrom(lowestKey(query.bound), k);
    // The Limit stops pulling once it has its rows; OFFSET's pulls include the rows it drops, up to the end of the index.
    const scanned = method === 'offset' ? Math.min(table.size, query.offset + k) : keys.length;
    // What the other method would read for the same page: OFFSET needs every row before it, keyset only the page.
    const offsetEquivalent = method === 'offset' ? scanned : table.rank(lowestKey(query.bound)) + keys.length;
    const timeMs = p.perQueryMs + (scanned * p.perRowUs) / 1000;
    const shortPage = keys.length < k;
    fetches++;

    view.discards = method === 'offset' && query.offset > 0;
    view.shortPage = shortPage;
    if (fetch > 0) step(EV.NEXT, tMs);
    step(EV.FETCH, tMs);
    step(EV.SCAN, tMs);
    if (state === S.discarding) step(EV.SCAN, tMs);
    step(EV.RECEIVE, tMs);
    step(EV.REMEMBER, tMs);

    rec.add('pagesFetched', tMs);
    rec.get('pageDepth')[rec.index(tMs)] = page;
    rec.add('rowsReturned', tMs, keys.length);
    rec.add('rowsRead', tMs, scanned);
    rec.add('rowsReadOffset', tMs, offsetEquivalent);
    rec.add('rowsReadKeyset', tMs, keys.length);
    rec.add('rowsDiscarded', tMs, scanned - keys.length);
    rec.add('timeMs', tMs, timeMs);

    const repeatsHere: number[] = [];
    const lateHere: number[] = [];
    // Repeat and skip lines follow the page's own line; the log keeps only a few of each kind a second, so only those are written out.
    const notes: [kind: string, text: string][] = [];
    const noted: Record<string, number> = {};
    const wantsNote = (kind: string) => {
      const n = (noted[kind] ?? 0) + 1;
      noted[kind] = n;
      if (n <= LOG_PER_KIND) return true;
      log.skip();
      return false;
    };
    for (const key of keys) {
      const id = idOfKey(key);
      const before = returned.get(id);
      returned.set(id, before + 1);
      if (before === 0) firstFetchOf.set(id, fetch);
      else {
        rec.add('repeats', tMs);
        repeatsHere.push(id);
        if (before === 1) repeatedIds.push(id);
        if (wantsNote('repeat')) {
          notes.push(['repeat', `${logClock(tMs)}  id ${id} returned again on page ${groupDigits(page)}: first returned on page ${groupDigits(startPage + firstFetchOf.get(id))}`]);
        }
      }
      if (id > p.rows) {
        if (before === 0) {
          rec.add('newRowsSeen', tMs);
          newIds.push(id);
        }
        continue;
      }
      // Rows past the reach are accounted below, when the reach passes them.
      if (key > reach) continue;
      if (key < firstKey) {
        if (before === 0) beforeStartSeen++;
        continue;
      }
      if (before === 0) {
        move(id, 'seenOnce', tMs);
        lateHere.push(id);
      } else if (before === 1) move(id, 'seenMoreThanOnce', tMs);
    }

    // A short page ends the walk: everything left in the table was the reader's to see.
    const newReach = shortPage ? Infinity : Math.max(reach, keys[keys.length - 1]!);
    const skippedHere: number[] = [];
    if (newReach > reach) {
      table.scanFrom(reach + 1, (key) => {
        if (key > newReach) return false;
        const id = idOfKey(key);
        if (id > p.rows) return true;
        const n = returned.get(id);
        const outcome: Outcome = n === 0 ? 'neverSeen' : n === 1 ? 'seenOnce' : 'seenMoreThanOnce';
        passed.set(id, OUTCOMES.indexOf(outcome) + 1);
        passedIds.push(id);
        rec.add('shouldSee', tMs);
        rec.add(outcome, tMs);
        if (outcome === 'neverSeen') {
          skippedHere.push(id);
          if (wantsNote('skip')) {
            const tied = method === 'keyset-timestamp' && fetch > 0 && secOfKey(key) === secOfKey(lastKey);
            const why = tied
              ? `it ties with the last row of page ${groupDigits(page - 1)} at '${timestampText(secOfKey(key))}', and created_at > that timestamp passes over it`
              : `page ${groupDigits(page)} went past it without returning it`;
            notes.push(['skip', `${logClock(tMs)}  id ${id} skipped: ${why}`]);
          }
        }
        return true;
      });
      reach = newReach;
    }
    if (keys.length > 0) lastKey = keys[keys.length - 1]!;

    if (log.wants(tMs, 'page')) {
      const ids = keys.map(idOfKey);
      const text = `${logClock(tMs)}  page ${groupDigits(page)}: read ${groupDigits(scanned)} rows, returned ${keys.length}${keys.length ? ` (ids ${ids[0]}…${ids[ids.length - 1]})` : ''}, ${fmtMs(timeMs)} ms`;
      const detail = [
        `${pageSql(query)};`,
        '',
        planText(query, scanned, keys.length),
        '# Heap Fetches, Buffers and times are left out: the model does not simulate them.',
        method === 'offset' && query.offset > 0 ? `# The Limit read ${groupDigits(scanned)} rows and threw away the first ${groupDigits(scanned - keys.length)}.` : `# The scan read only the rows it returned.`,
        `# At ${groupDigits(p.perRowUs)} µs a row and ${groupDigits(p.perQueryMs)} ms a query (our assumptions): ${fmtMs(timeMs)} ms.`,
        ...(method !== 'offset' && shortPage
          ? ['# Near the end of a table PostgreSQL may plan this as a Sort over a Bitmap Heap Scan instead, reading every row left; under ORDER BY created_at alone, tied rows then come back in no set order.']
          : []),
        '',
        keys.length ? `Returned ${keys.length} rows: ids ${idList(ids)}` : 'Returned no rows.',
        shortPage ? `Fewer than ${k} rows: the end of the table. The reader stops.` : `Cursor saved: ${cursorText(method, page, k, lastKey)}`,
      ];
      if (repeatsHere.length) detail.push(`Returned before (repeats): ids ${idList(repeatsHere)}`);
      if (lateHere.length) detail.push(`Returned late (passed over earlier): ids ${idList(lateHere)}`);
      if (skippedHere.length) detail.push(`Skipped (passed over, never returned): ids ${idList(skippedHere)}`);
      log.write(tMs, 'page', text, detail.join('\n'));
    } else log.skip();
    for (const [kind, text] of notes) {
      if (log.wants(tMs, kind)) log.write(tMs, kind, text);
      else log.skip();
    }

    observe.fetched?.({ fetch, page, query, sql: pageSql(query), ids: keys.map(idOfKey), scanned });
    if (shortPage) reachedEnd = true;
  };

  // The writers change the table themselves (workload.ts); here their writes are only counted and logged.
  for (const op of workload(p, seed, table)) {
    events++;
    if (op.kind === 'fetch') {
      fetchPage(op.fetch, op.tMs);
      if (reachedEnd) break;
    } else if (op.kind === 'insert') {
      const key = keyOf(op.createdAtSec, op.id);
      rec.add('inserts', op.tMs);
      if (log.wants(op.tMs, 'insert')) {
        const where = key < reach ? 'behind the reader' : 'ahead of the reader';
        log.write(op.tMs, 'insert', `${logClock(op.tMs)}  INSERT id ${op.id}, created_at '${timestampText(op.createdAtSec)}': ${where}`);
      } else log.skip();
    } else {
      const key = keyOf(op.createdAtSec, op.id);
      rec.add('deletes', op.tMs);
      if (log.wants(op.tMs, 'delete')) {
        const where = key < reach ? 'behind the reader' : 'ahead of the reader';
        log.write(op.tMs, 'delete', `${logClock(op.tMs)}  DELETE id ${op.id}: ${where}`);
      } else log.skip();
    }
  }

  const total = (key: string) => rec.get(key).reduce((x, y) => x + y, 0);
  if (observe.finished) {
    const outcomes = new Map<number, Outcome>();
    for (const id of passedIds) outcomes.set(id, OUTCOMES[passed.get(id) - 1]!);
    observe.finished({ outcomes, repeatedIds, newRowsSeen: newIds });
  }

  const whole = wholeTableRowsOffset(p.rows, k);
  const pagesWhole = wholeTablePages(p.rows, k);
  const summary: Record<string, number> = {
    startPage,
    pagesFetched: fetches,
    reachedEnd: reachedEnd ? 1 : 0,
    rowsReturned: total('rowsReturned'),
    rowsReadTotal: total('rowsRead'),
    rowsReadMax: Math.max(...rec.get('rowsRead')),
    rowsDiscarded: total('rowsDiscarded'),
    rowsReadOffsetTotal: total('rowsReadOffset'),
    rowsReadKeysetTotal: total('rowsReadKeyset'),
    timeMsTotal: total('timeMs'),
    timeMsMax: Math.max(...rec.get('timeMs')),
    shouldSee: total('shouldSee'),
    seenOnce: total('seenOnce'),
    seenMoreThanOnce: total('seenMoreThanOnce'),
    neverSeen: total('neverSeen'),
    repeats: total('repeats'),
    newRowsSeen: total('newRowsSeen'),
    rowsSeenBeforeStart: beforeStartSeen,
    inserts: total('inserts'),
    deletes: total('deletes'),
    rowsAtEnd: table.size,
    wholeTablePages: pagesWhole,
    wholeTableRowsOffset: whole,
    wholeTableRowsKeyset: wholeTableRowsKeyset(p.rows),
    wholeTableTimeMsOffset: pagesWhole * p.perQueryMs + (whole * p.perRowUs) / 1000,
    wholeTableTimeMsKeyset: pagesWhole * p.perQueryMs + (p.rows * p.perRowUs) / 1000,
  };

  return finishTrace({
    simId: 'pagination',
    seed,
    params: { ...p },
    durationMs,
    sampleMs: SAMPLE_MS,
    series: rec.series,
    log: log.lines,
    logSuppressed: log.suppressed,
    summary,
    // The run is bounded by its parameters (at most 300 fetches and 100 writes between two), so it needs no event budget.
    events,
    truncated: false,
  });
}
