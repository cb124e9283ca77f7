/**
 * Clients behind a rate-limiting edge in front of a backend with finite
 * concurrency. Each client has its own token bucket (bucket.ts) at the edge,
 * which answers 429 before any work; admitted requests wait in one FIFO line
 * for a worker, so the backend's latency is an output. A client that gets a
 * 429, a 503 (load shedding), a 409 (its Idempotency-Key is busy) or no answer
 * in time backs off by its policy (backoff.ts) and may obey the response's
 * Retry-After and RateLimit fields (headers.ts).
 *
 * Every logical request steps through the request machine (machine.ts).
 * Simplifications (also in the article): the network adds no delay, the edge
 * answers at once, the backend slows only by queueing (no thrashing), and a
 * request the client gave up on still runs when its turn comes, as a real
 * server that does not notice the disconnect would.
 */
import {
  EventLog,
  EventQueue,
  SeriesRecorder,
  compileMachine,
  createRng,
  traceOfRun,
  logClock,
  percentile,
  runEvents,
  type Trace,
} from '../core/index.ts';
import { afterFailure, freshBackoff, honourHint, RETRY_POLICIES, type BackoffSpec, type BackoffState } from './backoff.ts';
import { fullBucket, levelAt, take, type BucketSpec, type BucketState, type TakeResult } from './bucket.ts';
import { readHints, responseHeaderLines, type HeaderStyle } from './headers.ts';
import { attemptGuards, requestMachine, type AttemptView } from './machine.ts';
import { HEADER_STYLES, type TokenBucketParams } from './params.ts';

export const SAMPLE_MS = 1000;
export const EVENT_BUDGET = 2_000_000;
/** Well-behaved clients have series c0..c3; the runaway client is always c4, so charts keep their keys. */
export const MAX_CLIENTS = 5;
export const RUNAWAY = 4;
export const POLICY_NAME = 'default';

const machine = compileMachine<AttemptView>(requestMachine, attemptGuards);
type StateName = 'sending' | 'inBackend' | 'rejected' | 'shed' | 'conflict' | 'timedOut' | 'backingOff' | 'succeeded' | 'gaveUp';
const S = machine.stateIndex as Record<StateName, number>;
const EV = machine.eventIndex as Record<'ARRIVE' | 'REPLY' | 'CONFLICT' | 'TIMEOUT' | 'FAIL' | 'TIMER', number>;
export const REQUEST_STATES = machine.info.states.map((s) => s.id);

// Attempt outcomes: each attempt ends in exactly one.
export const ATTEMPT_OUTCOMES = ['ok', 'replayed', 'rejected429', 'shed503', 'conflict409', 'timeout'] as const;
type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];
// Logical request outcomes: each request ends in exactly one (or is still pending at the end).
export const REQUEST_OUTCOMES = ['succeededFirst', 'succeededRetried', 'gaveUp'] as const;

const E_NEW = 0; // a client's next new request (arg: client)
const E_SEND = 1; // an attempt leaves the client (arg: request)
const E_DONE = 2; // the backend finished a job (arg: attempt)
const E_TIMEOUT = 3; // the client's timer for an attempt (arg: attempt)
const E_RESUME = 4; // the stall ends: workers pick up the line again
const E_SAMPLE = 5;

export const SERIES_KEYS = [
  'requests', 'attempts', 'retries', 'held', 'admittedAll',
  ...ATTEMPT_OUTCOMES, ...REQUEST_OUTCOMES,
  'executions', 'duplicates',
  'backendBusy', 'backendQueue', 'latencyP50Sec', 'latencyP99Sec',
  ...Array.from({ length: MAX_CLIENTS }, (_, c) => [`admitted_c${c}`, `rejected_c${c}`, `bucket_c${c}`]).flat(),
  ...REQUEST_STATES.map((s) => `st_${s}`),
] as const;

export function clientName(c: number): string {
  return c === RUNAWAY ? 'runaway' : `client-${c + 1}`;
}

const clock = (tMs: number) => logClock(tMs);

/** For tests: sees every response the edge writes, with the bucket level it was computed from. */
export interface ResponseObserver {
  (response: { client: number; tMs: number; tokens: number; lines: readonly string[] }): void;
}

export function runTokenBucket(p: TokenBucketParams, seed: number, observe?: ResponseObserver): Trace {
  const durationMs = p.durationSec * 1000;
  const rng = createRng(seed);
  const q = new EventQueue();
  const rec = new SeriesRecorder(SERIES_KEYS, durationMs, SAMPLE_MS);
  const log = new EventLog({ perKindPerWindow: 3, total: 3000 });
  const headerStyle: HeaderStyle = HEADER_STYLES[p.headerStyle] ?? 'draft';
  const bucketSpec: BucketSpec = { ratePerSec: p.limitPerMin / 60, burst: p.burst };
  const stallStartMs = p.stallAtSec * 1000;
  const stallEndMs = stallStartMs + p.stallSec * 1000;
  const stalled = (tMs: number) => p.stallSec > 0 && tMs >= stallStartMs && tMs < stallEndMs;

  // ---- clients -----------------------------------------------------------------
  const active = (c: number) => (c === RUNAWAY ? p.runawayPerMin > 0 : c < p.clients);
  const ratePerMin = (c: number) => (c === RUNAWAY ? p.runawayPerMin : p.clientPerMin);
  const backoffSpec = (c: number): BackoffSpec => ({
    policy: RETRY_POLICIES[c === RUNAWAY ? p.runawayRetryPolicy : p.retryPolicy] ?? 'none',
    baseMs: p.baseMs,
    capMs: p.capMs,
    maxAttempts: p.maxAttempts,
  });
  const obeys = (c: number) => c !== RUNAWAY && p.obeyHints === 1;
  const buckets: BucketState[] = Array.from({ length: MAX_CLIENTS }, () => fullBucket(bucketSpec));
  /** An obedient client sends nothing before this (from RateLimit r=0 or Retry-After). */
  const notBeforeMs = new Float64Array(MAX_CLIENTS);

  // ---- logical requests ------------------------------------------------------------
  const reqClient: number[] = [];
  const reqWrite: boolean[] = [];
  const reqState: number[] = [];
  const reqAttempts: number[] = [];
  const reqBackoff: BackoffState[] = [];
  const reqExecutions: number[] = [];
  const reqStartMs: number[] = [];
  const reqHeld: boolean[] = [];
  /** Idempotency-Key store: 0 no key seen, 1 claimed and running, 2 done (result stored). */
  const keyState: number[] = [];

  // ---- attempts and the backend ---------------------------------------------------
  const attReq: number[] = [];
  const attOutcome: (AttemptOutcome | null)[] = [];
  const attSentMs: number[] = [];
  const line: number[] = [];
  let lineHead = 0;
  let busy = 0;
  const latencies: number[][] = Array.from({ length: rec.count }, () => []);
  const view: AttemptView = { tokenAvailable: true, shedding: false, mayRetry: false };

  const step = (r: number, event: number, tMs: number) => {
    const before = reqState[r]!;
    const after = machine.step(before, event, view);
    if (after !== before) {
      reqState[r] = after;
      rec.add(`st_${REQUEST_STATES[after]}`, tMs);
    }
    return after;
  };

  const respond = (a: number, outcome: AttemptOutcome, tMs: number) => {
    attOutcome[a] = outcome;
    rec.add(outcome, tMs);
  };

  /** One line per response in the log; its exact status and header lines are the detail the page shows when picked. */
  const logResponse = (tMs: number, c: number, status: string, kind: string, headers: string[]) => {
    if (!log.wants(tMs, kind)) return log.skip();
    log.write(tMs, kind, `${clock(tMs)}  ${clientName(c).padEnd(9)} ${status}`, [`HTTP/1.1 ${status}`, ...headers].join('\n'));
  };

  /**
   * The fields every edge response carries. An obedient client reads them back
   * like any other client would: r=0 for the next t seconds (draft-11's
   * effective window) holds its requests; the older Reset counts to a full
   * bucket, so a client obeying it waits longer.
   */
  const edgeHeaders = (c: number, taken: TakeResult, retryAfterMs: number | null, tMs: number) => {
    const { remaining, nextTokenInMs, fullInMs } = taken;
    const lines = responseHeaderLines({ policyName: POLICY_NAME, bucket: bucketSpec, remaining, nextTokenInMs, fullInMs, retryAfterMs }, headerStyle);
    observe?.({ client: c, tMs, tokens: taken.state.tokens, lines });
    const hints = readHints(lines);
    if (obeys(c) && hints.remaining === 0 && hints.windowSec !== null) {
      notBeforeMs[c] = Math.max(notBeforeMs[c]!, tMs + hints.windowSec * 1000);
    }
    return { ...hints, lines };
  };

  const fail = (r: number, tMs: number, hintMs: number | null) => {
    const c = reqClient[r]!;
    const spec = backoffSpec(c);
    const decision = afterFailure(spec, reqBackoff[r]!, rng);
    reqBackoff[r] = decision.state;
    view.mayRetry = decision.sleepMs !== null;
    const to = step(r, EV.FAIL, tMs);
    if (to === S.gaveUp) {
      rec.add('gaveUp', tMs);
      return;
    }
    const sleepMs = obeys(c) ? honourHint(decision.sleepMs!, hintMs) : decision.sleepMs!;
    q.push(tMs + sleepMs, E_SEND, r);
  };

  const succeed = (r: number, tMs: number) => {
    view.mayRetry = false;
    step(r, EV.REPLY, tMs);
    rec.add(reqAttempts[r] === 1 ? 'succeededFirst' : 'succeededRetried', tMs);
    latencies[rec.index(tMs)]!.push((tMs - reqStartMs[r]!) / 1000);
  };

  const startJobs = (tMs: number) => {
    if (stalled(tMs)) return;
    while (busy < p.concurrency && lineHead < line.length) {
      const a = line[lineHead++]!;
      busy++;
      const serviceMs = p.serviceMs * (0.9 + 0.2 * rng.next());
      let doneMs = tMs + serviceMs;
      // A job caught by the stall freezes until it ends.
      if (p.stallSec > 0 && tMs < stallStartMs && doneMs > stallStartMs) doneMs += stallEndMs - stallStartMs;
      q.push(doneMs, E_DONE, a);
    }
  };

  const send = (r: number, tMs: number) => {
    const c = reqClient[r]!;
    if (obeys(c) && notBeforeMs[c]! > tMs) {
      // Held on the client: it will not spend an attempt it has been told would fail.
      if (!reqHeld[r]) rec.add('held', tMs);
      reqHeld[r] = true;
      q.push(notBeforeMs[c]!, E_SEND, r);
      return;
    }
    reqHeld[r] = false;
    if (reqState[r] === S.backingOff) {
      view.mayRetry = false;
      step(r, EV.TIMER, tMs);
      rec.add('retries', tMs);
    }
    const a = attReq.length;
    attReq.push(r);
    attOutcome.push(null);
    attSentMs.push(tMs);
    reqAttempts[r]!++;
    rec.add('attempts', tMs);

    const taken = take(bucketSpec, buckets[c]!, tMs);
    buckets[c] = taken.state;
    view.tokenAvailable = taken.allowed;
    view.shedding = taken.allowed && p.shedding === 1 && line.length - lineHead >= p.shedQueueMax;
    const to = step(r, EV.ARRIVE, tMs);
    if (to === S.rejected) {
      rec.add(`rejected_c${c}`, tMs);
      respond(a, 'rejected429', tMs);
      const hints = edgeHeaders(c, taken, taken.nextTokenInMs, tMs);
      logResponse(tMs, c, '429 Too Many Requests', '429', hints.lines);
      fail(r, tMs, hints.retryAfterSec! * 1000);
      return;
    }
    rec.add(`admitted_c${c}`, tMs);
    rec.add('admittedAll', tMs);
    if (to === S.shed) {
      respond(a, 'shed503', tMs);
      const hints = edgeHeaders(c, taken, p.shedRetryAfterSec * 1000, tMs);
      logResponse(tMs, c, '503 Service Unavailable', '503', hints.lines);
      fail(r, tMs, hints.retryAfterSec! * 1000);
      return;
    }
    if (reqWrite[r] && p.idempotencyKeys === 1) {
      // Claim before work: the key store answers a retry without running it again.
      if (keyState[r] === 1) {
        view.mayRetry = false;
        step(r, EV.CONFLICT, tMs);
        respond(a, 'conflict409', tMs);
        logResponse(tMs, c, '409 Conflict', '409', [`Idempotency-Key: k${r}`]);
        fail(r, tMs, null);
        return;
      }
      if (keyState[r] === 2) {
        respond(a, 'replayed', tMs);
        logResponse(tMs, c, '200 OK', 'replay', [`Idempotency-Key: k${r}`, 'Idempotent-Replayed: true']);
        succeed(r, tMs);
        return;
      }
      keyState[r] = 1;
    }
    line.push(a);
    q.push(tMs + p.timeoutMs, E_TIMEOUT, a);
    startJobs(tMs);
  };

  const onDone = (a: number, tMs: number) => {
    busy--;
    const r = attReq[a]!;
    const c = reqClient[r]!;
    if (reqWrite[r]) {
      reqExecutions[r]!++;
      rec.add('executions', tMs);
      if (reqExecutions[r]! > 1) {
        rec.add('duplicates', tMs);
        if (log.wants(tMs, 'duplicate')) log.write(tMs, 'duplicate', `${clock(tMs)}  ${clientName(c).padEnd(9)} DOUBLE CHARGE  request ${r} ran ${reqExecutions[r]} times`);
        else log.skip();
      }
      if (p.idempotencyKeys === 1) keyState[r] = 2;
    }
    if (attOutcome[a] === null) {
      respond(a, 'ok', tMs);
      const taken = take(bucketSpec, buckets[c]!, tMs, 0);
      logResponse(tMs, c, '200 OK', '200', edgeHeaders(c, taken, null, tMs).lines);
      succeed(r, tMs);
    }
    startJobs(tMs);
  };

  const onTimeout = (a: number, tMs: number) => {
    if (attOutcome[a] !== null) return;
    const r = attReq[a]!;
    respond(a, 'timeout', tMs);
    view.mayRetry = false;
    step(r, EV.TIMEOUT, tMs);
    if (log.wants(tMs, 'timeout')) log.write(tMs, 'timeout', `${clock(tMs)}  ${clientName(reqClient[r]!).padEnd(9)} no answer after ${p.timeoutMs}ms`);
    else log.skip();
    fail(r, tMs, null);
  };

  const newRequest = (c: number, tMs: number) => {
    const r = reqClient.length;
    reqClient.push(c);
    reqWrite.push(c !== RUNAWAY && rng.next() * 100 < p.writePct);
    reqState.push(S.sending);
    reqAttempts.push(0);
    reqBackoff.push(freshBackoff(backoffSpec(c)));
    reqExecutions.push(0);
    reqStartMs.push(tMs);
    reqHeld.push(false);
    keyState.push(0);
    rec.add('requests', tMs);
    rec.add('st_sending', tMs);
    send(r, tMs);
  };

  const scheduleNew = (c: number, fromMs: number) => {
    const t = fromMs + rng.exponential(60_000 / ratePerMin(c));
    if (t < durationMs) q.push(t, E_NEW, c);
  };

  for (let c = 0; c < MAX_CLIENTS; c++) if (active(c)) scheduleNew(c, 0);
  if (p.stallSec > 0) q.push(stallEndMs, E_RESUME, 0);
  q.push(0, E_SAMPLE, 0);

  const result = runEvents(q, durationMs, EVENT_BUDGET, (tMs, kind, arg) => {
    switch (kind) {
      case E_NEW:
        newRequest(arg, tMs);
        scheduleNew(arg, tMs);
        break;
      case E_SEND:
        send(arg, tMs);
        break;
      case E_DONE:
        onDone(arg, tMs);
        break;
      case E_TIMEOUT:
        onTimeout(arg, tMs);
        break;
      case E_RESUME:
        startJobs(tMs);
        break;
      case E_SAMPLE: {
        for (let c = 0; c < MAX_CLIENTS; c++) {
          rec.get(`bucket_c${c}`)[rec.index(tMs)] = active(c) ? levelAt(bucketSpec, buckets[c]!, tMs) : NaN;
        }
        if (tMs + SAMPLE_MS < durationMs) q.push(tMs + SAMPLE_MS, E_SAMPLE, 0);
        break;
      }
    }
    // Peaks, not lucky snapshots: the line and the workers after every event.
    rec.max('backendBusy', tMs, busy);
    rec.max('backendQueue', tMs, line.length - lineHead);
  });

  const p50 = rec.get('latencyP50Sec');
  const p99 = rec.get('latencyP99Sec');
  const all: number[] = [];
  for (let i = 0; i < rec.count; i++) {
    const lat = latencies[i]!.sort((x, y) => x - y);
    p50[i] = percentile(lat, 0.5);
    p99[i] = percentile(lat, 0.99);
    for (const v of lat) all.push(v);
  }
  all.sort((x, y) => x - y);

  const total = (key: string) => rec.get(key).reduce((x, y) => x + y, 0);
  const summary: Record<string, number> = {
    requests: reqClient.length,
    attempts: attReq.length,
    pendingAttempts: attOutcome.filter((o) => o === null).length,
    pendingRequests: reqState.filter((s) => s !== S.succeeded && s !== S.gaveUp).length,
    writes: reqWrite.filter(Boolean).length,
    executions: total('executions'),
    duplicates: total('duplicates'),
    doubleCharged: reqExecutions.filter((n) => n > 1).length,
    peakBackendQueue: Math.max(...rec.get('backendQueue')),
    concurrency: p.concurrency,
    burst: p.burst,
    latencyP50Ms: percentile(all, 0.5) * 1000,
    latencyP99Ms: percentile(all, 0.99) * 1000,
  };
  for (const o of [...ATTEMPT_OUTCOMES, ...REQUEST_OUTCOMES, 'retries', 'held']) summary[o] = total(o);
  // Successes by the number of retries they needed: succeededAfter1 is the first retry, and so on.
  const afterRetries = new Array<number>(p.maxAttempts).fill(0);
  for (let r = 0; r < reqState.length; r++) {
    if (reqState[r] === S.succeeded && reqAttempts[r]! > 1) afterRetries[reqAttempts[r]! - 1]!++;
  }
  afterRetries.forEach((n, k) => {
    if (n > 0) summary[`succeededAfter${k}`] = n;
  });
  for (let c = 0; c < MAX_CLIENTS; c++) {
    summary[`admitted_c${c}`] = total(`admitted_c${c}`);
    summary[`rejected_c${c}`] = total(`rejected_c${c}`);
  }

  return traceOfRun({ simId: 'token-bucket', seed, params: p, durationMs, recorder: rec, log, summary, result, budget: EVENT_BUDGET });
}
