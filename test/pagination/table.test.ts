import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { ImplicitTable, KEY_SCALE, idOfKey, keyOf, secOfKey } from '../../sim/pagination/table.ts';

/** The same table materialised: every live row's key, sorted. Slow and obviously right. */
class ListTable {
  keys: number[];
  constructor(rows: number, tie: number) {
    this.keys = Array.from({ length: rows }, (_, i) => keyOf(Math.floor(i / tie), i + 1));
  }
  insert(sec: number, id: number) {
    this.keys.push(keyOf(sec, id));
    this.keys.sort((a, b) => a - b);
  }
  delete(key: number) {
    this.keys.splice(this.keys.indexOf(key), 1);
  }
}

type Step = { kind: 'insert'; sec: number } | { kind: 'delete'; at: number };

const steps = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('insert' as const), sec: fc.nat() }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  ),
  { maxLength: 80 },
);

describe('the implicit table', () => {
  test('rank, select, scans and membership agree with a materialised table through any inserts and deletes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 7 }), steps, fc.array(fc.nat(), { minLength: 5, maxLength: 5 }), (rows, tie, walk: Step[], probes) => {
        const table = new ImplicitTable(rows, tie);
        const list = new ListTable(rows, tie);
        let nextId = rows + 1;
        for (const s of walk) {
          if (s.kind === 'insert') {
            const sec = s.sec % (table.lastSeedSec + 2);
            table.insert(sec, nextId);
            list.insert(sec, nextId);
            nextId++;
          } else if (list.keys.length > 0) {
            const key = list.keys[s.at % list.keys.length]!;
            table.delete(key);
            list.delete(key);
          }
        }
        expect(table.size).toBe(list.keys.length);
        list.keys.forEach((key, i) => {
          expect(table.select(i)).toBe(key);
          expect(table.rank(key)).toBe(i);
          expect(table.has(key)).toBe(true);
        });
        // Keys between and around the live ones: deleted rows, the start of a second, past the end.
        for (const probe of probes) {
          const sec = probe % (table.lastSeedSec + 3);
          for (const key of [keyOf(sec, 0), keyOf(sec, (probe % (nextId + 1)) + 1), keyOf(sec, KEY_SCALE - 1)]) {
            const expected = list.keys.filter((k) => k < key).length;
            expect(table.rank(key)).toBe(expected);
            expect(table.rowsFrom(key, 7)).toEqual(list.keys.slice(expected, expected + 7));
            expect(table.has(key)).toBe(list.keys.includes(key));
          }
          const position = probe % (list.keys.length + 3);
          expect(table.rowsAt(position, 5)).toEqual(list.keys.slice(position, position + 5));
        }
      }),
      { numRuns: 300 },
    );
  });

  test('a seed row’s key is its second and its id; seed rows share a second in groups of `tie`', () => {
    const table = new ImplicitTable(10, 3);
    expect([1, 2, 3, 4, 10].map((id) => secOfKey(table.seedKey(id)))).toEqual([0, 0, 0, 1, 3]);
    expect(idOfKey(table.seedKey(7))).toBe(7);
    expect(table.lastSeedSec).toBe(3);
  });

  test('five million rows cost no memory: the middle row is arithmetic', () => {
    const table = new ImplicitTable(5_000_000, 1);
    expect(table.select(2_499_999)).toBe(keyOf(2_499_999, 2_500_000));
    expect(table.rowsAt(4_999_998, 20).map(idOfKey)).toEqual([4_999_999, 5_000_000]);
  });

  test('refuses what the index would refuse: a duplicate key, a delete of a missing row, a position past the end', () => {
    const table = new ImplicitTable(10, 1);
    table.insert(3, 11);
    expect(() => table.insert(3, 11)).toThrow();
    expect(() => table.insert(3, 5)).toThrow();
    table.delete(keyOf(4, 5));
    expect(() => table.delete(keyOf(4, 5))).toThrow();
    expect(() => table.select(11)).toThrow(RangeError);
  });
});
