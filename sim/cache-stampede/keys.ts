/**
 * The names a cache-stampede trace carries: its per-sample series, its summary
 * and the requests' outcomes. The lesson's charts, outcome table, counters and
 * diagram are typed by these, so a misspelt key fails to compile.
 */

/** The cacheEntry machine's states, in its order (entries.ts checks this against the machine). */
export const ENTRY_STATES = ['empty', 'loading', 'loadingLocked', 'fresh', 'refreshing', 'stale', 'revalidating'] as const;
export type EntryState = (typeof ENTRY_STATES)[number];

/** Every request ends in exactly one of these (or is still pending when the run ends). */
export const OUTCOMES = ['freshHit', 'staleHit', 'coalesced', 'dbQuery', 'timeout'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const SERIES_KEYS = [
  'requests', ...OUTCOMES,
  'queriesStarted', 'queriesHot', 'hotRebuilds', 'dbInFlight', 'dbQueue', 'hitRatioPct',
  'latencyP50Sec', 'latencyP99Sec', 'dbLatencyP99Sec',
  ...ENTRY_STATES.map((s) => `st_${s}` as const),
] as const;
export type SeriesKey = (typeof SERIES_KEYS)[number];

export type SummaryKey =
  | 'attempts'
  | Outcome
  | 'pending'
  | 'dbQueries'
  | 'dbQueriesHot'
  | 'readsPerQuery'
  | 'expiries'
  | 'queriesPerExpiry'
  | 'maxQueriesPerExpiry'
  | 'peakDbInFlight'
  | 'peakDbQueue'
  | 'dbConcurrency'
  | 'latencyP50Ms'
  | 'latencyP99Ms'
  | 'hitRatioPct';
