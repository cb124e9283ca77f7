/** The walk's numbers: row outcomes from the ledger, costs from their series, and the whole-table yardsticks. */
import type { SeriesRecorder } from '../core/index.ts';
import { OUTCOMES, type SeriesKey, type SummaryKey } from './keys.ts';
import { NO_INDEX, type PaginationParams } from './params.ts';
import type { Reader } from './reader.ts';
import type { ImplicitTable } from './table.ts';
import { wholeTablePages, wholeTableRowsKeyset, wholeTableRowsOffset } from './whole-table.ts';

export function summarize(p: PaginationParams, rec: SeriesRecorder<SeriesKey>, reader: Reader, table: ImplicitTable): Record<SummaryKey, number> {
  const total = (key: SeriesKey) => rec.get(key).reduce((x, y) => x + y, 0);
  const ledger = reader.rows.ledger;
  const pagesWhole = wholeTablePages(p.rows, p.pageSize);
  // Without the index every page of either method reads the whole table.
  const whole = p.index === NO_INDEX ? pagesWhole * p.rows : wholeTableRowsOffset(p.rows, p.pageSize);
  const wholeKeyset = p.index === NO_INDEX ? pagesWhole * p.rows : wholeTableRowsKeyset(p.rows);
  return {
    startPage: reader.walk.startPage,
    pagesFetched: reader.fetches,
    reachedEnd: reader.reachedEnd ? 1 : 0,
    rowsReturned: total('rowsReturned'),
    rowsReadTotal: total('rowsRead'),
    rowsReadMax: Math.max(...rec.get('rowsRead')),
    rowsDiscarded: total('rowsDiscarded'),
    rowsReadOffsetTotal: total('rowsReadOffset'),
    rowsReadKeysetTotal: total('rowsReadKeyset'),
    timeMsTotal: total('timeMs'),
    timeMsMax: Math.max(...rec.get('timeMs')),
    shouldSee: ledger.attempts(),
    seenOnce: ledger.count(OUTCOMES.indexOf('seenOnce')),
    seenMoreThanOnce: ledger.count(OUTCOMES.indexOf('seenMoreThanOnce')),
    neverSeen: ledger.count(OUTCOMES.indexOf('neverSeen')),
    repeats: total('repeats'),
    newRowsSeen: total('newRowsSeen'),
    rowsSeenBeforeStart: reader.rows.beforeStartSeen,
    inserts: total('inserts'),
    deletes: total('deletes'),
    rowsAtEnd: table.size,
    wholeTablePages: pagesWhole,
    wholeTableRowsOffset: whole,
    wholeTableRowsKeyset: wholeKeyset,
    wholeTableTimeMsOffset: pagesWhole * p.perQueryMs + (whole * p.perRowUs) / 1000,
    wholeTableTimeMsKeyset: pagesWhole * p.perQueryMs + (wholeKeyset * p.perRowUs) / 1000,
  };
}
