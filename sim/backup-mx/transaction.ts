/**
 * The SMTP machine (machine.ts) compiled into a transition table, with its
 * states and events by name: every transaction at the backup steps a small
 * integer through this, and each state entered is counted in its series.
 */
import { compileTypedMachine, type StateNameOf } from '../core/machine-states.ts';
import { rcptGuards, smtpMachine, type RcptView } from './machine.ts';

export type SmtpState = StateNameOf<typeof smtpMachine>;
export const smtp = compileTypedMachine<RcptView, typeof smtpMachine>(smtpMachine, rcptGuards);
