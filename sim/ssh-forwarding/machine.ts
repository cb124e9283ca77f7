/**
 * The life of one forwarded connection, as an xstate machine: a listener
 * waits, the application's connection is accepted locally, ssh asks the far
 * side to open a channel, the far side connects (or the open fails, and the
 * application sees its connection close), bytes are relayed, one side
 * finishes, both close. The walk (semantics.ts) reports the phase after
 * every step; the model drives this machine with the matching event and
 * checks it lands on the same phase, so the diagram lit on the page is the
 * path the walk took.
 */
import { setup } from 'xstate';
import type { ConnectionPhase } from './semantics.ts';

export type ConnectionEvent =
  | { type: 'LISTEN' }
  | { type: 'ACCEPT' }
  | { type: 'REQUEST' }
  | { type: 'CONFIRM' }
  | { type: 'FAIL' }
  | { type: 'RELAY' }
  | { type: 'HALF_CLOSE' }
  | { type: 'CLOSE' }
  | { type: 'EXIT' };

/** The event that moves the machine between two phases the walk reports. */
export function eventBetween(from: ConnectionPhase, to: ConnectionPhase): ConnectionEvent['type'] | null {
  if (from === to) return null;
  if (to === 'listening') return 'LISTEN';
  if (to === 'accepted') return 'ACCEPT';
  if (to === 'channel-open-requested') return 'REQUEST';
  if (to === 'open') return 'CONFIRM';
  if (to === 'open-failed') return 'FAIL';
  if (to === 'relaying') return 'RELAY';
  if (to === 'half-closed') return 'HALF_CLOSE';
  if (to === 'closed') return 'CLOSE';
  return 'EXIT';
}

/** Machine state ids for the walk's phases (xstate ids cannot contain '-' comfortably in labels, so they are camel case). */
export const PHASE_STATE: Record<ConnectionPhase, string> = {
  none: 'none',
  listening: 'listening',
  accepted: 'accepted',
  'channel-open-requested': 'channelOpenRequested',
  open: 'open',
  'open-failed': 'openFailed',
  relaying: 'relaying',
  'half-closed': 'halfClosed',
  closed: 'closed',
};

export const connectionMachine = setup({
  types: { events: {} as ConnectionEvent },
}).createMachine({
  id: 'forwardedConnection',
  initial: 'none',
  states: {
    none: {
      description: 'no forward listens yet (or ssh has gone, taking its listeners)',
      meta: { label: 'no listener', col: 0, row: 0 },
      on: { LISTEN: { target: 'listening', description: 'ssh (or sshd for -R) binds the port' } },
    },
    listening: {
      description: 'the forward’s socket waits for an application',
      meta: { label: 'listening', col: 1, row: 0 },
      on: {
        ACCEPT: { target: 'accepted', description: 'the application connects; the local side accepts at once' },
        EXIT: { target: 'none', description: 'ssh exits' },
      },
    },
    accepted: {
      description: 'accepted locally, before anyone knows whether the far side can connect',
      meta: { label: 'accepted locally', col: 2, row: 0 },
      on: {
        REQUEST: { target: 'channelOpenRequested', description: 'CHANNEL_OPEN direct-tcpip (-L, -D) or forwarded-tcpip (-R)' },
        CLOSE: { target: 'closed', description: 'the SOCKS greeting is wrong' },
      },
    },
    channelOpenRequested: {
      description: 'the far side resolves the name and connects to the destination',
      meta: { label: 'channel open requested', col: 3, row: 0 },
      on: {
        CONFIRM: { target: 'open', description: 'OPEN_CONFIRMATION: the destination answered' },
        FAIL: { target: 'openFailed', description: 'OPEN_FAILURE: refused, unreachable, or prohibited' },
      },
    },
    openFailed: {
      description: '"channel N: open failed: …"; the application sees its connection close',
      meta: { label: 'open failed', col: 3, row: 1, tone: 'bad' },
      on: { CLOSE: { target: 'closed', description: 'the local socket is closed' } },
    },
    open: {
      description: 'the channel is open end to end',
      meta: { label: 'channel open', col: 4, row: 0, tone: 'good' },
      on: { RELAY: { target: 'relaying', description: 'bytes flow both ways' } },
    },
    relaying: {
      description: 'bytes travel inside the SSH connection between the two sockets',
      meta: { label: 'relaying', col: 4, row: 1, tone: 'good' },
      on: { HALF_CLOSE: { target: 'halfClosed', description: 'one side finishes: EOF' } },
    },
    halfClosed: {
      description: 'one direction is finished, the other may still send',
      meta: { label: 'half-closed', col: 4, row: 2 },
      on: { CLOSE: { target: 'closed', description: 'both sides done: CHANNEL_CLOSE' } },
    },
    closed: {
      type: 'final',
      description: 'the forwarded connection is over; the listener stays',
      meta: { label: 'closed', col: 2, row: 2 },
    },
  },
});
