/** Messages between the live console and its PostgreSQL worker, and how a cell is shown. */
import { pad2 } from '../../sim/core/calendar.ts';

export type Artifacts = { pgliteWasmModule: WebAssembly.Module; initdbWasmModule: WebAssembly.Module; fsBundle: Blob };

export type PgRequest =
  | { id: number; kind: 'init'; setup: string; artifacts?: Artifacts; dataDir?: Blob }
  | { id: number; kind: 'query'; sql: string };

export type PgReply =
  | { id: number; ok: true; kind: 'ready'; version: string; ms: number; artifacts?: Artifacts; dataDir?: Blob }
  | { id: number; ok: true; kind: 'rows'; fields: string[]; rows: string[][]; total: number; ms: number }
  | { id: number; ok: false; error: string; code?: string; ms: number };

/** Rows a result shows at most; the rest are counted, not sent. */
export const ROW_CAP = 100;
/** A query that has not answered by then is stopped by restarting the worker. */
export const QUERY_TIMEOUT_MS = 5000;
export const MAX_SQL_CHARS = 5000;

/** A value as psql would print it: timestamps in UTC like PostgreSQL's text output, NULL as empty. */
export function formatCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    const ms = v.getUTCMilliseconds();
    const frac = ms ? `.${String(ms).padStart(3, '0').replace(/0+$/, '')}` : '';
    return `${v.getUTCFullYear()}-${pad2(v.getUTCMonth() + 1)}-${pad2(v.getUTCDate())} ${pad2(v.getUTCHours())}:${pad2(v.getUTCMinutes())}:${pad2(v.getUTCSeconds())}${frac}+00`;
  }
  if (typeof v === 'object') return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? String(x) : x));
  return String(v);
}
