/**
 * The requests' ledger, wired to the trace: each request ends once, in one
 * outcome, counted in that outcome's series in the sample it ended in; every
 * ending but a time-out also gives a latency from the request's arrival.
 */
import { countEndings } from '../core/ledger-series.ts';
import { Ledger, type SampleLatencies, type SeriesRecorder } from '../core/index.ts';
import { OUTCOMES, type Outcome, type SeriesKey } from './keys.ts';

const at = (o: Outcome) => OUTCOMES.indexOf(o);
export const FRESH = at('freshHit');
export const STALE = at('staleHit');
export const COALESCED = at('coalesced');
export const DB = at('dbQuery');
export const TIMEOUT = at('timeout');

/** `req.col.arrival` is read at each ending, so the table may grow after this is made. */
export function requestLedger(
  rec: SeriesRecorder<SeriesKey>,
  req: { readonly col: { readonly arrival: Float64Array } },
  latencies: SampleLatencies,
  expectedRequests?: number,
): Ledger<Outcome> {
  const requests = new Ledger(OUTCOMES, undefined, expectedRequests);
  // Seconds, so the summary's percentiles in ms are the numbers they always were.
  countEndings(requests, rec, OUTCOMES, { latencies, startMs: (r) => req.col.arrival[r]!, without: TIMEOUT, divisor: 1000 });
  return requests;
}
