/**
 * The SMTP machine (machine.ts) compiled into a transition table, with its
 * states and events by name: every transaction at the backup steps a small
 * integer through this, and each state entered is counted in its series.
 */
import type { StateValueFrom } from 'xstate';
import { compileMachine } from '../core/index.ts';
import { rcptGuards, smtpMachine, type RcptView } from './machine.ts';

export type SmtpState = StateValueFrom<typeof smtpMachine> & string;

export const smtp = compileMachine<RcptView>(smtpMachine, rcptGuards);
export const S = smtp.stateIndex as Record<SmtpState, number>;
export const EV = smtp.eventIndex as Record<'EHLO' | 'MAIL' | 'RCPT' | 'NEXT' | 'RELAY', number>;
/** The states in the machine's own order: a state's index is its position here. */
export const SMTP_STATES = smtp.info.states.map((s) => s.id) as SmtpState[];

export const stateSeriesKey = (s: SmtpState) => `st_${s}` as const;
export type StateSeriesKey = ReturnType<typeof stateSeriesKey>;
/** Each state's series key by state index, made once so a step does not build a string. */
export const STATE_SERIES: readonly StateSeriesKey[] = SMTP_STATES.map(stateSeriesKey);
