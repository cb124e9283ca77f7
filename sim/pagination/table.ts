/**
 * The table `items(id bigint primary key, created_at timestamptz)` with its
 * index on (created_at, id), kept without materialising a row: a page of a
 * five-million-row table has to cost microseconds in a browser.
 *
 * The seed rows are implicit. Row g = 1..N has id g and created_at =
 * floor((g - 1) / tie) seconds after the epoch of the run, so their index
 * order is their id order and any position is arithmetic. What the writers
 * change is kept beside them: a sorted array of the keys of inserted rows
 * (their ids are above N) and a sorted array of the deleted seed ids. Rank
 * (how many live rows sort before a key) and select (the key at a position)
 * are binary searches over those two arrays.
 *
 * A row's index key (created_at, id) is packed into one integer,
 * seconds * KEY_SCALE + id, so comparing two keys is comparing two numbers and
 * the index order is numeric order. Both fit well below 2^53.
 */

/** Ids stay below this: N is at most 5,000,000 and the writers add at most 300 × 50 rows. */
export const KEY_SCALE = 10_000_000;

export const keyOf = (createdAtSec: number, id: number): number => createdAtSec * KEY_SCALE + id;
export const secOfKey = (key: number): number => Math.floor(key / KEY_SCALE);
// `| 0` keeps the id a small integer in the engine's eyes (ids are below 2^31), which Maps and arrays index fastest.
export const idOfKey = (key: number): number => (key % KEY_SCALE) | 0;

/** The first index in a sorted array whose value is ≥ x. */
export function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index in a sorted array whose value is > x. */
export function upperBound(sorted: readonly number[], x: number): number {
  return lowerBound(sorted, x + 1);
}

export class ImplicitTable {
  /** Seed rows: ids 1..seedRows. */
  readonly seedRows: number;
  /** Seed rows that share one created_at second. */
  readonly tie: number;
  /** Keys of rows inserted since the seed, ascending. */
  private readonly inserted: number[] = [];
  /** Ids of deleted seed rows, ascending (for seed rows, id order is key order). */
  private readonly deletedSeed: number[] = [];

  constructor(seedRows: number, tie: number) {
    this.seedRows = seedRows;
    this.tie = tie;
  }

  /** Live rows. */
  get size(): number {
    return this.seedRows - this.deletedSeed.length + this.inserted.length;
  }

  /** The created_at of seed row g, in seconds after the epoch. */
  seedSec(id: number): number {
    return Math.floor((id - 1) / this.tie);
  }

  /** The last second the seed rows use: the table's range of timestamps is 0..this. */
  get lastSeedSec(): number {
    return this.seedSec(this.seedRows);
  }

  seedKey(id: number): number {
    return keyOf(this.seedSec(id), id);
  }

  /** Seed rows (deleted or not) whose key is below `key`: they are ids 1..this. */
  private seedBelow(key: number): number {
    const sec = secOfKey(key);
    if (sec < 0) return 0;
    const before = sec * this.tie;
    if (before >= this.seedRows) return this.seedRows;
    // Within the second, seed ids run from before + 1 to before + tie.
    const within = Math.min(this.tie, Math.max(0, idOfKey(key) - 1 - before));
    return Math.min(this.seedRows, before + within);
  }

  /** Live seed rows among ids 1..g. */
  private liveSeedUpTo(g: number): number {
    return g - upperBound(this.deletedSeed, g);
  }

  /** Live rows whose key sorts before `key`: the OFFSET at which that key would be found. */
  rank(key: number): number {
    return this.liveSeedUpTo(this.seedBelow(key)) + lowerBound(this.inserted, key);
  }

  /** The id of the i-th (0-based) live seed row. */
  private selectSeed(i: number): number {
    // Before the deleted id D[j] there are D[j] - 1 - j live seed ids; count those deletions that
    // fall at or before the answer, and shift past them.
    const d = this.deletedSeed;
    let lo = 0;
    let hi = d.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (d[mid]! - 1 - mid <= i) lo = mid + 1;
      else hi = mid;
    }
    return i + 1 + lo;
  }

  /** The key of the live row at position `position` (0-based) in index order; the table must be that long. */
  select(position: number): number {
    if (!(position >= 0 && position < this.size)) throw new RangeError(`no row at position ${position} of ${this.size}`);
    // An inserted row's position is its index among inserted rows plus the live seed rows before it,
    // which grows with the index: find the first inserted row at or past the position.
    const ins = this.inserted;
    let lo = 0;
    let hi = ins.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (mid + this.liveSeedUpTo(this.seedBelow(ins[mid]!)) < position) lo = mid + 1;
      else hi = mid;
    }
    if (lo < ins.length && lo + this.liveSeedUpTo(this.seedBelow(ins[lo]!)) === position) return ins[lo]!;
    // Otherwise it is a seed row, preceded by exactly `lo` inserted rows.
    return this.seedKey(this.selectSeed(position - lo));
  }

  /** Calls `visit` with the keys of live rows ≥ `fromKey`, in index order, until it returns false or the table ends. */
  scanFrom(fromKey: number, visit: (key: number) => boolean): void {
    const ins = this.inserted;
    const del = this.deletedSeed;
    let g = this.seedBelow(fromKey) + 1;
    let d = lowerBound(del, g);
    let j = lowerBound(ins, fromKey);
    for (;;) {
      while (g <= this.seedRows && d < del.length && del[d] === g) {
        g++;
        d++;
      }
      const seed = g <= this.seedRows ? this.seedKey(g) : Infinity;
      const inserted = j < ins.length ? ins[j]! : Infinity;
      if (seed === Infinity && inserted === Infinity) return;
      if (seed < inserted) {
        g++;
        if (!visit(seed)) return;
      } else {
        j++;
        if (!visit(inserted)) return;
      }
    }
  }

  /** Up to `limit` keys of live rows ≥ `fromKey`, in index order. */
  rowsFrom(fromKey: number, limit: number): number[] {
    const out: number[] = [];
    if (limit <= 0) return out;
    this.scanFrom(fromKey, (key) => {
      out.push(key);
      return out.length < limit;
    });
    return out;
  }

  /** Up to `limit` rows starting at a position: what LIMIT limit OFFSET position returns. */
  rowsAt(position: number, limit: number): number[] {
    return position >= this.size ? [] : this.rowsFrom(this.select(position), limit);
  }

  has(key: number): boolean {
    const id = idOfKey(key);
    if (id <= this.seedRows) return this.seedKey(id) === key && this.deletedSeed[lowerBound(this.deletedSeed, id)] !== id;
    return this.inserted[lowerBound(this.inserted, key)] === key;
  }

  insert(createdAtSec: number, id: number): number {
    if (id <= this.seedRows || id >= KEY_SCALE) throw new RangeError(`inserted ids run from ${this.seedRows + 1} to ${KEY_SCALE - 1}; got ${id}`);
    const key = keyOf(createdAtSec, id);
    const at = lowerBound(this.inserted, key);
    if (this.inserted[at] === key) throw new Error(`duplicate key for id ${id}`);
    this.inserted.splice(at, 0, key);
    return key;
  }

  delete(key: number): void {
    if (!this.has(key)) throw new Error(`no live row with id ${idOfKey(key)}`);
    const id = idOfKey(key);
    if (id <= this.seedRows) this.deletedSeed.splice(lowerBound(this.deletedSeed, id), 0, id);
    else this.inserted.splice(lowerBound(this.inserted, key), 1);
  }
}

const BLOCK_BITS = 12;
const BLOCK_MASK = (1 << BLOCK_BITS) - 1;

/**
 * A small unsigned number per row id (0 until set), stored in blocks of 4,096
 * ids allocated when first touched. A reader touches a few narrow bands of
 * ids out of millions, so this costs a handful of blocks where a Map would
 * cost an entry, and time, per row.
 */
export class IdCounts {
  private readonly blocks = new Map<number, Uint16Array>();

  get(id: number): number {
    const block = this.blocks.get(id >>> BLOCK_BITS);
    return block === undefined ? 0 : block[id & BLOCK_MASK]!;
  }

  /** Values saturate at 65,535. */
  set(id: number, value: number): void {
    let block = this.blocks.get(id >>> BLOCK_BITS);
    if (block === undefined) {
      block = new Uint16Array(1 << BLOCK_BITS);
      this.blocks.set(id >>> BLOCK_BITS, block);
    }
    block[id & BLOCK_MASK] = Math.min(value, 65_535);
  }
}
