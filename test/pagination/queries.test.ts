import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { indexCond, lowestKey, pageSql, planText, timestampText } from '../../sim/pagination/queries.ts';
import { keyOf } from '../../sim/pagination/table.ts';

const EPOCH_MS = Date.UTC(2024, 0, 1);

describe('the queries’ text', () => {
  test('timestamps print as PostgreSQL prints a timestamptz in UTC, for every second a five-million-row table can use', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5_100_000 }), (sec) => {
        const iso = new Date(EPOCH_MS + sec * 1000).toISOString();
        expect(timestampText(sec)).toBe(`${iso.slice(0, 10)} ${iso.slice(11, 19)}+00`);
      }),
      { numRuns: 2000 },
    );
    expect(timestampText(59 * 86400)).toBe('2024-02-29 00:00:00+00');
  });

  test('each bound admits exactly the keys its SQL does', () => {
    expect(lowestKey({ kind: 'none' })).toBe(0);
    // created_at >= t: the first row of second t, whatever its id.
    expect(lowestKey({ kind: 'seek', sec: 9 })).toBe(keyOf(9, 0));
    // created_at > t: nothing else in second t.
    expect(lowestKey({ kind: 'afterSec', sec: 9 })).toBe(keyOf(10, 0));
    // (created_at, id) > (t, id): the next id in second t.
    expect(lowestKey({ kind: 'afterRow', sec: 9, id: 41 })).toBe(keyOf(9, 42));
  });

  test('the SQL and the plan name the bound values', () => {
    const q = { method: 'keyset-row-value' as const, limit: 20, offset: 0, bound: { kind: 'afterRow' as const, sec: 14400, id: 5 } };
    expect(pageSql(q)).toBe("SELECT id, created_at FROM items WHERE (created_at, id) > ('2024-01-01 04:00:00+00', 5) ORDER BY created_at, id LIMIT 20");
    expect(indexCond(q.bound)).toBe("(ROW(created_at, id) > ROW('2024-01-01 04:00:00+00'::timestamp with time zone, 5))");
    expect(planText(q, 20, 20).split('\n')[1]).toBe('  ->  Index Only Scan using items_created_at_id on items (actual rows=20.00 loops=1)');
    expect(pageSql({ method: 'offset', limit: 20, offset: 50000, bound: { kind: 'none' } })).toBe('SELECT id, created_at FROM items ORDER BY created_at, id LIMIT 20 OFFSET 50000');
    expect(pageSql({ method: 'keyset-timestamp', limit: 20, offset: 0, bound: { kind: 'afterSec', sec: 0 } })).toBe("SELECT id, created_at FROM items WHERE created_at > '2024-01-01 00:00:00+00' ORDER BY created_at LIMIT 20");
  });
});
