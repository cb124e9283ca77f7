import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Columns } from '../../sim/core/columns.ts';

describe('growable parallel columns', () => {
  test('rows keep their values in every column as the columns grow past their first size', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ noNaN: true }), fc.integer()), { maxLength: 300 }), fc.integer({ min: 1, max: 7 }), (rows, initialRows) => {
        const cols = new Columns(['a', 'b'] as const, initialRows);
        for (const [a, b] of rows) {
          const r = cols.add();
          expect(cols.col.a[r]).toBe(0);
          expect(cols.col.b[r]).toBe(0);
          cols.col.a[r] = a;
          cols.col.b[r] = b;
        }
        expect(cols.n).toBe(rows.length);
        expect(Array.from(cols.col.a.subarray(0, cols.n))).toEqual(rows.map(([a]) => a));
        expect(Array.from(cols.col.b.subarray(0, cols.n))).toEqual(rows.map(([, b]) => b));
      }),
      { numRuns: 100 },
    );
  });

  test('a table with no room to start is refused', () => {
    expect(() => new Columns(['a'] as const, 0)).toThrow(/at least one row/);
  });
});
