/**
 * The clients' side of the handshake: arrivals of each class, the SYN and its
 * retransmissions (the server's doubling timeout; a legitimate client's first
 * tcp_syn_linear_timeouts retransmissions stay at the initial one), the final ACK,
 * and giving up. A legitimate client answers every SYN-ACK; a broken one never
 * sends its ACK; a spoofed source sends one SYN and never hears back.
 */
import { CLI_DONE, CLI_ESTABLISHED, CLI_SYN_SENT } from './attempts.ts';
import { E_ACK_AT_SERVER, E_ARRIVE, E_CLIENT_TIMER, E_SYN_AT_SERVER } from './events.ts';
import { BROKEN, LEGIT, O_GAVE_UP, O_RESET, SPOOFED } from './keys.ts';
import { retransmitDelayMs } from './limits.ts';
import { S } from './machine-steps.ts';
import { synGivesUp, synRetransmitDelayMs } from './syn-schedule.ts';
import type { SynQueueParams } from './params.ts';
import { HandshakeSide, type RunParts } from './side.ts';
import { Extremes } from './summary.ts';

/** Distinct legitimate client hosts; a host that completed a connection counts as proven (tcp_peer_is_proven). */
export const LEGIT_HOSTS = 20000;

/**
 * How many attempts a run will likely make: each class's Poisson mean over the time it arrives, plus
 * four standard deviations, so the attempt table and the ledger start big enough and rarely grow.
 */
export function expectedAttempts(p: SynQueueParams, durationMs: number): number {
  const floodStartMs = p.floodStartSec * 1000;
  const floodMs = Math.max(0, Math.min(durationMs, floodStartMs + p.floodDurationSec * 1000) - floodStartMs);
  return withMargin(((p.clientsPerSec + p.brokenPerSec) * durationMs + p.floodPerSec * floodMs) / 1000);
}

/** As expectedAttempts, for the legitimate clients alone: the most latencies a run records. */
export function expectedLegitAttempts(p: SynQueueParams, durationMs: number): number {
  return withMargin((p.clientsPerSec * durationMs) / 1000);
}

function withMargin(mean: number): number {
  return Math.ceil(mean + 4 * Math.sqrt(mean)) + 16;
}

export class Clients extends HandshakeSide {
  /** How long clients whose every SYN went unanswered tried before connect() failed. */
  readonly connectTimeoutMs = new Extremes();
  private readonly oneWayMs: number;
  private readonly floodStartMs: number;
  /** Per class index: the mean gap between arrivals (Infinity for a class that never arrives), and when they stop. */
  private readonly meanGapMs: readonly number[];
  private readonly untilMs: readonly number[];
  private readonly attemptSeries: readonly Float64Array[];
  /**
   * Timer lanes by SYNs sent before: the retransmission after a SYN, and the rest of that wait after
   * the server dropped it (a way-trip later). Looked up by count, not by delay in the queue's map.
   */
  private readonly synLanes: number[] = [];
  private readonly droppedLanes: number[] = [];
  /** The cohort run's lanes for a legitimate client's SYN resent after a drop, by SYNs sent before the dropped one. */
  private readonly resentSynLanes: number[] = [];
  /** A broken client's waits after each SYN (the classic doubling), and the cohort run's lane for its give-up timer. */
  private readonly brokenDelaysMs: readonly number[];
  private brokenGiveUpLane = -1;
  /**
   * The cohort run's lanes for broken clients' SYNs, one per (SYN just handled, SYN queued): the
   * pushes onto one come in the order the first SYNs are handled, which is arrival order, so their
   * times (the second SYNs' times) never go backwards. With each lane's last time, in case two
   * clients' schedules meet to the bit, when the event heap takes the SYN instead.
   */
  private readonly brokenSynLanes: number[] = [];
  private readonly brokenSynLaneLastMs: Float64Array;
  /**
   * The cohort run's arrivals, per class: the next one's time (Infinity for none), and the lane of
   * its first SYN at the server, which is where the cohort run handles the arrival (arriveAtServer).
   */
  private readonly nextArrivalMs = new Float64Array(3).fill(Infinity);
  private readonly arrivalSynLanes: number[] = [];
  /** The cohort run's final ACKs, queued when the SYN-ACK they answer leaves the server (answerSynAck). */
  private ackLane = -1;

  constructor(parts: RunParts, durationMs: number) {
    super(parts);
    const p = parts.p;
    this.oneWayMs = p.rttMs / 2;
    this.floodStartMs = p.floodStartSec * 1000;
    this.meanGapMs = [p.clientsPerSec, p.brokenPerSec, p.floodPerSec].map((ratePerSec) => (ratePerSec > 0 ? 1000 / ratePerSec : Infinity));
    this.untilMs = [durationMs, durationMs, Math.min(durationMs, this.floodStartMs + p.floodDurationSec * 1000)];
    this.brokenSynLaneLastMs = new Float64Array((p.brokenSynRetries + 1) ** 2).fill(-Infinity);
    this.brokenDelaysMs = Array.from({ length: p.brokenSynRetries + 1 }, (_, n) => retransmitDelayMs(parts.limits.initialRtoMs, n));
    this.attemptSeries = [parts.rec.get('attempts_legit'), parts.rec.get('attempts_broken'), parts.rec.get('attempts_spoofed')];
    if (parts.offQueue !== null) for (let cls = 0; cls < 3; cls++) this.arrivalSynLanes.push(this.q.lane(this.oneWayMs));
  }

  /** Schedules each class's first arrival: the spoofed flood starts at its own time. */
  start(): void {
    this.scheduleArrival(LEGIT, 0);
    this.scheduleArrival(BROKEN, 0);
    this.scheduleArrival(SPOOFED, this.floodStartMs);
  }

  /**
   * Arrivals are a Poisson process per class: the next one an exponential gap after `fromMs`. The
   * per-entity run queues the arrival itself; the cohort run queues its first SYN at the server.
   */
  private scheduleArrival(cls: number, fromMs: number): void {
    const meanGapMs = this.meanGapMs[cls]!;
    if (meanGapMs === Infinity) return;
    const t = fromMs + this.rng.exponential(meanGapMs);
    if (t >= this.untilMs[cls]!) return;
    if (this.offQueue === null) {
      this.q.push(t, E_ARRIVE + cls, 0);
      return;
    }
    this.nextArrivalMs[cls] = t;
    this.q.pushAfter(this.arrivalSynLanes[cls]!, t, E_ARRIVE + cls, 0);
  }

  /** The per-entity run's arrival event: the attempt opens and sends its first SYN. */
  arrive(cls: number, tMs: number): void {
    const i = this.open(cls, tMs);
    this.sendSyn(i, tMs);
    this.scheduleArrival(cls, tMs);
  }

  /**
   * The cohort run's arrival, handled when its first SYN reaches the server (tMs, one way after
   * it): an arrival only draws from the PRNG, opens an attempt and sends a SYN, and nothing else
   * draws or opens, so arrivals handled a fixed one way later, still in time order, draw the same
   * numbers and open the same ids; what they set is read only by their own attempt's later events.
   * Counts the arrival as an event and returns the attempt, whose SYN the listener then decides.
   */
  arriveAtServer(cls: number, tMs: number): number {
    const startMs = this.nextArrivalMs[cls]!;
    this.nextArrivalMs[cls] = Infinity;
    if (this.q.dueAfter(this.arrivalSynLanes[cls]!, startMs) !== tMs) throw new Error('syn-queue: an arrival out of step with its SYN');
    this.offQueue!.add(startMs);
    const i = this.open(cls, startMs);
    // sendSyn without queueing the SYN, which is this event.
    this.a.synsSent[i] = 1;
    if (cls === LEGIT) this.a.cliTimerDueMs[i] = startMs + this.legitSynDelayMs(0);
    else if (cls === BROKEN) this.scheduleBrokenClient(i, startMs);
    this.scheduleArrival(cls, startMs);
    return i;
  }

  /**
   * The cohort run's arrivals due by untilMs whose SYN would reach the server after it: the
   * per-entity run handled them (drawn, opened, counted) and never their SYNs.
   */
  arrivalsDueBy(untilMs: number): void {
    for (;;) {
      let cls = 0;
      for (let c = 1; c < 3; c++) if (this.nextArrivalMs[c]! < this.nextArrivalMs[cls]!) cls = c;
      if (!(this.nextArrivalMs[cls]! <= untilMs)) return;
      this.arriveAtServer(cls, this.q.dueAfter(this.arrivalSynLanes[cls]!, this.nextArrivalMs[cls]!));
    }
  }

  /** A new attempt of class cls at tMs, in the series, the ledger and the attempt store; returns its index. */
  private open(cls: number, tMs: number): number {
    this.bump(this.attemptSeries[cls]!, tMs);
    const host = cls === LEGIT ? this.rng.int(LEGIT_HOSTS) : this.rng.int(1 << 16);
    const id = this.ledger.open(cls);
    const i = this.a.add(cls, host, tMs, S.listen);
    if (i !== id) throw new Error(`syn-queue: attempt ${i} has ledger id ${id}`);
    return i;
  }

  /**
   * The server dropped this legitimate client's SYN: its retransmission timer, which sendSyn left
   * unscheduled, must fire. The SYN left one way-trip ago, so the timer is a fixed delay from now as well.
   */
  synDropped(i: number, tMs: number): void {
    const a = this.a;
    const n = a.synsSent[i]! - 1;
    const lane = (this.droppedLanes[n] ??= this.q.laneFor(this.legitSynDelayMs(n) - this.oneWayMs));
    const timerMs = this.q.dueAfter(lane, tMs);
    a.cliTimerDueMs[i] = timerMs;
    if (this.offQueue !== null && timerMs <= this.offQueue.untilMs && !this.legitGivesUp(n, timerMs - a.startMs[i]!)) {
      // Every SYN this client sent was dropped, so nothing is on its way to it and its timer is sure to
      // resend: the cohort run counts that timer and queues the SYN it sends (onTimer, sendSyn) now.
      this.offQueue.add(timerMs);
      a.synsSent[i] = n + 2;
      a.cliTimerDueMs[i] = timerMs + this.legitSynDelayMs(n + 1);
      this.q.pushAfter((this.resentSynLanes[n] ??= this.q.lane(this.oneWayMs)), timerMs, E_SYN_AT_SERVER, i);
      return;
    }
    this.q.pushAfter(lane, tMs, E_CLIENT_TIMER, i);
  }

  /** Whether a legitimate client gives up at its timer after `retransmits` retransmissions, `elapsedMs` after its first SYN. */
  private legitGivesUp(retransmits: number, elapsedMs: number): boolean {
    return synGivesUp(retransmits, elapsedMs, this.p.tcp_syn_retries, this.p.tcp_syn_linear_timeouts, this.limits.initialRtoMs);
  }

  onTimer(i: number, tMs: number): void {
    const a = this.a;
    if (a.cliTimerDueMs[i] !== tMs || a.cli[i] !== CLI_SYN_SENT) return;
    // Each kind of client keeps its own schedule: a broken client's machine is not the good clients'.
    const retransmits = a.synsSent[i]! - 1;
    const givesUp = a.cls[i] === BROKEN ? retransmits >= this.p.brokenSynRetries : this.legitGivesUp(retransmits, tMs - a.startMs[i]!);
    if (givesUp) {
      this.connectTimeoutMs.add(tMs - a.startMs[i]!);
      a.cli[i] = CLI_DONE;
      this.ledger.end(i, O_GAVE_UP, tMs);
      this.lines.connectTimedOut(tMs, i);
      return;
    }
    this.sendSyn(i, tMs);
  }

  onSynAck(i: number, tMs: number): void {
    const a = this.a;
    if (a.cls[i] !== LEGIT || a.cli[i] === CLI_DONE) return; // Broken clients never answer.
    a.cli[i] = CLI_ESTABLISHED;
    a.cliTimerDueMs[i] = -1;
    this.q.pushAfter(this.net, tMs, E_ACK_AT_SERVER, i);
  }

  /**
   * The cohort run's first SYN-ACK of a new request (queued or answered with a cookie), sent at sentMs
   * to legitimate client i in SYN_SENT: what onSynAck will do is certain, so it is done now and the
   * SYN-ACK's arrival counted. Until that arrival nothing else can reach this client: it sends no SYN
   * while one is answered; no timer of its can fire (its SYNs before were dropped and the timers that
   * resent them counted, synDropped; a timer queued there gives up, so no SYN follows it, or falls
   * after the run); and the server keeps no timer for its request nor acts on it before its ACK. So
   * its state is read first after the SYN-ACK's arrival, and its ACK is queued at the per-entity time.
   */
  answerSynAck(i: number, sentMs: number): void {
    const arrivesMs = this.q.dueAfter(this.net, sentMs);
    if (arrivesMs > this.offQueue!.untilMs) return; // Never handled: nothing changes.
    this.offQueue!.add(arrivesMs);
    this.a.cli[i] = CLI_ESTABLISHED;
    this.a.cliTimerDueMs[i] = -1;
    if (this.ackLane < 0) this.ackLane = this.q.lane(0);
    this.q.pushAfter(this.ackLane, this.q.dueAfter(this.net, arrivesMs), E_ACK_AT_SERVER, i);
  }

  onRst(i: number, tMs: number): void {
    this.a.cli[i] = CLI_DONE;
    this.ledger.end(i, O_RESET, tMs);
  }

  /**
   * A broken client as a cohort member: nothing the server does changes when it sends its SYNs or
   * gives up, so its schedule is fixed at arrival (each SYN the last plus its doubled timeout, the
   * per-entity run's sums to the bit). The cohort run queues its give-up timer (its first SYN is the
   * arrival's event, arriveAtServer) and counts its retransmission timers, whose only act is to send SYNs, without queueing them;
   * each later SYN is queued or counted once the listener has handled the one before (nextBrokenSyn).
   */
  private scheduleBrokenClient(i: number, startMs: number): void {
    const retries = this.p.brokenSynRetries;
    let sentMs = startMs;
    for (let n = 0; n < retries; n++) {
      sentMs += this.brokenDelaysMs[n]!;
      this.offQueue!.add(sentMs);
    }
    if (this.brokenGiveUpLane < 0) this.brokenGiveUpLane = this.q.lane(this.brokenDelaysMs[retries]!);
    this.a.cliTimerDueMs[i] = this.q.dueAfter(this.brokenGiveUpLane, sentMs);
    this.q.pushAfter(this.brokenGiveUpLane, sentMs, E_CLIENT_TIMER, i);
    this.a.synsSent[i] = retries + 1;
  }

  /**
   * After the listener handled broken client i's SYN at tMs: its later SYNs due before heldUntilMs
   * (when the request it holds may next leave the SYN queue; -Infinity when it holds none) find
   * that request held and only resend its SYN-ACK, so the cohort run hands them to `countHeld`
   * rather than queueing them; the first due at or after that time is queued, at its per-entity time.
   */
  nextBrokenSyn(i: number, tMs: number, heldUntilMs: number, countHeld: (synMs: number) => void): void {
    const retries = this.p.brokenSynRetries;
    let sentMs = this.a.startMs[i]!;
    let handled = 0;
    for (let n = 0; n <= retries; n++) {
      if (n > 0) sentMs += this.brokenDelaysMs[n - 1]!;
      const synMs = this.q.dueAfter(this.net, sentMs);
      if (synMs <= tMs) {
        handled = n;
        continue;
      }
      if (synMs >= heldUntilMs) {
        this.queueBrokenSyn(i, handled, n, sentMs);
        return;
      }
      countHeld(synMs);
    }
  }

  /** Queues broken client i's SYN number n, sent at sentMs, on handling its SYN number `handled`. */
  private queueBrokenSyn(i: number, handled: number, n: number, sentMs: number): void {
    const key = handled * (this.p.brokenSynRetries + 1) + n;
    const synMs = this.q.dueAfter(this.net, sentMs);
    if (synMs < this.brokenSynLaneLastMs[key]!) {
      this.q.push(synMs, E_SYN_AT_SERVER, i);
      return;
    }
    this.brokenSynLaneLastMs[key] = synMs;
    this.q.pushAfter((this.brokenSynLanes[key] ??= this.q.lane(this.oneWayMs)), sentMs, E_SYN_AT_SERVER, i);
  }

  /** A legitimate client's wait after its SYN with n retransmissions before it (tcp_syn_linear_timeouts first linear). */
  private legitSynDelayMs(n: number): number {
    return synRetransmitDelayMs(this.limits.initialRtoMs, this.p.tcp_syn_linear_timeouts, n);
  }

  private sendSyn(i: number, tMs: number): void {
    const a = this.a;
    const n = a.synsSent[i]!;
    a.synsSent[i] = n + 1;
    this.q.pushAfter(this.net, tMs, E_SYN_AT_SERVER, i);
    const cls = a.cls[i];
    if (cls === SPOOFED) return;
    // Broken clients keep the classic doubling: their machines are old, whatever the good clients run.
    const delay = cls === BROKEN ? retransmitDelayMs(this.limits.initialRtoMs, n) : this.legitSynDelayMs(n);
    a.cliTimerDueMs[i] = tMs + delay;
    // A legitimate client hears back within one RTT unless its SYN is dropped; synDropped arms the timer then.
    if (cls === BROKEN) this.q.pushAfter((this.synLanes[n] ??= this.q.laneFor(delay)), tMs, E_CLIENT_TIMER, i);
  }
}
