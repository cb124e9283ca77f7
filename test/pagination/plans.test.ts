/**
 * The real plans the pagination page ships (site/pg/plans.ts), made by
 * PostgreSQL 18.6 in PGlite when the site is built: one per scenario's first
 * and last page, each with the scan's actual rows equal to the simulation's
 * for the same query.
 */
import { describe, expect, test } from 'vitest';
import { scenarioState } from '../../sim/core/index.ts';
import { pagination } from '../../sim/pagination/index.ts';
import type { PaginationParams } from '../../sim/pagination/params.ts';
import { PLAN_ROWS_CAP, plannedParams, realPlans, scanRows } from '../../site/pg/plans.ts';

const SLOW_MS = 120_000;

describe('real plans for the pagination page', () => {
  test('every scenario gets its first and last page planned by PostgreSQL, and the scan reads what the simulation says', async () => {
    const report = await realPlans();
    expect(report.version).toMatch(/^PostgreSQL 18\.\d+ \(PGlite/);
    expect(report.scenarios.map((s) => s.scenario)).toEqual(pagination.scenarios.map((s) => s.id));
    for (const s of report.scenarios) {
      expect(s.plans.length).toBe(2);
      for (const p of s.plans) {
        expect(p.plan).toMatch(/^Limit \(actual rows=\d+\.\d\d loops=1\)/);
        // With the index dropped, a Seq Scan reads the table and a top-N sort keeps the page.
        if (s.scenario === 'keyset-no-index') expect(p.plan).toMatch(/Sort Method: top-N heapsort.*\n.*\n\s+->  Seq Scan on items/);
        // A ten-row table is cheaper to read whole and sort than to reach through the index: PostgreSQL's choice, which
        // the page shows beside the simulation's index plan (the pages are the same; postgres.test.ts checks them).
        else if (s.rows < 100) {
          expect(p.plan).toMatch(/Sort Key: created_at DESC, id DESC\n(.*\n)*\s+->  Seq Scan on items/);
          // It never keeps fewer rows than the index plan reads: every row past the cursor, where the index stops at the page.
          expect(p.pgRows).toBeGreaterThanOrEqual(p.modelRows);
          continue;
        } else expect(p.plan).toMatch(/Index Only Scan (Backward )?using items_created_at_id on items/);
        expect(p.pgRows).toBe(p.modelRows);
      }
    }
    // The cliff, in PostgreSQL's words: page 2,500 of 100,000 rows reads 50,000 index entries to return 20.
    const deep = report.scenarios.find((s) => s.scenario === 'offset-deep')!;
    expect(deep.plans[0]!.page).toBe(2500);
    expect(deep.plans[0]!.pgRows).toBe(50_000);
    expect(deep.plans[0]!.plan).toMatch(/Limit \(actual rows=20\.00/);
    const keyset = report.scenarios.find((s) => s.scenario === 'keyset-deep')!;
    expect(keyset.plans.every((p) => p.pgRows === 20)).toBe(true);
    expect(keyset.plans[1]!.plan).toContain('Index Cond: (ROW(created_at, id) > ROW(');
    // The five-million-row scenario is planned at the cap, at the same relative depth, and says so.
    const million = report.scenarios.find((s) => s.scenario === 'million-rows')!;
    expect([million.rows, million.scaledFrom]).toEqual([PLAN_ROWS_CAP, 5_000_000]);
    expect(million.plans[0]!.page).toBe(2500);
  }, SLOW_MS);

  test('a planned scenario keeps its depth in proportion and drops the writers', () => {
    const p = scenarioState(pagination, 'million-rows').params as PaginationParams;
    expect(plannedParams(p)).toMatchObject({ rows: 100_000, startPage: 2500, insertsPerFetch: 0, deletesPerFetch: 0 });
    const small = scenarioState(pagination, 'offset-inserts').params as PaginationParams;
    expect(plannedParams(small)).toMatchObject({ rows: small.rows, startPage: small.startPage, insertsPerFetch: 0 });
  });

  test('actual rows are read from the scan node, with PostgreSQL 18’s decimals', () => {
    const lines = ['Limit (actual rows=20.00 loops=1)', '  ->  Index Only Scan using items_created_at_id on items (actual rows=50020.00 loops=1)'];
    expect(scanRows(lines)).toBe(50_020);
    expect(() => scanRows(['Result (actual rows=1.00 loops=1)'])).toThrow(/no scan node/);
  });
});
