/**
 * Growable parallel columns of numbers: one row per entity (a request, a
 * query), one Float64Array per field. A model reads `cols.col.arrival[row]`
 * directly, so a hot loop pays a property access, not a Map lookup or an
 * object per row. Growing replaces the arrays: hold `col`, never a column.
 */
export class Columns<N extends string> {
  /** Rows added so far. */
  n = 0;
  readonly col: Record<N, Float64Array>;
  private readonly names: readonly N[];
  private capacity: number;

  constructor(names: readonly N[], initialRows = 1024) {
    if (initialRows < 1) throw new Error('Columns: at least one row of room');
    this.names = names;
    this.capacity = initialRows;
    this.col = {} as Record<N, Float64Array>;
    for (const name of names) this.col[name] = new Float64Array(initialRows);
  }

  /** Adds a row of zeros and returns its index (0, 1, 2, ... in order). */
  add(): number {
    if (this.n === this.capacity) {
      this.capacity *= 2;
      for (const name of this.names) {
        const next = new Float64Array(this.capacity);
        next.set(this.col[name]);
        this.col[name] = next;
      }
    }
    return this.n++;
  }
}
