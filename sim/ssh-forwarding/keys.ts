/**
 * The names the lesson's trace carries: the per-step series, the summary, and the states of the
 * connection machine the diagram lights (one `st_<state>` series each). index.ts types the page's
 * charts, outcomes, counters and diagram by these, so a misspelt key does not compile; the model
 * checks at load that the machine's states are these.
 */

/** The connection machine's states (machine.ts), in its order. */
export const CONNECTION_STATES = [
  'connecting',
  'authenticating',
  'none',
  'listening',
  'accepted',
  'channelOpenRequested',
  'openFailed',
  'open',
  'relaying',
  'halfClosed',
  'closed',
  'sessionClosed',
] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

export const SERIES_KEYS = ['steps', 'listeners', 'failures', 'actions', 'reached', 'notReached', ...CONNECTION_STATES.map((s) => `st_${s}` as const)] as const;
export type SeriesKey = (typeof SERIES_KEYS)[number];

export type SummaryKey = 'steps' | 'parsed' | 'listenersAtEnd' | 'sshExitStatus' | 'reached' | 'reachedHost' | 'reachedPort' | 'throughTunnel' | 'stderrLines';
