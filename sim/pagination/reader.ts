/**
 * The reader: one page a second, with LIMIT/OFFSET or with keyset, each fetch
 * stepped through the paging loop (machine.ts) and costed.
 *
 * Cost: the rows the index scan under the Limit produces. OFFSET's Limit
 * pulls offset + limit rows and throws the first offset away, so a page costs
 * its depth; keyset descends the index to the cursor and reads only the page.
 * Time per page is a stated assumption, not a measurement: perQueryMs plus
 * perRowUs for each row read.
 */
import type { SeriesRecorder } from '../core/index.ts';
import type { SeriesKey } from './keys.ts';
import type { PageView } from './machine.ts';
import type { PageFetched, WalkSettings } from './page-log.ts';
import { pagingLoop } from './paging-loop.ts';
import type { ReadingOrder } from './order.ts';
import { METHODS, NO_INDEX, type Method, type PaginationParams } from './params.ts';
import type { Bound, PageQuery } from './queries.ts';
import { RowAccount } from './rows.ts';
import { lastPage } from './whole-table.ts';

const { state: S, event: EV, stateSeries: STATE_SERIES, table: loop } = pagingLoop;

export class Reader {
  readonly walk: WalkSettings;
  readonly rows: RowAccount;
  /** Pages fetched so far. */
  fetches = 0;
  /** A page came back short: the table has ended and the reader stops. */
  reachedEnd = false;
  private readonly method: Method;
  /** Keyset cannot count pages: a deep start seeks to the start row's timestamp, which also takes the rows tied with it before it. */
  private readonly seekSec: number;
  private lastKey = -1;
  private state = S.ready;
  private readonly view: PageView = { discards: false, shortPage: false };
  private readonly order: ReadingOrder;
  private readonly rec: SeriesRecorder<SeriesKey>;

  /** `order` is the table as the reader walks it: its keys ascend in reading order (order.ts). */
  constructor(p: PaginationParams, order: ReadingOrder, rec: SeriesRecorder<SeriesKey>) {
    this.method = METHODS[p.method] ?? 'offset';
    this.order = order;
    const table = order.table;
    this.rec = rec;
    const startPage = Math.min(p.startPage, lastPage(p));
    this.walk = { method: this.method, pageSize: p.pageSize, startPage, perRowUs: p.perRowUs, perQueryMs: p.perQueryMs, seqScan: p.index === NO_INDEX };
    const startKey = table.select((startPage - 1) * p.pageSize);
    this.seekSec = order.sec(startKey);
    this.rows = new RowAccount(p.rows, this.method === 'offset' ? startKey : order.lowest({ kind: 'seek', sec: this.seekSec }), order, rec);
    rec.add('st_ready', 0);
  }

  /** Fetch number `fetch` (from 0), at tMs: the page, what its scan read, and the rows it settles. */
  fetch(fetch: number, tMs: number): PageFetched {
    const { order, rec, rows, method, view } = this;
    const table = order.table;
    const k = this.walk.pageSize;
    const page = this.walk.startPage + fetch;
    const query = this.queryFor(fetch, page);
    const keys = method === 'offset' ? table.rowsAt(query.offset, k) : table.rowsFrom(order.lowest(query.bound), k);
    // The Limit stops pulling once it has its rows; OFFSET's pulls include the rows it drops, up to the end of the index.
    const pulled = method === 'offset' ? Math.min(table.size, query.offset + k) : keys.length;
    // Where the page starts in reading order: OFFSET counts its way there, keyset's cursor lands there.
    const at = method === 'offset' ? pulled - keys.length : table.rank(order.lowest(query.bound));
    // Without an index nothing stops early: the Seq Scan reads every live row, and keyset's WHERE only filters.
    const seqScan = this.walk.seqScan;
    const scanned = seqScan ? table.size : pulled;
    const filtered = seqScan && method !== 'offset' ? at : 0;
    // What each method would read for the same page: with the index, OFFSET every row before it and keyset only
    // the page; without it, both the whole table.
    const offsetEquivalent = seqScan ? table.size : method === 'offset' ? pulled : at + keys.length;
    const keysetEquivalent = seqScan ? table.size : keys.length;
    const timeMs = this.walk.perQueryMs + (scanned * this.walk.perRowUs) / 1000;
    const shortPage = keys.length < k;
    this.fetches++;

    view.discards = method === 'offset' && query.offset > 0;
    view.shortPage = shortPage;
    if (fetch > 0) this.step(EV.NEXT, tMs);
    this.step(EV.FETCH, tMs);
    this.step(EV.SCAN, tMs);
    if (this.state === S.discarding) this.step(EV.SCAN, tMs);
    this.step(EV.RECEIVE, tMs);
    this.step(EV.REMEMBER, tMs);

    rec.add('pagesFetched', tMs);
    rec.get('pageDepth')[rec.index(tMs)] = page;
    rec.add('rowsReturned', tMs, keys.length);
    rec.add('rowsRead', tMs, scanned);
    rec.add('rowsReadOffset', tMs, offsetEquivalent);
    rec.add('rowsReadKeyset', tMs, keysetEquivalent);
    rec.add('rowsDiscarded', tMs, scanned - keys.length);
    rec.add('timeMs', tMs, timeMs);

    rows.receive(keys, fetch, tMs);
    // A short page ends the walk: everything left in the table was the reader's to see.
    rows.pass(shortPage ? Infinity : Math.max(rows.reach, keys[keys.length - 1]!), tMs);
    const prevLastKey = this.lastKey;
    if (keys.length > 0) this.lastKey = keys[keys.length - 1]!;
    if (shortPage) this.reachedEnd = true;
    return { fetch, page, query, keys, scanned, filtered, at, timeMs, shortPage, prevLastKey, lastKey: this.lastKey };
  }

  private queryFor(fetch: number, page: number): PageQuery {
    const method = this.method;
    const k = this.walk.pageSize;
    const { order } = this;
    // Only newest first carries the flag, so oldest-first queries stay as they always were.
    const direction = { ...(order.newestFirst ? { newestFirst: true } : {}), ...(this.walk.seqScan ? { seqScan: true } : {}) };
    if (method === 'offset') return { method, limit: k, offset: (page - 1) * k, bound: { kind: 'none' }, ...direction };
    let bound: Bound;
    if (fetch === 0) bound = this.walk.startPage === 1 ? { kind: 'none' } : { kind: 'seek', sec: this.seekSec };
    else if (method === 'keyset-timestamp') bound = { kind: 'afterSec', sec: order.sec(this.lastKey) };
    else bound = { kind: 'afterRow', sec: order.sec(this.lastKey), id: order.id(this.lastKey) };
    return { method, limit: k, offset: 0, bound, ...direction };
  }

  private step(event: number, tMs: number): void {
    const next = loop.step(this.state, event, this.view);
    if (next !== this.state) this.rec.add(STATE_SERIES[next]!, tMs);
    this.state = next;
  }
}
