/**
 * The requests' ledger, wired to the trace: each request ends once, in one
 * outcome, counted in that outcome's series in the sample it ended in; every
 * ending but a time-out also gives a latency from the request's arrival.
 */
import { Ledger, type SampleLatencies, type SeriesRecorder } from '../core/index.ts';
import { OUTCOMES, type Outcome, type SeriesKey } from './keys.ts';

const at = (o: Outcome) => OUTCOMES.indexOf(o);
export const FRESH = at('freshHit');
export const STALE = at('staleHit');
export const COALESCED = at('coalesced');
export const DB = at('dbQuery');
export const TIMEOUT = at('timeout');

/**
 * `req.col.arrival` is read at each ending, so the table may grow after this is made. What
 * core's countEndings does, written out for this ledger: the busiest runs end some sixty thousand
 * requests, and its generic ending went through a closure for each request's start.
 */
export function requestLedger(
  rec: SeriesRecorder<SeriesKey>,
  req: { readonly col: { readonly arrival: Float64Array } },
  latencies: SampleLatencies,
  expectedRequests?: number,
): Ledger<Outcome> {
  const requests = new Ledger(OUTCOMES, undefined, expectedRequests);
  const counts = OUTCOMES.map((o) => rec.get(o));
  requests.onEnd = (r, outcome, _cls, tMs) => {
    const i = rec.index(tMs);
    counts[outcome]![i]!++;
    // Seconds, so the summary's percentiles in ms are the numbers they always were.
    if (outcome !== TIMEOUT) latencies.add(i, (tMs - req.col.arrival[r]!) / 1000);
  };
  return requests;
}
