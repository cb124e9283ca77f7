/** The knobs of the pagination simulation; units in the names, the method as a choice. */
import type { ParamSpecs } from '../core/index.ts';

export type PaginationParams = {
  rows: number;
  tie: number;
  method: number;
  pageSize: number;
  startPage: number;
  pages: number;
  insertsPerFetch: number;
  deletesPerFetch: number;
  perRowUs: number;
  perQueryMs: number;
};

export const METHODS = ['offset', 'keyset-timestamp', 'keyset-row-value'] as const;
export type Method = (typeof METHODS)[number];

export const paginationParams: ParamSpecs<PaginationParams> = {
  rows: { kind: 'number', label: 'Rows in the table', unit: 'rows', min: 1000, max: 5_000_000, step: 1000, default: 100_000, help: 'Rows in items when the reader starts, with an index on (created_at, id).', scale: 'log' },
  tie: { kind: 'number', label: 'Rows per timestamp', unit: 'rows', min: 1, max: 50, step: 1, default: 1, help: 'How many rows share each created_at second. 1 makes the timestamp unique; more makes ties that a page boundary can split.' },
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
  pageSize: { kind: 'number', label: 'Page size', unit: 'rows', min: 5, max: 200, step: 1, default: 20, help: 'LIMIT: rows per page.' },
  startPage: { kind: 'number', label: 'Start at page', unit: '', min: 1, max: 250_000, step: 1, default: 1, help: 'OFFSET jumps straight to this page. Keyset cannot address a page number: it seeks by value, to the created_at of the row that starts this page. Clamped to the last page of the table.', scale: 'log' },
  pages: { kind: 'number', label: 'Pages to fetch', unit: 'pages', min: 5, max: 300, step: 1, default: 60, help: 'The reader fetches one page a second, until it has this many or a page comes back short (the end of the table).' },
  insertsPerFetch: { kind: 'number', label: 'Inserts between fetches', unit: 'rows', min: 0, max: 50, step: 1, default: 0, help: 'Rows other sessions insert between two page fetches, each with a created_at drawn from the table’s range (so it can land before the reader).' },
  deletesPerFetch: { kind: 'number', label: 'Deletes between fetches', unit: 'rows', min: 0, max: 50, step: 1, default: 0, help: 'Rows other sessions delete between two page fetches, chosen uniformly among the live rows.' },
  perRowUs: { kind: 'number', label: 'Cost per row read', unit: 'µs', min: 0.1, max: 100, step: 0.1, default: 1, help: 'Our assumption, not a measurement: the time to read one row from the index and the table. A cached index-only scan is near 0.1; rows from disk cost far more.', scale: 'log' },
  perQueryMs: { kind: 'number', label: 'Cost per query', unit: 'ms', min: 0, max: 50, step: 0.1, default: 0.2, help: 'Our assumption: the fixed part of a query (round trip, parse, plan, descending the index).' },
};

export const paginationParamGroups = [
  { label: 'Table', keys: ['rows', 'tie'] },
  { label: 'Reader', keys: ['method', 'pageSize', 'startPage', 'pages'] },
  { label: 'Writers', keys: ['insertsPerFetch', 'deletesPerFetch'] },
  { label: 'Cost', keys: ['perRowUs', 'perQueryMs'] },
] as const satisfies readonly { label: string; keys: readonly (keyof PaginationParams)[] }[];
