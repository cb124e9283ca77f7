/**
 * The names a token-bucket trace carries: its per-sample series, its summary,
 * the outcomes of attempts and of logical requests. The lesson's charts,
 * outcome tables, counters and diagram are typed by these, so a misspelt key
 * fails to compile.
 */

/** Well-behaved clients have series c0..c3; the runaway client is always c4, so charts keep their keys. */
export const CLIENTS = [0, 1, 2, 3, 4] as const;
export type ClientIndex = (typeof CLIENTS)[number];
export const MAX_CLIENTS = CLIENTS.length;
export const RUNAWAY = 4;

export function clientName(c: number): string {
  return c === RUNAWAY ? 'runaway' : `client-${c + 1}`;
}

/** The request machine's states, in its order (the model checks this against the machine). */
export const REQUEST_STATES = ['sending', 'inBackend', 'rejected', 'shed', 'timedOut', 'conflict', 'backingOff', 'succeeded', 'gaveUp'] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** Each attempt ends in exactly one of these, or is still open when the run ends. */
export const ATTEMPT_OUTCOMES = ['ok', 'replayed', 'rejected429', 'shed503', 'conflict409', 'timeout'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];
/** Each logical request ends in exactly one of these, or is still pending (backing off or in flight). */
export const REQUEST_OUTCOMES = ['succeededFirst', 'succeededRetried', 'gaveUp'] as const;
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number];

export const SERIES_KEYS = [
  'requests', 'attempts', 'retries', 'held', 'admittedAll',
  ...ATTEMPT_OUTCOMES, ...REQUEST_OUTCOMES,
  'executions', 'duplicates',
  'backendBusy', 'backendQueue', 'latencyP50Sec', 'latencyP99Sec',
  ...CLIENTS.flatMap((c) => [`admitted_c${c}`, `rejected_c${c}`, `bucket_c${c}`] as const),
  ...REQUEST_STATES.map((s) => `st_${s}` as const),
] as const;
export type SeriesKey = (typeof SERIES_KEYS)[number];

export type SummaryKey = FixedSummaryKey | SucceededAfterKey;
/** Successes that needed k retries (succeededAfter1 succeeded on the first retry); present only when not zero. */
export type SucceededAfterKey = `succeededAfter${number}`;
/** Every run's summary has these. */
export type FixedSummaryKey =
  | 'requests'
  | 'attempts'
  | 'pendingAttempts'
  | 'pendingRequests'
  | 'writes'
  | 'executions'
  | 'duplicates'
  | 'doubleCharged'
  | 'peakBackendQueue'
  | 'concurrency'
  | 'burst'
  | 'latencyP50Ms'
  | 'latencyP99Ms'
  | 'retries'
  | 'held'
  | AttemptOutcome
  | RequestOutcome
  | `admitted_c${ClientIndex}`
  | `rejected_c${ClientIndex}`;
