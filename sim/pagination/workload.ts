/**
 * What happens to the table, in order: the reader's page fetches, and the
 * other sessions' inserts and deletes between them. The schedule depends only
 * on the parameters and the seed (paginationOps lists it), so the model and
 * the PostgreSQL tests replay exactly the same interleaving.
 *
 * Fetch i happens at i seconds. Between fetch i and fetch i + 1 (at i s +
 * 500 ms) come the inserts, then the deletes. An inserted row gets the next
 * id above the seed rows and either a created_at drawn uniformly among the
 * whole seconds the seed rows span, so it can tie with seed rows and land
 * anywhere, before the reader as often as after; or "now": the seed rows are
 * one a second (or `tie` a second) up to the moment the reader starts, and the
 * clock goes on a second a fetch, so a row inserted after fetch i is stamped
 * lastSeedSec + 1 + i, newer than every row before it. A delete removes a row chosen
 * uniformly among the live rows, newly inserted ones included.
 *
 * The writers do not depend on what the reader does, so the list covers all
 * `pages` fetches; a reader that reaches the end of the table stops early and
 * the writes after its last fetch never happen.
 */
import { createRng, type Rng } from '../core/index.ts';
import { INSERT_NOW, type PaginationParams } from './params.ts';
import { ImplicitTable, idOfKey, secOfKey } from './table.ts';

export type Op =
  | { kind: 'fetch'; tMs: number; fetch: number }
  | { kind: 'insert'; tMs: number; id: number; createdAtSec: number }
  | { kind: 'delete'; tMs: number; id: number; createdAtSec: number };

/** The writers' moment between fetch i and fetch i + 1. */
export const WRITE_OFFSET_MS = 500;

type WorkloadParams = Pick<PaginationParams, 'rows' | 'tie' | 'pages' | 'insertsPerFetch' | 'deletesPerFetch'> & Partial<Pick<PaginationParams, 'insertAt'>>;

/**
 * The operations in order, made as they are consumed. The writers act on
 * `table` as they go: when a fetch is yielded, the table holds every write
 * before it and none after, so the model reads the very table the writers
 * changed, and a reader that stops early does not pay for writes it never meets.
 * `rng` is the run's own, fresh: the writers are its only draws.
 */
export function* workload(p: WorkloadParams, rng: Rng, table: ImplicitTable): Generator<Op, void> {
  const seconds = table.lastSeedSec + 1;
  let nextId = p.rows + 1;
  for (let fetch = 0; fetch < p.pages; fetch++) {
    yield { kind: 'fetch', tMs: fetch * 1000, fetch };
    if (fetch === p.pages - 1) return;
    const tMs = fetch * 1000 + WRITE_OFFSET_MS;
    for (let n = 0; n < p.insertsPerFetch; n++) {
      const createdAtSec = p.insertAt === INSERT_NOW ? seconds + fetch : rng.int(seconds);
      const id = nextId++;
      table.insert(createdAtSec, id);
      yield { kind: 'insert', tMs, id, createdAtSec };
    }
    for (let n = 0; n < p.deletesPerFetch && table.size > 0; n++) {
      const key = table.select(rng.int(table.size));
      table.delete(key);
      yield { kind: 'delete', tMs, id: idOfKey(key), createdAtSec: secOfKey(key) };
    }
  }
}

/** The whole schedule, for every fetch the parameters allow, on a fresh seed table. */
export function paginationOps(p: WorkloadParams, seed: number): Op[] {
  return [...workload(p, createRng(seed), new ImplicitTable(p.rows, p.tie))];
}
