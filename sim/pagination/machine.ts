/**
 * The reader's paging loop, as an xstate machine: send the query, let the
 * Limit pull rows from the index scan (throwing away OFFSET's rows first),
 * receive the page, remember where it ended, go again. A page shorter than
 * the limit means the table has ended, and the loop stops. The model steps
 * every fetch through this definition (via compileMachine), so the diagram
 * lit on the page is the path each fetch took.
 *
 * Events: FETCH (the reader sends the query with its cursor bound), SCAN (the
 * executor starts the Limit's pull; with OFFSET the first rows are read only
 * to be dropped, and a second SCAN starts passing rows up), RECEIVE (the page
 * arrives), REMEMBER (the reader saves its cursor: the next page number, or
 * the last row's key), NEXT (on to the next page). The guards read a PageView
 * the model fills in for each fetch.
 */
import { setup } from 'xstate';
import { xstateGuards } from '../core/machine-table.ts';

export interface PageView {
  /** The query has an OFFSET above 0: the Limit must read and drop that many rows before it returns any. */
  discards: boolean;
  /** The page came back with fewer rows than the limit: the end of the table. */
  shortPage: boolean;
}

export type PageEvent = { type: 'FETCH' } | { type: 'SCAN' } | { type: 'RECEIVE' } | { type: 'REMEMBER' } | { type: 'NEXT' };

export const pageGuards = {
  discards: (v: PageView) => v.discards,
  shortPage: (v: PageView) => v.shortPage,
} as const;


export const readerMachine = setup({
  types: { context: {} as PageView, events: {} as PageEvent, input: {} as PageView },
  guards: xstateGuards(pageGuards),
}).createMachine({
  id: 'reader',
  context: ({ input }) => input,
  initial: 'ready',
  states: {
    ready: {
      description: 'the reader holds its cursor: a page number for OFFSET, the last row’s key for keyset',
      meta: { label: 'cursor in hand', col: 0, row: 0 },
      on: { FETCH: { target: 'requesting', description: 'send the query, cursor bound' } },
    },
    requesting: {
      description: 'PostgreSQL plans the query: a Limit over an index scan on (created_at, id)',
      meta: { label: 'query sent', col: 1, row: 0 },
      on: {
        SCAN: [
          { guard: 'discards', target: 'discarding', description: 'OFFSET > 0: read rows only to drop them' },
          { target: 'scanning', description: 'descend the index to the first row wanted' },
        ],
      },
    },
    discarding: {
      description: 'the Limit pulls OFFSET rows from the scan and throws every one away',
      meta: { label: 'OFFSET: read and drop', col: 1, row: 1, tone: 'bad' },
      on: { SCAN: { target: 'scanning', description: 'offset reached' } },
    },
    scanning: {
      description: 'the Limit passes up rows until it has LIMIT of them or the index ends',
      meta: { label: 'read the page', col: 2, row: 0 },
      on: { RECEIVE: { target: 'received', description: 'rows sent to the reader' } },
    },
    received: {
      description: 'the page is in the reader’s hands',
      meta: { label: 'page received', col: 3, row: 0 },
      on: {
        REMEMBER: [
          { guard: 'shortPage', target: 'done', description: 'fewer rows than LIMIT: no more pages' },
          { target: 'cursorSaved', description: 'save the next page number, or the last row’s key' },
        ],
      },
    },
    cursorSaved: {
      description: 'the cursor for the next page is saved',
      meta: { label: 'cursor saved', col: 3, row: 1 },
      on: { NEXT: { target: 'ready', description: 'next page' } },
    },
    done: {
      type: 'final',
      description: 'the last page came back short: the reader has reached the end of the table',
      meta: { label: 'end of table', col: 4, row: 0, tone: 'good' },
    },
  },
});
