/**
 * A Linux listening socket under load: clients, the two queues, the
 * application's accept() loop, and the timers on both sides.
 *
 * What it follows (see the article's "What the model leaves out" for the rest):
 * - the effective backlog min(backlog, somaxconn); on a modern kernel it bounds
 *   the SYN queue and the accept queue; on 2.4 the SYN queue is
 *   tcp_max_syn_backlog rounded up to a power of two, at least 64 (limits.ts);
 * - each SYN, ACK and timer goes through the connection-request machine
 *   (machine.ts), whose guards are the kernel's checks (listener.ts);
 * - SYN-ACK and SYN retransmissions start at the kernel's initial timeout
 *   (1 s, or 3 s on 2.4) and double, capped at TCP_RTO_MAX (120 s);
 * - the kernel's pruning: when the SYN queue is more than half full, old
 *   unanswered requests get fewer retries (synackRetryLimit in machine.ts).
 *
 * What it does not do: packet loss other than queue drops, per-CPU details,
 * 2.4's timer sweep that notices an expiry up to about 1.5 s late.
 *
 * This file is the wiring: the skeleton, the attempt store and its ledger,
 * the two sides of the handshake, and which handler each event goes to.
 *
 * Cohorts: thousands of broken clients and spoofed sources behave alike, and
 * much of what they do changes nothing but counters. The run handles those
 * steps as cohorts, counted rather than queued one event each, with the same
 * trace (test/syn-queue/cohorts.test.ts holds it to the per-entity run, which
 * `perEntity` selects): a broken client's retransmission timers, SYN-ACKs
 * reaching it and SYNs that find its request still held (clients.ts,
 * off-queue.ts), and the SYN-ACK retransmissions a broken or spoofed request
 * is sure to get (fixed-resends.ts), a legitimate client's timer after its
 * SYN was dropped, when it is sure to resend (clients.ts synDropped), every
 * arrival, handled with its first SYN at the server (clients.ts arriveAtServer),
 * a new request's SYN-ACK reaching a legitimate client, whose ACK is queued
 * when the SYN-ACK is sent (clients.ts answerSynAck), and an idle application's
 * accept() of a connection just established (listener.ts enterAcceptQueue).
 * Every decision that reads the queues stays one event each.
 */
import { Ledger, SampleLatencies, createModel, type Observer, type Trace } from '../core/index.ts';
import { Attempts, keepForReuse, reusedAttempts } from './attempts.ts';
import { Clients, expectedAttempts, expectedLegitAttempts } from './clients.ts';
import {
  E_ACK_AT_SERVER, E_APP_ACCEPT, E_ARRIVE, E_CLIENT_TIMER, E_RST_AT_CLIENT, E_SAMPLE, E_SERVER_TIMER,
  E_SYNACK_AT_CLIENT, E_SYN_AT_SERVER,
} from './events.ts';
import { BROKEN, CLASSES, OUTCOMES, SERIES_KEYS, SPOOFED, type ClientClass, type Outcome } from './keys.ts';
import { queueLimits } from './limits.ts';
import { Listener } from './listener.ts';
import { SynQueueLog } from './log-lines.ts';
import { FixedResends } from './fixed-resends.ts';
import { BudgetPassed, EventsOffQueue } from './off-queue.ts';
import { SynQueueSceneRecorder } from './scene.ts';
import type { SynQueueParams } from './params.ts';
import { countEndingsPerSample, summarize } from './summary.ts';

export const SAMPLE_MS = 1000;
/** Events a run may handle before it stops and says so: keeps a slider drag from hanging the tab. */
export const EVENT_BUDGET = 2_000_000;

/** What a test may see of a finished run: the attempt store and the ledger that recorded its endings. */
export interface SynQueueRunEnd {
  attempts: Attempts;
  ledger: Ledger<Outcome, ClientClass>;
  /** Events the run counted without queueing them (0 in the per-entity run). */
  eventsOffQueue: number;
}

export interface SynQueueRunOptions {
  /** Every event through the queue, one per entity and step: the reference the cohort run is tested against. */
  perEntity?: boolean;
}

/**
 * Runs as cohorts (events that change nothing but the count are counted, not queued: off-queue.ts)
 * unless asked for the per-entity run; both give the same trace. A cohort run that would pass the
 * event budget runs again per entity, which stops at the budget's exact event.
 */
export function runSynQueue(p: SynQueueParams, seed: number, observe?: Observer<SynQueueRunEnd>, options: SynQueueRunOptions = {}): Trace {
  if (options.perEntity === true) return runOnce(p, seed, observe, false);
  try {
    return runOnce(p, seed, observe, true);
  } catch (e) {
    if (e instanceof BudgetPassed) return runOnce(p, seed, observe, false);
    throw e;
  }
}

function runOnce(p: SynQueueParams, seed: number, observe: Observer<SynQueueRunEnd>, cohorts: boolean): Trace {
  const limits = queueLimits(p);
  const durationMs = p.durationSec * 1000;
  const m = createModel({
    simId: 'syn-queue', seed, params: p, durationMs, sampleMs: SAMPLE_MS, series: SERIES_KEYS, budget: EVENT_BUDGET,
    log: { perKindPerWindow: 3, total: 2500 }, queueCapacity: 4096,
  });
  const { rng, queue, rec } = m;
  // Every packet takes the same one-way time, so deliveries go through a FIFO lane (see EventQueue).
  const net = queue.lane(p.rttMs / 2);
  // Each attempt is at least one event, so a run stopped by its budget never needs more rows than that.
  const expected = Math.min(EVENT_BUDGET, expectedAttempts(p, durationMs));
  const attempts = observe === undefined ? reusedAttempts(expected) : new Attempts(expected);
  const ledger = new Ledger(OUTCOMES, CLASSES, expected);
  // Only accepted legitimate attempts have a latency: a flood's spoofed sources needed no room here.
  const latencies = new SampleLatencies(rec.count, Math.min(expected, expectedLegitAttempts(p, durationMs)));
  countEndingsPerSample(ledger, rec, attempts, latencies);
  const lines = new SynQueueLog(m.log, attempts, p, limits);
  const offQueue = cohorts ? new EventsOffQueue(m.untilMs) : null;
  const parts = { p, limits, rng, queue, net, rec, attempts, ledger, lines, offQueue };
  const clients = new Clients(parts, durationMs);
  const scene = new SynQueueSceneRecorder(p, limits);
  const resends = offQueue !== null && p.tcp_synack_retries > 0 ? new FixedResends(parts, offQueue, m.untilMs) : null;
  const listener = new Listener(parts, clients, scene, resends);

  clients.start();
  queue.push(0, E_SAMPLE, 0);
  let handled = 0;
  m.run((tMs, kind, i) => {
    if (offQueue !== null && ++handled + offQueue.count > EVENT_BUDGET) throw new BudgetPassed();
    if (resends !== null && tMs >= resends.nextDueMs) listener.catchUp(tMs);
    switch (kind) {
      case E_ARRIVE:
      case E_ARRIVE + BROKEN:
      case E_ARRIVE + SPOOFED:
        if (offQueue === null) clients.arrive(kind - E_ARRIVE, tMs);
        else listener.onSyn(clients.arriveAtServer(kind - E_ARRIVE, tMs), tMs);
        break;
      case E_SYN_AT_SERVER: listener.onSyn(i, tMs); break;
      case E_SYNACK_AT_CLIENT: clients.onSynAck(i, tMs); break;
      case E_ACK_AT_SERVER: listener.onAck(i, tMs); break;
      case E_RST_AT_CLIENT: clients.onRst(i, tMs); break;
      case E_SERVER_TIMER: listener.onTimer(i, tMs); break;
      case E_CLIENT_TIMER: clients.onTimer(i, tMs); break;
      case E_APP_ACCEPT: listener.onAppAccept(tMs); break;
      case E_SAMPLE:
        listener.sample(tMs);
        queue.pushAfter(queue.laneFor(SAMPLE_MS), tMs, E_SAMPLE, 0);
        break;
    }
  });
  if (offQueue !== null) {
    clients.arrivalsDueBy(m.untilMs);
    if (handled + offQueue.count > EVENT_BUDGET) throw new BudgetPassed();
    m.countEventsOffQueue(offQueue.count);
    // The last sample already applied every retransmission due by the end; this keeps the attempt store a test observes whole.
    listener.catchUp(m.untilMs);
  }
  observe?.({ attempts, ledger, eventsOffQueue: offQueue?.count ?? 0 });

  const trace = m.trace(
    summarize({
      p, limits, rec, ledger, attempts, latencies,
      peakSynQueue: listener.peakSynQueue,
      peakAcceptQueue: listener.peakAcceptQueue,
      synQueueAtEnd: listener.synQueueLen,
      acceptQueueAtEnd: listener.acceptQueueLen,
      expiredHeldMs: listener.expiredHeldMs,
      connectTimeoutMs: clients.connectTimeoutMs,
    }),
    { scene: scene.finish(rec) },
  );
  if (observe === undefined) keepForReuse(attempts);
  return trace;
}
