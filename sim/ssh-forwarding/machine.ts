/**
 * The SSH session and the life of one forwarded connection inside it, as an
 * xstate machine: ssh connects and logs in, then a listener
 * waits, the application's connection is accepted locally, ssh asks the far
 * side to open a channel, the far side connects (or the open fails, and the
 * application sees its connection close), bytes are relayed, one side
 * finishes, both close. The walk (semantics.ts) reports the phase after
 * every step; the model drives this machine with the matching event and
 * checks it lands on the same phase, so the diagram lit on the page is the
 * path the walk took.
 */
import { setup } from 'xstate';
import type { ConnectionPhase, WalkState } from './walk.ts';

export type ConnectionEvent =
  | { type: 'AUTH' }
  | { type: 'UP' }
  | { type: 'DROP' }
  | { type: 'LISTEN' }
  | { type: 'ACCEPT' }
  | { type: 'REQUEST' }
  | { type: 'CONFIRM' }
  | { type: 'FAIL' }
  | { type: 'RELAY' }
  | { type: 'HALF_CLOSE' }
  | { type: 'CLOSE' }
  | { type: 'EXIT' };

/**
 * The machine's state for a step of the walk. A forwarded connection only
 * exists inside an open session, so the pair (session, connection) the walk
 * reports is one state here: the session's own phases first, then the
 * connection's, and the end of the session.
 */
export function stateFor(state: WalkState): string {
  if (state.session === 'closed') return 'sessionClosed';
  if (state.session !== 'open') return state.session;
  return PHASE_STATE[state.connection];
}

/** The event that moves the machine between two of its states, as the walk moved. */
export function eventBetween(from: string, to: string): ConnectionEvent['type'] | null {
  if (from === to) return null;
  const byTarget: Record<string, ConnectionEvent['type']> = {
    authenticating: 'AUTH',
    none: 'UP',
    listening: 'LISTEN',
    accepted: 'ACCEPT',
    channelOpenRequested: 'REQUEST',
    open: 'CONFIRM',
    openFailed: 'FAIL',
    relaying: 'RELAY',
    halfClosed: 'HALF_CLOSE',
    closed: 'CLOSE',
  };
  if (to === 'sessionClosed') return from === 'connecting' || from === 'authenticating' ? 'DROP' : 'EXIT';
  return byTarget[to] ?? null;
}

/** Machine state ids for the connection phases the walk reports (ids are camel case). */
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
  id: 'sshWalk',
  initial: 'connecting',
  states: {
    connecting: {
      description: 'ssh resolves the server’s name and opens a TCP connection to its sshd',
      meta: { label: 'connecting', col: 0, row: 0 },
      on: {
        AUTH: { target: 'authenticating', description: 'TCP is up: key exchange, then login' },
        DROP: { target: 'sessionClosed', description: 'refused, unreachable or timed out' },
      },
    },
    authenticating: {
      description: 'ssh and sshd agree on keys and the user logs in',
      meta: { label: 'logging in', col: 0, row: 1 },
      on: {
        UP: { target: 'none', description: 'the session is open' },
        DROP: { target: 'sessionClosed', description: 'the login fails' },
      },
    },
    none: {
      description: 'the session is open; no forward listens yet (or none could)',
      meta: { label: 'session open', col: 0, row: 2 },
      on: {
        LISTEN: { target: 'listening', description: 'ssh (or sshd for -R) binds the port' },
        EXIT: { target: 'sessionClosed', description: 'ExitOnForwardFailure: ssh exits' },
      },
    },
    listening: {
      description: 'the forward’s socket waits for an application',
      meta: { label: 'listening', col: 1, row: 2 },
      on: {
        ACCEPT: { target: 'accepted', description: 'the application connects; the local side accepts at once' },
        EXIT: { target: 'sessionClosed', description: 'ssh exits, taking its listeners' },
      },
    },
    accepted: {
      description: 'accepted locally, before anyone knows whether the far side can connect',
      meta: { label: 'accepted', col: 2, row: 2 },
      on: {
        REQUEST: { target: 'channelOpenRequested', description: 'CHANNEL_OPEN direct-tcpip (-L, -D) or forwarded-tcpip (-R)' },
        CLOSE: { target: 'closed', description: 'the SOCKS greeting is wrong' },
      },
    },
    channelOpenRequested: {
      description: 'the far side resolves the name and connects to the destination',
      meta: { label: 'open asked', col: 3, row: 2 },
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
      meta: { label: 'channel open', col: 4, row: 2, tone: 'good' },
      on: { RELAY: { target: 'relaying', description: 'bytes flow both ways' } },
    },
    relaying: {
      description: 'bytes travel inside the SSH connection between the two sockets',
      meta: { label: 'relaying', col: 4, row: 1, tone: 'good' },
      on: { HALF_CLOSE: { target: 'halfClosed', description: 'one side finishes: EOF' } },
    },
    halfClosed: {
      description: 'one direction is finished, the other may still send',
      meta: { label: 'half-closed', col: 4, row: 0 },
      on: { CLOSE: { target: 'closed', description: 'both sides done: CHANNEL_CLOSE' } },
    },
    closed: {
      description: 'the forwarded connection is over; the listener stays while ssh runs',
      meta: { label: 'closed', col: 3, row: 0 },
    },
    sessionClosed: {
      type: 'final',
      description: 'ssh is gone: it could not connect or log in, or exited',
      meta: { label: 'ssh gone', col: 1, row: 0, tone: 'bad' },
    },
  },
});
