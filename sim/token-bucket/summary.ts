/**
 * The run's per-sample latency percentiles and its summary: attempt and
 * request outcomes from their ledgers, side effects, and each client's share.
 */
import { percentile, type Ledger, type SampleLatencies, type SeriesRecorder } from '../core/index.ts';
import { CLIENTS, type AttemptOutcome, type ClientIndex, type FixedSummaryKey, type RequestOutcome, type SeriesKey, type SucceededAfterKey } from './keys.ts';

export type Summary = Record<FixedSummaryKey, number> & { [k: SucceededAfterKey]: number };
import { RETRIED } from './outcomes.ts';
import type { TokenBucketParams } from './params.ts';

export function summarize(
  p: TokenBucketParams,
  rec: SeriesRecorder<SeriesKey>,
  attempts: Ledger<AttemptOutcome>,
  requests: Ledger<RequestOutcome>,
  req: { readonly n: number; readonly col: Record<'write' | 'attempts' | 'executions', Float64Array> },
  latencies: SampleLatencies,
): Summary {
  // Seconds per sample for the chart; the whole run's in seconds too, so the summary's ms are the same numbers as ever.
  const all = latencies.finish([0.5, 0.99], [rec.get('latencyP50Sec'), rec.get('latencyP99Sec')]);
  const total = (key: SeriesKey) => rec.get(key).reduce((x, y) => x + y, 0);
  let writes = 0;
  let doubleCharged = 0;
  // Successes by the number of retries they needed (at most maxAttempts − 1).
  const afterRetries = new Array<number>(p.maxAttempts).fill(0);
  for (let r = 0; r < req.n; r++) {
    if (req.col.write[r] === 1) writes++;
    if (req.col.executions[r]! > 1) doubleCharged++;
    if (requests.outcomeOf(r) === RETRIED) afterRetries[req.col.attempts[r]! - 1]!++;
  }
  const succeededAfter: Record<SucceededAfterKey, number> = {};
  afterRetries.forEach((n, k) => {
    if (n > 0) succeededAfter[`succeededAfter${k}`] = n;
  });
  const perClient = {} as Record<`${'admitted' | 'rejected'}_c${ClientIndex}`, number>;
  for (const c of CLIENTS) {
    perClient[`admitted_c${c}`] = total(`admitted_c${c}`);
    perClient[`rejected_c${c}`] = total(`rejected_c${c}`);
  }
  const summary: Summary = {
    requests: requests.attempts(),
    attempts: attempts.attempts(),
    pendingAttempts: attempts.pending(),
    pendingRequests: requests.pending(),
    writes,
    executions: total('executions'),
    duplicates: total('duplicates'),
    doubleCharged,
    peakBackendQueue: Math.max(...rec.get('backendQueue')),
    concurrency: p.concurrency,
    burst: p.burst,
    latencyP50Ms: percentile(all, 0.5) * 1000,
    latencyP99Ms: percentile(all, 0.99) * 1000,
    ...(attempts.totals() as Record<AttemptOutcome, number>),
    ...(requests.totals() as Record<RequestOutcome, number>),
    retries: total('retries'),
    held: total('held'),
    ...succeededAfter,
    ...perClient,
  };
  return summary;
}

