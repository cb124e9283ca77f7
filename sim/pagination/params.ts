/** The knobs of the pagination simulation; units in the names, the method as a choice. */
import type { ParamSpecs } from '../core/index.ts';

export type PaginationParams = {
  rows: number;
  tie: number;
  index: number;
  method: number;
  pageSize: number;
  startPage: number;
  pages: number;
  order: number;
  insertsPerFetch: number;
  insertAt: number;
  deletesPerFetch: number;
  perRowUs: number;
  perQueryMs: number;
};

export const METHODS = ['offset', 'keyset-timestamp', 'keyset-row-value'] as const;
/** order: 0 oldest first, 1 newest first. insertAt: 0 a created_at drawn from the table's range, 1 now. */
export const NEWEST_FIRST = 1;
export const INSERT_NOW = 1;
/** index: 0 the (created_at, id) index, 1 none (a Seq Scan and a Sort for every page). */
export const NO_INDEX = 1;
export type Method = (typeof METHODS)[number];

export const paginationParams: ParamSpecs<PaginationParams> = {
  rows: { kind: 'number', label: 'Rows in the table', unit: 'rows', min: 10, max: 5_000_000, step: 10, default: 100_000, help: 'Rows in items when the reader starts, with an index on (created_at, id).', scale: 'log' },
  tie: { kind: 'number', label: 'Rows per timestamp', unit: 'rows', min: 1, max: 50, step: 1, default: 1, help: 'How many rows share each created_at second. 1 makes the timestamp unique; more makes ties that a page boundary can split.' },
  index: {
    kind: 'choice',
    label: 'Index',
    options: [
      { value: 0, label: 'on (created_at, id)' },
      { value: 1, label: 'none' },
    ],
    default: 0,
    help: 'Without a usable index every page reads the whole table (a Seq Scan) and keeps the first offset + limit rows in a top-N sort: keyset then costs as much as OFFSET.',
  },
  method: {
    kind: 'choice',
    label: 'How the reader pages',
    options: [
      { value: 0, label: 'LIMIT … OFFSET' },
      { value: 1, label: 'keyset on created_at alone' },
      { value: 2, label: 'keyset on (created_at, id)' },
    ],
    default: 0,
    help: 'OFFSET asks for page n; keyset remembers the last row returned and asks for the rows after it.',
  },
  order: {
    kind: 'choice',
    label: 'Order',
    options: [
      { value: 0, label: 'oldest first (ORDER BY created_at, id)' },
      { value: 1, label: 'newest first (ORDER BY created_at DESC, id DESC)' },
    ],
    default: 0,
    help: 'Newest first is a feed: keyset then asks for the rows before the last one, (created_at, id) < (…), and PostgreSQL reads the same index backward.',
  },
  pageSize: { kind: 'number', label: 'Page size', unit: 'rows', min: 3, max: 200, step: 1, default: 20, help: 'LIMIT: rows per page.' },
  startPage: { kind: 'number', label: 'Start at page', unit: '', min: 1, max: 250_000, step: 1, default: 1, help: 'OFFSET jumps straight to this page. Keyset cannot address a page number: it seeks by value, to the created_at of the row that starts this page. Clamped to the last page of the table.', scale: 'log' },
  pages: { kind: 'number', label: 'Pages to fetch', unit: 'pages', min: 5, max: 300, step: 1, default: 60, help: 'The reader fetches one page a second, until it has this many or a page comes back short (the end of the table).' },
  insertsPerFetch: { kind: 'number', label: 'Inserts between fetches', unit: 'rows', min: 0, max: 50, step: 1, default: 0, help: 'Rows other sessions insert between two page fetches, with the created_at the next setting chooses.' },
  insertAt: {
    kind: 'choice',
    label: 'Inserted rows’ created_at',
    options: [
      { value: 0, label: 'anywhere in the table’s range' },
      { value: 1, label: 'now (newer than every row)' },
    ],
    default: 0,
    help: 'Now is the everyday case: new posts arrive at the top of a newest-first feed, ahead of every row in it.',
  },
  deletesPerFetch: { kind: 'number', label: 'Deletes between fetches', unit: 'rows', min: 0, max: 50, step: 1, default: 0, help: 'Rows other sessions delete between two page fetches, chosen uniformly among the live rows.' },
  perRowUs: { kind: 'number', label: 'Cost per row read', unit: 'µs', min: 0.1, max: 100, step: 0.1, default: 1, help: 'Our assumption, not a measurement: the time to read one row from the index and the table. A cached index-only scan is near 0.1; rows from disk cost far more.', scale: 'log' },
  perQueryMs: { kind: 'number', label: 'Cost per query', unit: 'ms', min: 0, max: 50, step: 0.1, default: 0.2, help: 'Our assumption: the fixed part of a query (round trip, parse, plan, descending the index).' },
};

export const paginationParamGroups = [
  { label: 'Table', keys: ['rows', 'tie', 'index'] },
  { label: 'Reader', keys: ['method', 'order', 'pageSize', 'startPage', 'pages'] },
  { label: 'Writers', keys: ['insertsPerFetch', 'insertAt', 'deletesPerFetch'] },
  { label: 'Cost', keys: ['perRowUs', 'perQueryMs'] },
] as const satisfies readonly { label: string; keys: readonly (keyof PaginationParams)[] }[];
