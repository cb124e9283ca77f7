/**
 * The backup MX (mx2): each SMTP session a sender or a bot opens with it,
 * stepped through the smtp machine with the RCPT ACL's verdict; its queue of
 * accepted messages; and its delivery of that queue to the primary under
 * Exim's retry rule for the primary host. What the primary then refuses
 * bounces to the envelope sender: for spam, a forged address (backscatter).
 */
import type { Model, Observer } from '../core/index.ts';
import { evaluateRcptAcl, type AclVerdict, type BackupPolicy, type CalloutCache, type CalloutSettings, type DomainCache, type PrimaryCondition } from './acl.ts';
import { keepsLine, logMinute, writeLine } from './clock.ts';
import { E_HOST_RETRY } from './events.ts';
import { OUTCOME, SENDER_KINDS, type SenderKind, type SeriesKey } from './keys.ts';
import type { RcptView } from './machine.ts';
import type { Messages } from './messages.ts';
import { BACKUP_MODES, type BackupMxParams } from './params.ts';
import { PrimarySchedule, primaryHostsAt } from './primary.ts';
import { EXIM_DEFAULT_RETRY, HOUR_MS, MINUTE_MS, eximAfterFailure, eximNextTryMs, type EximRetryRecord } from './retry.ts';
import { SmtpSteps } from './smtp-steps.ts';
import { smtp } from './transaction.ts';
import { BACKUP_HOST, PRIMARY_HOST, rcptLogText, transcript } from './transcript.ts';
import { RELAY, REPLY, type CacheCounts, type SceneRecorder } from './scene.ts';

const { state: S, event: EV, stateSeries: STATE_SERIES } = smtp;
/** Each RCPT reply's series and log kind, named once rather than built for every session. */
const RCPT_SERIES = { 250: 'rcpt250', 451: 'rcpt451', 550: 'rcpt550' } as const satisfies Record<250 | 451 | 550, SeriesKey>;
const RCPT_LOG_KIND = { 250: 'rcpt-250', 451: 'rcpt-451', 550: 'rcpt-550' } as const;
/** The counts of a cache with no records, shared by every sample that finds it empty (a week without a backup: all 2,016). */
const NO_RECORDS: CacheCounts = Object.freeze([0, 0, 0, 0, 0, 0]) as unknown as CacheCounts;

/** An RCPT verdict at the backup, with what was true at that moment, as a test sees it. */
export interface RcptEvent {
  type: 'rcpt';
  tMs: number;
  kind: SenderKind;
  address: string;
  valid: boolean;
  primary: PrimaryCondition;
  verdict: AclVerdict;
}

export class BackupServer {
  /** The RCPT policy, or null when the domain has no second MX at all. */
  readonly policy: BackupPolicy | null;
  readonly cache: CalloutCache = new Map();
  readonly domainCache: DomainCache = { refusedNullSenderMs: null };
  readonly settings: CalloutSettings;
  /** Transactions accepted and waiting for the primary, oldest first. */
  readonly queue: number[] = [];
  /** What the queue holds: [real mail, spam to a real mailbox, spam to a made-up address]. */
  readonly queuedByKind = [0, 0, 0];
  /** The message each transaction offered, and the machine state it is in, by transaction number. */
  private readonly txMsg: number[] = [];
  private readonly txState: number[] = [];
  /** Exim's retry record for the primary host. */
  private hostRetry: EximRetryRecord | null = null;
  /** Past the retry rule's final cutoff: messages bounce at their first failed attempt. */
  private hostExpired = false;
  /** Only the newest scheduled host retry runs; an older one finds its generation stale. */
  private hostRetryGeneration = 0;
  private readonly steps = new SmtpSteps();
  private readonly primary: PrimarySchedule;
  private readonly view: RcptView = { plainRelay: false, verifyDeferred: false, calloutRejected: false, calloutAnswered: false, primaryRejects: false };
  private readonly p: BackupMxParams;
  private readonly m: Model<SeriesKey>;
  private readonly msgs: Messages;
  private readonly observe: Observer<RcptEvent>;
  private readonly scene: SceneRecorder;
  /** The primary's hosts in MX order when it is up and during the outage: two arrays for the whole run, not one per session. */
  private readonly hostsUp: readonly PrimaryCondition[];
  private readonly hostsInOutage: readonly PrimaryCondition[];
  /** Every series a session counts in, held rather than looked up by name each time: the SMTP states' (by state), the RCPT replies', callouts and cache hits. */
  private readonly stateSeries: Float64Array[];
  private readonly rcptSeries: Record<250 | 451 | 550, Float64Array>;
  private readonly calloutSeries: Float64Array;
  private readonly cacheHitSeries: Float64Array;
  private readonly cachePositiveSeries: Float64Array;
  private readonly cacheNegativeSeries: Float64Array;

  constructor(p: BackupMxParams, model: Model<SeriesKey>, msgs: Messages, scene: SceneRecorder, observe: Observer<RcptEvent>) {
    this.p = p;
    this.scene = scene;
    this.m = model;
    this.msgs = msgs;
    this.observe = observe;
    const rec = model.rec;
    this.stateSeries = STATE_SERIES.map((key) => rec.get(key));
    this.rcptSeries = { 250: rec.get(RCPT_SERIES[250]), 451: rec.get(RCPT_SERIES[451]), 550: rec.get(RCPT_SERIES[550]) };
    this.calloutSeries = rec.get('callouts');
    this.cacheHitSeries = rec.get('cacheHits');
    this.cachePositiveSeries = rec.get('cachePositive');
    this.cacheNegativeSeries = rec.get('cacheNegative');
    this.primary = new PrimarySchedule(p);
    this.hostsUp = primaryHostsAt({ ...p, outageHours: 0 }, 0);
    this.hostsInOutage = primaryHostsAt(p, p.outageStartHours * HOUR_MS);
    const mode = BACKUP_MODES[p.backupMode] ?? 'callout-acl';
    this.policy = mode === 'none' ? null : mode;
    this.settings = {
      timeoutMs: p.calloutTimeoutSec * 1000,
      positiveExpireMs: p.positiveExpireMin * MINUTE_MS,
      negativeExpireMs: p.negativeExpireMin * MINUTE_MS,
      slowReplyMs: p.slowReplySec * 1000,
      deferOk: p.calloutDeferOk === 1,
      domainNegativeExpireMs: p.domainNegativeExpireMin * MINUTE_MS,
      primaryRefusesNullSender: p.primaryRefusesNullSender === 1,
    };
  }

  /** SMTP sessions opened with the backup so far. */
  get transactions(): number {
    return this.txMsg.length;
  }

  /** A connection that offers message m. Returns the RCPT reply code; a 250 leaves the message in the backup's queue. */
  session(m: number, tMs: number): 250 | 451 | 550 {
    const { rec, log } = this.m;
    const msgs = this.msgs;
    const view = this.view;
    const tx = this.txMsg.length;
    this.txMsg.push(m);
    this.txState.push(S.connected);
    this.stateSeries[S.connected]![rec.index(tMs)]!++;
    const primary = this.primary.at(tMs);
    // The callouts' notes are for the transcript of a session the log keeps (or a test that watches).
    const explain = this.observe !== undefined || log.wants(tMs, RCPT_LOG_KIND[250]) || log.wants(tMs, RCPT_LOG_KIND[451]) || log.wants(tMs, RCPT_LOG_KIND[550]);
    const hosts = primary === 'up' ? this.hostsUp : this.hostsInOutage;
    const verdict = evaluateRcptAcl(this.policy!, this.cache, this.domainCache, msgs.address(m), hosts, msgs.valid(m), tMs, this.settings, explain);
    this.observe?.({ type: 'rcpt', tMs, kind: SENDER_KINDS[msgs.kind(m)]!, address: msgs.address(m), valid: msgs.valid(m), primary, verdict });
    for (const c of verdict.callouts) {
      (c.fromCache ? this.cacheHitSeries : this.calloutSeries)[rec.index(tMs)]!++;
      this.scene.relay(c.fromCache ? RELAY.cacheHits : RELAY.callouts, tMs);
    }
    this.rcptSeries[verdict.code][rec.index(tMs)]!++;
    this.scene.reply(msgs.kind(m), verdict.code === 250 ? REPLY.backup250 : verdict.code === 451 ? REPLY.backup451 : REPLY.backup550, tMs);
    view.plainRelay = this.policy === 'relay';
    view.verifyDeferred = verdict.decidedBy === 'deny' && verdict.code === 451;
    view.calloutRejected = verdict.decidedBy === 'deny' && verdict.code === 550;
    view.calloutAnswered = verdict.decidedBy === 'defer';
    this.step(tx, EV.EHLO, tMs);
    this.step(tx, EV.MAIL, tMs);
    let state = this.step(tx, EV.RCPT, tMs);
    // One NEXT per ACL statement, then DATA: each box the RCPT passes through is counted.
    while (state !== S.rejected && state !== S.deferred && state !== S.verifyDeferred && state !== S.queued) state = this.step(tx, EV.NEXT, tMs);

    const kind = RCPT_LOG_KIND[verdict.code];
    if (keepsLine(log, tMs, kind)) writeLine(log, tMs, kind, rcptLogText(msgs, m, tx, tMs, verdict), transcript(msgs, m, tx, tMs, verdict));

    if (verdict.code === 250) {
      this.queue.push(tx);
      this.queuedByKind[!msgs.isSpam(m) ? 0 : msgs.valid(m) ? 1 : 2]!++;
      this.offerToPrimary(tMs);
    }
    return verdict.code;
  }

  /** The retry time for the primary host has come (a stale generation was superseded and does nothing). */
  hostRetryDue(generation: number, tMs: number): void {
    if (generation === this.hostRetryGeneration && this.queue.length > 0) this.relayAll(tMs);
  }

  /** When the backup will next try the primary, or null when it is not waiting out a retry time. */
  get nextRelayMs(): number | null {
    return this.hostRetry === null || this.hostExpired ? null : eximNextTryMs(this.hostRetry);
  }

  /** Addresses with an unexpired record in the callout cache at tMs, positive and negative, each with how many expire within sampleMs and within the hour. */
  cacheCounts(tMs: number, sampleMs: number): CacheCounts {
    // An empty cache (no callouts yet, or no callout ACL at all) counts nothing: one shared row, read only.
    if (this.cache.size === 0) return NO_RECORDS;
    const counts = [0, 0, 0, 0, 0, 0];
    for (const record of this.cache.values()) {
      const expireMs = record.positive ? this.settings.positiveExpireMs : this.settings.negativeExpireMs;
      const leftMs = expireMs - (tMs - record.writtenMs);
      if (leftMs >= 0) {
        const at = record.positive ? 0 : 3;
        counts[at]!++;
        if (leftMs < sampleMs) counts[at + 1]!++;
        if (leftMs < HOUR_MS) counts[at + 2]!++;
      }
    }
    return counts;
  }

  /** The unexpired records at tMs (cacheCounts), written into sample i's series. */
  sampleCache(tMs: number, i: number, sampleMs: number): CacheCounts {
    const counts = this.cacheCounts(tMs, sampleMs);
    this.cachePositiveSeries[i] = counts[0]!;
    this.cacheNegativeSeries[i] = counts[3]!;
    return counts;
  }

  private step(tx: number, event: number, tMs: number): number {
    const before = this.txState[tx]!;
    const after = this.steps.step(before, event, this.view);
    if (after !== before) {
      this.txState[tx] = after;
      this.stateSeries[after]![this.m.rec.index(tMs)]!++;
    }
    return after;
  }

  /** A newly accepted message: delivered at once unless the primary host is waiting out a retry time. */
  private offerToPrimary(tMs: number): void {
    const retry = this.hostRetry;
    if (retry !== null && !this.hostExpired && tMs < eximNextTryMs(retry)) return;
    this.relayAll(tMs);
  }

  /** The delivery of everything queued to the primary, under Exim's host retry rule. */
  private relayAll(tMs: number): void {
    const log = this.m.log;
    const msgs = this.msgs;
    const queue = this.queue;
    const primary = this.primary.at(tMs);
    if (this.primary.someHostTakesMail(tMs)) {
      for (const tx of queue) {
        const m = this.txMsg[tx]!;
        this.view.primaryRejects = !msgs.valid(m);
        const to = this.step(tx, EV.RELAY, tMs);
        if (to === S.relayed) {
          this.scene.relay(RELAY.relayed, tMs);
          msgs.end(m, msgs.isSpam(m) ? OUTCOME.spamDelivered : OUTCOME.deliveredViaBackup, tMs);
          if (keepsLine(log, tMs, 'relay')) writeLine(log, tMs, 'relay', `${BACKUP_HOST}  => ${msgs.address(m)} R=dnslookup T=remote_smtp H=${PRIMARY_HOST}`);
        } else {
          this.bounce(tx, tMs, RELAY.bounced550);
        }
      }
      if (queue.length > 1 && keepsLine(log, tMs, 'queue-run')) writeLine(log, tMs, 'queue-run', `${BACKUP_HOST}  queue run: ${queue.length} messages handed to ${PRIMARY_HOST}`);
      queue.length = 0;
      this.queuedByKind.fill(0);
      this.hostRetry = null;
      this.hostExpired = false;
      return;
    }
    const retry = eximAfterFailure(EXIM_DEFAULT_RETRY, this.hostRetry, tMs);
    this.hostRetry = retry;
    if (retry === null) {
      // Past the final cutoff: Exim gives up on every queued address.
      this.hostExpired = true;
      for (const tx of queue) this.bounce(tx, tMs, RELAY.bouncedTimeout);
      queue.length = 0;
      this.queuedByKind.fill(0);
      return;
    }
    if (queue.length > 0 && keepsLine(log, tMs, 'backup-retry')) {
      writeLine(log, tMs, 'backup-retry', `${BACKUP_HOST}  == ${queue.length} queued for ${PRIMARY_HOST}: connection ${primary === 'refusing' ? 'refused' : 'timed out'}; next try ${logMinute(eximNextTryMs(retry))}`);
    }
    this.hostRetryGeneration++;
    this.m.queue.push(eximNextTryMs(retry), E_HOST_RETRY, this.hostRetryGeneration);
  }

  /** The backup sends a bounce to the envelope sender; for spam that address is forged. */
  private bounce(tx: number, tMs: number, cause: typeof RELAY.bounced550 | typeof RELAY.bouncedTimeout): void {
    const msgs = this.msgs;
    const m = this.txMsg[tx]!;
    this.scene.relay(cause, tMs);
    if (msgs.isSpam(m)) this.scene.relay(RELAY.backscatter, tMs);
    this.view.primaryRejects = true;
    this.step(tx, EV.RELAY, tMs);
    msgs.end(m, msgs.isSpam(m) ? OUTCOME.backscatter : OUTCOME.bounced, tMs);
    if (keepsLine(this.m.log, tMs, 'bounce')) {
      const why = cause === RELAY.bounced550 ? `SMTP error from remote mail server after RCPT TO:<${msgs.address(m)}>: 550 unknown user` : 'retry timeout exceeded';
      writeLine(this.m.log, tMs, 'bounce', `${BACKUP_HOST}  ** ${msgs.address(m)} R=dnslookup T=remote_smtp H=${PRIMARY_HOST}: ${why}; bounce sent to <${msgs.envelopeFrom(m)}>`);
    }
  }
}
