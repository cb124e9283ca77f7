/** The cache-stampede simulation: the one thing site/ and the tests import from this folder. */
import type { Simulation } from '../core/index.ts';
import { cacheEntryMachine } from './machine.ts';
import { ENTRY_STATES, type SeriesKey, type SummaryKey } from './keys.ts';
import { runCacheStampede } from './model.ts';
import { cacheStampedeParamGroups, cacheStampedeParams, type CacheStampedeParams } from './params.ts';
import { cacheStampedeScenarios } from './scenarios.ts';

export type { CacheStampedeParams } from './params.ts';
export { xfetchRecomputes } from './xfetch.ts';

export const cacheStampede: Simulation<CacheStampedeParams, SeriesKey, SummaryKey> = {
  id: 'cache-stampede',
  title: 'Cache stampedes',
  summary: 'A hot key expires under load and the herd hits the database; single-flight, a fleet lock, stale-while-revalidate, jitter and XFetch stop it.',
  params: cacheStampedeParams,
  paramGroups: cacheStampedeParamGroups,
  scenarios: cacheStampedeScenarios,
  durationSec: (p) => p.durationSec,
  run: runCacheStampede,
  machines: { cacheEntry: cacheEntryMachine },
  view: {
    charts: [
      {
        id: 'database',
        title: 'Database: queries running and waiting',
        unit: 'queries',
        series: [
          { key: 'dbInFlight', label: 'running' },
          { key: 'dbQueue', label: 'waiting' },
        ],
        limits: [{ summaryKey: 'dbConcurrency', label: 'concurrency' }],
        describe: 'The most queries the database ran at once, and the most waiting in line, in each second, with its concurrency limit.',
      },
      {
        id: 'queries',
        title: 'Database queries started per second',
        unit: 'per second',
        series: [
          { key: 'queriesStarted', label: 'all keys' },
          { key: 'queriesHot', label: 'hot key' },
        ],
        describe: 'Queries sent to the database in each second, in all and for the hot key alone: a herd shows as a spike at each expiry.',
      },
      {
        id: 'latency',
        title: 'Latency: requests and the database',
        unit: 'seconds',
        series: [
          { key: 'latencyP50Sec', label: 'request, median' },
          { key: 'latencyP99Sec', label: 'request, 99th pct' },
          { key: 'dbLatencyP99Sec', label: 'query incl. queue, 99th pct' },
        ],
        describe: 'The median and 99th-percentile time requests took, and the 99th-percentile time a database query took including its wait in line, by the second they finished.',
      },
    ],
    outcomeGroups: [
      {
        title: 'Requests',
        attempts: 'requests',
        outcomes: [
          { key: 'freshHit', label: 'fresh hit', series: 'freshHit', tone: 'good' },
          { key: 'staleHit', label: 'stale hit', series: 'staleHit', tone: 'good' },
          { key: 'coalesced', label: 'waited for another’s load', series: 'coalesced', tone: 'neutral' },
          { key: 'dbQuery', label: 'miss that queried the database', series: 'dbQuery', tone: 'bad' },
          { key: 'timeout', label: 'timed out', series: 'timeout', tone: 'bad' },
        ],
      },
    ],
    counters: [
      { series: 'queriesStarted', label: 'database queries' },
      { series: 'queriesHot', label: 'queries for the hot key' },
      { series: 'hotRebuilds', label: 'hot-key expiries rebuilt' },
    ],
    countersTitle: 'Database queries so far',
    countersNote: 'Queries for the hot key divided by its expiries is the herd per expiry (npm run sim prints it as queriesPerExpiry).',
    picture: {
      renderer: 'cache-stampede',
      title: 'The fleet, the shared cache and the database',
      caption: 'One second of the run: the hot key’s entry and its TTL, the fleet lock, and each app server’s database queries in that second as an arrow (its number is how many). The database’s slots show the most queries it ran at once in the second, and its line the most that waited.',
    },
    diagram: {
      machine: 'cacheEntry',
      title: 'One cache entry, step by step',
      caption: 'The number in each box is how many keys were in that state during the current second (the hot key and any others).',
      counting: 'keys',
      stateSeries: Object.fromEntries(ENTRY_STATES.map((s) => [s, `st_${s}` as const])),
    },
  },
};
