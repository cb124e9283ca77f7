/**
 * Every name the SYN-queue trace carries: the client classes, the ways an
 * attempt ends, the per-sample series and the summary. The lesson's view is
 * typed by these, so a misspelt chart, outcome or counter key fails to compile.
 */

/** Who is connecting, in the order of their class index (the ledger's and the attempt store's). */
export const CLASSES = ['legit', 'broken', 'spoofed'] as const;
export type ClientClass = (typeof CLASSES)[number];
export const LEGIT = 0;
export const BROKEN = 1;
export const SPOOFED = 2;

/** Every way an attempt can end, in the order of their outcome index in the ledger. */
export const OUTCOMES = ['accepted', 'acceptedCookie', 'reset', 'gaveUp', 'dropped', 'expired', 'cookie'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const O_ACCEPTED = 0;
export const O_ACCEPTED_COOKIE = 1;
export const O_RESET = 2;
export const O_GAVE_UP = 3;
export const O_DROPPED = 4;
export const O_EXPIRED = 5;
export const O_COOKIE = 6;

/**
 * The endings each class can reach: a spoofed source never accepts, a broken
 * client never sends its ACK. The trace has a series and a summary total only
 * for these pairs, plus `<class>_pending` for attempts still open at the end.
 */
export const CLASS_OUTCOMES = {
  legit: ['accepted', 'acceptedCookie', 'reset', 'gaveUp'],
  broken: ['gaveUp'],
  spoofed: ['dropped', 'expired', 'cookie'],
} as const satisfies Record<ClientClass, readonly Outcome[]>;

export type OutcomeKey = { [C in ClientClass]: `${C}_${(typeof CLASS_OUTCOMES)[C][number]}` }[ClientClass];

/** The kernel's counters under their nstat names (without the TcpExt prefix). */
export const COUNTER_KEYS = [
  'ListenOverflows', 'ListenDrops', 'TCPReqQFullDrop', 'TCPReqQFullDoCookies', 'SyncookiesSent', 'SyncookiesRecv',
  'SynAcksSent', 'SynAckRetransmits',
] as const;
export type CounterKey = (typeof COUNTER_KEYS)[number];

export const SERIES_KEYS = [
  'synQueue', 'acceptQueue', 'synQueueYoung', 'synQueueOld',
  'attempts_legit', 'attempts_broken', 'attempts_spoofed',
  ...COUNTER_KEYS,
  'synsReceived', 'synDrops', 'cookiesSent', 'established', 'expired', 'pruned', 'resets', 'accepts', 'drops',
  'successPct', 'legitAccepted', 'latencyP50Sec', 'latencyP99Sec',
  'legit_accepted', 'legit_acceptedCookie', 'legit_reset', 'legit_gaveUp',
  'broken_gaveUp',
  'spoofed_dropped', 'spoofed_expired', 'spoofed_cookie',
] as const;
export type SeriesKey = (typeof SERIES_KEYS)[number];

export type SummaryKey =
  | CounterKey
  | 'effectiveBacklog' | 'synQueueCap' | 'provenOnlyAbove' | 'acceptQueueCap' | 'initialRtoMs' | 'requestLifetimeMs'
  | 'peakSynQueue' | 'peakAcceptQueue' | 'synQueueAtEnd' | 'acceptQueueAtEnd'
  | 'expiredHeldMinMs' | 'expiredHeldMaxMs' | 'connectTimeoutMinMs' | 'connectTimeoutMaxMs'
  | `attempts_${ClientClass}`
  | OutcomeKey
  | `${ClientClass}_pending`
  | 'legitSuccessPct' | 'latencyP50Ms' | 'latencyP99Ms';
