/**
 * The backup MX's RCPT ACL, statement by statement, and the recipient
 * callouts it makes to the primary, with Exim's callout cache.
 *
 * The source post's ACL (exim4.acl.conf):
 *
 *   deny   ! verify = recipient/callout=30s,defer_ok
 *            message = Rejected by primary MX
 *   warn     set acl_m_callout_deferred = true
 *            verify = recipient/callout=30s
 *            set acl_m_callout_deferred = false
 *   defer  ! condition = $acl_m_callout_deferred
 *            message = The primary MX is working, please use it
 *   accept   message = Accepting mail on behalf of primary MX
 *
 * Semantics taken from the Exim specification (ACL verbs; "Callout
 * verification"; "Callout caching"):
 * - A callout is answered from the cache when a record exists and is not
 *   older than callout_positive_expire (positive) or callout_negative_expire
 *   (negative); otherwise Exim connects to the primary and runs EHLO, MAIL,
 *   RCPT, and writes the answer (accept or reject) into the cache.
 * - A callout that cannot complete (connection refused, a timeout) defers,
 *   and nothing is written to the cache. With defer_ok, a deferred callout
 *   counts as a successful verification. Without it (the parameter
 *   calloutDeferOk off), the deny's verify defers and the whole ACL answers
 *   451 "Could not complete recipient verify callout" (acl.c,
 *   acl_check_conditions; verify.c, do_callout).
 * - In a warn statement, a condition that defers stops the statement: the
 *   modifiers after it (here `set acl_m_callout_deferred = false`) are not
 *   processed, and the ACL goes on with the next statement.
 * - Each verify condition runs its own callout: the second one is answered
 *   from the cache only if the first wrote a record.
 */
import { MINUTE_MS } from './retry.ts';

/** How the primary behaves toward a connection at this moment. */
export type PrimaryCondition = 'up' | 'refusing' | 'timeout' | 'slow';

export interface CacheRecord {
  positive: boolean;
  writtenMs: number;
}

/** The callout cache, keyed by recipient address (Exim's hints database, callout.db). */
export type CalloutCache = Map<string, CacheRecord>;

/**
 * The domain's record in the same database, as far as it changes a
 * recipient callout. verify.c writes a negative domain record when the
 * primary refuses HELO/EHLO or MAIL FROM:<> with 5xx, and while it is younger
 * than callout_domain_negative_expire (3 h) every callout to the domain fails
 * without connecting. A connection that fails or a 4xx is not cached, so an
 * outage writes nothing here. A positive domain record (callout_domain_
 * positive_expire, 7 d) only saves the postmaster and random-address checks,
 * which this ACL does not ask for, so it is not kept.
 */
export interface DomainCache {
  /** When the primary last refused MAIL FROM:<>, or null. */
  refusedNullSenderMs: number | null;
}

export interface CalloutSettings {
  timeoutMs: number;
  positiveExpireMs: number;
  negativeExpireMs: number;
  /** How long the slow primary takes to answer each SMTP command. */
  slowReplyMs: number;
  /** How long a negative domain record is believed (callout_domain_negative_expire, default 3 h). */
  domainNegativeExpireMs: number;
  /** The primary answers MAIL FROM:<> with 550, against RFC 5321's rule that the null sender be accepted. */
  primaryRefusesNullSender: boolean;
  /** The deny statement's verify carries defer_ok, as the source's does: a callout that cannot complete counts as verified. */
  deferOk: boolean;
}

export const EXIM_CALLOUT_DEFAULTS = {
  positiveExpireMs: 24 * 60 * MINUTE_MS,
  negativeExpireMs: 2 * 60 * MINUTE_MS,
} as const;

/** The commands a callout sends after the banner: EHLO, MAIL FROM:<>, RCPT TO (QUIT is not waited for). */
const CALLOUT_REPLIES = 4;
/** A callout to a primary that answers promptly: a few round trips. */
const PROMPT_CALLOUT_MS = 200;

export type CalloutResult = 'accept' | 'reject' | 'defer';

export interface Callout {
  result: CalloutResult;
  fromCache: boolean;
  /** How long the backup spent on it. */
  elapsedMs: number;
  /** What happened, in the words of an Exim debug log (for the SMTP transcript); empty when not asked to explain. */
  note: string;
}

/** Whether a cache record is still good at nowMs: Exim discards it once it is older than the expiry. */
export function cacheHit(record: CacheRecord | undefined, nowMs: number, s: CalloutSettings): record is CacheRecord {
  if (!record) return false;
  const expireMs = record.positive ? s.positiveExpireMs : s.negativeExpireMs;
  return nowMs - record.writtenMs <= expireMs;
}

/** Why one host of the primary could not answer a callout, or null when it answers within the timeout. */
function hostFailure(host: PrimaryCondition, s: CalloutSettings): { what: string; waitedMs: number } | null {
  if (host === 'refusing') return { what: 'connection refused', waitedMs: 0 };
  if (host === 'timeout') return { what: 'connection timed out', waitedMs: s.timeoutMs };
  if (host === 'slow' && s.slowReplyMs > s.timeoutMs) return { what: 'no banner', waitedMs: s.timeoutMs };
  return null;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10}s`;
const hostName = (h: number, hosts: number) => (hosts === 1 ? 'the primary' : `primary host ${h + 1} of ${hosts}`);

/**
 * A callout answered from the cache with no note asked for: the same for every session, so one
 * object each (nothing changes a callout once made) rather than one per callout, two per RCPT.
 */
const CACHED_UNEXPLAINED = {
  accept: Object.freeze<Callout>({ result: 'accept', fromCache: true, elapsedMs: 0, note: '' }),
  reject: Object.freeze<Callout>({ result: 'reject', fromCache: true, elapsedMs: 0, note: '' }),
} as const;

/** verify.c's do_callout() message for a callout that no host completed (smtp_return_error_details unset). */
export const CALLOUT_DEFER_TEXT = 'Could not complete recipient verify callout';

/**
 * One recipient callout to the primary, through the cache, as verify =
 * recipient/callout does it. The primary's hosts are tried in MX order, as
 * do_callout() in Exim's src/src/verify.c loops over its host list: a
 * refused or timed-out connection moves on to the next host, and the first
 * host that answers RCPT with 2xx or 5xx settles it. When none does, the
 * callout defers, and nothing is written to the cache.
 *
 * `explain`: whether to write the note. Only a session the log keeps shows it, and a busy run
 * built thousands of notes for sessions whose lines were dropped.
 */
export function callout(
  cache: CalloutCache,
  domain: DomainCache,
  address: string,
  hosts: readonly PrimaryCondition[],
  recipientValid: boolean,
  nowMs: number,
  s: CalloutSettings,
  explain = true,
): Callout {
  // verify.c reads the domain record before the address record.
  const refusedMs = domain.refusedNullSenderMs;
  if (refusedMs !== null && nowMs - refusedMs <= s.domainNegativeExpireMs) {
    if (!explain) return CACHED_UNEXPLAINED.reject;
    const note = `callout cache: domain record: the primary refused MAIL FROM:<> ${Math.floor((nowMs - refusedMs) / MINUTE_MS)} min ago: reject, no connection`;
    return { result: 'reject', fromCache: true, elapsedMs: 0, note };
  }
  const record = cache.get(address);
  if (cacheHit(record, nowMs, s)) {
    if (!explain) return record.positive ? CACHED_UNEXPLAINED.accept : CACHED_UNEXPLAINED.reject;
    const note = `callout cache: ${record.positive ? 'positive' : 'negative'} record for ${address}, ${Math.floor((nowMs - record.writtenMs) / MINUTE_MS)} min old: no connection`;
    return { result: record.positive ? 'accept' : 'reject', fromCache: true, elapsedMs: 0, note };
  }
  const notes: string[] = [];
  let elapsedMs = 0;
  for (let h = 0; h < hosts.length; h++) {
    const host = hosts[h]!;
    const failure = hostFailure(host, s);
    if (failure) {
      elapsedMs += failure.waitedMs;
      if (explain) notes.push(`callout to ${hostName(h, hosts.length)}: ${failure.what}${failure.waitedMs > 0 ? ` after ${seconds(failure.waitedMs)}` : ''}`);
      continue;
    }
    if (s.primaryRefusesNullSender) {
      // Banner, EHLO, then 550 to MAIL FROM:<>: a 5xx completes the callout as a failure, cached for the domain.
      elapsedMs += host === 'slow' ? (CALLOUT_REPLIES - 1) * s.slowReplyMs : PROMPT_CALLOUT_MS;
      domain.refusedNullSenderMs = nowMs;
      if (explain) notes.push(`callout to ${hostName(h, hosts.length)}: MAIL FROM:<> answered 550: reject (domain record cached as negative)`);
      return { result: 'reject', fromCache: false, elapsedMs, note: notes.join('; ') };
    }
    elapsedMs += host === 'slow' ? CALLOUT_REPLIES * s.slowReplyMs : PROMPT_CALLOUT_MS;
    cache.set(address, { positive: recipientValid, writtenMs: nowMs });
    const answer = recipientValid ? '250: accept (cached as positive)' : '550: reject (cached as negative)';
    if (explain) notes.push(`callout to ${hostName(h, hosts.length)}: RCPT TO:<${address}> answered ${answer}`);
    return { result: recipientValid ? 'accept' : 'reject', fromCache: false, elapsedMs, note: notes.join('; ') };
  }
  if (explain) notes.push(`${CALLOUT_DEFER_TEXT}: defer (not cached)`);
  return { result: 'defer', fromCache: false, elapsedMs, note: notes.join('; ') };
}

/** The backup's policy for RCPT: none is not here (there is no backup to connect to). */
export type BackupPolicy = 'relay' | 'callout-acl';

/** Which statement decided, in the order the ACL has them; 'relay' is the plain accept-all rule. */
export type AclStatement = 'deny' | 'warn' | 'defer' | 'accept' | 'relay';

export interface AclVerdict {
  decidedBy: AclStatement;
  code: 250 | 451 | 550;
  text: string;
  /** The statements evaluated, in order, each with what it did: the diagram and the transcript follow it. */
  trail: { statement: AclStatement; line: string; outcome: string; callout?: Callout }[];
  callouts: Callout[];
  /** The value acl_m_callout_deferred had when the defer statement read it. */
  calloutDeferredVar: boolean | null;
  elapsedMs: number;
}

export const ACL_MESSAGES = {
  deny: 'Rejected by primary MX',
  defer: 'The primary MX is working, please use it',
  accept: 'Accepting mail on behalf of primary MX',
} as const;

/** The Debian default for a relay domain with no recipient check beyond routing: every address in the domain is taken. */
const RELAY_TEXT = 'Accepted';

/**
 * The plain relay's verdict, the same for every RCPT: one object for the run (nothing changes a
 * verdict once given), where a relay taking a spam run made one with its trail for each session.
 */
const RELAY_VERDICT: AclVerdict = Object.freeze({
  decidedBy: 'relay',
  code: 250,
  text: RELAY_TEXT,
  trail: Object.freeze([{ statement: 'relay', line: 'accept  domains = +relay_to_domains', outcome: 'the domain is one we relay for: accept' }]) as AclVerdict['trail'],
  callouts: Object.freeze([]) as unknown as Callout[],
  calloutDeferredVar: null,
  elapsedMs: 0,
} as const);

/** A verdict, in the order of AclVerdict's fields (one shape for every verdict). */
function verdictOf(
  trail: AclVerdict['trail'],
  callouts: Callout[],
  elapsedMs: number,
  decidedBy: AclStatement,
  code: 250 | 451 | 550,
  text: string,
  calloutDeferredVar: boolean | null,
): AclVerdict {
  return { decidedBy, code, text, trail, callouts, calloutDeferredVar, elapsedMs };
}

/** The deny statement's line, with and without defer_ok: made once, not for every RCPT. */
const DENY_LINE = { deferOk: 'deny    ! verify = recipient/callout=30s,defer_ok', strict: 'deny    ! verify = recipient/callout=30s' } as const;

/** The ACL's verdict on one RCPT; `explain` as for `callout` (the trail is always kept: it drives the diagram). */
export function evaluateRcptAcl(
  policy: BackupPolicy,
  cache: CalloutCache,
  domain: DomainCache,
  address: string,
  hosts: readonly PrimaryCondition[],
  recipientValid: boolean,
  nowMs: number,
  s: CalloutSettings,
  explain = true,
): AclVerdict {
  if (policy === 'relay') return RELAY_VERDICT;
  const trail: AclVerdict['trail'] = [];
  // Each callout starts when the one before it ended.
  const first = callout(cache, domain, address, hosts, recipientValid, nowMs, s, explain);
  let elapsedMs = first.elapsedMs;
  const callouts: Callout[] = [first];
  // deny ! verify = recipient/callout=30s,defer_ok (or without defer_ok)
  const denyLine = s.deferOk ? DENY_LINE.deferOk : DENY_LINE.strict;
  if (first.result === 'defer' && !s.deferOk) {
    // acl.c: a condition that defers with ERRNO_CALLOUTDEFER sets acl_temp_details and, in any verb
    // but warn, makes the whole ACL return DEFER; smtp_in.c then sends 451 with verify.c's message.
    trail.push({ statement: 'deny', line: denyLine, outcome: 'the callout deferred, and without defer_ok so does the verify, and with it the whole ACL: 451', callout: first });
    return verdictOf(trail, callouts, elapsedMs, 'deny', 451, CALLOUT_DEFER_TEXT, null);
  }
  const verified = first.result !== 'reject'; // defer_ok: a deferred callout verifies
  trail.push({
    statement: 'deny',
    line: denyLine,
    outcome:
      first.result === 'reject'
        ? 'verify fails, so ! verify is true: deny'
        : first.result === 'defer'
          ? 'callout deferred; defer_ok counts it as verified, so ! verify is false: next statement'
          : 'verify succeeds, so ! verify is false: next statement',
    callout: first,
  });
  if (!verified) return verdictOf(trail, callouts, elapsedMs, 'deny', 550, ACL_MESSAGES.deny, null);

  // warn: set true; verify (no defer_ok); set false, unless the verify deferred
  let calloutDeferred = true;
  const second = callout(cache, domain, address, hosts, recipientValid, nowMs + elapsedMs, s, explain);
  callouts.push(second);
  elapsedMs += second.elapsedMs;
  if (second.result === 'accept') calloutDeferred = false;
  trail.push({
    statement: 'warn',
    line: 'warn    set acl_m_callout_deferred = true; verify = recipient/callout=30s; set acl_m_callout_deferred = false',
    outcome:
      second.result === 'defer'
        ? 'the callout deferred: warn stops there, acl_m_callout_deferred stays true, the ACL goes on'
        : second.result === 'accept'
          ? 'verify succeeds: acl_m_callout_deferred = false'
          : 'verify fails: the statement stops, acl_m_callout_deferred stays true',
    callout: second,
  });

  // defer ! condition = $acl_m_callout_deferred
  trail.push({
    statement: 'defer',
    line: 'defer   ! condition = $acl_m_callout_deferred',
    outcome: calloutDeferred ? 'acl_m_callout_deferred is true: not deferred, next statement' : 'the primary answered: defer, telling the sender to use it',
  });
  if (!calloutDeferred) return verdictOf(trail, callouts, elapsedMs, 'defer', 451, ACL_MESSAGES.defer, false);

  trail.push({ statement: 'accept', line: 'accept', outcome: 'accept on behalf of the primary' });
  return verdictOf(trail, callouts, elapsedMs, 'accept', 250, ACL_MESSAGES.accept, true);
}
