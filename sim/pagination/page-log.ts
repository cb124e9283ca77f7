/**
 * The log of a walk: one line per page with its SQL, plan, rows and cursor as
 * the detail; a line per row returned again or skipped, up to a few a page;
 * and the writers' INSERTs and DELETEs, placed before or behind the reader.
 */
import { groupDigits, logClock, type EventLog } from '../core/index.ts';
import type { Method } from './params.ts';
import { pageSql, planText, timestampText, topNHeapsort, type PageQuery } from './queries.ts';
import type { ReadingOrder } from './order.ts';
import type { RowAccount } from './rows.ts';

/** Log lines of one kind kept per second, that is per page. */
export const LOG_PER_KIND = 4;

const fmtMs = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

function idList(ids: readonly number[]): string {
  if (ids.length <= 8) return ids.join(', ');
  return `${ids.slice(0, 3).join(', ')} … ${ids.slice(-3).join(', ')}`;
}

function cursorText(method: Method, page: number, pageSize: number, lastKey: number, order: ReadingOrder): string {
  if (method === 'offset') return `page ${groupDigits(page + 1)}, so OFFSET ${groupDigits(page * pageSize)} next`;
  if (method === 'keyset-timestamp') return `created_at = '${timestampText(order.sec(lastKey))}' (the last row’s timestamp)`;
  return `(created_at, id) = ('${timestampText(order.sec(lastKey))}', ${order.id(lastKey)})`;
}

/** One page fetched: what the query was, what the scan read, and where the cursor stood before and after. */
export interface PageFetched {
  fetch: number;
  page: number;
  query: PageQuery;
  keys: readonly number[];
  /** Rows the scan read: the index scan's actual rows, or without the index every live row. */
  scanned: number;
  /** Without the index: rows the keyset WHERE, a Filter on the Seq Scan, removed. */
  filtered: number;
  /** The page's first row's position in index order (0-based): the rows before it are what OFFSET reads and drops. */
  at: number;
  timeMs: number;
  shortPage: boolean;
  /** The last key of the page before (-1 before the first), and of this one. */
  prevLastKey: number;
  lastKey: number;
}

export interface WalkSettings {
  method: Method;
  pageSize: number;
  startPage: number;
  perRowUs: number;
  perQueryMs: number;
  /** No usable index: every page is a Seq Scan and a Sort. */
  seqScan: boolean;
}

/** Without the index: what the Seq Scan and the Sort did, and the Sort Method line PostgreSQL would add. */
function seqScanNotes(f: PageFetched): string[] {
  const { query, scanned, filtered, keys } = f;
  const passing = scanned - filtered;
  const method = topNHeapsort(query, passing)
    ? 'top-N heapsort: its input passed twice offset + limit, so it kept only that many'
    : 'quicksort, or an external merge once the rows outgrow work_mem: the bound is over half its input';
  return [
    `# No index on the order: the Seq Scan read all ${groupDigits(scanned)} rows${filtered > 0 ? `, its Filter dropped ${groupDigits(filtered)}` : ''}, and the Sort ordered the rest to return ${keys.length}.`,
    `# Sort Method (left out, it depends on memory): expect ${method}.`,
  ];
}

/** The page's line, then its repeat and skip lines: a few of each kind a page, the rest only counted. Keys are `order`'s reading keys. */
export function logPage(log: EventLog, tMs: number, w: WalkSettings, f: PageFetched, rows: RowAccount, order: ReadingOrder): void {
  const { method, pageSize: k } = w;
  const { keys, query, scanned, timeMs, shortPage, page } = f;
  if (log.wants(tMs, 'page')) {
    const ids = keys.map(order.id);
    const text = `${logClock(tMs)}  page ${groupDigits(page)}: read ${groupDigits(scanned)} rows, returned ${keys.length}${keys.length ? ` (ids ${ids[0]}…${ids[ids.length - 1]})` : ''}, ${fmtMs(timeMs)} ms`;
    const detail = [
      `${pageSql(query)};`,
      '',
      planText(query, scanned, keys.length, f.filtered),
      '# Heap Fetches, Buffers and times are left out: the model does not simulate them.',
      ...(w.seqScan ? seqScanNotes(f) : [method === 'offset' && query.offset > 0 ? `# The Limit read ${groupDigits(scanned)} rows and threw away the first ${groupDigits(scanned - keys.length)}.` : `# The scan read only the rows it returned.`]),
      `# At ${groupDigits(w.perRowUs)} µs a row and ${groupDigits(w.perQueryMs)} ms a query (our assumptions): ${fmtMs(timeMs)} ms.`,
      ...(method !== 'offset' && shortPage && !w.seqScan
        ? ['# Near the end of a table PostgreSQL may plan this as a Sort over a Bitmap Heap Scan instead, reading every row left; under ORDER BY created_at alone, tied rows then come back in no set order.']
        : []),
      '',
      keys.length ? `Returned ${keys.length} rows: ids ${idList(ids)}` : 'Returned no rows.',
      shortPage ? `Fewer than ${k} rows: the end of the table. The reader stops.` : `Cursor saved: ${cursorText(method, page, k, f.lastKey, order)}`,
    ];
    if (rows.repeatsHere.length) detail.push(`Returned before (repeats): ids ${idList(rows.repeatsHere)}`);
    if (rows.lateHere.length) detail.push(`Returned late (passed over earlier): ids ${idList(rows.lateHere)}`);
    if (rows.skippedKeysHere.length) detail.push(`Skipped (passed over, never returned): ids ${idList(rows.skippedKeysHere.map(order.id))}`);
    log.write(tMs, 'page', text, detail.join('\n'));
  } else log.skip();

  rows.repeatsHere.forEach((id, n) => {
    if (n >= LOG_PER_KIND || !log.wants(tMs, 'repeat')) return log.skip();
    log.write(tMs, 'repeat', `${logClock(tMs)}  id ${id} returned again on page ${groupDigits(page)}: first returned on page ${groupDigits(w.startPage + rows.firstFetch(id))}`);
  });
  rows.skippedKeysHere.forEach((key, n) => {
    if (n >= LOG_PER_KIND || !log.wants(tMs, 'skip')) return log.skip();
    const tied = method === 'keyset-timestamp' && f.fetch > 0 && order.sec(key) === order.sec(f.prevLastKey);
    const op = order.newestFirst ? '<' : '>';
    const why = tied
      ? `it ties with the last row of page ${groupDigits(page - 1)} at '${timestampText(order.sec(key))}', and created_at ${op} that timestamp passes over it`
      : `page ${groupDigits(page)} went past it without returning it`;
    log.write(tMs, 'skip', `${logClock(tMs)}  id ${order.id(key)} skipped: ${why}`);
  });
}

/** Another session's INSERT or DELETE, placed against the reader's reach. */
export function logWrite(log: EventLog, tMs: number, kind: 'insert' | 'delete', id: number, createdAtSec: number, behindReader: boolean): void {
  if (!log.wants(tMs, kind)) return log.skip();
  const where = behindReader ? 'behind the reader' : 'ahead of the reader';
  const text = kind === 'insert' ? `INSERT id ${id}, created_at '${timestampText(createdAtSec)}': ${where}` : `DELETE id ${id}: ${where}`;
  log.write(tMs, kind, `${logClock(tMs)}  ${text}`);
}
