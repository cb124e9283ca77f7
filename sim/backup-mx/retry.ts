/**
 * When a sending mail server tries a deferred message again, and when it gives
 * up and bounces it. Three kinds of sender:
 *
 * - Exim, with the retry rule from its default configuration
 *   (`* * F,2h,15m; G,16h,1h,1.5; F,4d,6h`), computed as retry_update() in
 *   Exim's src/src/retry.c does: in whole seconds (time_t, and int for the
 *   gaps), the rule in force being the first whose time is not yet past
 *   since the first failure; F waits a fixed interval; G waits its first
 *   interval, or (lastgap * p2) / 1000 once the last gap reached it, with
 *   p2 the factor in thousandths as readconf.c's retry_config reads it and
 *   C's integer division truncating; past the last rule's time the address
 *   fails.
 * - Postfix, whose queue manager waits as long as the message has already
 *   been queued, kept between minimal_backoff_time (300 s) and
 *   maximal_backoff_time (4000 s), and bounces a message older than
 *   maximal_queue_lifetime (5 days) when an attempt fails.
 * - Exchange, whose transport retries a failed connection 6 times 5 minutes
 *   apart (TransientFailureRetryCount, TransientFailureRetryInterval), then
 *   every 10 minutes (OutboundConnectionFailureRetryInterval on a Hub
 *   Transport server), and returns the message once it is older than
 *   MessageExpirationTimeout (2 days).
 * - A short-expiry sender: any server configured to give up early, as the
 *   one in the source post did (after five hours, the default expiry). Its
 *   expiry is a parameter; its retry intervals (15, 30 and 60 minutes, then
 *   every 240) are ours, a progressive schedule of the common kind. Like
 *   Postfix, it bounces at the first failed attempt at or past its limit.
 *
 * Times are in milliseconds, Exim's in whole seconds as its own. Attempts are assumed to happen at the retry
 * time itself; a real queue runner starts them at its next run after it.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export interface RetryRule {
  /** F: fixed interval; G: geometric, starting at intervalSec and multiplied by the factor. */
  kind: 'F' | 'G';
  /** The rule applies while the time since the first failure is at most this. */
  untilSec: number;
  intervalSec: number;
  /** G's factor in thousandths (1.5 is 1500), the fixed-point integer readconf.c keeps as p2; F's is 1000. */
  factorPerMille: number;
}

const UNIT_SEC: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 7 * 86_400 };

/** "4d", "2h", "15m", "1h30m": Exim's time syntax, in seconds. Null when it is not one. */
export function parseEximTime(text: string): number | null {
  const t = text.trim();
  if (!/^(\d+[smhdw])+$/.test(t)) return null;
  let sec = 0;
  for (const [, n, unit] of t.matchAll(/(\d+)([smhdw])/g)) sec += Number(n) * UNIT_SEC[unit!]!;
  return sec;
}

/** "1.5" as thousandths (1500), as readconf.c's readconf_readfixed reads a fixed-point number; null when it is not one. */
function parseFixedPerMille(text: string | undefined): number | null {
  const match = /^(\d+)(?:\.(\d{1,3}))?$/.exec(text ?? '');
  if (!match) return null;
  return Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0'));
}

/** Parses the time part of an Exim retry rule: "F,2h,15m; G,16h,1h,1.5; F,4d,6h". Throws with the offending item. */
export function parseEximRetryRules(text: string): RetryRule[] {
  const rules: RetryRule[] = [];
  for (const item of text.split(';')) {
    const parts = item.split(',').map((p) => p.trim());
    const kind = parts[0];
    const untilSec = parseEximTime(parts[1] ?? '');
    const intervalSec = parseEximTime(parts[2] ?? '');
    const bad = () => new Error(`not a retry rule item: ${item.trim()}`);
    if ((kind !== 'F' && kind !== 'G') || untilSec === null || intervalSec === null || intervalSec === 0) throw bad();
    if (parts.length !== (kind === 'G' ? 4 : 3)) throw bad();
    const factorPerMille = kind === 'G' ? parseFixedPerMille(parts[3]) : 1000;
    // readconf.c refuses a G rule whose factor is under 1 ("bad parameters for retry rule").
    if (factorPerMille === null || factorPerMille < 1000) throw bad();
    rules.push({ kind, untilSec, intervalSec, factorPerMille });
  }
  return rules;
}

export const EXIM_DEFAULT_RETRY_TEXT = 'F,2h,15m; G,16h,1h,1.5; F,4d,6h';
export const EXIM_DEFAULT_RETRY = parseEximRetryRules(EXIM_DEFAULT_RETRY_TEXT);
/** Exim's retry_interval_max default (24 h), in seconds: no computed wait is longer. */
export const EXIM_RETRY_INTERVAL_MAX_SEC = 86_400;

/** What an Exim host or address retry record remembers (dbdata_retry), in whole seconds of the run. */
export interface EximRetryRecord {
  firstFailedSec: number;
  lastTrySec: number;
  nextTrySec: number;
}

/** Exim's clock: time(NULL), whole seconds. */
export const eximSeconds = (tMs: number) => Math.floor(tMs / 1000);

/** The moment of a record's next try, in the run's milliseconds. */
export const eximNextTryMs = (record: EximRetryRecord) => record.nextTrySec * 1000;

/**
 * After a failed attempt at nowMs: the updated record, or null when the
 * address times out and Exim fails it (the message bounces), as
 * retry_update() in src/src/retry.c decides: the time since the first
 * failure is past the last rule's; or, given the time the message was
 * received, the message has been queued longer than that (retry.c's "on
 * queue longer than maximum retry", for a record no newer than the message).
 */
export function eximAfterFailure(
  rules: readonly RetryRule[],
  record: EximRetryRecord | null,
  nowMs: number,
  receivedMs?: number,
): EximRetryRecord | null {
  const now = eximSeconds(nowMs);
  const firstFailedSec = record?.firstFailedSec ?? now;
  const failingSec = now - firstFailedSec;
  // The first rule whose time is not yet past (a loop, not find: every Exim deferral asks).
  let rule: RetryRule | undefined;
  for (let i = 0; i < rules.length && rule === undefined; i++) if (failingSec <= rules[i]!.untilSec) rule = rules[i];
  if (!rule) return null;
  if (receivedMs !== undefined) {
    const received = eximSeconds(receivedMs);
    if (received <= firstFailedSec && now - received > rules.at(-1)!.untilSec) return null;
  }
  let waitSec = rule.intervalSec;
  if (rule.kind === 'G' && record) {
    // retry.c takes the smaller of the gap it predicted and the gap that actually passed.
    const lastGapSec = Math.min(record.nextTrySec - record.lastTrySec, now - record.lastTrySec);
    if (lastGapSec >= rule.intervalSec) waitSec = Math.trunc((lastGapSec * rule.factorPerMille) / 1000);
  }
  waitSec = Math.min(waitSec, EXIM_RETRY_INTERVAL_MAX_SEC);
  return { firstFailedSec, lastTrySec: now, nextTrySec: now + waitSec };
}

/** Exim's default rule with the last rule's time (when an address fails) set to `hours`. */
export const eximRulesGivingUpAfter = (hours: number) => parseEximRetryRules(`F,2h,15m; G,16h,1h,1.5; F,${hours}h,6h`);

export const POSTFIX = { minimalBackoffMs: 300_000, maximalBackoffMs: 4000_000, maximalQueueLifetimeMs: 5 * DAY_MS } as const;

/** Postfix: the next attempt after a failure at nowMs for a message queued at arrivalMs, or null to bounce once it is lifetimeMs old (maximal_queue_lifetime). */
export function postfixNextTry(arrivalMs: number, nowMs: number, lifetimeMs: number = POSTFIX.maximalQueueLifetimeMs): number | null {
  const ageMs = nowMs - arrivalMs;
  if (ageMs >= lifetimeMs) return null;
  return nowMs + Math.min(POSTFIX.maximalBackoffMs, Math.max(POSTFIX.minimalBackoffMs, ageMs));
}

/** Exchange transport defaults (TransportServer class, Exchange Server reference). */
export const EXCHANGE = {
  transientRetryCount: 6,
  transientRetryMs: 5 * MINUTE_MS,
  connectionFailureRetryMs: 10 * MINUTE_MS,
  messageExpirationMs: 2 * DAY_MS,
  delayNotificationMs: 4 * HOUR_MS,
} as const;

/** Exchange: how long it waits after its k-th failure (k from 1). */
export const exchangeRetryDelayMs = (failures: number): number =>
  failures <= EXCHANGE.transientRetryCount ? EXCHANGE.transientRetryMs : EXCHANGE.connectionFailureRetryMs;

/** Exchange: the next attempt after its k-th failure (k from 1), or null once the message is expiryMs old (MessageExpirationTimeout). */
export function exchangeNextTry(arrivalMs: number, nowMs: number, failures: number, expiryMs: number): number | null {
  if (nowMs - arrivalMs >= expiryMs) return null;
  return nowMs + exchangeRetryDelayMs(failures);
}

/**
 * Whether a sender owes its user a delay notice at a failed attempt, given
 * the notices already sent: the first at or after noticeMs of queueing (0 is
 * off), and, where the notice repeats (Exim's delay_warning, whose last time
 * repeats), one more each time that much more has passed. Exim
 * (deliver.c, after a deferral), Postfix (delay_warning_time) and Exchange
 * (DelayNotificationTimeout) all check at a deferral, so the notice goes
 * with the first failed attempt past its time.
 */
export function delayNoticeDue(ageMs: number, sent: number, noticeMs: number, repeats: boolean): boolean {
  if (noticeMs <= 0 || (sent > 0 && !repeats)) return false;
  return ageMs >= noticeMs * (sent + 1);
}

export const SHORT_EXPIRY_RETRY_INTERVALS_MS = [15, 30, 60, 240].map((m) => m * MINUTE_MS);

/** A short-expiry sender: how long it waits after its k-th failure (k from 1). */
export const shortExpiryRetryDelayMs = (failures: number): number =>
  SHORT_EXPIRY_RETRY_INTERVALS_MS[Math.min(failures, SHORT_EXPIRY_RETRY_INTERVALS_MS.length) - 1]!;

/** A short-expiry sender: the next attempt after its k-th failure (k from 1), or null once the message is expiryMs old. */
export function shortExpiryNextTry(arrivalMs: number, nowMs: number, failures: number, expiryMs: number): number | null {
  if (nowMs - arrivalMs >= expiryMs) return null;
  return nowMs + shortExpiryRetryDelayMs(failures);
}
