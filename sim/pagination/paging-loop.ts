/**
 * The reader's paging loop (machine.ts) compiled into a transition table, with
 * its states and events by name: each fetch steps the reader's state through
 * it, and each state entered is counted in its series.
 */
import type { StateValueFrom } from 'xstate';
import { compileMachine } from '../core/index.ts';
import { pageGuards, readerMachine, type PageView } from './machine.ts';

export type ReaderState = StateValueFrom<typeof readerMachine> & string;

export const loop = compileMachine<PageView>(readerMachine, pageGuards);
export const S = loop.stateIndex as Record<ReaderState, number>;
export const EV = loop.eventIndex as Record<'FETCH' | 'SCAN' | 'RECEIVE' | 'REMEMBER' | 'NEXT', number>;
/** The states in the machine's own order: a state's index is its position here. */
export const READER_STATES = loop.info.states.map((s) => s.id) as ReaderState[];

export const stateSeriesKey = (s: ReaderState) => `st_${s}` as const;
export type StateSeriesKey = ReturnType<typeof stateSeriesKey>;
/** Each state's series key by state index. */
export const STATE_SERIES: readonly StateSeriesKey[] = READER_STATES.map(stateSeriesKey);
