/**
 * A Linux listening socket under load: clients, the two queues, the
 * application's accept() loop, and the timers on both sides.
 *
 * What it follows (see the article's "What the model leaves out" for the rest):
 * - the effective backlog min(backlog, somaxconn); on a modern kernel it bounds
 *   the SYN queue and the accept queue; on 2.4 the SYN queue is
 *   tcp_max_syn_backlog rounded up to a power of two, at least 64;
 * - each SYN, ACK and timer goes through the connection-request machine
 *   (machine.ts), whose guards are the kernel's checks;
 * - SYN-ACK and SYN retransmissions start at the kernel's initial timeout
 *   (1 s, or 3 s on 2.4) and double, capped at TCP_RTO_MAX (120 s).
 *
 * - the kernel's pruning: when the SYN queue is more than half full, old
 *   unanswered requests get fewer retries (synackRetryLimit in machine.ts).
 *
 * What it does not do: packet loss other than queue drops, per-CPU details,
 * 2.4's timer sweep that notices an expiry up to about 1.5 s late.
 */
import {
  EventQueue,
  EventLog,
  SeriesRecorder,
  compileMachine,
  createRng,
  traceOfRun,
  percentile,
  runEvents,
  type Trace,
} from '../core/index.ts';
import { connectionRequestMachine, listenerGuards, type ListenerView } from './machine.ts';
import type { SynQueueParams } from './params.ts';

export const SAMPLE_MS = 1000;
/** Events a run may handle before it stops and says so: keeps a slider drag from hanging the tab. */
export const EVENT_BUDGET = 2_000_000;
const TCP_RTO_MAX_MS = 120_000;
/** Distinct legitimate client hosts; a host that completed a connection counts as proven (tcp_peer_is_proven). */
const LEGIT_HOSTS = 20000;
const SERVER_PORT = 143;

const machine = compileMachine<ListenerView>(connectionRequestMachine, listenerGuards);
const EV_SYN = machine.eventIndex.SYN!;
const EV_ACK = machine.eventIndex.ACK!;
const EV_TIMEOUT = machine.eventIndex.TIMEOUT!;
const EV_ACCEPT = machine.eventIndex.ACCEPT!;
const S = machine.stateIndex as Record<
  | 'listen' | 'synReceived' | 'synAckSent' | 'retransmitting' | 'cookieSent' | 'established'
  | 'queuedForAccept' | 'accepted' | 'expired' | 'reset' | 'dropped',
  number
>;

/** Who is connecting. */
const CLS = { LEGIT: 0, BROKEN: 1, SPOOFED: 2 } as const;
const CLASS_NAMES = ['legit', 'broken', 'spoofed'] as const;

/** The client's side of an attempt. */
const CLI_SYN_SENT = 0;
const CLI_ESTABLISHED = 1;
const CLI_DONE = 2;

/** Outcomes, per attempt; 0 means none yet (pending). */
export const OUTCOMES = {
  legit: ['accepted', 'acceptedCookie', 'reset', 'gaveUp', 'pending'],
  broken: ['gaveUp', 'pending'],
  spoofed: ['dropped', 'expired', 'cookie', 'pending'],
} as const;
const O_ACCEPTED = 1;
const O_ACCEPTED_COOKIE = 2;
const O_RESET = 3;
const O_GAVE_UP = 4;
const O_DROPPED = 5;
const O_EXPIRED = 6;
const O_COOKIE = 7;
/** Indexed by the O_ constants; 0 is an attempt with no outcome yet. */
const OUTCOME_NAMES = ['pending', 'accepted', 'acceptedCookie', 'reset', 'gaveUp', 'dropped', 'expired', 'cookie'] as const;

// Event kinds.
const E_ARRIVE_LEGIT = 0;
const E_ARRIVE_BROKEN = 1;
const E_ARRIVE_SPOOF = 2;
const E_SYN_AT_SERVER = 3;
const E_SYNACK_AT_CLIENT = 4;
const E_ACK_AT_SERVER = 5;
const E_RST_AT_CLIENT = 6;
const E_SERVER_TIMER = 7;
const E_CLIENT_TIMER = 8;
const E_APP_ACCEPT = 9;
const E_SAMPLE = 10;

export const SERIES_KEYS = [
  'synQueue', 'acceptQueue', 'synQueueYoung', 'synQueueOld',
  'attempts_legit', 'attempts_broken', 'attempts_spoofed',
  'ListenOverflows', 'ListenDrops', 'TCPReqQFullDrop', 'TCPReqQFullDoCookies', 'SyncookiesSent', 'SyncookiesRecv',
  'SynAcksSent', 'SynAckRetransmits',
  'synsReceived', 'synDrops', 'cookiesSent', 'established', 'expired', 'pruned', 'resets', 'accepts', 'drops',
  'successPct', 'legitAccepted', 'latencyP50Sec', 'latencyP99Sec',
  'legit_accepted', 'legit_acceptedCookie', 'legit_reset', 'legit_gaveUp',
  'broken_gaveUp',
  'spoofed_dropped', 'spoofed_expired', 'spoofed_cookie',
] as const;

export interface QueueLimits {
  /** min(backlog, somaxconn): what `ss -lnt` shows as Send-Q. */
  effectiveBacklog: number;
  synQueueCap: number;
  acceptQueueCap: number;
  initialRtoMs: number;
}

/** The limits a listener gets from its parameters, per kernel. */
export function queueLimits(p: SynQueueParams): QueueLimits {
  const effectiveBacklog = Math.min(p.backlog, p.somaxconn);
  if (p.kernel === 'linux-2.4') {
    // tcp_listen_start(): max_qlen_log starts at 6 and grows until 2^log >= tcp_max_syn_backlog.
    let log = 6;
    while (1 << log < p.tcp_max_syn_backlog) log++;
    // tcp_acceptq_is_full(): ack_backlog > max_ack_backlog, so backlog + 1 fit.
    return { effectiveBacklog, synQueueCap: 1 << log, acceptQueueCap: effectiveBacklog + 1, initialRtoMs: 3000 };
  }
  // sk_acceptq_is_full() compares with '>', so backlog + 1 fit; inet_csk_reqsk_queue_is_full() does the
  // same since Linux 6.13 (commit 3479c7549fb1, January 2025; earlier kernels held backlog entries).
  return { effectiveBacklog, synQueueCap: effectiveBacklog + 1, acceptQueueCap: effectiveBacklog + 1, initialRtoMs: 1000 };
}

/** How long an unanswered request holds its SYN-queue slot: initial RTO x (2^(retries+1) - 1), each step capped. */
export function requestLifetimeMs(initialRtoMs: number, retries: number): number {
  let total = 0;
  for (let i = 0; i <= retries; i++) total += Math.min(initialRtoMs * 2 ** i, TCP_RTO_MAX_MS);
  return total;
}

/** Growable struct-of-arrays for connection attempts. */
class Attempts {
  n = 0;
  cls = new Uint8Array(1024);
  host = new Int32Array(1024);
  startMs = new Float64Array(1024);
  synsSent = new Uint8Array(1024);
  cli = new Uint8Array(1024);
  cliTimerDueMs = new Float64Array(1024);
  srv = new Uint8Array(1024);
  srvRetrans = new Uint8Array(1024);
  srvTimerDueMs = new Float64Array(1024);
  acked = new Uint8Array(1024);
  /** When the current request entered the SYN queue. */
  queuedAtMs = new Float64Array(1024);
  /** Whether the server's SYN-ACK timer for this request is in the event queue. */
  srvArmed = new Uint8Array(1024);
  viaCookie = new Uint8Array(1024);
  outcome = new Uint8Array(1024);

  add(cls: number, host: number, startMs: number, listenState: number): number {
    if (this.n === this.cls.length) this.grow();
    const i = this.n++;
    this.cls[i] = cls;
    this.host[i] = host;
    this.startMs[i] = startMs;
    this.srv[i] = listenState;
    this.cliTimerDueMs[i] = -1;
    this.srvTimerDueMs[i] = -1;
    return i;
  }

  private grow(): void {
    for (const key of Object.keys(this) as (keyof this)[]) {
      const old = this[key];
      if (ArrayBuffer.isView(old)) {
        const Ctor = (old as unknown as Uint8Array).constructor as new (n: number) => Uint8Array;
        const next = new Ctor((old as unknown as Uint8Array).length * 2);
        next.set(old as unknown as Uint8Array);
        (this as Record<keyof this, unknown>)[key] = next;
      }
    }
  }
}

function fmtTime(tMs: number): string {
  return (tMs / 1000).toFixed(3).padStart(8, ' ');
}

export function runSynQueue(p: SynQueueParams, seed: number): Trace {
  const rng = createRng(seed);
  const limits = queueLimits(p);
  const durationMs = p.durationSec * 1000;
  const oneWayMs = p.rttMs / 2;
  const q = new EventQueue(4096);
  // Every packet takes the same one-way time, so deliveries go through a FIFO lane (see EventQueue).
  const net = q.lane(oneWayMs);
  const rec = new SeriesRecorder(SERIES_KEYS, durationMs, SAMPLE_MS);
  const log = new EventLog({ perKindPerWindow: 3, total: 2500 });
  const a = new Attempts();
  const proven = new Uint8Array(LEGIT_HOSTS);
  // Per-sample counters, resolved once: the hot path indexes arrays instead of looking up names.
  const s_accepts = rec.get('accepts');
  const s_cookiesSent = rec.get('cookiesSent');
  const s_drops = rec.get('drops');
  const s_established = rec.get('established');
  const s_expired = rec.get('expired');
  const s_pruned = rec.get('pruned');
  const s_resets = rec.get('resets');
  const s_synDrops = rec.get('synDrops');
  const s_synsReceived = rec.get('synsReceived');
  const bump = (series: Float64Array, tMs: number) => {
    series[rec.index(tMs)]!++;
  };
  const latencyBySample: number[][] = Array.from({ length: rec.count }, () => []);

  // Kernel counters (nstat names) as per-sample series, so the page can show them at any moment.
  const counters = {
    ListenOverflows: rec.get('ListenOverflows'),
    ListenDrops: rec.get('ListenDrops'),
    TCPReqQFullDrop: rec.get('TCPReqQFullDrop'),
    TCPReqQFullDoCookies: rec.get('TCPReqQFullDoCookies'),
    SyncookiesSent: rec.get('SyncookiesSent'),
    SyncookiesRecv: rec.get('SyncookiesRecv'),
    SynAcksSent: rec.get('SynAcksSent'),
    SynAckRetransmits: rec.get('SynAckRetransmits'),
  };
  let synQueueLen = 0;
  let youngLen = 0;
  const acceptFifo: number[] = [];
  let acceptHead = 0;
  let appNextFreeMs = 0;
  let appScheduled = false;
  let peakSyn = 0;
  let peakAccept = 0;
  let synFloodWarned = false;
  // How long expired requests held their SYN-queue slot, and how long clients tried before connect() failed.
  let expiredHeldMinMs = Infinity;
  let expiredHeldMaxMs = -Infinity;
  let gaveUpMinMs = Infinity;
  let gaveUpMaxMs = -Infinity;
  const attemptsByClass = [0, 0, 0];

  const view: ListenerView = {
    kernel: p.kernel,
    synQueueLen: 0,
    synQueueCap: limits.synQueueCap,
    acceptQueueLen: 0,
    acceptQueueCap: limits.acceptQueueCap,
    youngLen: 0,
    tcpMaxSynBacklog: p.tcp_max_syn_backlog,
    tcpSyncookies: p.tcp_syncookies as 0 | 1 | 2,
    tcpAbortOnOverflow: p.tcp_abort_on_overflow as 0 | 1,
    peerProven: false,
    retransmits: 0,
    acked: false,
    effectiveBacklog: limits.effectiveBacklog,
    tcpSynackRetries: p.tcp_synack_retries,
  };
  const acceptLen = () => acceptFifo.length - acceptHead;
  const fillView = (i: number) => {
    view.synQueueLen = synQueueLen;
    view.acceptQueueLen = acceptLen();
    view.youngLen = youngLen;
    // 2.4 only consulted the peer when tcp_tw_recycle was on (it is off by default), so nobody counted as proven there.
    view.peerProven = p.kernel === 'modern' && a.cls[i] === CLS.LEGIT && proven[a.host[i]!] === 1;
    view.retransmits = a.srvRetrans[i]!;
    view.acked = a.acked[i] === 1;
  };
  const s_synQueue = rec.get('synQueue');
  const s_acceptQueue = rec.get('acceptQueue');
  const noteQueues = (tMs: number) => {
    const k = rec.index(tMs);
    if (synQueueLen > s_synQueue[k]!) s_synQueue[k] = synQueueLen;
    if (acceptLen() > s_acceptQueue[k]!) s_acceptQueue[k] = acceptLen();
    if (synQueueLen > peakSyn) peakSyn = synQueueLen;
    if (acceptLen() > peakAccept) peakAccept = acceptLen();
  };

  const addr = (i: number): string => {
    const port = 32768 + (i % 28000);
    const h = a.host[i]!;
    if (a.cls[i] === CLS.LEGIT) return `203.0.113.${(h % 250) + 1}:${port}`;
    if (a.cls[i] === CLS.BROKEN) return `192.0.2.${(h % 250) + 1}:${port}`;
    return `198.51.100.${(h % 250) + 1}:${port}`;
  };
  /** Whether a log line of this kind would be kept now; counts it as suppressed if not. Lets callers skip formatting. */
  const logs = (tMs: number, kind: string): boolean => {
    if (log.wants(tMs, kind)) return true;
    log.skip();
    return false;
  };
  const write = (tMs: number, kind: string, text: string) => log.write(tMs, kind, `${fmtTime(tMs)}  ${text}`);

  // outcomeSeries[class][outcome]: the per-sample count array, resolved once instead of per event.
  const outcomeSeries = CLASS_NAMES.map((cls) =>
    OUTCOME_NAMES.map((name) => (rec.series as Record<string, Float64Array | undefined>)[`${cls}_${name}`] ?? null),
  );
  /**
   * The kernel's SYN-flood warning. Modern kernels print it once per listening socket (synflood_warned),
   * never in mode 2; 2.4 printed only the cookie case, at most once a minute (tcp_v4_conn_request()).
   */
  let lastWarningMs = -Infinity;
  const floodWarning = (tMs: number, action: 'Dropping request' | 'Sending cookies') => {
    if (p.kernel === 'modern') {
      if (synFloodWarned) return;
      synFloodWarned = true;
      log.write(tMs, 'kernel', `${fmtTime(tMs)}  kernel: TCP: request_sock_TCP: Possible SYN flooding on port 0.0.0.0:${SERVER_PORT}. ${action}.`);
    } else if (action === 'Sending cookies' && tMs - lastWarningMs >= 60_000) {
      lastWarningMs = tMs;
      log.write(tMs, 'kernel', `${fmtTime(tMs)}  kernel: possible SYN flooding on port ${SERVER_PORT}. Sending cookies.`);
    }
  };

  const finish = (i: number, tMs: number, outcome: number) => {
    if (a.outcome[i] !== 0) return;
    a.outcome[i] = outcome;
    outcomeSeries[a.cls[i]!]![outcome]![rec.index(tMs)]!++;
    if (a.cls[i] === CLS.LEGIT && (outcome === O_ACCEPTED || outcome === O_ACCEPTED_COOKIE)) {
      latencyBySample[rec.index(tMs)]!.push(tMs - a.startMs[i]!);
    }
  };

  const sendSynAck = (i: number, tMs: number) => {
    bump(counters.SynAcksSent, tMs);
    if (a.cls[i] !== CLS.SPOOFED) q.pushAfter(net, tMs, E_SYNACK_AT_CLIENT, i);
  };

  const scheduleApp = (tMs: number) => {
    if (appScheduled || acceptLen() === 0) return;
    appScheduled = true;
    q.push(Math.max(tMs, appNextFreeMs), E_APP_ACCEPT, 0);
  };

  const leaveSynQueue = (i: number) => {
    synQueueLen--;
    if (a.srvRetrans[i] === 0) youngLen--;
  };

  const enterAcceptQueue = (i: number, tMs: number) => {
    acceptFifo.push(i);
    bump(s_established, tMs);
    noteQueues(tMs);
    scheduleApp(tMs);
  };

  const onSyn = (i: number, tMs: number) => {
    bump(s_synsReceived, tMs);
    const state = a.srv[i]!;
    if (state === S.synAckSent || state === S.retransmitting) {
      // A retransmitted SYN for a request we hold: tcp_check_req() resends the SYN-ACK, no new entry.
      sendSynAck(i, tMs);
      return;
    }
    if (state === S.queuedForAccept || state === S.accepted) return;
    fillView(i);
    const next = machine.step(S.listen, EV_SYN, view);
    const why = machine.lastGuard;
    a.srv[i] = next;
    if (next === S.dropped) {
      bump(counters.ListenDrops, tMs);
      bump(s_synDrops, tMs);
      bump(s_drops, tMs);
      if (why === 'synQueueFullNoCookies') {
        bump(counters.TCPReqQFullDrop, tMs);
        floodWarning(tMs, 'Dropping request');
        if (logs(tMs, 'drop')) write(tMs, 'drop', `SYN ${addr(i)} dropped: SYN queue full (${synQueueLen}/${limits.synQueueCap}), cookies off`);
      } else if (why === 'acceptQueueFullOnSyn') {
        bump(counters.ListenOverflows, tMs);
        if (view.tcpSyncookies !== 0 && (synQueueLen >= limits.synQueueCap || view.tcpSyncookies === 2)) bump(counters.TCPReqQFullDoCookies, tMs);
        if (logs(tMs, 'overflow')) write(tMs, 'overflow', `SYN ${addr(i)} dropped: accept queue full (${acceptLen()}/${limits.acceptQueueCap})`);
      } else {
        if (logs(tMs, 'drop')) write(tMs, 'drop', `SYN ${addr(i)} dropped: SYN queue past 3/4 of tcp_max_syn_backlog (${synQueueLen}/${p.tcp_max_syn_backlog}), peer not proven`);
      }
      if (a.cls[i] === CLS.SPOOFED) finish(i, tMs, O_DROPPED);
      else if (a.cls[i] === CLS.LEGIT) {
        // The SYN left the client one way-trip ago, so its timer is a fixed delay from now as well.
        const n = a.synsSent[i]! - 1;
        const delay = Math.min(limits.initialRtoMs * 2 ** n, TCP_RTO_MAX_MS) - oneWayMs;
        a.cliTimerDueMs[i] = q.pushAfter(q.laneFor(delay), tMs, E_CLIENT_TIMER, i);
      }
      return;
    }
    if (next === S.cookieSent) {
      bump(counters.TCPReqQFullDoCookies, tMs);
      bump(counters.SyncookiesSent, tMs);
      bump(s_cookiesSent, tMs);
      if (p.tcp_syncookies === 1 || p.kernel === 'linux-2.4') floodWarning(tMs, 'Sending cookies');
      if (logs(tMs, 'cookie')) write(tMs, 'cookie', `SYN ${addr(i)} answered with a SYN cookie (queue ${synQueueLen}/${limits.synQueueCap})`);
      a.viaCookie[i] = 1;
      sendSynAck(i, tMs);
      if (a.cls[i] === CLS.SPOOFED) finish(i, tMs, O_COOKIE);
      return;
    }
    // Queued: a new request in the SYN queue, young until its first retransmission.
    synQueueLen++;
    youngLen++;
    a.srvRetrans[i] = 0;
    a.acked[i] = 0;
    a.queuedAtMs[i] = tMs;
    noteQueues(tMs);
    if (a.cls[i] === CLS.BROKEN && logs(tMs, 'queued')) {
      write(tMs, 'queued', `SYN ${addr(i)} queued (SYN queue ${synQueueLen}/${limits.synQueueCap}); this client never sends the final ACK`);
    }
    sendSynAck(i, tMs);
    a.srvTimerDueMs[i] = tMs + limits.initialRtoMs;
    a.srvArmed[i] = 0;
    // A legitimate client's ACK comes back within one RTT (at most 1 s, never more than the initial RTO),
    // so its timer only needs to exist if that ACK is dropped. Not scheduling timers that cannot fire
    // halves the events of a busy run.
    if (a.cls[i] !== CLS.LEGIT) {
      a.srvArmed[i] = 1;
      a.srvTimerDueMs[i] = q.pushAfter(q.laneFor(limits.initialRtoMs), tMs, E_SERVER_TIMER, i);
    }
  };

  const armServerTimer = (i: number) => {
    if (a.srvArmed[i]) return;
    a.srvArmed[i] = 1;
    q.push(a.srvTimerDueMs[i]!, E_SERVER_TIMER, i);
  };

  const onAck = (i: number, tMs: number) => {
    const state = a.srv[i]!;
    if (state === S.synAckSent || state === S.retransmitting) {
      fillView(i);
      const next = machine.step(state, EV_ACK, view);
      if (next === S.reset) {
        bump(counters.ListenOverflows, tMs);
        bump(counters.ListenDrops, tMs);
        bump(s_resets, tMs);
        leaveSynQueue(i);
        a.srv[i] = next;
        a.srvTimerDueMs[i] = -1;
        if (logs(tMs, 'reset')) write(tMs, 'reset', `ACK ${addr(i)}: accept queue full, tcp_abort_on_overflow=1: RST`);
        q.pushAfter(net, tMs, E_RST_AT_CLIENT, i);
      } else if (next === state) {
        bump(counters.ListenOverflows, tMs);
        bump(counters.ListenDrops, tMs);
        a.acked[i] = 1;
        armServerTimer(i);
        if (logs(tMs, 'overflow')) write(tMs, 'overflow', `ACK ${addr(i)} dropped: accept queue full (${acceptLen()}/${limits.acceptQueueCap}); SYN-ACK will be resent`);
      } else {
        leaveSynQueue(i);
        a.srv[i] = next;
        a.srvTimerDueMs[i] = -1;
        enterAcceptQueue(i, tMs);
      }
      return;
    }
    if (state === S.cookieSent) {
      fillView(i);
      const next = machine.step(state, EV_ACK, view);
      a.srv[i] = next;
      if (next === S.dropped) {
        bump(counters.ListenOverflows, tMs);
        bump(counters.ListenDrops, tMs);
        bump(s_drops, tMs);
        if (logs(tMs, 'overflow')) write(tMs, 'overflow', `ACK ${addr(i)} with a valid cookie dropped: accept queue full; the client thinks it is connected`);
        // Nothing is kept, so nothing will be resent: this client waits for a greeting that never comes.
        finish(i, tMs, O_GAVE_UP);
        a.cli[i] = CLI_DONE;
      } else {
        bump(counters.SyncookiesRecv, tMs);
        enterAcceptQueue(i, tMs);
      }
    }
  };

  const onServerTimer = (i: number, tMs: number) => {
    if (a.srvTimerDueMs[i] !== tMs) return; // The request left the queue since this timer was set.
    const state = a.srv[i]!;
    fillView(i);
    const next = machine.step(state, EV_TIMEOUT, view);
    if (next === S.expired) {
      const heldMs = tMs - a.queuedAtMs[i]!;
      if (heldMs < expiredHeldMinMs) expiredHeldMinMs = heldMs;
      if (heldMs > expiredHeldMaxMs) expiredHeldMaxMs = heldMs;
      leaveSynQueue(i);
      a.srv[i] = next;
      a.srvTimerDueMs[i] = -1;
      bump(s_expired, tMs);
      if (a.srvRetrans[i]! < p.tcp_synack_retries) bump(s_pruned, tMs);
      if (logs(tMs, 'expire')) write(tMs, 'expire', `request from ${addr(i)} expired after ${a.srvRetrans[i]} SYN-ACK retransmissions (${(heldMs / 1000).toFixed(0)} s in the SYN queue)${a.srvRetrans[i]! < p.tcp_synack_retries ? ', pruned: queue over half full' : ''}`);
      if (a.cls[i] === CLS.SPOOFED) finish(i, tMs, O_EXPIRED);
      else if (a.cli[i] === CLI_ESTABLISHED) {
        // Its ACKs were dropped on overflow: the client believes it is connected and waits in vain.
        finish(i, tMs, O_GAVE_UP);
        a.cli[i] = CLI_DONE;
      }
      return;
    }
    if (a.srvRetrans[i] === 0) youngLen--;
    a.srvRetrans[i]!++;
    a.srv[i] = next;
    bump(counters.SynAckRetransmits, tMs);
    sendSynAck(i, tMs);
    // Timers are "now + one of a few delays" (the RTO doubling), so each delay gets a FIFO lane.
    const delay = Math.min(limits.initialRtoMs * 2 ** a.srvRetrans[i]!, TCP_RTO_MAX_MS);
    a.srvTimerDueMs[i] = q.pushAfter(q.laneFor(delay), tMs, E_SERVER_TIMER, i);
    a.srvArmed[i] = 1;
  };

  const sendSyn = (i: number, tMs: number) => {
    const n = a.synsSent[i]!;
    a.synsSent[i] = n + 1;
    q.pushAfter(net, tMs, E_SYN_AT_SERVER, i);
    if (a.cls[i] === CLS.SPOOFED) return;
    const delay = Math.min(limits.initialRtoMs * 2 ** n, TCP_RTO_MAX_MS);
    a.cliTimerDueMs[i] = tMs + delay;
    // A legitimate client hears back within one RTT unless its SYN is dropped; onSyn arms the timer then.
    if (a.cls[i] === CLS.BROKEN) a.cliTimerDueMs[i] = q.pushAfter(q.laneFor(delay), tMs, E_CLIENT_TIMER, i);
  };

  const onClientTimer = (i: number, tMs: number) => {
    if (a.cliTimerDueMs[i] !== tMs || a.cli[i] !== CLI_SYN_SENT) return;
    if (a.synsSent[i]! > p.tcp_syn_retries) {
      const waitedMs = tMs - a.startMs[i]!;
      if (waitedMs < gaveUpMinMs) gaveUpMinMs = waitedMs;
      if (waitedMs > gaveUpMaxMs) gaveUpMaxMs = waitedMs;
      a.cli[i] = CLI_DONE;
      finish(i, tMs, O_GAVE_UP);
      if (logs(tMs, 'gaveup')) write(tMs, 'gaveup', `client ${addr(i)}: connect() timed out after ${a.synsSent[i]} SYNs, ${((tMs - a.startMs[i]!) / 1000).toFixed(0)} s`);
      return;
    }
    sendSyn(i, tMs);
  };

  const onSynAckAtClient = (i: number, tMs: number) => {
    if (a.cls[i] !== CLS.LEGIT || a.cli[i] === CLI_DONE) return; // Broken clients never answer.
    a.cli[i] = CLI_ESTABLISHED;
    a.cliTimerDueMs[i] = -1;
    q.pushAfter(net, tMs, E_ACK_AT_SERVER, i);
  };

  const onAppAccept = (tMs: number) => {
    appScheduled = false;
    if (acceptLen() === 0) return;
    const i = acceptFifo[acceptHead++]!;
    if (acceptHead > 4096 && acceptHead * 2 > acceptFifo.length) {
      acceptFifo.splice(0, acceptHead);
      acceptHead = 0;
    }
    a.srv[i] = machine.step(a.srv[i]!, EV_ACCEPT, view);
    bump(s_accepts, tMs);
    appNextFreeMs = tMs + 1000 / p.acceptPerSec;
    if (a.cls[i] === CLS.LEGIT) {
      proven[a.host[i]!] = 1;
      finish(i, tMs, a.viaCookie[i] ? O_ACCEPTED_COOKIE : O_ACCEPTED);
      if (a.cli[i] !== CLI_DONE) a.cli[i] = CLI_DONE;
      if (logs(tMs, 'accept')) write(tMs, 'accept', `accept() ${addr(i)} after ${(tMs - a.startMs[i]!).toFixed(0)} ms${a.viaCookie[i] ? ' (SYN cookie)' : ''}`);
    }
    noteQueues(tMs);
    scheduleApp(tMs);
  };

  const attemptSeries = [rec.get('attempts_legit'), rec.get('attempts_broken'), rec.get('attempts_spoofed')];
  const arrive = (cls: number, tMs: number) => {
    attemptsByClass[cls]!++;
    bump(attemptSeries[cls]!, tMs);
    const host = cls === CLS.LEGIT ? rng.int(LEGIT_HOSTS) : rng.int(1 << 16);
    const i = a.add(cls, host, tMs, S.listen);
    sendSyn(i, tMs);
  };

  const floodStartMs = p.floodStartSec * 1000;
  const floodEndMs = floodStartMs + p.floodDurationSec * 1000;
  const scheduleArrival = (kind: number, ratePerSec: number, fromMs: number, untilMs: number) => {
    if (ratePerSec <= 0) return;
    const t = fromMs + rng.exponential(1000 / ratePerSec);
    if (t < untilMs) q.push(t, kind, 0);
  };

  scheduleArrival(E_ARRIVE_LEGIT, p.clientsPerSec, 0, durationMs);
  scheduleArrival(E_ARRIVE_BROKEN, p.brokenPerSec, 0, durationMs);
  scheduleArrival(E_ARRIVE_SPOOF, p.floodPerSec, floodStartMs, Math.min(durationMs, floodEndMs));
  q.push(0, E_SAMPLE, 0);

  const result = runEvents(q, durationMs, EVENT_BUDGET, (tMs, kind, i) => {
    switch (kind) {
      case E_ARRIVE_LEGIT:
        arrive(CLS.LEGIT, tMs);
        scheduleArrival(E_ARRIVE_LEGIT, p.clientsPerSec, tMs, durationMs);
        break;
      case E_ARRIVE_BROKEN:
        arrive(CLS.BROKEN, tMs);
        scheduleArrival(E_ARRIVE_BROKEN, p.brokenPerSec, tMs, durationMs);
        break;
      case E_ARRIVE_SPOOF:
        arrive(CLS.SPOOFED, tMs);
        scheduleArrival(E_ARRIVE_SPOOF, p.floodPerSec, tMs, Math.min(durationMs, floodEndMs));
        break;
      case E_SYN_AT_SERVER: onSyn(i, tMs); break;
      case E_SYNACK_AT_CLIENT: onSynAckAtClient(i, tMs); break;
      case E_ACK_AT_SERVER: onAck(i, tMs); break;
      case E_RST_AT_CLIENT:
        if (a.cli[i] !== CLI_DONE) {
          a.cli[i] = CLI_DONE;
          finish(i, tMs, O_RESET);
        }
        break;
      case E_SERVER_TIMER: onServerTimer(i, tMs); break;
      case E_CLIENT_TIMER: onClientTimer(i, tMs); break;
      case E_APP_ACCEPT: onAppAccept(tMs); break;
      case E_SAMPLE:
        rec.max('synQueueYoung', tMs, youngLen);
        rec.max('synQueueOld', tMs, synQueueLen - youngLen);
        noteQueues(tMs);
        q.pushAfter(q.laneFor(SAMPLE_MS), tMs, E_SAMPLE, 0);
        break;
    }
  });

  // Success by cohort: of the legitimate attempts started in each second, the share accepted by the end
  // of the run. Counting by the second an attempt *ended* would go blank during an outage, when
  // clients are still retrying and nothing ends. Latency percentiles are by the second of accept().
  const success = rec.get('successPct');
  const legitAccepted = rec.get('legitAccepted');
  // An attempt still retrying at the end counts as not accepted (yet): leaving it out would show only
  // the quick successes and read 100% in the middle of an outage.
  const startedBySample = rec.get('attempts_legit');
  const acceptedBySample = new Float64Array(rec.count);
  for (let i = 0; i < a.n; i++) {
    if (a.cls[i] !== CLS.LEGIT) continue;
    const s = rec.index(a.startMs[i]!);
    if (a.outcome[i] === O_ACCEPTED || a.outcome[i] === O_ACCEPTED_COOKIE) acceptedBySample[s]!++;
  }
  // Per-second percentiles in seconds (a chart of 0.2 s beside 93 s reads better than 93,000 ms).
  const p50 = rec.get('latencyP50Sec');
  const p99 = rec.get('latencyP99Sec');
  const allLatencies: number[] = [];
  for (let s = 0; s < rec.count; s++) {
    success[s] = startedBySample[s]! > 0 ? (100 * acceptedBySample[s]!) / startedBySample[s]! : NaN;
    legitAccepted[s] = rec.get('legit_accepted')[s]! + rec.get('legit_acceptedCookie')[s]!;
    const lat = latencyBySample[s]!.sort((x, y) => x - y);
    p50[s] = percentile(lat, 0.5) / 1000;
    p99[s] = percentile(lat, 0.99) / 1000;
    for (const v of lat) allLatencies.push(v);
  }
  allLatencies.sort((x, y) => x - y);

  const outcomeTotals: Record<string, number> = {};
  for (const name of [...OUTCOMES.legit.map((o) => `legit_${o}`), ...OUTCOMES.broken.map((o) => `broken_${o}`), ...OUTCOMES.spoofed.map((o) => `spoofed_${o}`)]) {
    outcomeTotals[name] = 0;
  }
  for (let i = 0; i < a.n; i++) {
    outcomeTotals[`${CLASS_NAMES[a.cls[i]!]}_${OUTCOME_NAMES[a.outcome[i]!]}`]!++;
  }

  const totals: Record<string, number> = {};
  for (const [name, series] of Object.entries(counters)) totals[name] = series.reduce((x, y) => x + y, 0);
  const summary: Record<string, number> = {
    ...totals,
    effectiveBacklog: limits.effectiveBacklog,
    synQueueCap: limits.synQueueCap,
    // With cookies off, past this many entries only proven peers get in (the last quarter of tcp_max_syn_backlog).
    provenOnlyAbove:
      p.tcp_syncookies === 0 && p.tcp_max_syn_backlog - (p.tcp_max_syn_backlog >> 2) < limits.synQueueCap
        ? p.tcp_max_syn_backlog - (p.tcp_max_syn_backlog >> 2)
        : NaN,
    acceptQueueCap: limits.acceptQueueCap,
    initialRtoMs: limits.initialRtoMs,
    requestLifetimeMs: requestLifetimeMs(limits.initialRtoMs, p.tcp_synack_retries),
    peakSynQueue: peakSyn,
    expiredHeldMinMs: Number.isFinite(expiredHeldMinMs) ? expiredHeldMinMs : NaN,
    expiredHeldMaxMs: Number.isFinite(expiredHeldMaxMs) ? expiredHeldMaxMs : NaN,
    connectTimeoutMinMs: Number.isFinite(gaveUpMinMs) ? gaveUpMinMs : NaN,
    connectTimeoutMaxMs: Number.isFinite(gaveUpMaxMs) ? gaveUpMaxMs : NaN,
    peakAcceptQueue: peakAccept,
    synQueueAtEnd: synQueueLen,
    acceptQueueAtEnd: acceptLen(),
    attempts_legit: attemptsByClass[0]!,
    attempts_broken: attemptsByClass[1]!,
    attempts_spoofed: attemptsByClass[2]!,
    ...outcomeTotals,
    legitSuccessPct:
      attemptsByClass[0]! > 0
        ? (100 * (outcomeTotals.legit_accepted! + outcomeTotals.legit_acceptedCookie!)) / attemptsByClass[0]!
        : NaN,
    latencyP50Ms: percentile(allLatencies, 0.5),
    latencyP99Ms: percentile(allLatencies, 0.99),
  };

  return traceOfRun({ simId: 'syn-queue', seed, params: p, durationMs, recorder: rec, log, summary, result, budget: EVENT_BUDGET });
}
