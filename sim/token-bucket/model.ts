/**
 * Clients behind a rate-limiting edge in front of a backend with finite
 * concurrency. Each client has its own token bucket (edge.ts) at the edge,
 * which answers 429 before any work; admitted requests wait in one FIFO line
 * for a worker (backend.ts), so the backend's latency is an output. A client
 * that gets a 429, a 503 (load shedding), a 409 (its Idempotency-Key is busy)
 * or no answer in time backs off by its policy (backoff.ts) and may obey the
 * response's Retry-After and RateLimit fields (clients.ts).
 *
 * Every logical request steps through the request machine (machine.ts).
 * Simplifications (also in the article): the network adds no delay, the edge
 * answers at once, the backend slows only by queueing (no thrashing), and a
 * request the client gave up on still runs when its turn comes, as a real
 * server that does not notice the disconnect would.
 *
 * This file is the requests' and attempts' handlers and the wiring; each
 * attempt and each request ends once in its ledger, which throws on a second
 * ending.
 */
import { Columns } from '../core/columns.ts';
import { compileMachine, createModel, SampleLatencies, type Observer, type Trace } from '../core/index.ts';
import { afterFailure, freshBackoff, honourHint, type BackoffState } from './backoff.ts';
import { Backend } from './backend.ts';
import { Clients } from './clients.ts';
import { Edge, type EdgeResponse } from './edge.ts';
import { CLIENTS, REQUEST_STATES, RUNAWAY, SERIES_KEYS, type RequestState } from './keys.ts';
import { logDuplicate, logResponse, logTimeout } from './log-lines.ts';
import { attemptGuards, requestMachine, type AttemptView } from './machine.ts';
import { attemptLedger, CONFLICT, FIRST, GAVE_UP, OK, REJECTED, REPLAYED, requestLedger, RETRIED, SHED, TIMEOUT } from './outcomes.ts';
import { HEADER_STYLES, type TokenBucketParams } from './params.ts';
import { BucketsSceneRecorder } from './scene.ts';
import { summarize } from './summary.ts';

export const SAMPLE_MS = 1000;
export const EVENT_BUDGET = 2_000_000;

const machine = compileMachine<AttemptView>(requestMachine, attemptGuards);
if (machine.info.states.map((s) => s.id).join() !== REQUEST_STATES.join()) {
  throw new Error('token-bucket: REQUEST_STATES must list the request machine’s states in its order');
}
const S = machine.stateIndex as Record<RequestState, number>;
const EV = machine.eventIndex as Record<'ARRIVE' | 'REPLY' | 'CONFLICT' | 'TIMEOUT' | 'FAIL' | 'TIMER', number>;

/** Idempotency-Key store, per request: 0 while no attempt has claimed the key, then running, then done (result stored). */
const KEY_RUNNING = 1;
const KEY_DONE = 2;

const E_NEW = 0; // a client's next new request (arg: client)
const E_SEND = 1; // an attempt leaves the client (arg: request)
const E_DONE = 2; // the backend finished a job (arg: attempt)
const E_TIMEOUT = 3; // the client's timer for an attempt (arg: attempt)
const E_RESUME = 4; // the stall ends: workers pick up the line again
const E_SAMPLE = 5;

export function runTokenBucket(p: TokenBucketParams, seed: number, observe?: Observer<EdgeResponse>): Trace {
  const durationMs = p.durationSec * 1000;
  const m = createModel({ simId: 'token-bucket', seed, params: p, durationMs, sampleMs: SAMPLE_MS, series: SERIES_KEYS, budget: EVENT_BUDGET, log: { perKindPerWindow: 3, total: 3000 } });
  const { rng, queue: q, rec, log } = m;
  const stallStartMs = p.stallAtSec * 1000;
  const stallEndMs = stallStartMs + p.stallSec * 1000;
  const edge = new Edge({ ratePerSec: p.limitPerMin / 60, burst: p.burst }, HEADER_STYLES[p.headerStyle] ?? 'draft', observe);
  const clients = new Clients(p);
  const backend = new Backend({ concurrency: p.concurrency, serviceMs: p.serviceMs, stall: p.stallSec > 0 ? { startMs: stallStartMs, endMs: stallEndMs } : null, rng, queue: q, doneKind: E_DONE });

  // One row per logical request (its id in `requests`) and per attempt (its id in `attempts`).
  const req = new Columns(['client', 'write', 'state', 'attempts', 'executions', 'startMs', 'held', 'keyState'] as const);
  const reqBackoff: BackoffState[] = [];
  const att = new Columns(['request'] as const);
  const latencies = new SampleLatencies(rec.count);
  const requests = requestLedger(rec, req, latencies);
  const attempts = attemptLedger(rec);
  const stateSeries = REQUEST_STATES.map((s) => rec.get(`st_${s}`));
  const admittedSeries = CLIENTS.map((c) => rec.get(`admitted_c${c}`));
  const rejectedSeries = CLIENTS.map((c) => rec.get(`rejected_c${c}`));
  // Held, not looked up by name at every attempt: the recorder's series are a dictionary of some forty keys.
  const s_held = rec.get('held');
  const s_retries = rec.get('retries');
  const s_attempts = rec.get('attempts');
  const s_admittedAll = rec.get('admittedAll');
  const s_executions = rec.get('executions');
  const s_duplicates = rec.get('duplicates');
  const s_requests = rec.get('requests');
  const s_backendBusy = rec.get('backendBusy');
  const s_backendQueue = rec.get('backendQueue');
  const bucketSeries = CLIENTS.map((c) => rec.get(`bucket_c${c}`));
  const view: AttemptView = { tokenAvailable: true, shedding: false, mayRetry: false };
  // Every attempt's timer is "now + the timeout": a FIFO lane keeps them out of the heap (see EventQueue).
  const timeoutLane = q.lane(p.timeoutMs);
  const drawn = CLIENTS.filter((c) => clients.active(c));
  const scene = new BucketsSceneRecorder(
    { clients: drawn, capacityTokens: p.burst, refillPerMin: p.limitPerMin, workers: p.concurrency, shedAbove: p.shedding === 1 ? p.shedQueueMax : null },
    rec.count,
    (tMs) => rec.index(tMs),
  );

  const step = (r: number, event: number, tMs: number) => {
    const before = req.col.state[r]!;
    const after = machine.step(before, event, view);
    if (after !== before) {
      req.col.state[r] = after;
      stateSeries[after]![rec.index(tMs)]!++;
      scene.moved(before, after);
    }
    return after;
  };

  const fail = (r: number, tMs: number, hintMs: number | null) => {
    const c = req.col.client[r]!;
    const decision = afterFailure(clients.backoff[c]!, reqBackoff[r]!, rng);
    reqBackoff[r] = decision.state;
    view.mayRetry = decision.sleepMs !== null;
    if (step(r, EV.FAIL, tMs) === S.gaveUp) {
      requests.end(r, GAVE_UP, tMs);
      return;
    }
    const sleepMs = clients.obeys(c) ? honourHint(decision.sleepMs!, hintMs) : decision.sleepMs!;
    q.push(tMs + sleepMs, E_SEND, r);
  };

  const succeed = (r: number, tMs: number) => {
    view.mayRetry = false;
    step(r, EV.REPLY, tMs);
    requests.end(r, req.col.attempts[r] === 1 ? FIRST : RETRIED, tMs);
  };

  /** A new attempt of request r reaches the edge. */
  const send = (r: number, tMs: number) => {
    const c = req.col.client[r]!;
    if (clients.obeys(c) && clients.notBeforeMs[c]! > tMs) {
      // Held on the client: it will not spend an attempt it has been told would fail.
      if (req.col.held[r] === 0) s_held[rec.index(tMs)]!++;
      req.col.held[r] = 1;
      q.push(clients.notBeforeMs[c]!, E_SEND, r);
      return;
    }
    req.col.held[r] = 0;
    clients.sent(c, tMs);
    if (req.col.state[r] === S.backingOff) {
      view.mayRetry = false;
      step(r, EV.TIMER, tMs);
      s_retries[rec.index(tMs)]!++;
    }
    const a = attempts.open();
    att.add();
    att.col.request[a] = r;
    req.col.attempts[r]!++;
    s_attempts[rec.index(tMs)]!++;

    const taken = edge.take(c, tMs);
    view.tokenAvailable = taken.allowed;
    view.shedding = taken.allowed && p.shedding === 1 && backend.waiting >= p.shedQueueMax;
    const to = step(r, EV.ARRIVE, tMs);
    if (to === S.rejected) {
      rejectedSeries[c]![rec.index(tMs)]!++;
      attempts.end(a, REJECTED, tMs);
      const fields = edge.fields(c, taken, taken.nextTokenInMs, tMs);
      scene.refused(c, fields.lines, fields.body, tMs);
      clients.heed(c, fields, tMs);
      logResponse(log, tMs, c, '429 Too Many Requests', '429', fields.lines, fields.body);
      fail(r, tMs, fields.retryAfterSec! * 1000);
      return;
    }
    admittedSeries[c]![rec.index(tMs)]!++;
    scene.passed(c, tMs);
    s_admittedAll[rec.index(tMs)]!++;
    if (to === S.shed) {
      attempts.end(a, SHED, tMs);
      scene.shed(tMs);
      const fields = edge.fields(c, taken, p.shedRetryAfterSec * 1000, tMs);
      clients.heed(c, fields, tMs);
      logResponse(log, tMs, c, '503 Service Unavailable', '503', fields.lines);
      fail(r, tMs, fields.retryAfterSec! * 1000);
      return;
    }
    if (req.col.write[r] === 1 && p.idempotencyKeys === 1) {
      // Claim before work: the key store answers a retry without running it again.
      const key = req.col.keyState[r];
      if (key === KEY_RUNNING) {
        view.mayRetry = false;
        step(r, EV.CONFLICT, tMs);
        attempts.end(a, CONFLICT, tMs);
        logResponse(log, tMs, c, '409 Conflict', '409', [`Idempotency-Key: k${r}`]);
        fail(r, tMs, null);
        return;
      }
      if (key === KEY_DONE) {
        attempts.end(a, REPLAYED, tMs);
        logResponse(log, tMs, c, '200 OK', 'replay', [`Idempotency-Key: k${r}`, 'Idempotent-Replayed: true']);
        succeed(r, tMs);
        return;
      }
      req.col.keyState[r] = KEY_RUNNING;
    }
    backend.enqueue(a);
    q.pushAfter(timeoutLane, tMs, E_TIMEOUT, a);
    backend.startJobs(tMs);
  };

  /** The backend finished attempt a's job: a write runs its side effect even if nobody waits for the answer any more. */
  const onDone = (a: number, tMs: number) => {
    backend.finished();
    const r = att.col.request[a]!;
    const c = req.col.client[r]!;
    if (req.col.write[r] === 1) {
      const runs = ++req.col.executions[r]!;
      s_executions[rec.index(tMs)]!++;
      if (runs > 1) {
        s_duplicates[rec.index(tMs)]!++;
        logDuplicate(log, tMs, c, r, runs);
      }
      if (p.idempotencyKeys === 1) req.col.keyState[r] = KEY_DONE;
    }
    // The client may have timed out already: then this answer reaches nobody.
    if (attempts.isOpen(a)) {
      attempts.end(a, OK, tMs);
      const fields = edge.fields(c, edge.peek(c, tMs), null, tMs);
      clients.heed(c, fields, tMs);
      logResponse(log, tMs, c, '200 OK', '200', fields.lines);
      succeed(r, tMs);
    }
    backend.startJobs(tMs);
  };

  const onTimeout = (a: number, tMs: number) => {
    if (!attempts.isOpen(a)) return; // answered in time
    const r = att.col.request[a]!;
    attempts.end(a, TIMEOUT, tMs);
    scene.timedOut(tMs);
    view.mayRetry = false;
    step(r, EV.TIMEOUT, tMs);
    logTimeout(log, tMs, req.col.client[r]!, p.timeoutMs);
    fail(r, tMs, null);
  };

  const newRequest = (c: number, tMs: number) => {
    const r = requests.open();
    req.add();
    req.col.client[r] = c;
    req.col.write[r] = c !== RUNAWAY && rng.next() * 100 < p.writePct ? 1 : 0;
    req.col.state[r] = S.sending;
    req.col.startMs[r] = tMs;
    reqBackoff[r] = freshBackoff(clients.backoff[c]!);
    s_requests[rec.index(tMs)]!++;
    stateSeries[S.sending]![rec.index(tMs)]!++;
    scene.opened();
    send(r, tMs);
  };

  const scheduleNew = (c: number, fromMs: number) => {
    const t = fromMs + rng.exponential(60_000 / clients.ratePerMin(c));
    if (t < durationMs) q.push(t, E_NEW, c);
  };

  for (const c of CLIENTS) if (clients.active(c)) scheduleNew(c, 0);
  if (p.stallSec > 0) q.push(stallEndMs, E_RESUME, 0);
  q.push(0, E_SAMPLE, 0);

  m.run((tMs, kind, arg) => {
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
        backend.startJobs(tMs);
        break;
      case E_SAMPLE: {
        const i = rec.index(tMs);
        for (const c of CLIENTS) bucketSeries[c]![i] = clients.active(c) ? edge.level(c, tMs) : NaN;
        scene.sample(i, (c) => bucketSeries[c]![i]!, backend.busy, backend.waiting);
        if (tMs + SAMPLE_MS < durationMs) q.push(tMs + SAMPLE_MS, E_SAMPLE, 0);
        break;
      }
    }
    // Peaks, not lucky snapshots: the line and the workers after every event.
    const at = rec.index(tMs);
    if (backend.busy > s_backendBusy[at]!) s_backendBusy[at] = backend.busy;
    if (backend.waiting > s_backendQueue[at]!) s_backendQueue[at] = backend.waiting;
  });

  return m.trace(summarize(p, rec, attempts, requests, req, latencies), { scene: scene.scene() });
}
