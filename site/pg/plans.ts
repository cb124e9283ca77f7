/**
 * Real plans for the pagination lesson, made at build time: the site boots
 * PostgreSQL 18.6 (PGlite, in Node), seeds each scenario's table, and runs
 * the first and the last page query of the scenario's walk with
 * EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, COSTS OFF). The page ships the text,
 * so a reader sees PostgreSQL's own plans without downloading a database.
 *
 * Tables are capped at 100,000 rows to keep the build quick; a larger
 * scenario is planned at that size with its start page scaled in proportion
 * (same depth, relatively), and says so. The writers are left out: a plan's
 * shape does not depend on them.
 */
import { PGlite } from '@electric-sql/pglite';
import { scenarioState } from '../../sim/core/index.ts';
import { pagination } from '../../sim/pagination/index.ts';
import { runPagination, type FetchRecord } from '../../sim/pagination/model.ts';
import { NO_INDEX, type PaginationParams } from '../../sim/pagination/params.ts';
import { seedSql } from '../../sim/pagination/queries.ts';

export const PLAN_ROWS_CAP = 100_000;

export interface RealPlan {
  label: string;
  page: number;
  sql: string;
  /** EXPLAIN's lines, as PostgreSQL printed them. */
  plan: string;
  /** Actual rows of the scan node: PostgreSQL's, and the simulation's for the same query (a Seq Scan's after its Filter). */
  pgRows: number;
  modelRows: number;
}

export interface ScenarioPlans {
  scenario: string;
  title: string;
  rows: number;
  tie: number;
  /** Set when the table was planned smaller than the scenario's. */
  scaledFrom?: number;
  /** The scenario's table has no index on the order. */
  noIndex?: true;
  plans: RealPlan[];
}

export interface PlansReport {
  version: string;
  scenarios: ScenarioPlans[];
}

/** The parameters a scenario is planned with: its table capped, its depth kept in proportion, no writers. */
export function plannedParams(p: PaginationParams): PaginationParams {
  const rows = Math.min(p.rows, PLAN_ROWS_CAP);
  const startPage = Math.max(1, Math.round((p.startPage * rows) / p.rows));
  return { ...p, rows, startPage, insertsPerFetch: 0, deletesPerFetch: 0 };
}

/** PostgreSQL 18 prints actual rows with two decimals (rows=50020.00): read the scan node's as a number. */
export function scanRows(planLines: readonly string[]): number {
  const line = planLines.find((l) => /Scan/.test(l) && /actual rows=/.test(l));
  const m = line && /actual rows=([\d.]+)/.exec(line);
  if (!m) throw new Error(`no scan node with actual rows in\n${planLines.join('\n')}`);
  return Number(m[1]);
}

let report: Promise<PlansReport> | null = null;

/** Computed once per build, however many pages show it. */
export function realPlans(): Promise<PlansReport> {
  report ??= computePlans();
  return report;
}

async function computePlans(): Promise<PlansReport> {
  const db = await PGlite.create();
  try {
    const version = String((await db.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v).replace(/ on wasm32.*$/, '');
    const scenarios: ScenarioPlans[] = [];
    let seeded = '';
    for (const s of pagination.scenarios) {
      const full = scenarioState(pagination, s.id).params as PaginationParams;
      const p = plannedParams(full);
      const fetched: FetchRecord[] = [];
      runPagination(p, s.seed, (e) => {
        if (e.type === 'fetched') fetched.push(e);
      });
      const picks = fetched.length > 1 ? [fetched[0]!, fetched[fetched.length - 1]!] : fetched;
      const noIndex = p.index === NO_INDEX;
      const key = `${p.rows}/${p.tie}/${noIndex}`;
      if (key !== seeded) {
        await db.exec(`DROP TABLE IF EXISTS items;\n${seedSql(p.rows, p.tie)}`);
        if (noIndex) await db.exec('DROP INDEX items_created_at_id; ANALYZE items;');
        seeded = key;
      }
      const plans: RealPlan[] = [];
      for (const [i, f] of picks.entries()) {
        const result = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, COSTS OFF) ${f.sql}`);
        const lines = result.rows.map((r) => r['QUERY PLAN']);
        plans.push({ label: i === 0 ? 'first page' : 'last page fetched', page: f.page, sql: f.sql, plan: lines.join('\n'), pgRows: scanRows(lines), modelRows: f.scanned - f.filtered });
      }
      scenarios.push({ scenario: s.id, title: s.title, rows: p.rows, tie: p.tie, ...(p.rows < full.rows ? { scaledFrom: full.rows } : {}), ...(noIndex ? { noIndex: true as const } : {}), plans });
    }
    return { version, scenarios };
  } finally {
    await db.close();
  }
}
