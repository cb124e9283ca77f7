/**
 * What a run reports: each ending counted in its sample as it happens, and at
 * the end the per-second success and latency series and the summary, with
 * every outcome total taken from the ledger.
 */
import { type Ledger, type SampleLatencies, type SeriesRecorder } from '../core/index.ts';
import type { Attempts } from './attempts.ts';
import {
  BROKEN, CLASSES, COUNTER_KEYS, LEGIT, OUTCOMES, SPOOFED,
  O_ACCEPTED, O_ACCEPTED_COOKIE, O_COOKIE, O_DROPPED, O_EXPIRED, O_GAVE_UP, O_RESET,
  type ClientClass, type CounterKey, type Outcome, type OutcomeKey, type SeriesKey, type SummaryKey,
} from './keys.ts';
import { provenOnlyAbove, requestLifetimeMs, type QueueLimits } from './limits.ts';
import type { SynQueueParams } from './params.ts';

/** The smallest and largest of a run's values; NaN for both when there were none. */
export class Extremes {
  private lo = Infinity;
  private hi = -Infinity;

  add(value: number): void {
    if (value < this.lo) this.lo = value;
    if (value > this.hi) this.hi = value;
  }

  get min(): number {
    return Number.isFinite(this.lo) ? this.lo : NaN;
  }

  get max(): number {
    return Number.isFinite(this.hi) ? this.hi : NaN;
  }
}

/**
 * Counts each ending in its sample's `<class>_<outcome>` series, and the wait of each accepted
 * legitimate connection (first SYN to accept()) for the latency percentiles.
 */
export function countEndingsPerSample(
  ledger: Ledger<Outcome, ClientClass>,
  rec: SeriesRecorder<SeriesKey>,
  a: Attempts,
  latencies: SampleLatencies,
): void {
  // Resolved once, indexed by class * OUTCOMES.length + outcome; a pair a class cannot reach has no series.
  const series = CLASSES.flatMap((cls) =>
    OUTCOMES.map((o) => (rec.series as Partial<Record<string, Float64Array>>)[`${cls}_${o}`] ?? null),
  );
  const width = OUTCOMES.length;
  ledger.onEnd = (id, outcome, cls, tMs) => {
    const k = rec.index(tMs);
    const perSample = series[cls * width + outcome];
    if (!perSample) throw new Error(`syn-queue: a ${CLASSES[cls]} attempt cannot end ${OUTCOMES[outcome]}`);
    perSample[k]!++;
    if (cls === LEGIT && (outcome === O_ACCEPTED || outcome === O_ACCEPTED_COOKIE)) latencies.add(k, tMs - a.startMs[id]!);
  };
}

export interface RunEnd {
  p: SynQueueParams;
  limits: QueueLimits;
  rec: SeriesRecorder<SeriesKey>;
  ledger: Ledger<Outcome, ClientClass>;
  attempts: Attempts;
  latencies: SampleLatencies;
  peakSynQueue: number;
  peakAcceptQueue: number;
  synQueueAtEnd: number;
  acceptQueueAtEnd: number;
  expiredHeldMs: Extremes;
  connectTimeoutMs: Extremes;
}

/** Fills the series computed after the run, and returns the summary. */
export function summarize(end: RunEnd): Record<SummaryKey, number> {
  const { p, limits, rec, ledger } = end;
  const [latencyP50Ms, latencyP99Ms] = fillSuccessAndLatency(end);
  const count = (outcome: number, cls: number) => ledger.count(outcome, cls);
  const outcomes: Record<OutcomeKey, number> = {
    legit_accepted: count(O_ACCEPTED, LEGIT),
    legit_acceptedCookie: count(O_ACCEPTED_COOKIE, LEGIT),
    legit_reset: count(O_RESET, LEGIT),
    legit_gaveUp: count(O_GAVE_UP, LEGIT),
    broken_gaveUp: count(O_GAVE_UP, BROKEN),
    spoofed_dropped: count(O_DROPPED, SPOOFED),
    spoofed_expired: count(O_EXPIRED, SPOOFED),
    spoofed_cookie: count(O_COOKIE, SPOOFED),
  };
  const legitAttempts = ledger.attempts(LEGIT);
  return {
    ...counterTotals(rec),
    effectiveBacklog: limits.effectiveBacklog,
    synQueueCap: limits.synQueueCap,
    provenOnlyAbove: provenOnlyAbove(p, limits),
    acceptQueueCap: limits.acceptQueueCap,
    initialRtoMs: limits.initialRtoMs,
    requestLifetimeMs: requestLifetimeMs(limits.initialRtoMs, p.tcp_synack_retries),
    peakSynQueue: end.peakSynQueue,
    expiredHeldMinMs: end.expiredHeldMs.min,
    expiredHeldMaxMs: end.expiredHeldMs.max,
    connectTimeoutMinMs: end.connectTimeoutMs.min,
    connectTimeoutMaxMs: end.connectTimeoutMs.max,
    peakAcceptQueue: end.peakAcceptQueue,
    synQueueAtEnd: end.synQueueAtEnd,
    acceptQueueAtEnd: end.acceptQueueAtEnd,
    attempts_legit: legitAttempts,
    attempts_broken: ledger.attempts(BROKEN),
    attempts_spoofed: ledger.attempts(SPOOFED),
    ...outcomes,
    legit_pending: ledger.pending(LEGIT),
    broken_pending: ledger.pending(BROKEN),
    spoofed_pending: ledger.pending(SPOOFED),
    legitSuccessPct: legitAttempts > 0 ? (100 * (outcomes.legit_accepted + outcomes.legit_acceptedCookie)) / legitAttempts : NaN,
    latencyP50Ms: latencyP50Ms!,
    latencyP99Ms: latencyP99Ms!,
  };
}

/** Each kernel counter summed over the run: what `nstat -az` would print at the end. */
function counterTotals(rec: SeriesRecorder<SeriesKey>): Record<CounterKey, number> {
  const totals = {} as Record<CounterKey, number>;
  for (const key of COUNTER_KEYS) totals[key] = rec.get(key).reduce((x, y) => x + y, 0);
  return totals;
}

/**
 * Success by cohort: of the legitimate attempts started in each second, the share accepted by the end
 * of the run. Counting by the second an attempt *ended* would go blank during an outage, when clients
 * are still retrying and nothing ends; an attempt still retrying at the end counts as not accepted
 * (yet), or the chart would show only the quick successes and read 100% in the middle of an outage.
 * Latency percentiles are by the second of accept(), in seconds (0.2 s beside 93 s reads better than
 * 93,000 ms). Returns the whole run's median and 99th percentile, in ms.
 */
function fillSuccessAndLatency(end: RunEnd): number[] {
  const { rec, ledger, attempts: a } = end;
  const success = rec.get('successPct');
  const legitAccepted = rec.get('legitAccepted');
  const startedBySample = rec.get('attempts_legit');
  const accepted = rec.get('legit_accepted');
  const acceptedCookie = rec.get('legit_acceptedCookie');
  const acceptedBySample = new Float64Array(rec.count);
  for (let i = 0; i < a.n; i++) {
    if (a.cls[i] !== LEGIT) continue;
    const outcome = ledger.outcomeOf(i);
    if (outcome === O_ACCEPTED || outcome === O_ACCEPTED_COOKIE) acceptedBySample[rec.index(a.startMs[i]!)]!++;
  }
  for (let s = 0; s < rec.count; s++) {
    success[s] = startedBySample[s]! > 0 ? (100 * acceptedBySample[s]!) / startedBySample[s]! : NaN;
    legitAccepted[s] = accepted[s]! + acceptedCookie[s]!;
  }
  return end.latencies.finishQuantiles([0.5, 0.99], [rec.get('latencyP50Sec'), rec.get('latencyP99Sec')], 1000);
}
