/**
 * The ledgers of attempts and of logical requests, wired to the trace: each
 * ends once, in one outcome, counted in that outcome's series in the sample
 * it ended in; a request that succeeded also gives its time from the first
 * attempt to the answer.
 */
import { countEndings } from '../core/ledger-series.ts';
import { Ledger, type SampleLatencies, type SeriesRecorder } from '../core/index.ts';
import { ATTEMPT_OUTCOMES, REQUEST_OUTCOMES, type AttemptOutcome, type RequestOutcome, type SeriesKey } from './keys.ts';

const attempt = (o: AttemptOutcome) => ATTEMPT_OUTCOMES.indexOf(o);
export const OK = attempt('ok');
export const REPLAYED = attempt('replayed');
export const REJECTED = attempt('rejected429');
export const SHED = attempt('shed503');
export const CONFLICT = attempt('conflict409');
export const TIMEOUT = attempt('timeout');
const request = (o: RequestOutcome) => REQUEST_OUTCOMES.indexOf(o);
export const FIRST = request('succeededFirst');
export const RETRIED = request('succeededRetried');
export const GAVE_UP = request('gaveUp');

export function attemptLedger(rec: SeriesRecorder<SeriesKey>): Ledger<AttemptOutcome> {
  const attempts = new Ledger(ATTEMPT_OUTCOMES);
  countEndings(attempts, rec, ATTEMPT_OUTCOMES);
  return attempts;
}

/** `req.col.startMs` is read at each ending, so the table may grow after this is made. */
export function requestLedger(rec: SeriesRecorder<SeriesKey>, req: { readonly col: { readonly startMs: Float64Array } }, latencies: SampleLatencies): Ledger<RequestOutcome> {
  const requests = new Ledger(REQUEST_OUTCOMES);
  countEndings(requests, rec, REQUEST_OUTCOMES, { latencies, startMs: (r) => req.col.startMs[r]!, without: GAVE_UP, divisor: 1000 });
  return requests;
}
