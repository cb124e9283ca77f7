/**
 * The server's side: one listening socket with its SYN queue and accept
 * queue, the kernel's decision on each SYN, ACK and SYN-ACK timer (taken by
 * stepping the connection-request machine), and the application's accept()
 * loop draining the accept queue at its own pace.
 */
import { CLI_DONE, CLI_ESTABLISHED, CLI_SYN_SENT } from './attempts.ts';
import { LEGIT_HOSTS, type Clients } from './clients.ts';
import { E_APP_ACCEPT, E_RST_AT_CLIENT, E_SERVER_TIMER, E_SYNACK_AT_CLIENT } from './events.ts';
import { BROKEN, LEGIT, O_ACCEPTED, O_ACCEPTED_COOKIE, O_COOKIE, O_DROPPED, O_EXPIRED, O_GAVE_UP, SPOOFED } from './keys.ts';
import { SynDecision } from './syn-decision.ts';
import { ListenerSeries } from './listener-series.ts';
import { KERNEL_RULES, guardRules } from './kernels.ts';
import { retransmitDelayMs } from './limits.ts';
import type { ListenerView } from './machine.ts';
import { EV_ACCEPT, EV_ACK, EV_TIMEOUT, S, machine } from './machine-steps.ts';
import type { FixedResends } from './fixed-resends.ts';
import type { SynQueueSceneRecorder } from './scene.ts';
import { HandshakeSide, type RunParts } from './side.ts';
import { Extremes } from './summary.ts';

export class Listener extends HandshakeSide {
  synQueueLen = 0;
  /** Requests in the SYN queue that have had no SYN-ACK retransmitted yet. */
  youngLen = 0;
  peakSynQueue = 0;
  peakAcceptQueue = 0;
  /** How long expired requests held their SYN-queue slot. */
  readonly expiredHeldMs = new Extremes();
  /** Connections waiting for accept(): acceptFifo[acceptHead..]. */
  private readonly acceptFifo: number[] = [];
  private acceptHead = 0;
  private appNextFreeMs = 0;
  /** By SYN-ACK retransmissions so far: the lane of the timer then due (see timerLane). */
  private readonly timerLanes: number[] = [];
  private appScheduled = false;
  /**
   * The application's accept() calls: one at a time, each at or after the one before (a call is
   * queued only once the last has run), so they need no heap, only a lane of delay 0 (EventQueue).
   */
  private readonly appLane: number;
  /** Per legitimate host: it completed a connection before (tcp_peer_is_proven). */
  private readonly proven = new Uint8Array(LEGIT_HOSTS);
  /** The snapshot the machine's guards read, refilled before each step. */
  private readonly view: ListenerView;
  private readonly clients: Clients;
  /** Told each time an entry enters, ages in or leaves a queue: the picture's counts by kind and age. */
  private readonly scene: SynQueueSceneRecorder;
  /** The cohort run's certain retransmissions of broken and spoofed requests (fixed-resends.ts); null when every timer is an event. */
  private readonly resends: FixedResends | null;
  /** The machine's state after a TIMEOUT with retries left: where each certain retransmission takes its request. */
  private readonly resentState: number;
  /** Whether a cookie sent warns of a flood: always in mode 1, and in mode 2 on a kernel without always-on cookies. */
  private readonly cookiesWarn: boolean;
  /** 2.4 only consulted the peer when tcp_tw_recycle was on (it is off by default), so nobody counted as proven there. */
  private readonly consultsPeerHistory: boolean;
  /** The per-sample series it counts in. */
  private readonly s: ListenerSeries;
  /** The machine's last answer to a SYN, reused while the view it read stays the same. */
  private readonly synDecision = new SynDecision();

  constructor(parts: RunParts, clients: Clients, scene: SynQueueSceneRecorder, resends: FixedResends | null) {
    super(parts);
    this.clients = clients;
    this.scene = scene;
    this.resends = resends;
    const { p, limits, rec } = parts;
    this.s = new ListenerSeries(rec);
    this.appLane = this.q.lane(0);
    this.cookiesWarn = p.tcp_syncookies === 1 || !KERNEL_RULES[p.kernel].hasAlwaysCookies;
    this.consultsPeerHistory = KERNEL_RULES[p.kernel].consultsPeerHistory;
    this.view = {
      kernel: p.kernel,
      ...guardRules(p.kernel),
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
    // One step of the machine for the whole cohort: a request with no retransmission yet, in a queue
    // too short to prune, has retries left whenever tcp_synack_retries > 0 (the cohort's condition).
    this.resentState = machine.step(S.synAckSent, EV_TIMEOUT, { ...this.view, tcpSynackRetries: Math.max(1, p.tcp_synack_retries) });
  }

  get acceptQueueLen(): number {
    return this.acceptFifo.length - this.acceptHead;
  }

  onSyn(i: number, tMs: number): void {
    const a = this.a;
    const cohort = this.offQueue !== null && a.cls[i] === BROKEN;
    // The cohort run may have queued this broken client's SYN before the timer of its request due now
    // (clients.nextBrokenSyn); the per-entity run queued that timer first, so it fires first.
    if (cohort && a.srvTimerDueMs[i] === tMs) this.onTimer(i, tMs);
    this.decideSyn(i, tMs);
    if (cohort) {
      const state = a.srv[i];
      const held = state === S.synAckSent || state === S.retransmitting;
      this.clients.nextBrokenSyn(i, tMs, held ? a.srvTimerDueMs[i]! : -Infinity, this.countHeldSyn);
    }
  }

  /** A broken client's SYN the cohort run counted (clients.nextBrokenSyn): what decideSyn does for a request it holds. */
  private readonly countHeldSyn = (synMs: number): void => {
    const offQueue = this.offQueue!;
    if (synMs > offQueue.untilMs) return;
    offQueue.add(synMs);
    this.bump(this.s.synsReceived, synMs);
    this.bump(this.s.SynAcksSent, synMs);
    offQueue.add(this.q.dueAfter(this.net, synMs));
  };

  private decideSyn(i: number, tMs: number): void {
    const a = this.a;
    const c = this.s;
    this.bump(this.s.synsReceived, tMs);
    const state = a.srv[i]!;
    if (state === S.synAckSent || state === S.retransmitting) {
      // A retransmitted SYN for a request we hold: tcp_check_req() resends the SYN-ACK, no new entry.
      this.sendSynAck(i, tMs);
      return;
    }
    if (state === S.queuedForAccept || state === S.accepted) return;
    this.fillView(i);
    const next = this.synDecision.decide(this.view);
    const why = this.synDecision.why;
    a.srv[i] = next;
    if (next === S.dropped) {
      this.bump(c.ListenDrops, tMs);
      this.bump(this.s.synDrops, tMs);
      this.bump(this.s.drops, tMs);
      if (why === 'synQueueFullNoCookies') {
        this.bump(c.TCPReqQFullDrop, tMs);
        this.lines.floodWarning(tMs, 'Dropping request');
        this.lines.synDroppedQueueFull(tMs, i, this.synQueueLen);
      } else if (why === 'acceptQueueFullOnSyn') {
        this.bump(c.ListenOverflows, tMs);
        const cookies = this.view.tcpSyncookies;
        if (cookies !== 0 && (this.synQueueLen >= this.limits.synQueueCap || cookies === 2)) this.bump(c.TCPReqQFullDoCookies, tMs);
        this.lines.synDroppedAcceptQueueFull(tMs, i, this.acceptQueueLen);
      } else {
        this.lines.synDroppedUnproven(tMs, i, this.synQueueLen);
      }
      if (a.cls[i] === SPOOFED) this.ledger.end(i, O_DROPPED, tMs);
      else if (a.cls[i] === LEGIT) this.clients.synDropped(i, tMs);
      return;
    }
    if (next === S.cookieSent) {
      this.bump(c.TCPReqQFullDoCookies, tMs);
      this.bump(c.SyncookiesSent, tMs);
      this.bump(this.s.cookiesSent, tMs);
      if (this.cookiesWarn) this.lines.floodWarning(tMs, 'Sending cookies');
      this.lines.cookieSent(tMs, i, this.synQueueLen);
      a.viaCookie[i] = 1;
      this.sendFirstSynAck(i, tMs);
      if (a.cls[i] === SPOOFED) this.ledger.end(i, O_COOKIE, tMs);
      return;
    }
    // Queued: a new request in the SYN queue, young until its first retransmission.
    this.synQueueLen++;
    this.youngLen++;
    this.scene.enterSynQueue(a.cls[i]!);
    a.srvRetrans[i] = 0;
    a.acked[i] = 0;
    a.queuedAtMs[i] = tMs;
    this.noteQueues(tMs);
    if (a.cls[i] === BROKEN) this.lines.brokenQueued(tMs, i, this.synQueueLen);
    this.sendFirstSynAck(i, tMs);
    a.srvTimerDueMs[i] = tMs + this.limits.initialRtoMs;
    a.srvArmed[i] = 0;
    // A legitimate client's ACK comes back within one RTT (at most 1 s, never more than the initial RTO),
    // so its timer only needs to exist if that ACK is dropped. Not scheduling timers that cannot fire
    // halves the events of a busy run.
    if (a.cls[i] !== LEGIT) {
      a.srvArmed[i] = 1;
      if (this.resends !== null) {
        a.srvTimerDueMs[i] = this.resends.admit(i, tMs);
        return;
      }
      const lane = this.timerLane(0);
      a.srvTimerDueMs[i] = this.q.dueAfter(lane, tMs);
      this.q.pushAfter(lane, tMs, E_SERVER_TIMER, i);
    }
  }

  onAck(i: number, tMs: number): void {
    const a = this.a;
    const c = this.s;
    const state = a.srv[i]!;
    if (state === S.synAckSent || state === S.retransmitting) {
      this.fillView(i);
      const next = machine.step(state, EV_ACK, this.view);
      if (next === S.reset) {
        this.bump(c.ListenOverflows, tMs);
        this.bump(c.ListenDrops, tMs);
        this.bump(this.s.resets, tMs);
        this.leaveSynQueue(i);
        a.srv[i] = next;
        a.srvTimerDueMs[i] = -1;
        this.lines.ackReset(tMs, i);
        this.q.pushAfter(this.net, tMs, E_RST_AT_CLIENT, i);
      } else if (next === state) {
        this.bump(c.ListenOverflows, tMs);
        this.bump(c.ListenDrops, tMs);
        a.acked[i] = 1;
        this.armServerTimer(i);
        this.lines.ackDropped(tMs, i, this.acceptQueueLen);
      } else {
        this.leaveSynQueue(i);
        a.srv[i] = next;
        a.srvTimerDueMs[i] = -1;
        this.enterAcceptQueue(i, tMs);
      }
      return;
    }
    if (state === S.cookieSent) {
      this.fillView(i);
      const next = machine.step(state, EV_ACK, this.view);
      a.srv[i] = next;
      if (next === S.dropped) {
        this.bump(c.ListenOverflows, tMs);
        this.bump(c.ListenDrops, tMs);
        this.bump(this.s.drops, tMs);
        this.lines.cookieAckDropped(tMs, i);
        // Nothing is kept, so nothing will be resent: this client waits for a greeting that never comes.
        this.ledger.end(i, O_GAVE_UP, tMs);
        a.cli[i] = CLI_DONE;
      } else {
        this.bump(c.SyncookiesRecv, tMs);
        this.enterAcceptQueue(i, tMs);
      }
    }
  }

  onTimer(i: number, tMs: number): void {
    const a = this.a;
    if (a.srvTimerDueMs[i] !== tMs) return; // The request left the queue since this timer was set.
    const state = a.srv[i]!;
    this.fillView(i);
    const next = machine.step(state, EV_TIMEOUT, this.view);
    if (next === S.expired) {
      const heldMs = tMs - a.queuedAtMs[i]!;
      this.expiredHeldMs.add(heldMs);
      this.leaveSynQueue(i);
      a.srv[i] = next;
      a.srvTimerDueMs[i] = -1;
      this.bump(this.s.expired, tMs);
      if (a.srvRetrans[i]! < this.p.tcp_synack_retries) this.bump(this.s.pruned, tMs);
      this.lines.expired(tMs, i, heldMs);
      if (a.cls[i] === SPOOFED) this.ledger.end(i, O_EXPIRED, tMs);
      else if (a.cli[i] === CLI_ESTABLISHED) {
        // Its ACKs were dropped on overflow: the client believes it is connected and waits in vain.
        this.ledger.end(i, O_GAVE_UP, tMs);
        a.cli[i] = CLI_DONE;
      }
      return;
    }
    this.resent(i, next);
    this.bump(this.s.SynAckRetransmits, tMs);
    this.sendSynAck(i, tMs);
    const lane = this.timerLane(a.srvRetrans[i]!);
    a.srvTimerDueMs[i] = this.q.dueAfter(lane, tMs);
    this.q.pushAfter(lane, tMs, E_SERVER_TIMER, i);
    a.srvArmed[i] = 1;
  }

  /** Before anything reads the queues at nowMs: the cohort's certain retransmissions due by then (fixed-resends.ts). */
  catchUp(nowMs: number): void {
    const resends = this.resends;
    if (resends !== null && nowMs >= resends.nextDueMs) resends.applyDue(nowMs, this.applyResend);
  }

  /**
   * A certain retransmission the cohort counted: the state onTimer changes, without the sends
   * already counted. Its guard cannot find the retries exhausted (fixed-resends.ts), so it takes
   * the transition the machine gave the cohort once (resentState), counted rather than stepped.
   */
  private readonly applyResend = (i: number): void => {
    this.resent(i, this.resentState);
  };

  /** A request's SYN-ACK retransmitted: one more on its count, no longer young, older in the picture. */
  private resent(i: number, next: number): void {
    const a = this.a;
    if (a.srvRetrans[i] === 0) this.youngLen--;
    a.srvRetrans[i]!++;
    this.scene.resent(a.cls[i]!, a.srvRetrans[i]!);
    a.srv[i] = next;
  }

  /** The application's accept() returns the oldest connection, then is busy for 1/acceptPerSec. */
  onAppAccept(tMs: number): void {
    this.appScheduled = false;
    if (this.acceptQueueLen === 0) return;
    const a = this.a;
    const i = this.acceptFifo[this.acceptHead++]!;
    if (this.acceptHead > 4096 && this.acceptHead * 2 > this.acceptFifo.length) {
      this.acceptFifo.splice(0, this.acceptHead);
      this.acceptHead = 0;
    }
    a.srv[i] = machine.step(a.srv[i]!, EV_ACCEPT, this.view);
    this.scene.leaveAcceptQueue(a.viaCookie[i] === 1);
    this.bump(this.s.accepts, tMs);
    this.appNextFreeMs = tMs + 1000 / this.p.acceptPerSec;
    if (a.cls[i] === LEGIT) {
      this.proven[a.host[i]!] = 1;
      this.ledger.end(i, a.viaCookie[i] ? O_ACCEPTED_COOKIE : O_ACCEPTED, tMs);
      a.cli[i] = CLI_DONE;
      this.lines.accepted(tMs, i);
    }
    this.noteQueues(tMs);
    this.scheduleApp(tMs);
  }

  /** Once a sample: the SYN queue split by age, and the queues' lengths even in a quiet second. */
  sample(tMs: number): void {
    this.rec.max('synQueueYoung', tMs, this.youngLen);
    this.rec.max('synQueueOld', tMs, this.synQueueLen - this.youngLen);
    this.noteQueues(tMs);
    this.scene.sample(this.rec.index(tMs));
  }

  private fillView(i: number): void {
    const a = this.a;
    const view = this.view;
    view.synQueueLen = this.synQueueLen;
    view.acceptQueueLen = this.acceptQueueLen;
    view.youngLen = this.youngLen;
    view.peerProven = this.consultsPeerHistory && a.cls[i] === LEGIT && this.proven[a.host[i]!] === 1;
    view.retransmits = a.srvRetrans[i]!;
    view.acked = a.acked[i] === 1;
  }

  /** Keeps each sample's largest queue lengths (a peak, not a lucky snapshot) and the run's. */
  private noteQueues(tMs: number): void {
    const k = this.rec.index(tMs);
    const synLen = this.synQueueLen;
    const acceptLen = this.acceptQueueLen;
    if (synLen > this.s.synQueue[k]!) this.s.synQueue[k] = synLen;
    if (acceptLen > this.s.acceptQueue[k]!) this.s.acceptQueue[k] = acceptLen;
    if (synLen > this.peakSynQueue) this.peakSynQueue = synLen;
    if (acceptLen > this.peakAcceptQueue) this.peakAcceptQueue = acceptLen;
  }

  /**
   * A SYN-ACK to a spoofed source goes nowhere, so only the counter sees it. One to a broken client
   * arrives and is ignored (clients.onSynAck): the cohort run counts that event without queueing it.
   */
  private sendSynAck(i: number, tMs: number): void {
    this.bump(this.s.SynAcksSent, tMs);
    const cls = this.a.cls[i];
    if (cls === SPOOFED) return;
    if (cls === BROKEN && this.offQueue !== null) this.offQueue.add(this.q.dueAfter(this.net, tMs));
    else this.q.pushAfter(this.net, tMs, E_SYNACK_AT_CLIENT, i);
  }

  /** A new request's SYN-ACK: the cohort run has a legitimate client's answer done at once (clients.answerSynAck). */
  private sendFirstSynAck(i: number, tMs: number): void {
    const a = this.a;
    if (this.offQueue === null || a.cls[i] !== LEGIT || a.cli[i] !== CLI_SYN_SENT) {
      this.sendSynAck(i, tMs);
      return;
    }
    this.bump(this.s.SynAcksSent, tMs);
    this.clients.answerSynAck(i, tMs);
  }

  /**
   * The lane of the SYN-ACK timer after `retransmits` retransmissions. Timers are "now + one of a few
   * delays" (the RTO doubling), so each delay gets a FIFO lane, looked up here by count rather than
   * by delay in the queue's map on every timer.
   */
  private timerLane(retransmits: number): number {
    return (this.timerLanes[retransmits] ??= this.q.laneFor(retransmitDelayMs(this.limits.initialRtoMs, retransmits)));
  }

  private armServerTimer(i: number): void {
    const a = this.a;
    if (a.srvArmed[i]) return;
    a.srvArmed[i] = 1;
    this.q.push(a.srvTimerDueMs[i]!, E_SERVER_TIMER, i);
  }

  private leaveSynQueue(i: number): void {
    this.synQueueLen--;
    if (this.a.srvRetrans[i] === 0) this.youngLen--;
    this.scene.leaveSynQueue(this.a.cls[i]!, this.a.srvRetrans[i]!);
  }

  private enterAcceptQueue(i: number, tMs: number): void {
    this.acceptFifo.push(i);
    this.scene.enterAcceptQueue(this.a.viaCookie[i] === 1);
    this.bump(this.s.established, tMs);
    this.noteQueues(tMs);
    if (this.offQueue !== null && !this.appScheduled && this.appNextFreeMs <= tMs) {
      // An idle application's accept() would be queued for this very instant, after everything
      // queued before it: only a coincidence of draws puts another event there, so it comes next for
      // sure, and the cohort run handles it now, counted, rather than through the queue.
      this.offQueue.add(tMs);
      this.onAppAccept(tMs);
      return;
    }
    this.scheduleApp(tMs);
  }

  private scheduleApp(tMs: number): void {
    if (this.appScheduled || this.acceptQueueLen === 0) return;
    this.appScheduled = true;
    this.q.pushAfter(this.appLane, Math.max(tMs, this.appNextFreeMs), E_APP_ACCEPT, 0);
  }
}
