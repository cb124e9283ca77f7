/**
 * The mail servers and bots that send to the domain.
 *
 * Real mail comes from other people's servers, each with its own retry
 * schedule (retry.ts): a sender tries the primary first and, when it cannot
 * connect, the backup in the same attempt, as RFC 5321 section 5.1 says; if
 * neither takes the message it waits and tries again, and bounces it once its
 * limit has passed. Spam comes from bots that pick one server (usually the
 * backup), try once and never retry.
 */
import type { Model, Observer } from '../core/index.ts';
import type { BackupServer } from './backup.ts';
import { LOG_LIMITS, keepsLine, logMinute, writeLine, writePieces } from './clock.ts';
import { E_ATTEMPT, E_FALLBACK, E_LEGIT, E_PRIMARY_LATE, E_SPAM } from './events.ts';
import { EXCHANGE, EXIM, LEGIT_KINDS, OUTCOME, POSTFIX, SENDER_KINDS, SHORT_EXPIRY, SPAM, type SenderKind, type SeriesKey } from './keys.ts';
import { GUESS_POOL, type Messages } from './messages.ts';
import type { BackupMxParams } from './params.ts';
import { PrimarySchedule, primaryTakesMail } from './primary.ts';
import { HOUR_MS, eximSeconds } from './retry.ts';
import { CONNECT_TIMEOUT_MS, SenderLimits } from './sender-limits.ts';
import { BACKUP_HOST, PRIMARY_HOST } from './transcript.ts';
import { RetryLanes } from './retry-lanes.ts';
import { RetryTimers } from './retry-timers.ts';
import { REPLY, type SceneRecorder } from './scene.ts';

/** Why an attempt failed everywhere, in the sender's log: fixed words, so a deferral builds no string the log may drop. */
const NO_OTHER_MX = {
  refusing: `${PRIMARY_HOST}: connection refused, no other MX`,
  other: `${PRIMARY_HOST}: connection timed out, no other MX`,
} as const;
const BACKUP_SAID_451 = `${BACKUP_HOST} said 451`;

/** A delay notice a sender sent its user, as a test sees it. */
export interface NoticeEvent {
  type: 'notice';
  tMs: number;
  kind: SenderKind;
  arrivalMs: number;
  /** This message's notices so far, this one included. */
  count: number;
}

export class Senders {
  /** Real messages still in their senders' queues: arrived, not yet delivered, taken by the backup or bounced. */
  queued = 0;
  /** The same, by real kind (Exim, Postfix, short-expiry, Exchange). */
  readonly queuedByKind = LEGIT_KINDS.map(() => 0);
  /** Delay notices sent, by real kind. */
  readonly noticesByKind = LEGIT_KINDS.map(() => 0);
  /** The longest a bounced message had waited, by real kind, in ms. */
  readonly maxBounceAgeMs = LEGIT_KINDS.map(() => 0);
  private readonly limits: SenderLimits;
  /** The retry timers of the deferred messages, by kind and by when they run out. */
  readonly timers: RetryTimers;
  private readonly scene: SceneRecorder;
  private readonly p: BackupMxParams;
  private readonly m: Model<SeriesKey>;
  private readonly msgs: Messages;
  private readonly backup: BackupServer;
  private readonly primary: PrimarySchedule;
  /**
   * The lane of the wait before the backup or a later host, by kind (its connect timeout), and at 4
   * for a refused connection (no wait): looked up once each, not at every attempt. -1 until first
   * used, so the run makes no lane it does not need.
   */
  private readonly connectLanes = [-1, -1, -1, -1, -1];
  /**
   * The log window (by the log's own arithmetic) in which it refused a deferral's line: it refuses
   * every later one there too (a kind's count and the total only grow), so some twenty deferrals a
   * window in a week's outage are counted as dropped without asking it each time.
   */
  private deferLinesRefusedSlot = -1;
  /** The lanes the retries wait in, by kind and wait. */
  private readonly retryLanes: RetryLanes;

  private readonly observe: Observer<NoticeEvent>;
  /** The lanes of real mail's and spam's arrivals (EventQueue: a stream whose times never go back). */
  private readonly arrivalLanes: number[] = [];
  /** The series counted at every arrival, deferral and notice, held rather than looked up by name each time. */
  private readonly series: { legit: Float64Array; spam: Float64Array; retries: Float64Array; notices: Float64Array };

  constructor(p: BackupMxParams, model: Model<SeriesKey>, msgs: Messages, backup: BackupServer, scene: SceneRecorder, observe: Observer<NoticeEvent>) {
    this.p = p;
    this.observe = observe;
    this.scene = scene;
    this.timers = new RetryTimers(model.durationMs, model.rec.sampleMs);
    this.retryLanes = new RetryLanes(model.queue);
    this.m = model;
    this.msgs = msgs;
    this.backup = backup;
    this.limits = new SenderLimits(p);
    this.primary = new PrimarySchedule(p);
    const rec = model.rec;
    this.series = { legit: rec.get('legit'), spam: rec.get('spam'), retries: rec.get('senderRetries'), notices: rec.get('delayNotices') };
  }

  /** The first arrival of each kind: real mail, then spam. */
  start(): void {
    this.arrivalLanes.push(this.m.queue.lane(0), this.m.queue.lane(0));
    this.schedule(E_LEGIT, this.p.legitPerHour, 0);
    this.schedule(E_SPAM, this.p.spamPerHour, 0);
  }

  /** A new real message from an Exim, Postfix, short-expiry or Exchange sender, tried at once. */
  legitArrives(tMs: number): void {
    const { rng, rec } = this.m;
    const p = this.p;
    const r = rng.next() * 100;
    const kind = r < p.shortExpiryPct ? SHORT_EXPIRY : this.postfixExchangeOrExim(rng.next() * 100);
    const m = this.newMessage(kind, tMs);
    this.series.legit[rec.index(tMs)]!++;
    this.queued++;
    this.queuedByKind[kind]!++;
    this.attempt(m, kind, tMs);
    this.schedule(E_LEGIT, p.legitPerHour, tMs);
  }

  /**
   * Of the mail not from short-expiry senders, which kind sends it, from one draw q in [0, 100):
   * below postfixPct Postfix; the rest of the range split exchangePct to Exchange and the remainder
   * to Exim. One draw keeps every later draw, so the mix moves no arrival or spam decision.
   */
  private postfixExchangeOrExim(q: number): number {
    const p = this.p;
    if (q < p.postfixPct) return POSTFIX;
    return (q - p.postfixPct) * 100 < p.exchangePct * (100 - p.postfixPct) ? EXCHANGE : EXIM;
  }

  /** A spambot connects once, to the backup or to the primary, and never retries. */
  spamArrives(tMs: number): void {
    const { rng, rec } = this.m;
    const p = this.p;
    const msgs = this.msgs;
    const m = this.newMessage(SPAM, tMs);
    this.series.spam[rec.index(tMs)]!++;
    const toBackup = this.backup.policy !== null && rng.next() * 100 < p.spamToBackupPct;
    if (toBackup) {
      const code = this.backup.session(m, tMs);
      if (code !== 250) msgs.end(m, OUTCOME.spamRefused, tMs);
    } else if (!this.primary.someHostTakesMail(tMs)) {
      this.scene.reply(SPAM, REPLY.primaryNoAnswer, tMs);
      msgs.end(m, OUTCOME.spamRefused, tMs);
    } else if (rng.next() * 100 < p.primaryFilterPct || !msgs.valid(m)) {
      this.scene.reply(SPAM, REPLY.primary550, tMs);
      msgs.end(m, OUTCOME.spamRefused, tMs);
    } else {
      this.scene.reply(SPAM, REPLY.primary250, tMs);
      msgs.end(m, OUTCOME.spamDelivered, tMs);
    }
    this.schedule(E_SPAM, p.spamPerHour, tMs);
  }

  /** A deferred message's retry timer ran out: it is attempted again. */
  retry(m: number, tMs: number): void {
    // The message's kind read once and handed on: every step of a deferral asks it.
    const kind = this.msgs.kind(m);
    this.timers.fire(kind, tMs);
    this.attempt(m, kind, tMs);
  }

  /** A real message's attempt: the primary's hosts in MX order, the backup if none of them can be reached. */
  private attempt(m: number, kind: number, tMs: number): void {
    const primary = this.primary.at(tMs);
    if (primaryTakesMail(primary)) return this.delivered(m, tMs);
    this.scene.reply(kind, REPLY.primaryNoAnswer, tMs);
    if (this.primary.someHostTakesMail(tMs)) {
      this.m.queue.pushAfter(this.connectLane(kind, primary === 'refusing'), tMs, E_PRIMARY_LATE, m);
      return;
    }
    if (this.backup.policy === null) {
      this.defers(m, kind, tMs, primary === 'refusing' ? NO_OTHER_MX.refusing : NO_OTHER_MX.other);
      return;
    }
    this.m.queue.pushAfter(this.connectLane(kind, primary === 'refusing'), tMs, E_FALLBACK, m);
  }

  /** The lane of the wait before the next host: each failed host costs its connect timeout, nothing when it refuses. */
  private connectLane(kind: number, refused: boolean): number {
    const slot = refused ? 4 : kind;
    let lane = this.connectLanes[slot]!;
    if (lane < 0) {
      lane = this.m.queue.laneFor(this.primary.failing * (refused ? 0 : CONNECT_TIMEOUT_MS[kind]!));
      this.connectLanes[slot] = lane;
    }
    return lane;
  }

  /** A primary host takes the message: the end of its stay in the sender's queue. */
  delivered(m: number, tMs: number): void {
    const msgs = this.msgs;
    this.scene.reply(msgs.kind(m), REPLY.primary250, tMs);
    this.leaves(m);
    const failures = msgs.failures[m]!;
    msgs.end(m, failures === 0 ? OUTCOME.deliveredDirect : OUTCOME.deliveredAfterRetry, tMs);
    if (failures > 0 && keepsLine(this.m.log, tMs, 'late')) {
      writeLine(this.m.log, tMs, 'late', `${msgs.who(m)}  => ${msgs.address(m)} H=${PRIMARY_HOST}: delivered after ${failures} failed attempts`);
    }
  }

  /** The primary did not answer: the sender offers the message to the backup. */
  fallback(m: number, tMs: number): void {
    const msgs = this.msgs;
    const code = this.backup.session(m, tMs);
    if (code === 250) this.leaves(m);
    else if (code === 451) this.defers(m, msgs.kind(m), tMs, BACKUP_SAID_451);
    else {
      this.leaves(m);
      this.scene.reply(msgs.kind(m), REPLY.senderBounced, tMs);
      msgs.end(m, OUTCOME.bounced, tMs);
      if (keepsLine(this.m.log, tMs, 'sender-bounce')) {
        writeLine(this.m.log, tMs, 'sender-bounce', `${msgs.who(m)}  <${msgs.address(m)}> refused by ${BACKUP_HOST} with 550: bounced to its sender`);
      }
    }
  }

  /** A real message's attempt failed everywhere: the sender's own schedule decides when, or whether, to try again. */
  private defers(m: number, kind: number, tMs: number, why: string): void {
    const msgs = this.msgs;
    const failures = ++msgs.failures[m]!;
    const nextMs = this.limits.nextTry(msgs, m, tMs, failures);
    if (nextMs === null) {
      this.bounces(m, kind, tMs, why);
      return;
    }
    if (this.limits.noticeDue(msgs, m, tMs)) this.notifies(m, tMs);
    this.series.retries[this.m.rec.index(tMs)]!++;
    this.scene.reply(kind, REPLY.retryLater, tMs);
    this.timers.set(kind, nextMs);
    const slot = Math.floor(tMs / LOG_LIMITS.windowMs);
    if (slot === this.deferLinesRefusedSlot) this.m.log.skip();
    else if (!this.logsDeferral(m, tMs, nextMs, why)) this.deferLinesRefusedSlot = slot;
    // Handed on with whole numbers and the event's own time only, which pass to a call unboxed
    // (Exim's next try is a whole second): a time computed here and passed on is a number
    // allocated per deferral.
    if (kind === EXIM) this.queuesEximRetry(m, tMs, nextMs);
    else this.queuesRetry(m, kind, tMs, failures);
  }

  /**
   * The next attempt of a message deferred at tMs, in a lane when the wait is one the schedule fixes:
   * the same moment and order as the event heap would give, but a week of retries no longer sifts
   * through a heap of every waiting message. A lane of the fixed delay gives tMs + delayMs, the time
   * nextTry gave; otherwise the heap, at the time the same pure schedule gives again.
   */
  private queuesRetry(m: number, kind: number, tMs: number, failures: number): void {
    const queue = this.m.queue;
    const delayMs = this.limits.fixedDelayMs(this.msgs, m, tMs, failures);
    if (delayMs >= 0) queue.pushAfter(this.retryLanes.laneOf(kind, delayMs), tMs, E_ATTEMPT, m);
    else queue.push(this.limits.scheduledNextTry(this.msgs, m, tMs, failures)!, E_ATTEMPT, m);
  }

  /**
   * Exim counts whole seconds, so its attempt comes a whole number of seconds after the failure's
   * second: in a lane of that wait from that second, of Exim's own (a shared lane's other users
   * start from the exact time, which can be later).
   */
  private queuesEximRetry(m: number, tMs: number, nextMs: number): void {
    const fromMs = eximSeconds(tMs) * 1000;
    this.m.queue.pushAfter(this.retryLanes.laneOf(EXIM, nextMs - fromMs), fromMs, E_ATTEMPT, m);
  }

  /**
   * The deferral's log line, when the log keeps it; false when it refused. Apart from defers, as
   * the bounce is, so that the path of a week's 45,000 deferrals stays small enough for the engine
   * to compile as one piece: each time passed to a call it does not inline is boxed, a number
   * allocated per call.
   */
  private logsDeferral(m: number, tMs: number, nextMs: number, why: string): boolean {
    if (!keepsLine(this.m.log, tMs, 'sender-defer')) return false;
    const msgs = this.msgs;
    writePieces(this.m.log, tMs, 'sender-defer', ['', '  ', msgs.who(m), '  <', msgs.address(m), '> deferred: ', why, '; next try ', logMinute(nextMs)]);
    return true;
  }

  /** The sender gives up at its limit and bounces message m to its own user. */
  private bounces(m: number, kind: number, tMs: number, why: string): void {
    const msgs = this.msgs;
    this.leaves(m);
    this.scene.reply(kind, REPLY.senderBounced, tMs);
    msgs.end(m, OUTCOME.bounced, tMs);
    this.maxBounceAgeMs[kind] = Math.max(this.maxBounceAgeMs[kind]!, tMs - msgs.arrivalMs[m]!);
    if (keepsLine(this.m.log, tMs, 'sender-bounce')) {
      const hours = Math.round(((tMs - msgs.arrivalMs[m]!) / HOUR_MS) * 10) / 10;
      writeLine(this.m.log, tMs, 'sender-bounce', `${msgs.who(m)}  gave up on <${msgs.address(m)}> after ${hours} h (${why}): bounced to its sender`);
    }
  }

  /** The sender tells its user that message m is late, and keeps trying. */
  private notifies(m: number, tMs: number): void {
    const msgs = this.msgs;
    const kind = msgs.kind(m);
    msgs.notices[m]!++;
    this.observe?.({ type: 'notice', tMs, kind: SENDER_KINDS[kind]!, arrivalMs: msgs.arrivalMs[m]!, count: msgs.notices[m]! });
    this.noticesByKind[kind]!++;
    this.series.notices[this.m.rec.index(tMs)]!++;
    this.scene.reply(kind, REPLY.delayNotice, tMs);
    if (keepsLine(this.m.log, tMs, 'delay-notice')) {
      const hours = Math.floor((tMs - msgs.arrivalMs[m]!) / HOUR_MS);
      writeLine(this.m.log, tMs, 'delay-notice', `${msgs.who(m)}  <${msgs.address(m)}> waiting ${hours} h: ${SenderLimits.noticeWords(kind)} sent to <${msgs.envelopeFrom(m)}>`);
    }
  }

  /** A real message leaves its sender's queue: delivered, taken by the backup, or bounced. */
  private leaves(m: number): void {
    this.queued--;
    this.queuedByKind[this.msgs.kind(m)]!--;
  }

  /** A message's sender host, and its recipient: a real mailbox, or for some spam a guessed address. */
  private newMessage(kind: number, tMs: number): number {
    const rng = this.m.rng;
    const sender = Math.floor(rng.next() * 90) + 10;
    const toGuess = kind === SPAM && rng.next() * 100 < this.p.spamInvalidPct;
    const rcpt = toGuess ? this.p.users + Math.floor(rng.next() * GUESS_POOL) : Math.floor(rng.next() * this.p.users);
    return this.msgs.open(kind, sender, rcpt, tMs);
  }

  /** The next arrival of a Poisson stream, if it falls inside the run. */
  private schedule(event: number, perHour: number, fromMs: number): void {
    if (perHour <= 0) return;
    const t = fromMs + this.m.rng.exponential(HOUR_MS / perHour);
    // Each stream's arrivals come in time order: a lane of delay 0 each, out of the event heap.
    if (t < this.m.durationMs) this.m.queue.pushAfter(this.arrivalLanes[event === E_LEGIT ? 0 : 1]!, t, event, 0);
  }
}
