/**
 * The order the reader pages in, and the table seen in that order.
 *
 * The reader, its row account and the scene work on "reading keys": numbers
 * that ascend in the order pages return rows. Oldest first (ORDER BY
 * created_at, id) they are the table's own keys (table.ts). Newest first
 * (ORDER BY created_at DESC, id DESC) a reading key is FLIP − key, which
 * reverses the order and is its own inverse; PostgreSQL walks the same
 * (created_at, id) index backward for it (an Index Only Scan Backward), so
 * one index serves both directions.
 */
import { lowestKey, type Bound } from './queries.ts';
import { type ImplicitTable, KEY_SCALE, idOfKey, keyOf, secOfKey } from './table.ts';

/** Above every key: created_at stays below 5,000,300 s (five million seed rows and a row a second inserted at "now"). */
const FLIP = 2 ** 26 * KEY_SCALE;

/** What the reader needs of the table, in reading keys. ImplicitTable is this for oldest first. */
export interface ReadingTable {
  readonly size: number;
  select(position: number): number;
  rank(key: number): number;
  scanFrom(fromKey: number, visit: (key: number) => boolean): void;
  rowsFrom(fromKey: number, limit: number): number[];
  rowsAt(position: number, limit: number): number[];
}

export interface ReadingOrder {
  readonly newestFirst: boolean;
  readonly table: ReadingTable;
  /** The reading key of a row. */
  key(createdAtSec: number, id: number): number;
  sec(readingKey: number): number;
  id(readingKey: number): number;
  /** The first reading key a page's WHERE admits. */
  lowest(bound: Bound): number;
}

/** Oldest first: (created_at, id) > (…) bounds, the table's own keys. */
export function oldestFirst(table: ImplicitTable): ReadingOrder {
  return {
    newestFirst: false,
    table,
    key: keyOf,
    sec: secOfKey,
    id: idOfKey,
    lowest: lowestKey,
  };
}

/** Newest first: created_at <= / < and (created_at, id) < (…) bounds, read backward through the same index. */
export function newestFirst(asc: ImplicitTable): ReadingOrder {
  const flip = (key: number) => FLIP - key;
  const table: ReadingTable = {
    get size() {
      return asc.size;
    },
    select: (position) => flip(asc.select(asc.size - 1 - position)),
    // Rows read before reading key r are the rows whose key is above FLIP − r.
    rank: (r) => asc.size - asc.rank(flip(r) + 1),
    scanFrom(from, visit) {
      for (let pos = asc.rank(flip(from) + 1) - 1; pos >= 0; pos--) if (!visit(flip(asc.select(pos)))) return;
    },
    rowsFrom(from, limit) {
      const out: number[] = [];
      if (limit <= 0) return out;
      this.scanFrom(from, (key) => {
        out.push(key);
        return out.length < limit;
      });
      return out;
    },
    rowsAt(position, limit) {
      return position >= asc.size ? [] : this.rowsFrom(this.select(position), limit);
    },
  };
  return {
    newestFirst: true,
    table,
    key: (sec, id) => flip(keyOf(sec, id)),
    sec: (r) => secOfKey(flip(r)),
    id: (r) => idOfKey(flip(r)),
    // The WHERE admits the keys below an upper key; the first reading key after it is FLIP − upper + 1.
    // Ids start at 1, so (sec, 0) sorts before every row of that second.
    lowest(bound) {
      switch (bound.kind) {
        case 'none':
          return 0;
        case 'seek': // created_at <= sec: below the next second
          return flip(keyOf(bound.sec + 1, 0)) + 1;
        case 'afterSec': // created_at < sec
          return flip(keyOf(bound.sec, 0)) + 1;
        case 'afterRow': // (created_at, id) < (sec, id)
          return flip(keyOf(bound.sec, bound.id)) + 1;
      }
    },
  };
}
