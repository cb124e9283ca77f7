/** What reading a whole table from page 1 costs each way, in closed form: the yardstick the summary reports. */
import type { PaginationParams } from './params.ts';

/** The last page that has a row in it: where a start page is clamped to. */
export function lastPage(p: Pick<PaginationParams, 'rows' | 'pageSize'>): number {
  return Math.ceil(p.rows / p.pageSize);
}

/**
 * Rows an OFFSET reader's scans produce to read a table of `rows` from page 1
 * to the end: page n reads min(rows, n × pageSize), and the reader stops at
 * the first short page, floor(rows / pageSize) + 1 (an empty one when the
 * page size divides the table, read to the end just to find nothing). About
 * rows² / (2 × pageSize).
 */
export function wholeTableRowsOffset(rows: number, pageSize: number): number {
  const pages = Math.floor(rows / pageSize) + 1;
  return (pageSize * (pages - 1) * pages) / 2 + rows;
}

/** The same walk with keyset: every row is read once. */
export function wholeTableRowsKeyset(rows: number): number {
  return rows;
}

export const wholeTablePages = (rows: number, pageSize: number): number => Math.floor(rows / pageSize) + 1;
