/** The pagination simulation: the one thing site/ and the tests import from this folder. */
import type { Simulation } from '../core/index.ts';
import { readerMachine } from './machine.ts';
import { READER_STATES, type SeriesKey, type SummaryKey } from './keys.ts';
import { runPagination } from './model.ts';
import { stateSeriesKey } from '../core/machine-states.ts';
import { paginationParamGroups, paginationParams, type PaginationParams } from './params.ts';
import { paginationScenarios } from './scenarios.ts';

export type { PaginationParams } from './params.ts';

export const pagination: Simulation<PaginationParams, SeriesKey, SummaryKey> = {
  id: 'pagination',
  title: 'The OFFSET pagination cliff',
  summary: 'A reader pages through a table with LIMIT/OFFSET or with keyset pagination. OFFSET reads every row before the page and throws them away, and repeats or skips rows when others write between pages; keyset on (created_at, id) reads only the page, at any depth, and stays exact.',
  params: paginationParams,
  paramGroups: paginationParamGroups,
  scenarios: paginationScenarios,
  durationSec: (p) => p.pages,
  run: runPagination,
  machines: { reader: readerMachine },
  view: {
    charts: [
      {
        id: 'rows-read',
        title: 'Rows read per page',
        unit: 'rows',
        series: [
          { key: 'rowsReadOffset', label: 'OFFSET at this depth' },
          { key: 'rowsReadKeyset', label: 'keyset' },
        ],
        describe: 'For each page fetched, the rows the index scan produced to answer it with LIMIT/OFFSET (the offset plus the page) and with keyset (the page alone), whichever method the reader uses.',
      },
      {
        id: 'time',
        title: 'Time per page',
        unit: 'ms',
        series: [{ key: 'timeMs', label: 'this reader’s query' }],
        describe: 'The time each page’s query takes under the stated costs per query and per row read, for the method the reader uses.',
      },
      {
        id: 'cumulative',
        title: 'Rows read so far',
        unit: 'rows',
        series: [
          { key: 'rowsReadOffset', label: 'OFFSET', runningTotal: true },
          { key: 'rowsReadKeyset', label: 'keyset', runningTotal: true },
        ],
        describe: 'Running totals of rows read to fetch the pages so far: OFFSET’s total grows with the square of the depth, keyset’s in a straight line.',
      },
      {
        id: 'seen',
        title: 'What the reader saw, so far',
        unit: 'rows',
        series: [
          { key: 'seenOnce', label: 'seen once', runningTotal: true },
          { key: 'seenMoreThanOnce', label: 'repeated', runningTotal: true },
          { key: 'neverSeen', label: 'skipped', runningTotal: true },
        ],
        describe: 'Of the rows the reader’s pages have passed over, how many it got exactly once, more than once, or never.',
      },
    ],
    outcomeGroups: [
      {
        title: 'Rows the reader should see',
        attempts: 'shouldSee',
        outcomes: [
          { key: 'seenOnce', label: 'seen once', series: 'seenOnce', tone: 'good' },
          { key: 'seenMoreThanOnce', label: 'seen twice or more', series: 'seenMoreThanOnce', tone: 'bad' },
          { key: 'neverSeen', label: 'never seen: skipped', series: 'neverSeen', tone: 'bad' },
        ],
      },
    ],
    counters: [
      { series: 'pagesFetched', label: 'pages fetched' },
      { series: 'rowsReturned', label: 'rows returned' },
      { series: 'rowsRead', label: 'rows read by the scan' },
      { series: 'rowsDiscarded', label: 'rows read and thrown away by OFFSET' },
      { series: 'repeats', label: 'rows returned again' },
      { series: 'newRowsSeen', label: 'rows inserted during the walk, returned' },
      { series: 'inserts', label: 'INSERTs by others' },
      { series: 'deletes', label: 'DELETEs by others' },
    ],
    countersTitle: 'The reader and the writers, so far',
    countersNote: 'Rows read by the scan are the Index Only Scan’s actual rows in EXPLAIN ANALYZE; rows thrown away are those minus the Limit’s.',
    diagram: {
      machine: 'reader',
      title: 'The reader’s paging loop',
      caption: 'The number in each box is how many times the reader entered that state in the current second: one page a second.',
      counting: 'fetches',
      stateSeries: Object.fromEntries(READER_STATES.map((s) => [s, stateSeriesKey(s)])),
    },
    picture: {
      renderer: 'pagination',
      title: 'The index, and where this page sits in it',
      caption: 'The table’s rows in (created_at, id) order, drawn at scale, with the rows the page’s scan read; below, the rows around the page one by one: rows OFFSET read and threw away, the page, rows returned again and rows skipped, and the writes since the previous page.',
    },
    inspector: {
      title: 'A page fetch, as PostgreSQL would plan it',
      caption: 'Pick a page fetched up to the cursor to read its SQL with the values bound, the plan in the shape PostgreSQL 18’s EXPLAIN (ANALYZE, COSTS OFF) prints it with the model’s row counts, the rows returned and the cursor saved (lines starting with # are the model’s notes).',
      kinds: ['page'],
      pickLabel: 'Page',
    },
  },
};
