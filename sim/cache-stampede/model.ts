/**
 * A fleet of app servers reading through a shared cache (Redis-like) to a
 * database, and the defences against the herd that forms when a hot key
 * expires: single-flight, a fleet lock (SET NX EX with a token), stale-while-
 * revalidate, TTL jitter, XFetch, negative caching and a local cache.
 *
 * Every key's entry steps through the cacheEntry machine (machine.ts). The
 * database runs `dbConcurrency` queries at once and queues the rest, so its
 * latency is an output. Simplifications (also in the article): the cache
 * round trip is a fixed 1 ms, the database is limited only by its concurrency,
 * clocks agree, nothing is evicted, and the hot value never changes.
 */
import {
  EventQueue,
  EventLog,
  SeriesRecorder,
  compileMachine,
  createRng,
  traceOfRun,
  ln,
  logClock,
  percentile,
  runEvents,
  type Trace,
} from '../core/index.ts';
import { cacheEntryMachine, entryGuards, type EntryView } from './machine.ts';
import type { CacheStampedeParams } from './params.ts';

export const SAMPLE_MS = 1000;
export const EVENT_BUDGET = 2_000_000;
/** Round trip to the shared cache, added to every request that reaches it. */
export const CACHE_MS = 1;
/** How often a request that lost the lock, with nothing stale to serve, looks at the cache again. */
export const POLL_MS = 50;
/** The source caches "not found" for 10 s. */
export const NEGATIVE_TTL_MS = 10_000;
/** With the fleet lock and no SWR window, how long an expired value is kept for the lock's losers to serve. */
export const STALE_KEEP_WITH_LOCK_MS = 60_000;
const MISSING_IDS = 100;
const HOT = 0;

const machine = compileMachine<EntryView>(cacheEntryMachine, entryGuards);
const S = machine.stateIndex as Record<'empty' | 'loading' | 'loadingLocked' | 'fresh' | 'refreshing' | 'stale' | 'revalidating', number>;
const EV = machine.eventIndex as Record<'REQUEST' | 'EXPIRE' | 'WRITE' | 'DROP' | 'LOCK_EXPIRE', number>;
export const ENTRY_STATES = machine.info.states.map((s) => s.id);

/**
 * XFetch (Vattani, Chierichetti, Lowenstein, VLDB 2015): recompute when
 * now − delta·beta·ln(u) ≥ expiry, u uniform in (0, 1]. With gap = expiry − now,
 * the chance is exp(−gap / (delta·beta)).
 */
export function xfetchRecomputes(nowMs: number, expiryMs: number, deltaMs: number, beta: number, u: number): boolean {
  return nowMs - deltaMs * beta * ln(u) >= expiryMs;
}

const O_FRESH = 1;
const O_STALE = 2;
const O_COALESCED = 3;
const O_DB = 4;
const O_TIMEOUT = 5;
export const OUTCOMES = ['freshHit', 'staleHit', 'coalesced', 'dbQuery', 'timeout'] as const;
const OUTCOME_SERIES = ['', 'freshHit', 'staleHit', 'coalesced', 'dbQuery', 'timeout'] as const;

const E_ARRIVE_HOT = 0;
const E_ARRIVE_OTHER = 1;
const E_QUERY_DONE = 2;
const E_TIMEOUT = 3;
const E_POLL = 4;
const E_EXPIRE = 5;
const E_DROP = 6;
const E_LOCK_EXPIRE = 7;
const E_SAMPLE = 8;

export const SERIES_KEYS = [
  'requests', 'freshHit', 'staleHit', 'coalesced', 'dbQuery', 'timeout',
  'queriesStarted', 'queriesHot', 'hotRebuilds', 'dbInFlight', 'dbQueue', 'hitRatioPct',
  'latencyP50Sec', 'latencyP99Sec', 'dbLatencyP99Sec',
  ...ENTRY_STATES.map((s) => `st_${s}`),
] as const;

/** Growable parallel arrays: one row per request or per query. */
class Table {
  n = 0;
  private readonly columns: Record<string, Float64Array> = {};
  constructor(names: readonly string[]) {
    for (const name of names) this.columns[name] = new Float64Array(1024);
  }
  col(name: string): Float64Array {
    return this.columns[name]!;
  }
  add(): number {
    if (this.n === this.columns[Object.keys(this.columns)[0]!]!.length) {
      for (const [name, old] of Object.entries(this.columns)) {
        const next = new Float64Array(old.length * 2);
        next.set(old);
        this.columns[name] = next;
      }
    }
    return this.n++;
  }
}

// The source's log starts at noon; so does ours.
const clock = (tMs: number) => logClock(tMs, 12 * 3_600_000);

export function runCacheStampede(p: CacheStampedeParams, seed: number): Trace {
  const rng = createRng(seed);
  const durationMs = p.durationSec * 1000;
  const keys = 1 + p.otherKeys;
  const q = new EventQueue(4096);
  const rec = new SeriesRecorder(SERIES_KEYS, durationMs, SAMPLE_MS);
  const log = new EventLog({ perKindPerWindow: 4, total: 2500 });
  const staleKeepMs = p.swrSec > 0 ? p.swrSec * 1000 : p.fleetLock ? STALE_KEEP_WITH_LOCK_MS : 0;
  const keyName = (k: number) => (k === HOT ? 'widgets:top' : `widgets:${k}`);

  // Per key.
  const state = new Uint8Array(keys);
  const freshUntil = new Float64Array(keys);
  const keepUntil = new Float64Array(keys);
  const deltaMs = new Float64Array(keys);
  const lockUntil = new Float64Array(keys);
  const lockToken = new Float64Array(keys);
  // Per server and key.
  const localUntil = new Float64Array(p.localTtlSec > 0 ? p.servers * keys : 0);
  const inflight = new Map<number, number>();
  // Per missing id.
  const negUntil = new Float64Array(MISSING_IDS);

  const req = new Table(['arrival', 'server', 'key', 'outcome', 'query']);
  const qry = new Table(['key', 'server', 'enqueued', 'started', 'requester', 'cancelled', 'token', 'background']);
  const waiters: number[][] = [];
  const dbQueue: number[] = [];
  let dbHead = 0;
  let dbRunning = 0;
  let nextToken = 1;

  const latencies: number[][] = Array.from({ length: rec.count }, () => []);
  const dbLatencies: number[][] = Array.from({ length: rec.count }, () => []);
  const allLatencies: number[] = [];
  const stSeries = ENTRY_STATES.map((s) => rec.get(`st_${s}`));
  const lastCounted = ENTRY_STATES.map(() => new Int32Array(keys).fill(-1));
  const outcomeSeries = OUTCOME_SERIES.map((name) => (name ? rec.get(name) : null));
  const s_requests = rec.get('requests');
  const s_started = rec.get('queriesStarted');
  const s_hot = rec.get('queriesHot');
  const s_inflight = rec.get('dbInFlight');
  const s_rebuilds = rec.get('hotRebuilds');
  const s_queue = rec.get('dbQueue');

  // Queries per expiry of the hot key: an episode opens at the first read that finds it not fresh
  // (or recomputes early) and closes at the next write.
  let episodeOpen = false;
  let episodeQueries = 0;
  const episodes: number[] = [];

  const view: EntryView = { lockAcquired: false, fleetLock: p.fleetLock === 1, swrServes: false, earlyRecompute: false, keepsStale: staleKeepMs > 0 };

  const countState = (k: number, s: number, tMs: number) => {
    const i = rec.index(tMs);
    if (lastCounted[s]![k] !== i) {
      lastCounted[s]![k] = i;
      stSeries[s]![i]!++;
    }
  };
  const setState = (k: number, s: number, tMs: number) => {
    if (state[k] !== s) {
      state[k] = s;
      countState(k, s, tMs);
    }
  };
  const step = (k: number, event: number, tMs: number) => {
    const next = machine.step(state[k]!, event, view);
    setState(k, next, tMs);
    return next;
  };

  const noteDb = (tMs: number) => {
    const i = rec.index(tMs);
    if (dbRunning > s_inflight[i]!) s_inflight[i] = dbRunning;
    const waiting = dbQueue.length - dbHead;
    if (waiting > s_queue[i]!) s_queue[i] = waiting;
  };

  const finish = (r: number, tMs: number, outcome: number) => {
    const out = req.col('outcome');
    if (out[r] !== 0) return;
    out[r] = outcome;
    const i = rec.index(tMs);
    outcomeSeries[outcome]![i]!++;
    if (outcome !== O_TIMEOUT) latencies[i]!.push((tMs - req.col('arrival')[r]!) / 1000);
  };

  // ---- the database ---------------------------------------------------------

  const writeKey = (k: number, tMs: number, took: number) => {
    const jitter = p.ttlJitterPct > 0 ? 1 + (rng.next() * 2 - 1) * (p.ttlJitterPct / 100) : 1;
    freshUntil[k] = tMs + p.ttlSec * 1000 * jitter;
    keepUntil[k] = freshUntil[k]! + staleKeepMs;
    deltaMs[k] = took;
    q.push(freshUntil[k]!, E_EXPIRE, k);
    if (staleKeepMs > 0) q.push(keepUntil[k]!, E_DROP, k);
    step(k, EV.WRITE, tMs);
    if (k === HOT && episodeOpen) {
      episodes.push(episodeQueries);
      episodeOpen = false;
      s_rebuilds[rec.index(tMs)]!++;
    }
  };

  const startQuery = (key: number, server: number, requester: number, tMs: number, background: boolean, token: number): number => {
    const id = qry.add();
    qry.col('key')[id] = key;
    qry.col('server')[id] = server;
    qry.col('enqueued')[id] = tMs;
    qry.col('requester')[id] = requester;
    qry.col('cancelled')[id] = 0;
    qry.col('token')[id] = token;
    qry.col('started')[id] = -1;
    qry.col('background')[id] = background ? 1 : 0;
    waiters[id] = [];
    s_started[rec.index(tMs)]!++;
    if (requester >= 0) req.col('query')[requester] = id;
    if (key === HOT) {
      s_hot[rec.index(tMs)]!++;
      if (episodeOpen) episodeQueries++;
    }
    if (p.singleFlight && key >= 0) inflight.set(server * keys + key, id);
    if (dbRunning < p.dbConcurrency) run(id, tMs);
    else dbQueue.push(id);
    noteDb(tMs);
    return id;
  };

  const run = (id: number, tMs: number) => {
    dbRunning++;
    qry.col('started')[id] = tMs;
    const service = p.queryMs * (0.9 + 0.2 * rng.next());
    q.push(tMs + service, E_QUERY_DONE, id);
  };

  const onQueryDone = (id: number, tMs: number) => {
    dbRunning--;
    const key = qry.col('key')[id]!;
    const server = qry.col('server')[id]!;
    const took = tMs - qry.col('enqueued')[id]!;
    dbLatencies[rec.index(tMs)]!.push(took / 1000);
    if (key >= 0) {
      writeKey(key, tMs, took);
      const token = qry.col('token')[id]!;
      if (token !== 0) {
        if (lockToken[key] === token && lockUntil[key]! > tMs) {
          lockUntil[key] = 0;
          lockToken[key] = 0;
        } else if (log.wants(tMs, 'lock')) {
          log.write(tMs, 'lock', `${clock(tMs)}  LOCK  key=${keyName(key)}  release skipped: the lock expired and is no longer ours`);
        } else log.skip();
      }
      if (p.localTtlSec > 0) localUntil[server * keys + key] = tMs + p.localTtlSec * 1000;
    } else if (p.negativeCaching) {
      negUntil[-key - 1] = tMs + NEGATIVE_TTL_MS;
    }
    if (p.singleFlight && key >= 0 && inflight.get(server * keys + key) === id) inflight.delete(server * keys + key);
    const requester = qry.col('requester')[id]!;
    if (requester >= 0) finish(requester, tMs, O_DB);
    for (const w of waiters[id]!) finish(w, tMs, O_COALESCED);
    waiters[id] = [];
    if (log.wants(tMs, 'miss')) {
      const name = key >= 0 ? keyName(key) : `widgets:missing-${-key - 1}`;
      const how = qry.col('background')[id] ? 'BG  ' : 'MISS';
      log.write(tMs, 'miss', `${clock(tMs)}  ${how}  key=${name}  -> db query ${Math.round(took)}ms${key < 0 ? ' (not found)' : ''}`);
    } else log.skip();
    // The next query in line, skipping those whose requester gave up before it started.
    while (dbHead < dbQueue.length && dbRunning < p.dbConcurrency) {
      const next = dbQueue[dbHead++]!;
      if (qry.col('cancelled')[next] === 1) continue;
      run(next, tMs);
    }
    if (dbHead > 4096 && dbHead * 2 > dbQueue.length) {
      dbQueue.splice(0, dbHead);
      dbHead = 0;
    }
    noteDb(tMs);
  };

  // ---- requests --------------------------------------------------------------

  /**
   * Whether SET lock:key NX would succeed now. The machine decides whether this read takes the lock;
   * commitLock then takes it. Checking and taking in two steps is safe here because nothing runs in
   * between (in Redis the single command is what makes it atomic).
   */
  const lockIsFree = (k: number, tMs: number): boolean => p.fleetLock === 1 && lockUntil[k]! <= tMs;
  const commitLock = (k: number, tMs: number): number => {
    const token = nextToken++;
    lockUntil[k] = tMs + p.lockTtlSec * 1000;
    lockToken[k] = token;
    q.push(lockUntil[k]!, E_LOCK_EXPIRE, k);
    if (log.wants(tMs, 'lock')) log.write(tMs, 'lock', `${clock(tMs)}  LOCK  key=${keyName(k)}  SET NX EX ${p.lockTtlSec} won: rebuilding`);
    else log.skip();
    return token;
  };

  /** A miss that waits on this server's single-flight load if there is one; otherwise it queries the database itself. */
  const missOrWait = (r: number, k: number, server: number, tMs: number) => {
    const shared = p.singleFlight ? inflight.get(server * keys + k) : undefined;
    if (shared !== undefined) waiters[shared]!.push(r);
    else startQuery(k, server, r, tMs, false, 0);
  };

  const read = (r: number, tMs: number) => {
    const k = req.col('key')[r]!;
    const server = req.col('server')[r]!;
    if (k < 0) {
      // A missing id: only negative caching keeps it from the database.
      if (negUntil[-k - 1]! > tMs) finish(r, tMs + CACHE_MS, O_FRESH);
      else startQuery(k, server, r, tMs, false, 0);
      return;
    }
    if (p.localTtlSec > 0 && localUntil[server * keys + k]! > tMs) {
      finish(r, tMs, O_FRESH);
      return;
    }
    const prev = state[k]!;
    view.earlyRecompute =
      (prev === S.fresh || prev === S.refreshing) && p.xfetchBeta > 0 && xfetchRecomputes(tMs, freshUntil[k]!, deltaMs[k]!, p.xfetchBeta, rng.nextOpen());
    view.lockAcquired = (prev === S.empty || prev === S.loading || prev === S.stale) && lockIsFree(k, tMs);
    view.swrServes = p.swrSec > 0 && tMs < keepUntil[k]!;
    const next = step(k, EV.REQUEST, tMs);
    if (k === HOT && !episodeOpen && prev !== S.fresh && prev !== S.refreshing) {
      episodeOpen = true;
      episodeQueries = 0;
    }
    if (next === S.fresh || (prev === S.refreshing && next === S.refreshing && !view.earlyRecompute)) {
      finish(r, tMs + CACHE_MS, O_FRESH);
      if (p.localTtlSec > 0) localUntil[server * keys + k] = tMs + p.localTtlSec * 1000;
      return;
    }
    if (next === S.refreshing) {
      // An early recompute (the first of a refresh, or one overlapping it): this reader queries and waits.
      if (k === HOT && !episodeOpen) {
        episodeOpen = true;
        episodeQueries = 0;
      }
      if (log.wants(tMs, 'early')) log.write(tMs, 'early', `${clock(tMs)}  EARLY key=${keyName(k)}  XFetch recompute ${((freshUntil[k]! - tMs) / 1000).toFixed(2)} s before expiry`);
      else log.skip();
      startQuery(k, server, r, tMs, false, 0);
      return;
    }
    if (prev === S.revalidating && next === S.revalidating) {
      finish(r, tMs + CACHE_MS, O_STALE);
      return;
    }
    if (prev === S.stale && next === S.revalidating) {
      if (view.swrServes) {
        // RFC 5861: serve the stale copy now and refresh in the background (guarded by the lock if there is one).
        finish(r, tMs + CACHE_MS, O_STALE);
        startQuery(k, server, -1, tMs, true, view.lockAcquired ? commitLock(k, tMs) : 0);
      } else {
        startQuery(k, server, r, tMs, false, commitLock(k, tMs));
      }
      return;
    }
    if (next === S.loadingLocked && prev !== S.loadingLocked) {
      startQuery(k, server, r, tMs, false, commitLock(k, tMs));
      return;
    }
    if (next === S.loadingLocked) {
      // Lost the lock with nothing stale to serve: wait on this server's load, or look again shortly.
      const shared = p.singleFlight ? inflight.get(server * keys + k) : undefined;
      if (shared !== undefined) waiters[shared]!.push(r);
      else q.push(tMs + POLL_MS, E_POLL, r);
      return;
    }
    // Plain miss (empty, loading, or stale past its window).
    missOrWait(r, k, server, tMs);
  };

  const onPoll = (r: number, tMs: number) => {
    if (req.col('outcome')[r] !== 0) return;
    const k = req.col('key')[r]!;
    const s = state[k]!;
    if (s === S.fresh || s === S.refreshing) finish(r, tMs + CACHE_MS, O_COALESCED);
    else if (s === S.revalidating || s === S.stale) finish(r, tMs + CACHE_MS, O_STALE);
    else if (s === S.loadingLocked) q.push(tMs + POLL_MS, E_POLL, r);
    else read(r, tMs); // The lock expired: try again like a new read.
  };

  const arrive = (k: number, tMs: number) => {
    const r = req.add();
    req.col('arrival')[r] = tMs;
    req.col('server')[r] = rng.int(p.servers);
    req.col('key')[r] = k;
    req.col('outcome')[r] = 0;
    req.col('query')[r] = -1;
    s_requests[rec.index(tMs)]!++;
    q.push(tMs + p.timeoutMs, E_TIMEOUT, r);
    read(r, tMs);
  };

  const onTimeout = (r: number, tMs: number) => {
    if (req.col('outcome')[r] !== 0) return;
    finish(r, tMs, O_TIMEOUT);
    // Its query, if still in line, is cancelled; a running one finishes and writes.
    const own = req.col('query')[r]!;
    if (own >= 0 && qry.col('started')[own] === -1) qry.col('cancelled')[own] = 1;
    if (log.wants(tMs, 'timeout')) log.write(tMs, 'timeout', `${clock(tMs)}  ERR   key=${keyName(Math.max(0, req.col('key')[r]!))}  timed out after ${p.timeoutMs}ms`);
    else log.skip();
  };

  // ---- start: every key written at t = 0 ---------------------------------------
  for (let k = 0; k < keys; k++) {
    countState(k, S.empty, 0);
    writeKey(k, 0, p.queryMs);
  }
  // The initial writes are not an expiry episode of their own.
  episodes.length = 0;
  const schedule = (kind: number, ratePerSec: number, fromMs: number) => {
    if (ratePerSec <= 0) return;
    const t = fromMs + rng.exponential(1000 / ratePerSec);
    if (t < durationMs) q.push(t, kind, 0);
  };
  schedule(E_ARRIVE_HOT, p.requestsPerSec, 0);
  if (p.otherKeys > 0) schedule(E_ARRIVE_OTHER, p.otherKeysPerSec, 0);
  q.push(0, E_SAMPLE, 0);

  const result = runEvents(q, durationMs, EVENT_BUDGET, (tMs, kind, arg) => {
    switch (kind) {
      case E_ARRIVE_HOT: {
        const missing = p.missingPct > 0 && rng.next() * 100 < p.missingPct;
        arrive(missing ? -1 - rng.int(MISSING_IDS) : HOT, tMs);
        schedule(E_ARRIVE_HOT, p.requestsPerSec, tMs);
        break;
      }
      case E_ARRIVE_OTHER:
        arrive(1 + rng.int(p.otherKeys), tMs);
        schedule(E_ARRIVE_OTHER, p.otherKeysPerSec, tMs);
        break;
      case E_QUERY_DONE:
        onQueryDone(arg, tMs);
        break;
      case E_TIMEOUT:
        onTimeout(arg, tMs);
        break;
      case E_POLL:
        onPoll(arg, tMs);
        break;
      case E_EXPIRE:
        if (freshUntil[arg] === tMs) step(arg, EV.EXPIRE, tMs);
        break;
      case E_DROP:
        if (keepUntil[arg] === tMs) step(arg, EV.DROP, tMs);
        break;
      case E_LOCK_EXPIRE:
        if (lockUntil[arg] === tMs) {
          lockUntil[arg] = 0;
          const before = state[arg]!;
          const after = step(arg, EV.LOCK_EXPIRE, tMs);
          if (after !== before && log.wants(tMs, 'lock')) {
            log.write(tMs, 'lock', `${clock(tMs)}  LOCK  key=${keyName(arg)}  expired after ${p.lockTtlSec}s with the rebuild still running`);
          } else if (after !== before) log.skip();
        }
        break;
      case E_SAMPLE: {
        const i = rec.index(tMs);
        for (let k = 0; k < keys; k++) countState(k, state[k]!, tMs);
        noteDb(tMs);
        if (tMs + SAMPLE_MS < durationMs) q.push(tMs + SAMPLE_MS, E_SAMPLE, i + 1);
        break;
      }
    }
  });

  // Per-sample ratios and percentiles.
  const hit = rec.get('hitRatioPct');
  const p50 = rec.get('latencyP50Sec');
  const p99 = rec.get('latencyP99Sec');
  const dbp99 = rec.get('dbLatencyP99Sec');
  for (let i = 0; i < rec.count; i++) {
    const served = rec.get('freshHit')[i]! + rec.get('staleHit')[i]!;
    const ended = served + rec.get('coalesced')[i]! + rec.get('dbQuery')[i]! + rec.get('timeout')[i]!;
    hit[i] = ended > 0 ? (100 * served) / ended : NaN;
    const lat = latencies[i]!.sort((a, b) => a - b);
    p50[i] = percentile(lat, 0.5);
    p99[i] = percentile(lat, 0.99);
    for (const v of lat) allLatencies.push(v);
    dbp99[i] = percentile(dbLatencies[i]!.sort((a, b) => a - b), 0.99);
  }
  allLatencies.sort((a, b) => a - b);

  const totals: Record<string, number> = { attempts: req.n };
  for (const name of OUTCOMES) totals[name] = 0;
  totals.pending = 0;
  const out = req.col('outcome');
  for (let r = 0; r < req.n; r++) {
    const o = out[r]!;
    if (o === 0) totals.pending!++;
    else totals[OUTCOME_SERIES[o]!]!++;
  }
  const queries = qry.n;
  const hotQueries = rec.get('queriesHot').reduce((a, b) => a + b, 0);
  const summary: Record<string, number> = {
    ...totals,
    dbQueries: queries,
    dbQueriesHot: hotQueries,
    readsPerQuery: queries > 0 ? req.n / queries : NaN,
    expiries: episodes.length,
    queriesPerExpiry: episodes.length > 0 ? episodes.reduce((a, b) => a + b, 0) / episodes.length : NaN,
    maxQueriesPerExpiry: episodes.length > 0 ? Math.max(...episodes) : NaN,
    peakDbInFlight: Math.max(...rec.get('dbInFlight')),
    peakDbQueue: Math.max(...rec.get('dbQueue')),
    dbConcurrency: p.dbConcurrency,
    latencyP50Ms: percentile(allLatencies, 0.5) * 1000,
    latencyP99Ms: percentile(allLatencies, 0.99) * 1000,
    hitRatioPct: req.n > 0 ? (100 * (totals.freshHit! + totals.staleHit!)) / req.n : NaN,
  };

  return traceOfRun({ simId: 'cache-stampede', seed, params: p, durationMs, recorder: rec, log, summary, result, budget: EVENT_BUDGET });
}
