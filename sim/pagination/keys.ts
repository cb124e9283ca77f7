/**
 * The names a pagination trace carries: how a row the reader should see ends
 * up, and every series and summary key, typed so that a misspelt key in the
 * view or in a test's lookup fails to compile.
 */
import { pagingLoop } from './paging-loop.ts';

export const READER_STATES = pagingLoop.states;

/** How a row the reader should have seen ended up; the ledger's outcome indices are positions here. */
export const OUTCOMES = ['seenOnce', 'seenMoreThanOnce', 'neverSeen'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const SEEN_ONCE = 0;
export const SEEN_MORE_THAN_ONCE = 1;
export const NEVER_SEEN = 2;

export const SERIES_KEYS = [
  'pagesFetched', 'pageDepth', 'rowsReturned', 'rowsRead', 'rowsReadOffset', 'rowsReadKeyset', 'rowsDiscarded', 'timeMs',
  'shouldSee', ...OUTCOMES,
  'repeats', 'newRowsSeen', 'inserts', 'deletes',
  ...pagingLoop.stateSeries,
] as const;
export type SeriesKey = (typeof SERIES_KEYS)[number];

export type SummaryKey =
  | 'startPage'
  | 'pagesFetched'
  | 'reachedEnd'
  | 'rowsReturned'
  | 'rowsReadTotal'
  | 'rowsReadMax'
  | 'rowsDiscarded'
  | 'rowsReadOffsetTotal'
  | 'rowsReadKeysetTotal'
  | 'timeMsTotal'
  | 'timeMsMax'
  | 'shouldSee'
  | Outcome
  | 'repeats'
  | 'newRowsSeen'
  | 'rowsSeenBeforeStart'
  | 'inserts'
  | 'deletes'
  | 'rowsAtEnd'
  | 'wholeTablePages'
  | 'wholeTableRowsOffset'
  | 'wholeTableRowsKeyset'
  | 'wholeTableTimeMsOffset'
  | 'wholeTableTimeMsKeyset';
