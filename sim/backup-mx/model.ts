/**
 * A domain with two MX records, mx1 (preference 10, the primary) and mx2
 * (preference 20, the backup), and the mail servers that send to it.
 *
 * Real mail comes from other people's servers, each with its own retry
 * schedule (retry.ts): a sender tries the primary first and, when it cannot
 * connect, the backup in the same attempt, as RFC 5321 section 5.1 says; if
 * neither takes the message it waits and tries again, and bounces it once its
 * limit has passed. Spam comes from bots that pick one server (usually the
 * backup), try once and never retry.
 *
 * The backup runs one of three policies: none (no second MX), a plain relay
 * that accepts every address in the domain, or the source post's callout ACL
 * (acl.ts). What it accepts waits in its queue and goes to the primary under
 * Exim's retry rule for the primary host; what the primary then refuses
 * becomes a bounce to the sender, which for spam is a forged address:
 * backscatter. Every SMTP transaction at the backup steps through the smtp
 * machine (machine.ts).
 *
 * Simplifications (also in the article): attempts happen at their retry
 * times, not at the next queue run; a sender's per-host retry records are
 * not kept (each attempt tries the primary first); the primary accepts every
 * valid address and filters only spam that connects to it directly; network
 * delays other than timeouts are left out.
 */
import {
  EventLog,
  EventQueue,
  SeriesRecorder,
  compileMachine,
  createRng,
  pad2,
  traceOfRun,
  utcFields,
  runEvents,
  type Trace,
} from '../core/index.ts';
import { evaluateRcptAcl, type AclVerdict, type BackupPolicy, type CalloutCache, type CalloutSettings, type PrimaryCondition } from './acl.ts';
import { rcptGuards, smtpMachine, type RcptView } from './machine.ts';
import { BACKUP_MODES, PRIMARY_FAULTS, type BackupMxParams } from './params.ts';
import {
  EXIM_DEFAULT_RETRY,
  HOUR_MS,
  MINUTE_MS,
  eximAfterFailure,
  fiveHourNextTry,
  postfixNextTry,
  type EximRetryRecord,
} from './retry.ts';

export const SAMPLE_MS = 5 * MINUTE_MS;
export const EVENT_BUDGET = 2_000_000;
/** The run starts on Monday 26 January 2009 at 18:00 GMT (Unix time), four hours before the source's power supply failed. */
export const RUN_START_EPOCH_SEC = 1_232_992_800;
export const DOMAIN = 'example.org';
export const PRIMARY_HOST = 'mx1.example.org';
export const BACKUP_HOST = 'mx2.example.org';
/** Spam to made-up addresses guesses from a list this long, so a guess sometimes repeats and meets the negative cache. */
export const GUESS_POOL = 400;

const machine = compileMachine<RcptView>(smtpMachine, rcptGuards);
type StateName = 'connected' | 'greeted' | 'mailFrom' | 'relayRule' | 'aclDeny' | 'rejected' | 'aclWarn' | 'aclDefer' | 'deferred' | 'aclAccept' | 'accepted' | 'queued' | 'relayed' | 'bounced';
const S = machine.stateIndex as Record<StateName, number>;
const EV = machine.eventIndex as Record<'EHLO' | 'MAIL' | 'RCPT' | 'NEXT' | 'RELAY', number>;
export const SMTP_STATES = machine.info.states.map((s) => s.id);

export const SENDER_KINDS = ['exim', 'postfix', 'five-hour', 'spam'] as const;
export type SenderKind = (typeof SENDER_KINDS)[number];
const EXIM = 0;
const POSTFIX = 1;
const FIVE_HOUR = 2;
const SPAM = 3;
const KIND_LABEL = ['Exim', 'Postfix', '5-hour', 'spambot'] as const;
/** How long a sender waits for a TCP connection to a silent primary before it tries the backup: Exim's transport connect_timeout (5 min), Postfix's smtp_connect_timeout (30 s), and ours for the five-hour sender. */
const CONNECT_TIMEOUT_MS = [5 * MINUTE_MS, 30_000, 30_000, 30_000] as const;

export const LEGIT_OUTCOMES = ['deliveredDirect', 'deliveredAfterRetry', 'deliveredViaBackup', 'bounced'] as const;
export const SPAM_OUTCOMES = ['spamRefused', 'spamDelivered', 'backscatter'] as const;
export type Outcome = (typeof LEGIT_OUTCOMES)[number] | (typeof SPAM_OUTCOMES)[number];

const E_LEGIT = 0; // a new real message (arg: unused)
const E_SPAM = 1; // a spam connection
const E_ATTEMPT = 2; // a sender's attempt (arg: message)
const E_FALLBACK = 3; // a sender gives up on the primary and connects to the backup (arg: message)
const E_HOST_RETRY = 4; // the backup's retry time for the primary host (arg: generation)
const E_SAMPLE = 5;

export const SERIES_KEYS = [
  'legit', 'spam', ...LEGIT_OUTCOMES, ...SPAM_OUTCOMES,
  'senderQueue', 'backupQueue', 'primaryDown', 'cachePositive', 'cacheNegative',
  'callouts', 'cacheHits', 'rcpt250', 'rcpt451', 'rcpt550', 'senderRetries',
  ...SMTP_STATES.map((s) => `st_${s}`),
] as const;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** The wall-clock fields at a moment of the run. */
const wall = (tMs: number) => utcFields(RUN_START_EPOCH_SEC + Math.floor(tMs / 1000));

/** "Mon 22:14": the time of day in the run, for the player's clock. */
export function wallClock(tMs: number): string {
  const w = wall(tMs);
  return `${DAYS[w.weekday]} ${pad2(w.h)}:${pad2(w.m)}`;
}

/** "Mon 22:14:03": a log line's timestamp. */
export function logTime(tMs: number): string {
  const w = wall(tMs);
  return `${DAYS[w.weekday]} ${pad2(w.h)}:${pad2(w.m)}:${pad2(w.s)}`;
}

/** "Mon, 26 Jan 2009 22:14:03 +0000": the date in an SMTP banner. */
export function rfc2822(tMs: number): string {
  const w = wall(tMs);
  return `${DAYS[w.weekday]}, ${w.day} ${MONTHS[w.month - 1]} ${w.year} ${pad2(w.h)}:${pad2(w.m)}:${pad2(w.s)} +0000`;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
function base62(n: number, width: number): string {
  let out = '';
  let v = Math.floor(n);
  for (let i = 0; i < width; i++) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out;
}

/** An Exim message id: the time in base 62, a process number, a fraction of a second. */
function messageId(tMs: number, tx: number): string {
  return `${base62(RUN_START_EPOCH_SEC + tMs / 1000, 6)}-${base62(tx + 4096, 6)}-${base62(tMs % 1000, 2)}`;
}

const FIRST_NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'olivia', 'peggy', 'rupert', 'sybil', 'trent', 'victor', 'walter', 'yusuf'];
const GUESSES = ['info', 'sales', 'admin', 'office', 'john', 'mike', 'contact', 'support', 'webmaster', 'jobs'];

/** Recipient r: a real mailbox when r < users, otherwise a guessed address that does not exist. */
export function recipientAddress(r: number, users: number): string {
  if (r < users) return `${FIRST_NAMES[r % FIRST_NAMES.length]}${r < FIRST_NAMES.length ? '' : Math.floor(r / FIRST_NAMES.length) + 1}@${DOMAIN}`;
  const g = r - users;
  return `${GUESSES[g % GUESSES.length]}${Math.floor(g / GUESSES.length) + 1}@${DOMAIN}`;
}

/** The primary's condition at a moment: up, or the chosen fault during the outage. */
export function primaryAt(p: BackupMxParams, tMs: number): PrimaryCondition {
  const startMs = p.outageStartHours * HOUR_MS;
  const endMs = startMs + p.outageHours * HOUR_MS;
  if (p.outageHours > 0 && tMs >= startMs && tMs < endMs) return PRIMARY_FAULTS[p.primaryFault] ?? 'timeout';
  return 'up';
}

/** For tests: what the trace only counts, one call at a time. */
export interface BackupMxObserver {
  /** Every RCPT verdict at the backup, with what was true at that moment. */
  rcpt?(rcpt: { tMs: number; kind: SenderKind; address: string; valid: boolean; primary: PrimaryCondition; verdict: AclVerdict }): void;
  /** Every message's end. */
  outcome?(end: { tMs: number; kind: SenderKind; arrivalMs: number; valid: boolean; outcome: Outcome }): void;
}

export function runBackupMx(p: BackupMxParams, seed: number, observe: BackupMxObserver = {}): Trace {
  const durationMs = p.durationHours * HOUR_MS;
  const rng = createRng(seed);
  const q = new EventQueue();
  const rec = new SeriesRecorder(SERIES_KEYS, durationMs, SAMPLE_MS);
  const log = new EventLog({ perKindPerWindow: 2, windowMs: SAMPLE_MS, total: 4000 });
  const mode = BACKUP_MODES[p.backupMode] ?? 'callout-acl';
  const policy: BackupPolicy | null = mode === 'none' ? null : mode;
  const settings: CalloutSettings = {
    timeoutMs: p.calloutTimeoutSec * 1000,
    positiveExpireMs: p.positiveExpireMin * MINUTE_MS,
    negativeExpireMs: p.negativeExpireMin * MINUTE_MS,
    slowReplyMs: p.slowReplySec * 1000,
  };
  const cache: CalloutCache = new Map();

  // ---- messages ---------------------------------------------------------------
  const msgKind: number[] = [];
  const msgRcpt: number[] = [];
  const msgArrivalMs: number[] = [];
  const msgFailures: number[] = [];
  const msgRetry: (EximRetryRecord | null)[] = [];
  const msgOutcome: (Outcome | null)[] = [];
  /** The sender that sent it: a host name for the logs. */
  const msgSender: number[] = [];
  let senderQueue = 0;

  // ---- the backup's transactions and queue ---------------------------------------
  const txMsg: number[] = [];
  const txState: number[] = [];
  const backupQueue: number[] = [];
  /** Exim's retry record for the primary host, on the backup. */
  let hostRetry: EximRetryRecord | null = null;
  /** Past the retry rule's final cutoff: messages bounce at their first failed attempt. */
  let hostExpired = false;
  let hostRetryGeneration = 0;
  const view: RcptView = { plainRelay: false, calloutRejected: false, calloutAnswered: false, primaryRejects: false };

  const address = (m: number) => recipientAddress(msgRcpt[m]!, p.users);
  const valid = (m: number) => msgRcpt[m]! < p.users;
  const senderHost = (m: number) => (msgKind[m] === SPAM ? `bot${msgSender[m]}.dsl.example.net` : `mail.sender${msgSender[m]}.example`);
  const senderIp = (m: number) => (msgKind[m] === SPAM ? `198.51.100.${(msgSender[m]! % 250) + 1}` : `203.0.113.${(msgSender[m]! % 250) + 1}`);
  const envelopeFrom = (m: number) => (msgKind[m] === SPAM ? `offers${msgSender[m]}@bulk-mail.example` : `someone${msgSender[m]}@sender${msgSender[m]}.example`);
  const who = (m: number) => `${KIND_LABEL[msgKind[m]!]} ${senderHost(m)}`;

  const line = (tMs: number, kind: string, text: string, detail?: string) => {
    if (!log.wants(tMs, kind)) return log.skip();
    log.write(tMs, kind, `${logTime(tMs)}  ${text}`, detail);
  };

  const finish = (m: number, outcome: Outcome, tMs: number) => {
    if (msgOutcome[m] !== null) throw new Error(`message ${m} ended twice`);
    msgOutcome[m] = outcome;
    rec.add(outcome, tMs);
    observe.outcome?.({ tMs, kind: SENDER_KINDS[msgKind[m]!]!, arrivalMs: msgArrivalMs[m]!, valid: valid(m), outcome });
  };

  const stepTx = (tx: number, event: number, tMs: number) => {
    const before = txState[tx]!;
    const after = machine.step(before, event, view);
    if (after !== before) {
      txState[tx] = after;
      rec.add(`st_${SMTP_STATES[after]}`, tMs);
    }
    return after;
  };

  /** The SMTP dialogue of one transaction at the backup, with the ACL's reasoning between RCPT and the reply. */
  const transcript = (m: number, tx: number, tMs: number, verdict: AclVerdict) => {
    const lines = [
      `S: 220 ${BACKUP_HOST} ESMTP Exim 4.69 ${rfc2822(tMs)}`,
      `C: EHLO ${senderHost(m)}`,
      `S: 250-${BACKUP_HOST} Hello ${senderHost(m)} [${senderIp(m)}]`,
      `C: MAIL FROM:<${envelopeFrom(m)}>`,
      'S: 250 OK',
      `C: RCPT TO:<${address(m)}>`,
    ];
    for (const step of verdict.trail) {
      lines.push(`   # ${step.line}`);
      if (step.callout) lines.push(`   #   ${step.callout.note}`);
      lines.push(`   #   → ${step.outcome}`);
    }
    if (verdict.elapsedMs >= 1000) lines.push(`   # (the reply waited ${Math.round(verdict.elapsedMs / 1000)} s for callouts)`);
    lines.push(`S: ${verdict.code} ${verdict.text}`);
    if (verdict.code === 250) {
      lines.push('C: DATA', 'S: 354 Enter message, ending with "." on a line by itself', 'C: .', `S: 250 OK id=${messageId(tMs, tx)}`);
    }
    lines.push('C: QUIT', `S: 221 ${BACKUP_HOST} closing connection`);
    return lines.join('\n');
  };

  /** A connection to the backup that offers message m. Returns the RCPT reply code. */
  const backupSession = (m: number, tMs: number): 250 | 451 | 550 => {
    const tx = txMsg.length;
    txMsg.push(m);
    txState.push(S.connected);
    rec.add('st_connected', tMs);
    const primary = primaryAt(p, tMs);
    const verdict = evaluateRcptAcl(policy!, cache, address(m), primary, valid(m), tMs, settings);
    observe.rcpt?.({ tMs, kind: SENDER_KINDS[msgKind[m]!]!, address: address(m), valid: valid(m), primary, verdict });
    for (const c of verdict.callouts) rec.add(c.fromCache ? 'cacheHits' : 'callouts', tMs);
    rec.add(`rcpt${verdict.code}`, tMs);
    view.plainRelay = policy === 'relay';
    view.calloutRejected = verdict.decidedBy === 'deny';
    view.calloutAnswered = verdict.decidedBy === 'defer';
    stepTx(tx, EV.EHLO, tMs);
    stepTx(tx, EV.MAIL, tMs);
    let state = stepTx(tx, EV.RCPT, tMs);
    // One NEXT per ACL statement, then DATA: each box the RCPT passes through is counted.
    while (state !== S.rejected && state !== S.deferred && state !== S.queued) state = stepTx(tx, EV.NEXT, tMs);

    const kind = `rcpt-${verdict.code}`;
    if (log.wants(tMs, kind)) {
      const base = `${BACKUP_HOST}  H=${senderHost(m)} [${senderIp(m)}] F=<${envelopeFrom(m)}>`;
      const text =
        verdict.code === 550 ? `${base} rejected RCPT <${address(m)}>: ${verdict.text}`
          : verdict.code === 451 ? `${base} temporarily rejected RCPT <${address(m)}>: ${verdict.text}`
            : `${BACKUP_HOST}  <= ${envelopeFrom(m)} H=${senderHost(m)} [${senderIp(m)}] P=esmtp id=${messageId(tMs, tx)} for ${address(m)}`;
      line(tMs, kind, text, transcript(m, tx, tMs, verdict));
    } else log.skip();

    if (verdict.code === 250) {
      backupQueue.push(tx);
      if (msgKind[m] !== SPAM) senderQueue--;
      offerToPrimary(tMs);
    }
    return verdict.code;
  };

  /** The backup's delivery of everything queued to the primary, under Exim's host retry rule. */
  const relayAll = (tMs: number) => {
    const primary = primaryAt(p, tMs);
    if (primary === 'up' || primary === 'slow') {
      for (const tx of backupQueue) {
        const m = txMsg[tx]!;
        view.primaryRejects = !valid(m);
        const to = stepTx(tx, EV.RELAY, tMs);
        if (to === S.relayed) {
          finish(m, msgKind[m] === SPAM ? 'spamDelivered' : 'deliveredViaBackup', tMs);
          line(tMs, 'relay', `${BACKUP_HOST}  => ${address(m)} R=dnslookup T=remote_smtp H=${PRIMARY_HOST}`);
        } else {
          bounceFromBackup(tx, tMs, `SMTP error from remote mail server after RCPT TO:<${address(m)}>: 550 unknown user`);
        }
      }
      if (backupQueue.length > 1) line(tMs, 'queue-run', `${BACKUP_HOST}  queue run: ${backupQueue.length} messages handed to ${PRIMARY_HOST}`);
      backupQueue.length = 0;
      hostRetry = null;
      hostExpired = false;
      return;
    }
    hostRetry = eximAfterFailure(EXIM_DEFAULT_RETRY, hostRetry, tMs);
    if (hostRetry === null) {
      // Past the final cutoff: Exim gives up on every queued address.
      hostExpired = true;
      for (const tx of backupQueue) bounceFromBackup(tx, tMs, 'retry timeout exceeded');
      backupQueue.length = 0;
      return;
    }
    if (backupQueue.length > 0) {
      line(tMs, 'backup-retry', `${BACKUP_HOST}  == ${backupQueue.length} queued for ${PRIMARY_HOST}: connection ${primary === 'refusing' ? 'refused' : 'timed out'}; next try ${logTime(hostRetry.nextTryMs).slice(0, 9)}`);
    }
    hostRetryGeneration++;
    q.push(hostRetry.nextTryMs, E_HOST_RETRY, hostRetryGeneration);
  };

  /** A newly accepted message: delivered at once unless the primary host is waiting out a retry time. */
  const offerToPrimary = (tMs: number) => {
    if (hostRetry !== null && !hostExpired && tMs < hostRetry.nextTryMs) return;
    relayAll(tMs);
  };

  const bounceFromBackup = (tx: number, tMs: number, why: string) => {
    // The backup sends a bounce to the envelope sender; for spam that address is forged.
    const m = txMsg[tx]!;
    view.primaryRejects = true;
    stepTx(tx, EV.RELAY, tMs);
    finish(m, msgKind[m] === SPAM ? 'backscatter' : 'bounced', tMs);
    line(tMs, 'bounce', `${BACKUP_HOST}  ** ${address(m)} R=dnslookup T=remote_smtp H=${PRIMARY_HOST}: ${why}; bounce sent to <${envelopeFrom(m)}>`);
  };

  /** A real message's attempt failed everywhere: the sender's own schedule decides when, or whether, to try again. */
  const senderDefers = (m: number, tMs: number, why: string) => {
    msgFailures[m]!++;
    const kind = msgKind[m]!;
    let nextMs: number | null;
    if (kind === EXIM) {
      msgRetry[m] = eximAfterFailure(EXIM_DEFAULT_RETRY, msgRetry[m] ?? null, tMs);
      nextMs = msgRetry[m]?.nextTryMs ?? null;
    } else if (kind === POSTFIX) {
      nextMs = postfixNextTry(msgArrivalMs[m]!, tMs);
    } else {
      nextMs = fiveHourNextTry(msgArrivalMs[m]!, tMs, msgFailures[m]!);
    }
    if (nextMs === null) {
      senderQueue--;
      finish(m, 'bounced', tMs);
      const hours = Math.round(((tMs - msgArrivalMs[m]!) / HOUR_MS) * 10) / 10;
      line(tMs, 'sender-bounce', `${who(m)}  gave up on <${address(m)}> after ${hours} h (${why}): bounced to its sender`);
      return;
    }
    rec.add('senderRetries', tMs);
    line(tMs, 'sender-defer', `${who(m)}  <${address(m)}> deferred: ${why}; next try ${logTime(nextMs).slice(0, 9)}`);
    q.push(nextMs, E_ATTEMPT, m);
  };

  /** A real message's attempt: the primary first, the backup if the primary cannot be reached. */
  const attempt = (m: number, tMs: number) => {
    const primary = primaryAt(p, tMs);
    if (primary === 'up' || primary === 'slow') {
      senderQueue--;
      finish(m, msgFailures[m] === 0 ? 'deliveredDirect' : 'deliveredAfterRetry', tMs);
      if (msgFailures[m]! > 0) line(tMs, 'late', `${who(m)}  => ${address(m)} H=${PRIMARY_HOST}: delivered after ${msgFailures[m]} failed attempts`);
      return;
    }
    if (policy === null) {
      senderDefers(m, tMs, `${PRIMARY_HOST}: connection ${primary === 'refusing' ? 'refused' : 'timed out'}, no other MX`);
      return;
    }
    q.push(tMs + (primary === 'refusing' ? 0 : CONNECT_TIMEOUT_MS[msgKind[m]!]!), E_FALLBACK, m);
  };

  const fallback = (m: number, tMs: number) => {
    const code = backupSession(m, tMs);
    if (code === 451) senderDefers(m, tMs, `${BACKUP_HOST} said 451`);
    else if (code === 550) {
      senderQueue--;
      finish(m, 'bounced', tMs);
      line(tMs, 'sender-bounce', `${who(m)}  <${address(m)}> refused by ${BACKUP_HOST} with 550: bounced to its sender`);
    }
  };

  const newMessage = (kind: number, tMs: number) => {
    const m = msgKind.length;
    msgKind.push(kind);
    msgSender.push(Math.floor(rng.next() * 90) + 10);
    const toGuess = kind === SPAM && rng.next() * 100 < p.spamInvalidPct;
    msgRcpt.push(toGuess ? p.users + Math.floor(rng.next() * GUESS_POOL) : Math.floor(rng.next() * p.users));
    msgArrivalMs.push(tMs);
    msgFailures.push(0);
    msgRetry.push(null);
    msgOutcome.push(null);
    return m;
  };

  const spam = (m: number, tMs: number) => {
    const toBackup = policy !== null && rng.next() * 100 < p.spamToBackupPct;
    if (toBackup) {
      const code = backupSession(m, tMs);
      if (code !== 250) finish(m, 'spamRefused', tMs);
      return;
    }
    const primary = primaryAt(p, tMs);
    if (primary !== 'up' && primary !== 'slow') {
      finish(m, 'spamRefused', tMs);
      return;
    }
    if (rng.next() * 100 < p.primaryFilterPct || !valid(m)) {
      finish(m, 'spamRefused', tMs);
      return;
    }
    finish(m, 'spamDelivered', tMs);
  };

  const schedule = (event: number, perHour: number, fromMs: number) => {
    if (perHour <= 0) return;
    const t = fromMs + rng.exponential(HOUR_MS / perHour);
    if (t < durationMs) q.push(t, event, 0);
  };

  schedule(E_LEGIT, p.legitPerHour, 0);
  schedule(E_SPAM, p.spamPerHour, 0);
  q.push(0, E_SAMPLE, 0);

  const result = runEvents(q, durationMs, EVENT_BUDGET, (tMs, kind, arg) => {
    switch (kind) {
      case E_LEGIT: {
        const r = rng.next() * 100;
        const senderKind = r < p.fiveHourPct ? FIVE_HOUR : rng.next() * 100 < p.postfixPct ? POSTFIX : EXIM;
        const m = newMessage(senderKind, tMs);
        rec.add('legit', tMs);
        senderQueue++;
        attempt(m, tMs);
        schedule(E_LEGIT, p.legitPerHour, tMs);
        break;
      }
      case E_SPAM: {
        const m = newMessage(SPAM, tMs);
        rec.add('spam', tMs);
        spam(m, tMs);
        schedule(E_SPAM, p.spamPerHour, tMs);
        break;
      }
      case E_ATTEMPT:
        attempt(arg, tMs);
        break;
      case E_FALLBACK:
        fallback(arg, tMs);
        break;
      case E_HOST_RETRY:
        if (arg === hostRetryGeneration && backupQueue.length > 0) relayAll(tMs);
        break;
      case E_SAMPLE: {
        let positive = 0;
        let negative = 0;
        for (const record of cache.values()) {
          const expireMs = record.positive ? settings.positiveExpireMs : settings.negativeExpireMs;
          if (tMs - record.writtenMs <= expireMs) {
            if (record.positive) positive++;
            else negative++;
          }
        }
        const i = rec.index(tMs);
        rec.get('cachePositive')[i] = positive;
        rec.get('cacheNegative')[i] = negative;
        // Down at any moment of the sample, so a short outage still shows.
        const downFrom = p.outageStartHours * HOUR_MS;
        const downTo = downFrom + p.outageHours * HOUR_MS;
        rec.get('primaryDown')[i] = p.outageHours > 0 && downFrom < tMs + SAMPLE_MS && downTo > tMs ? 1 : 0;
        if (tMs + SAMPLE_MS < durationMs) q.push(tMs + SAMPLE_MS, E_SAMPLE, 0);
        break;
      }
    }
    rec.max('senderQueue', tMs, senderQueue);
    rec.max('backupQueue', tMs, backupQueue.length);
  });

  const total = (key: string) => rec.get(key).reduce((x, y) => x + y, 0);
  const summary: Record<string, number> = {
    legit: total('legit'),
    spam: total('spam'),
    pendingLegit: msgOutcome.filter((o, m) => o === null && msgKind[m] !== SPAM).length,
    pendingSpam: msgOutcome.filter((o, m) => o === null && msgKind[m] === SPAM).length,
    stillAtSenders: senderQueue,
    stillAtBackup: backupQueue.length,
    transactions: txMsg.length,
    peakBackupQueue: Math.max(...rec.get('backupQueue')),
    peakSenderQueue: Math.max(...rec.get('senderQueue')),
  };
  for (const key of [...LEGIT_OUTCOMES, ...SPAM_OUTCOMES, 'callouts', 'cacheHits', 'rcpt250', 'rcpt451', 'rcpt550', 'senderRetries']) summary[key] = total(key);
  // Bounces by the kind of sender, for the claim that only the five-hour sender loses mail.
  SENDER_KINDS.forEach((k, kind) => {
    if (kind === SPAM) return;
    summary[`bounced_${k}`] = msgOutcome.filter((o, m) => o === 'bounced' && msgKind[m] === kind).length;
    summary[`sent_${k}`] = msgKind.filter((x) => x === kind).length;
  });

  return traceOfRun({ simId: 'backup-mx', seed, params: p, durationMs, recorder: rec, log, summary, result, budget: EVENT_BUDGET });
}
