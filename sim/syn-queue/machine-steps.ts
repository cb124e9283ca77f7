/**
 * The connection-request machine (machine.ts) compiled once into the table
 * the run steps through: its event and state indexes by name.
 */
import { compileMachine } from '../core/index.ts';
import { connectionRequestMachine, listenerGuards, type ListenerView } from './machine.ts';

export const machine = compileMachine<ListenerView>(connectionRequestMachine, listenerGuards);
export const EV_SYN = machine.eventIndex.SYN!;
export const EV_ACK = machine.eventIndex.ACK!;
export const EV_TIMEOUT = machine.eventIndex.TIMEOUT!;
export const EV_ACCEPT = machine.eventIndex.ACCEPT!;
export const S = machine.stateIndex as Record<
  | 'listen' | 'synReceived' | 'synAckSent' | 'retransmitting' | 'cookieSent' | 'established'
  | 'queuedForAccept' | 'accepted' | 'expired' | 'reset' | 'dropped',
  number
>;
