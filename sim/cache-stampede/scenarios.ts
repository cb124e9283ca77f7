/**
 * Named presets shared by the article, the tests and the runner. The herd's
 * shape (a 10 s TTL, hundreds of identical queries at each expiry) and the
 * tiny-TTL figures (100 reads a second, 10 s) come from the source post; the
 * other numbers are ours, chosen to make each effect plain.
 */
import type { Scenario } from '../core/index.ts';
import type { CacheStampedeParams } from './params.ts';

const herd: Partial<CacheStampedeParams> = { servers: 10, requestsPerSec: 1000, ttlSec: 10, queryMs: 300, dbConcurrency: 20, timeoutMs: 5000, durationSec: 40 };

export const cacheStampedeScenarios: Scenario<CacheStampedeParams>[] = [
  {
    id: 'herd',
    title: 'The herd: a hot key expires under load',
    summary: 'A thousand reads a second of one key with a 10 s TTL. At each expiry every read that arrives before the first query returns queries the database too: hundreds at once, queuing behind 20 slots.',
    params: herd,
    seed: 10,
  },
  {
    id: 'single-flight',
    title: 'Single-flight on each server',
    summary: 'Each server coalesces its own misses into one load: about one query per server per expiry, ten instead of hundreds.',
    params: { ...herd, singleFlight: 1 },
    seed: 10,
  },
  {
    id: 'single-flight-lock',
    title: 'Single-flight and a fleet lock',
    summary: 'SET NX EX lets one server rebuild for the whole fleet while the others serve the stale copy: one query per expiry.',
    params: { ...herd, singleFlight: 1, fleetLock: 1, lockTtlSec: 5 },
    seed: 10,
  },
  {
    id: 'lock-expires',
    title: 'The lock expires before the rebuild ends',
    summary: 'The query takes 1.5 s but the lock’s EX is 1 s: it frees itself mid-rebuild, another server takes it, and a second rebuild starts.',
    params: { ...herd, singleFlight: 1, fleetLock: 1, lockTtlSec: 1, queryMs: 1500 },
    seed: 10,
  },
  {
    id: 'stale-while-revalidate',
    title: 'Stale-while-revalidate',
    summary: 'For 30 s after expiry the stale value is served at once while one background refresh runs: nobody waits.',
    params: { ...herd, swrSec: 30 },
    seed: 10,
  },
  {
    id: 'thousand-keys',
    title: 'A thousand keys that expire together',
    summary: 'A thousand keys written at the same moment with a 30 s TTL all expire at 30 s: the database gets a thousand queries at once and the line behind it takes seconds to clear.',
    params: { ...herd, requestsPerSec: 100, otherKeys: 1000, otherKeysPerSec: 1000, ttlSec: 30, queryMs: 50, singleFlight: 1, durationSec: 60 },
    seed: 11,
  },
  {
    id: 'thousand-keys-jitter',
    title: 'The same keys with jittered TTLs',
    summary: 'The same thousand keys with ±20% TTL jitter expire spread over twelve seconds instead of one instant.',
    params: { ...herd, requestsPerSec: 100, otherKeys: 1000, otherKeysPerSec: 1000, ttlSec: 30, ttlJitterPct: 20, queryMs: 50, singleFlight: 1, durationSec: 60 },
    seed: 11,
  },
  {
    id: 'xfetch',
    title: 'Probabilistic early expiration (XFetch, beta 1)',
    summary: 'Reads near the end of the TTL sometimes recompute early, so the key is refreshed before it goes cold. Nobody coordinates, so a refresh costs a few queries, never a herd.',
    params: { ...herd, xfetchBeta: 1 },
    seed: 12,
  },
  {
    id: 'xfetch-beta-2',
    title: 'XFetch with beta 2',
    summary: 'A larger beta recomputes earlier and a little more often.',
    params: { ...herd, xfetchBeta: 2 },
    seed: 12,
  },
  {
    id: 'tiny-ttl',
    title: 'A tiny TTL still pays',
    summary: 'One server, 100 reads a second, a 10 s TTL and single-flight: one database query serves about a thousand reads.',
    params: { servers: 1, requestsPerSec: 100, ttlSec: 10, queryMs: 50, dbConcurrency: 20, singleFlight: 1, durationSec: 120 },
    seed: 13,
  },
  {
    id: 'negative-cache',
    title: 'Reads of ids that do not exist',
    summary: 'One read in ten asks for an id that is not there. Without negative caching each one reaches the database.',
    params: { servers: 10, requestsPerSec: 500, ttlSec: 10, queryMs: 50, dbConcurrency: 20, missingPct: 10, durationSec: 40 },
    seed: 14,
  },
];
