/**
 * Named presets shared by the tests and the article. The depth in the source
 * post ("by the five-thousandth [page], it is walking past a hundred thousand
 * rows") is what offset-deep shows at half the scale; the table sizes, write
 * rates and seeds are ours, chosen to make each effect plain.
 */
import type { Scenario } from '../core/index.ts';
import { INSERT_NOW, METHODS, NEWEST_FIRST, NO_INDEX, type PaginationParams } from './params.ts';

const method = (name: (typeof METHODS)[number]) => METHODS.indexOf(name);

/** A small table the reader can finish in the run, so every row it should see ends somewhere. */
const smallTable: Partial<PaginationParams> = { rows: 1000, pageSize: 20, pages: 80 };

/** A newest-first feed of ten posts, three to a page: small enough to follow row by row. */
const feed: Partial<PaginationParams> = { rows: 10, pageSize: 3, pages: 6, order: NEWEST_FIRST };

export const paginationScenarios: Scenario<PaginationParams>[] = [
  {
    id: 'offset-shallow',
    title: 'OFFSET near the top of the table',
    summary: 'The first sixty pages of 100,000 rows: each page reads its offset plus 20 rows, so the cost climbs from 20 to 1,200 rows a page, too little to notice yet.',
    params: { method: method('offset'), rows: 100_000, startPage: 1 },
    seed: 1,
  },
  {
    id: 'offset-deep',
    title: 'OFFSET 2,500 pages in: the cliff',
    summary: 'Page 2,500 of 100,000 rows: to return 20 rows the scan reads about 50,000 and the Limit throws all but 20 away, on every page.',
    params: { method: method('offset'), rows: 100_000, startPage: 2500 },
    seed: 1,
  },
  {
    id: 'keyset-deep',
    title: 'Keyset at the same depth: 20 rows a page',
    summary: 'The reader seeks to the created_at where page 2,500 would start, then asks for the rows after the last one it got: every page reads 20 rows, as the first one did.',
    params: { method: method('keyset-row-value'), rows: 100_000, startPage: 2500 },
    seed: 1,
  },
  {
    id: 'keyset-no-index',
    title: 'Keyset at the same depth, with the index dropped',
    summary: 'Without an index on (created_at, id) the cursor has nothing to seek in: every page is a Seq Scan of all 100,000 rows and a top-N sort of those past the cursor, so keyset reads as much as OFFSET at any depth.',
    params: { method: method('keyset-row-value'), rows: 100_000, startPage: 2500, index: NO_INDEX },
    seed: 1,
  },
  {
    id: 'offset-inserts',
    title: 'OFFSET while rows are inserted: repeats',
    summary: 'One row is inserted between fetches, somewhere in the table. When it lands behind the reader, every row shifts one place, and the next page begins with the last row of the previous one.',
    params: { ...smallTable, method: method('offset'), insertsPerFetch: 1 },
    seed: 7,
  },
  {
    id: 'offset-deletes',
    title: 'OFFSET while rows are deleted: skips',
    summary: 'One row is deleted between fetches. When it was behind the reader, every row shifts back one place, and the row that would have started the next page slides onto the page already read: it is never seen.',
    params: { ...smallTable, method: method('offset'), deletesPerFetch: 1 },
    seed: 7,
  },
  {
    id: 'feed-offset-insert',
    title: 'A newest-first feed with OFFSET: a new post repeats a row',
    summary: 'Ten posts, newest first, three a page. A post arrives at the top between every two fetches, so every row slides down one place and each page begins with the last row of the page before.',
    params: { ...feed, method: method('offset'), insertsPerFetch: 1, insertAt: INSERT_NOW },
    seed: 1,
  },
  {
    id: 'feed-offset-delete',
    title: 'A newest-first feed with OFFSET: deleting a row already read skips one',
    summary: 'One post is deleted between fetches. The first deleted is on the page already read, so the rows below slide up one place and page 2 starts one row too late: post 7 is never shown.',
    params: { ...feed, method: method('offset'), deletesPerFetch: 1 },
    seed: 2,
  },
  {
    id: 'feed-keyset',
    title: 'The same feed with keyset: new posts and deletes change nothing already read',
    summary: 'Keyset asks for the rows older than the last one shown, (created_at, id) < (…): posts added at the top and rows deleted behind the reader do not move where the next page starts.',
    params: { ...feed, method: method('keyset-row-value'), insertsPerFetch: 1, insertAt: INSERT_NOW, deletesPerFetch: 1 },
    seed: 2,
  },
  {
    id: 'timestamp-ties',
    title: 'Keyset on a timestamp that is not unique: skips',
    summary: 'Three rows share each created_at and a page holds 20, so every page ends in the middle of a tie; created_at > the last timestamp passes over the tied rows the page did not hold.',
    params: { method: method('keyset-timestamp'), tie: 3 },
    seed: 1,
  },
  {
    id: 'row-value-fix',
    title: 'The same ties, keyset on (created_at, id)',
    summary: 'Comparing the pair, (created_at, id) > (last created_at, last id), resumes exactly after the last row: no row is skipped or repeated, and each page still reads 20 rows.',
    params: { method: method('keyset-row-value'), tie: 3 },
    seed: 1,
  },
  {
    id: 'million-rows',
    title: 'Five million rows, halfway down with OFFSET',
    summary: 'Page 125,000 of 5,000,000 rows: every page reads 2.5 million rows to return 20, about 2.5 s a page at 1 µs a row, where keyset would take a fraction of a millisecond.',
    params: { method: method('offset'), rows: 5_000_000, startPage: 125_000 },
    seed: 1,
  },
];
