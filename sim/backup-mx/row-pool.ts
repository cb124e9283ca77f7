/**
 * Rows of counts the scene's frames share: a row equal to one made before is that row again, not a
 * copy. A week's frames hold some 8,000 rows of replies of only 115 kinds (an outage's attempts
 * repeat the same few counts), which were made afresh for each frame; so many small arrays made at
 * the end of a run were most of what the young generation copied when a collection fell there.
 *
 * A row is known by its exact counts: each below 32 is five bits of one number (below 2^53 for the
 * nine counts of a row of replies), with a leading 1 for its length. A row with a larger count, or
 * longer, is made afresh. Shared rows are frozen, as the empty row is: a frame is read, never changed.
 */

/** Every row with nothing in it: one array, not one per row (a quiet week has some 15,000). */
export const NOTHING = Object.freeze([]) as unknown as number[];

const BITS = 32;
const MAX_POOLED_LENGTH = 9;

/** A row of counts without its trailing zeros, made at its length ([] when nothing happened). */
export function trimmed(row: ArrayLike<number>, from = 0, to = row.length): number[] {
  let end = to;
  while (end > from && row[end - 1] === 0) end--;
  if (end === from) return NOTHING;
  const out = new Array<number>(end - from);
  for (let i = from; i < end; i++) out[i - from] = row[i]!;
  return out;
}

export class RowPool {
  private readonly rows = new Map<number, number[]>();

  /** trimmed(row, from, to), shared with every equal row asked of this pool before. */
  rowOf(row: ArrayLike<number>, from: number, to: number): number[] {
    let end = to;
    while (end > from && row[end - 1] === 0) end--;
    if (end === from) return NOTHING;
    if (end - from > MAX_POOLED_LENGTH) return trimmed(row, from, end);
    let key = 1;
    for (let i = from; i < end; i++) {
      const count = row[i]!;
      // Whole counts below 32 only (a NaN, a fraction or -0 is not one): anything else is made afresh.
      if (!(count >= 0 && count < BITS && count === Math.floor(count)) || Object.is(count, -0)) return trimmed(row, from, end);
      key = key * BITS + count;
    }
    const known = this.rows.get(key);
    if (known !== undefined) return known;
    const made = Object.freeze(trimmed(row, from, end)) as number[];
    this.rows.set(key, made);
    return made;
  }
}
