/**
 * A fleet of app servers reading through a shared cache (Redis-like) to a
 * database, and the defences against the herd that forms when a hot key
 * expires: single-flight, a fleet lock (SET NX EX with a token), stale-while-
 * revalidate, TTL jitter, XFetch, negative caching and a local cache.
 *
 * Every key's entry steps through the cacheEntry machine (entries.ts). The
 * database runs `dbConcurrency` queries at once and queues the rest, so its
 * latency is an output. Simplifications (also in the article): the cache
 * round trip is a fixed 1 ms, the database is limited only by its concurrency,
 * clocks agree, nothing is evicted, and the hot value never changes.
 *
 * This file is the read path and the wiring; every request's ending goes
 * through one ledger, which throws on a second ending.
 *
 * Cohorts: most reads are answered on arrival and most arrivals come before
 * anything else is due, so the run counts such steps instead of queueing one
 * event each, with the same trace (test/cache-stampede/cohorts.test.ts holds
 * it to the per-entity run, which `perEntity` selects): an answered request's
 * time-out (timeouts.ts) and an arrival due before the queue's next event
 * (arrivals.ts).
 */
import { Columns } from '../core/columns.ts';
import { createModel, SampleLatencies, type Trace } from '../core/index.ts';
import { Database } from './database.ts';
import { CacheEntries, EV, S } from './entries.ts';
import { HotKeyEpisodes } from './episodes.ts';
import * as E from './events.ts';
import { SERIES_KEYS } from './keys.ts';
import { logEarlyRecompute, logLockExpired, logLockReleaseSkipped, logLockWon, logQueryDone, logSharedLoadCancelled, logTimeout } from './log-lines.ts';
import { COALESCED, DB, FRESH, requestLedger, STALE, TIMEOUT } from './outcomes.ts';
import type { CacheStampedeParams } from './params.ts';
import { SingleFlight } from './single-flight.ts';
import { RequestTimeouts } from './timeouts.ts';
import { ArrivalStreams } from './arrivals.ts';
import { CacheSceneRecorder } from './scene.ts';
import { summarize } from './summary.ts';
import { xfetchOutOfReach, xfetchRecomputes } from './xfetch.ts';

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

export interface CacheStampedeRunOptions {
  /** Every time-out and every arrival through the queue, one event each: the reference the cohort run is tested against. */
  perEntity?: boolean;
}

/**
 * Runs as cohorts (answered requests' time-outs and arrivals due before anything else counted, not
 * queued: timeouts.ts, arrivals.ts) unless asked for the per-entity run; both give the same trace.
 * The event budget stops a run at an exact event, which an uncounted one might be, so a cohort run
 * whose count passes the budget runs again per entity, which stops where the budget says.
 */
export function runCacheStampede(p: CacheStampedeParams, seed: number, options: CacheStampedeRunOptions = {}): Trace {
  if (options.perEntity === true) return runOnce(p, seed, false)!;
  return runOnce(p, seed, true) ?? runOnce(p, seed, false)!;
}

/** One run; null when the cohorts' count passes the event budget (the per-entity run then decides where it stops). */
function runOnce(p: CacheStampedeParams, seed: number, cohorts: boolean): Trace | null {
  const durationMs = p.durationSec * 1000;
  const m = createModel({
    simId: 'cache-stampede', seed, params: p, durationMs, sampleMs: SAMPLE_MS, series: SERIES_KEYS, budget: EVENT_BUDGET,
    log: { perKindPerWindow: 4, total: 2500 }, queueCapacity: 4096,
  });
  const { rng, queue: q, rec, log } = m;
  const keys = 1 + p.otherKeys;
  const staleKeepMs = p.swrSec > 0 ? p.swrSec * 1000 : p.fleetLock ? STALE_KEEP_WITH_LOCK_MS : 0;
  const localTtlMs = p.localTtlSec * 1000;

  const entries = new CacheEntries(keys, rec, { lockAcquired: false, fleetLock: p.fleetLock === 1, swrServes: false, earlyRecompute: false, keepsStale: staleKeepMs > 0 });
  const view = entries.view;
  const db = new Database(p.dbConcurrency, p.queryMs, rng, q, rec);
  const flights = new SingleFlight(p.singleFlight === 1, keys);
  const episodes = new HotKeyEpisodes();
  const scene = new CacheSceneRecorder(entries, rec, p);
  /** Each server's own copy of each key, valid until then. */
  const localUntil = new Float64Array(localTtlMs > 0 ? p.servers * keys : 0);
  /** Per missing id: "not found" is cached until then. */
  const negUntil = new Float64Array(MISSING_IDS);
  let nextToken = 1;

  // One row per request; its id in the ledger is its row. `key` is negative for a missing id; `query` is the one it sent.
  // Sized for the run's likely requests (a Poisson mean and four deviations; never more than it has
  // events), so the tables rarely grow.
  const meanRequests = (p.requestsPerSec + (p.otherKeys > 0 ? p.otherKeysPerSec : 0)) * p.durationSec;
  const expectedRequests = Math.min(EVENT_BUDGET, Math.ceil(meanRequests + 4 * Math.sqrt(meanRequests)) + 16);
  const req = new Columns(['arrival', 'server', 'key', 'query'] as const, expectedRequests);
  const latencies = new SampleLatencies(rec.count, expectedRequests);
  const requests = requestLedger(rec, req, latencies, expectedRequests);
  const s_requests = rec.get('requests');
  const s_started = rec.get('queriesStarted');
  const s_hot = rec.get('queriesHot');
  const s_rebuilds = rec.get('hotRebuilds');
  // Time-outs, polls and lock expiries are "now + a fixed delay": FIFO lanes instead of the heap,
  // which then holds only arrivals, queries and expiries (see EventQueue; the order is the same).
  const timeoutLane = q.lane(p.timeoutMs);
  const timeouts = new RequestTimeouts(q, timeoutLane, m.untilMs, requests, cohorts);
  const pollLane = q.lane(POLL_MS);
  const lockLane = q.lane(p.lockTtlSec * 1000);
  // Also in time order: each stream of arrivals (arrivals.ts), the samples, and without TTL jitter the expiries and drops, one TTL (and one
  // stale window) after each write. What is left in the heap is the queries' random service times
  // and jittered expiries: a thousand keys' expiries sat there under every arrival's sift.
  const sampleLane = q.lane(SAMPLE_MS);
  const ttlMs = p.ttlSec * 1000;
  const expireLane = p.ttlJitterPct > 0 ? -1 : q.lane(ttlMs);
  const dropLane = p.ttlJitterPct > 0 ? -1 : q.lane(staleKeepMs);

  // ---- the database and the cache ---------------------------------------------

  const writeKey = (k: number, tMs: number, tookMs: number) => {
    const jitter = p.ttlJitterPct > 0 ? 1 + (rng.next() * 2 - 1) * (p.ttlJitterPct / 100) : 1;
    entries.freshUntil[k] = tMs + p.ttlSec * 1000 * jitter;
    entries.keepUntil[k] = entries.freshUntil[k]! + staleKeepMs;
    entries.deltaMs[k] = tookMs;
    if (expireLane < 0) {
      q.push(entries.freshUntil[k]!, E.E_EXPIRE, k);
      if (staleKeepMs > 0) q.push(entries.keepUntil[k]!, E.E_DROP, k);
    } else {
      // The same times: tMs + ttlMs · 1 is tMs + ttlMs, and keepUntil is freshUntil + staleKeepMs.
      q.pushAfter(expireLane, tMs, E.E_EXPIRE, k);
      if (staleKeepMs > 0) q.pushAfter(dropLane, entries.freshUntil[k]!, E.E_DROP, k);
    }
    entries.step(k, EV.WRITE, tMs);
    if (k === HOT && episodes.written()) s_rebuilds[rec.index(tMs)]!++;
  };

  const startQuery = (k: number, server: number, requester: number, tMs: number, background: boolean, token: number) => {
    timeouts.settle();
    const id = db.add(k, server, requester, tMs, background, token);
    flights.started(id, server, k);
    s_started[rec.index(tMs)]!++;
    scene.queryStarted(server, tMs);
    if (requester >= 0) req.col.query[requester] = id;
    if (k === HOT) {
      s_hot[rec.index(tMs)]!++;
      episodes.query();
    }
    db.submit(id, tMs);
  };

  const onQueryDone = (id: number, tMs: number) => {
    const tookMs = db.complete(id, tMs);
    const qc = db.queries.col;
    const k = qc.key[id]!;
    const server = qc.server[id]!;
    if (k >= 0) {
      writeKey(k, tMs, tookMs);
      const token = qc.token[id]!;
      if (token !== 0) {
        if (entries.lockToken[k] === token && entries.lockUntil[k]! > tMs) {
          entries.lockUntil[k] = 0;
          entries.lockToken[k] = 0;
          scene.lockEnded(k, tMs, 'released');
        } else logLockReleaseSkipped(log, tMs, k);
      }
      if (localTtlMs > 0) localUntil[server * keys + k] = tMs + localTtlMs;
    } else if (p.negativeCaching) {
      negUntil[-k - 1] = tMs + NEGATIVE_TTL_MS;
    }
    const waiters = flights.finished(id, server, k);
    // The requester, or a waiter, may have timed out already: the answer then reaches nobody.
    const requester = qc.requester[id]!;
    if (requester >= 0 && requests.isOpen(requester)) requests.end(requester, DB, tMs);
    for (const w of waiters) if (requests.isOpen(w)) requests.end(w, COALESCED, tMs);
    logQueryDone(log, tMs, k, qc.background[id] === 1, tookMs);
    db.startWaiting(tMs);
  };

  /**
   * Whether SET lock:key NX would succeed now. The machine decides whether this read takes the lock;
   * commitLock then takes it. Checking and taking in two steps is safe here because nothing runs in
   * between (in Redis the single command is what makes it atomic).
   */
  const lockIsFree = (k: number, tMs: number): boolean => p.fleetLock === 1 && entries.lockUntil[k]! <= tMs;
  const commitLock = (k: number, server: number, tMs: number): number => {
    timeouts.settle();
    const token = nextToken++;
    entries.lockUntil[k] = tMs + p.lockTtlSec * 1000;
    entries.lockToken[k] = token;
    scene.lockTaken(k, server, tMs, entries.lockUntil[k]!);
    q.pushAfter(lockLane, tMs, E.E_LOCK_EXPIRE, k);
    logLockWon(log, tMs, k, token, p.lockTtlSec);
    return token;
  };

  const onLockExpire = (k: number, tMs: number) => {
    if (entries.lockUntil[k] !== tMs) return; // taken again since, or released
    entries.lockUntil[k] = 0;
    scene.lockEnded(k, tMs, 'expired');
    const before = entries.state[k]!;
    if (entries.step(k, EV.LOCK_EXPIRE, tMs) !== before) logLockExpired(log, tMs, k, p.lockTtlSec);
  };

  // ---- the read path -------------------------------------------------------------

  /** XFetch's draw for a read of a fresh key: u is drawn every time; its ln only when u could matter. */
  const xfetchDraw = (k: number, tMs: number): boolean => {
    const u = rng.nextOpen();
    const expiryMs = entries.freshUntil[k]!;
    const deltaMs = entries.deltaMs[k]!;
    return !xfetchOutOfReach(tMs, expiryMs, deltaMs, p.xfetchBeta) && xfetchRecomputes(tMs, expiryMs, deltaMs, p.xfetchBeta, u);
  };

  /** Request r, of key k from app server `server`, reads the cache (at arrival, or again after the lock it waited on expired). */
  const read = (r: number, k: number, server: number, tMs: number) => {
    if (k < 0) {
      // A missing id: only negative caching keeps it from the database.
      if (negUntil[-k - 1]! > tMs) requests.end(r, FRESH, tMs + CACHE_MS);
      else startQuery(k, server, r, tMs, false, 0);
      return;
    }
    if (localTtlMs > 0 && localUntil[server * keys + k]! > tMs) {
      requests.end(r, FRESH, tMs);
      return;
    }
    const prev = entries.state[k]!;
    view.earlyRecompute = (prev === S.fresh || prev === S.refreshing) && p.xfetchBeta > 0 && xfetchDraw(k, tMs);
    view.lockAcquired = (prev === S.empty || prev === S.loading || prev === S.stale) && lockIsFree(k, tMs);
    view.swrServes = p.swrSec > 0 && tMs < entries.keepUntil[k]!;
    const next = entries.step(k, EV.REQUEST, tMs);
    if (k === HOT && prev !== S.fresh && prev !== S.refreshing) episodes.begin();
    if (next === S.fresh || (prev === S.refreshing && next === S.refreshing && !view.earlyRecompute)) {
      requests.end(r, FRESH, tMs + CACHE_MS);
      if (localTtlMs > 0) localUntil[server * keys + k] = tMs + localTtlMs;
      return;
    }
    if (next === S.refreshing) {
      // An early recompute (the first of a refresh, or one overlapping it): this reader queries and waits.
      if (k === HOT) episodes.begin();
      logEarlyRecompute(log, tMs, k, entries.freshUntil[k]! - tMs);
      startQuery(k, server, r, tMs, false, 0);
      return;
    }
    if (prev === S.revalidating && next === S.revalidating) {
      requests.end(r, STALE, tMs + CACHE_MS);
      return;
    }
    if (prev === S.stale && next === S.revalidating) {
      if (view.swrServes) {
        // RFC 5861: serve the stale copy now and refresh in the background (guarded by the lock if there is one).
        requests.end(r, STALE, tMs + CACHE_MS);
        startQuery(k, server, -1, tMs, true, view.lockAcquired ? commitLock(k, server, tMs) : 0);
      } else {
        startQuery(k, server, r, tMs, false, commitLock(k, server, tMs));
      }
      return;
    }
    if (next === S.loadingLocked && prev !== S.loadingLocked) {
      startQuery(k, server, r, tMs, false, commitLock(k, server, tMs));
      return;
    }
    const shared = flights.loadOf(server, k);
    if (shared !== undefined) flights.wait(shared, r);
    // Lost the lock with nothing stale to serve and no load here to wait on: look again shortly.
    else if (next === S.loadingLocked) {
      timeouts.settle();
      q.pushAfter(pollLane, tMs, E.E_POLL, r);
    }
    // A plain miss (empty, loading, or stale past its window).
    else startQuery(k, server, r, tMs, false, 0);
  };

  const onPoll = (r: number, tMs: number) => {
    if (!requests.isOpen(r)) return; // timed out while waiting to look again
    const k = req.col.key[r]!;
    const s = entries.state[k]!;
    if (s === S.fresh || s === S.refreshing) requests.end(r, COALESCED, tMs + CACHE_MS);
    else if (s === S.revalidating || s === S.stale) requests.end(r, STALE, tMs + CACHE_MS);
    else if (s === S.loadingLocked) q.pushAfter(pollLane, tMs, E.E_POLL, r);
    else read(r, k, req.col.server[r]!, tMs); // The lock expired: try again like a new read.
  };

  const arrive = (k: number, tMs: number) => {
    const r = requests.open();
    req.add();
    const col = req.col;
    const server = rng.int(p.servers);
    col.arrival[r] = tMs;
    col.server[r] = server;
    col.key[r] = k;
    col.query[r] = -1;
    s_requests[rec.index(tMs)]!++;
    timeouts.arm(r, tMs);
    read(r, k, server, tMs);
    timeouts.settle();
  };

  const onTimeout = (r: number, tMs: number) => {
    if (!requests.isOpen(r)) return; // answered in time
    requests.end(r, TIMEOUT, tMs);
    // Its query, if still in line, is cancelled; a running one finishes and writes.
    const own = req.col.query[r]!;
    const cancelled = own >= 0 && db.cancelIfWaiting(own);
    logTimeout(log, tMs, req.col.key[r]!, p.timeoutMs);
    if (cancelled) abandonLoad(own, tMs);
  };

  /**
   * A load cancelled in line never runs: its server forgets it, so later misses start their own,
   * and those already waiting on it get its caller's error now (Go's singleflight returns fn's
   * error to every duplicate) rather than waiting out their own time-outs for nothing.
   */
  const abandonLoad = (id: number, tMs: number) => {
    const qc = db.queries.col;
    const waiters = flights.finished(id, qc.server[id]!, qc.key[id]!);
    let failed = 0;
    for (const w of waiters) {
      if (!requests.isOpen(w)) continue;
      requests.end(w, TIMEOUT, tMs);
      failed++;
    }
    if (failed > 0) logSharedLoadCancelled(log, tMs, qc.key[id]!, failed);
  };

  // ---- start: every key written at t = 0 ---------------------------------------
  for (let k = 0; k < keys; k++) {
    entries.count(k, S.empty, 0);
    writeKey(k, 0, p.queryMs);
  }
  episodes.forget();
  const streams = new ArrivalStreams({
    queue: q, rng, hotPerSec: p.requestsPerSec, otherPerSec: p.otherKeys > 0 ? p.otherKeysPerSec : 0, durationMs, untilMs: m.untilMs, cohorts,
    arrive: (kind, tMs) => {
      if (kind === E.E_ARRIVE_OTHER) arrive(1 + rng.int(p.otherKeys), tMs);
      else arrive(p.missingPct > 0 && rng.next() * 100 < p.missingPct ? -1 - rng.int(MISSING_IDS) : HOT, tMs);
    },
  });
  streams.start();
  q.push(0, E.E_SAMPLE, 0);

  const run = m.run((tMs, kind, arg) => {
    switch (kind) {
      case E.E_ARRIVE_HOT:
      case E.E_ARRIVE_OTHER:
        streams.handle(kind, tMs);
        break;
      case E.E_QUERY_DONE:
        onQueryDone(arg, tMs);
        break;
      case E.E_TIMEOUT:
        onTimeout(arg, tMs);
        break;
      case E.E_POLL:
        onPoll(arg, tMs);
        break;
      case E.E_EXPIRE:
        if (entries.freshUntil[arg] === tMs) {
          entries.step(arg, EV.EXPIRE, tMs);
          scene.expired(arg, tMs);
        }
        break;
      case E.E_DROP:
        if (entries.keepUntil[arg] === tMs) entries.step(arg, EV.DROP, tMs);
        break;
      case E.E_LOCK_EXPIRE:
        onLockExpire(arg, tMs);
        break;
      case E.E_SAMPLE:
        entries.countAll(tMs);
        db.notePeaks(tMs);
        scene.sample(tMs);
        if (tMs + SAMPLE_MS < durationMs) q.pushAfter(sampleLane, tMs, E.E_SAMPLE, arg + 1);
        break;
    }
  });

  const offQueue = timeouts.offQueue + streams.offQueue;
  if (offQueue > 0) {
    if (run.truncated || run.events + offQueue > EVENT_BUDGET) return null;
    m.countEventsOffQueue(offQueue);
  }
  return m.trace(summarize(rec, requests, latencies, db, episodes, p.dbConcurrency), { scene: scene.scene(run.endMs) });
}
