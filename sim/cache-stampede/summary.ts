/**
 * The run's per-sample ratios and percentiles, and its summary: request
 * outcomes from the ledger, the database's work and the herd per expiry.
 */
import { type Ledger, type SampleLatencies, type SeriesRecorder } from '../core/index.ts';
import type { Database } from './database.ts';
import type { HotKeyEpisodes } from './episodes.ts';
import type { Outcome, SeriesKey, SummaryKey } from './keys.ts';

export function summarize(
  rec: SeriesRecorder<SeriesKey>,
  requests: Ledger<Outcome>,
  latencies: SampleLatencies,
  db: Database,
  episodes: HotKeyEpisodes,
  dbConcurrency: number,
): Record<SummaryKey, number> {
  const hit = rec.get('hitRatioPct');
  const fresh = rec.get('freshHit');
  const stale = rec.get('staleHit');
  const coalesced = rec.get('coalesced');
  const dbQuery = rec.get('dbQuery');
  const timeout = rec.get('timeout');
  for (let i = 0; i < rec.count; i++) {
    const served = fresh[i]! + stale[i]!;
    const ended = served + coalesced[i]! + dbQuery[i]! + timeout[i]!;
    hit[i] = ended > 0 ? (100 * served) / ended : NaN;
  }
  // Seconds per sample for the chart; the whole run's in seconds too, so the summary's ms are the same numbers as ever.
  const [p50Sec, p99Sec] = latencies.finishQuantiles([0.5, 0.99], [rec.get('latencyP50Sec'), rec.get('latencyP99Sec')]);
  db.latencies.finishQuantiles([0.99], [rec.get('dbLatencyP99Sec')]);

  const attempts = requests.attempts();
  const totals = requests.totals() as Record<Outcome, number>;
  const queries = db.queries.n;
  return {
    attempts,
    ...totals,
    pending: requests.pending(),
    dbQueries: queries,
    dbQueriesHot: rec.get('queriesHot').reduce((a, b) => a + b, 0),
    readsPerQuery: queries > 0 ? attempts / queries : NaN,
    expiries: episodes.count,
    queriesPerExpiry: episodes.meanQueries(),
    maxQueriesPerExpiry: episodes.maxQueries(),
    peakDbInFlight: Math.max(...rec.get('dbInFlight')),
    peakDbQueue: Math.max(...rec.get('dbQueue')),
    dbConcurrency,
    latencyP50Ms: p50Sec! * 1000,
    latencyP99Ms: p99Sec! * 1000,
    hitRatioPct: attempts > 0 ? (100 * (totals.freshHit + totals.staleHit)) / attempts : NaN,
  };
}
