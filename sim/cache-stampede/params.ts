/** The knobs of the cache-stampede simulation; units in the names, switches as 0/1 choices. */
import { onOffParam, type ParamSpecs } from '../core/index.ts';

export type CacheStampedeParams = {
  servers: number;
  requestsPerSec: number;
  ttlSec: number;
  ttlJitterPct: number;
  queryMs: number;
  dbConcurrency: number;
  timeoutMs: number;
  singleFlight: number;
  fleetLock: number;
  lockTtlSec: number;
  swrSec: number;
  xfetchBeta: number;
  localTtlSec: number;
  otherKeys: number;
  otherKeysPerSec: number;
  missingPct: number;
  negativeCaching: number;
  durationSec: number;
};


export const cacheStampedeParams: ParamSpecs<CacheStampedeParams> = {
  servers: { kind: 'number', label: 'App servers', unit: '', min: 1, max: 50, step: 1, default: 10, help: 'Reads are spread evenly over the fleet; each server has its own single-flight group and local cache.' },
  requestsPerSec: { kind: 'number', label: 'Reads of the hot key', unit: '/s', min: 1, max: 2000, step: 1, default: 1000, help: 'Requests per second for one popular key (widgets:top).', scale: 'log' },
  ttlSec: { kind: 'number', label: 'TTL', unit: 's', min: 1, max: 120, step: 1, default: 10, help: 'How long a value written to the shared cache stays fresh.' },
  ttlJitterPct: { kind: 'number', label: 'TTL jitter', unit: '%', min: 0, max: 50, step: 1, default: 0, help: 'Each write gets a TTL of ttl × (1 ± jitter), uniformly, so keys written together expire apart.' },
  queryMs: { kind: 'number', label: 'Query time', unit: 'ms', min: 1, max: 5000, step: 1, default: 300, help: 'How long the database takes for one query when it has a free slot (±10%).', scale: 'log' },
  dbConcurrency: { kind: 'number', label: 'Database concurrency', unit: '', min: 1, max: 200, step: 1, default: 20, help: 'Queries the database runs at once; the rest wait in line, so its latency grows with the herd.' },
  timeoutMs: { kind: 'number', label: 'Request timeout', unit: 'ms', min: 100, max: 30000, step: 100, default: 5000, help: 'A request that waits longer fails. A query still in line is cancelled; a running one finishes and writes.' },
  singleFlight: onOffParam('Single-flight (per server)', 'One load per key per server; the other requests on that server wait and share its result.'),
  fleetLock: onOffParam('Fleet lock (SET NX)', 'One rebuild across the fleet: the winner of SET lock:key token NX EX (or PX) rebuilds; losers serve the stale copy or wait.'),
  lockTtlSec: { kind: 'number', label: 'Lock expiry (EX or PX)', unit: 's', min: 0.1, max: 30, step: 0.1, default: 5, help: 'The lock frees itself after this long, in case its holder died. Shorter than the rebuild, and a second rebuild starts. Whole seconds go in EX; anything else in PX, in milliseconds, since Redis refuses a fractional EX.' },
  swrSec: { kind: 'number', label: 'Stale-while-revalidate', unit: 's', min: 0, max: 120, step: 1, default: 0, help: 'For this long after expiry, serve the stale value at once while one background refresh runs (RFC 5861). 0 is off.' },
  xfetchBeta: { kind: 'number', label: 'XFetch beta', unit: '', min: 0, max: 4, step: 0.5, default: 0, help: 'Probabilistic early expiration: a read recomputes when now − delta·beta·ln(rand) ≥ expiry. 0 is off; 1 is the paper’s default.' },
  localTtlSec: { kind: 'number', label: 'Local cache TTL', unit: 's', min: 0, max: 10, step: 0.5, default: 0, help: 'Each server’s own in-process copy, checked first. 0 is off.' },
  otherKeys: { kind: 'number', label: 'Other keys', unit: '', min: 0, max: 5000, step: 10, default: 0, help: 'Keys written together at the start, with the same TTL.' },
  otherKeysPerSec: { kind: 'number', label: 'Reads of other keys', unit: '/s', min: 0, max: 5000, step: 10, default: 0, help: 'Requests per second spread evenly over the other keys.' },
  missingPct: { kind: 'number', label: 'Reads of missing ids', unit: '%', min: 0, max: 50, step: 1, default: 0, help: 'Share of reads for ids that do not exist: the database finds nothing.' },
  negativeCaching: onOffParam('Negative caching', 'Cache “not found” for 10 s, so a missing id stops reaching the database on every read.'),
  durationSec: { kind: 'number', label: 'Simulated time', unit: 's', min: 10, max: 300, step: 10, default: 40, help: 'Length of the run.' },
};

export const cacheStampedeParamGroups = [
  { label: 'Traffic', keys: ['requestsPerSec', 'servers', 'otherKeys', 'otherKeysPerSec', 'missingPct'] },
  { label: 'Cache and database', keys: ['ttlSec', 'ttlJitterPct', 'queryMs', 'dbConcurrency', 'timeoutMs', 'localTtlSec'] },
  { label: 'Defences', keys: ['singleFlight', 'fleetLock', 'lockTtlSec', 'swrSec', 'xfetchBeta', 'negativeCaching'] },
  { label: 'Run', keys: ['durationSec'] },
] as const satisfies readonly { label: string; keys: readonly (keyof CacheStampedeParams)[] }[];
