/**
 * The reader's paging loop (machine.ts) compiled into a transition table, with
 * its states and events by name: each fetch steps the reader's state through
 * it, and each state entered is counted in its series.
 */
import { compileTypedMachine, type StateNameOf } from '../core/machine-states.ts';
import { pageGuards, readerMachine, type PageView } from './machine.ts';

export type ReaderState = StateNameOf<typeof readerMachine>;
export const pagingLoop = compileTypedMachine<PageView, typeof readerMachine>(readerMachine, pageGuards);
