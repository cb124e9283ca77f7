/**
 * When a sending mail server tries a deferred message again, and when it gives
 * up and bounces it. Three kinds of sender:
 *
 * - Exim, with the retry rule from its default configuration
 *   (`* * F,2h,15m; G,16h,1h,1.5; F,4d,6h`), computed as retry.c does: the
 *   rule in force is the first whose time is not yet past since the first
 *   failure; F waits a fixed interval; G waits its first interval and then
 *   each time 1.5 times the previous gap; past the last rule's time the
 *   address fails.
 * - Postfix, whose queue manager waits as long as the message has already
 *   been queued, kept between minimal_backoff_time (300 s) and
 *   maximal_backoff_time (4000 s), and bounces a message older than
 *   maximal_queue_lifetime (5 days) when an attempt fails.
 * - A short-expiry sender: any server configured to give up early, as the
 *   one in the source post did (after five hours, the default expiry). Its
 *   expiry is a parameter; its retry intervals (15, 30 and 60 minutes, then
 *   every 240) are ours, a progressive schedule of the common kind. Like
 *   Postfix, it bounces at the first failed attempt at or past its limit.
 *
 * All times are in milliseconds. Attempts are assumed to happen at the retry
 * time itself; a real queue runner starts them at its next run after it.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export interface RetryRule {
  /** F: fixed interval; G: geometric, starting at intervalMs and multiplied by factor. */
  kind: 'F' | 'G';
  /** The rule applies while the time since the first failure is at most this. */
  untilMs: number;
  intervalMs: number;
  factor: number;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: MINUTE_MS, h: HOUR_MS, d: DAY_MS, w: 7 * DAY_MS };

/** "4d", "2h", "15m", "1h30m": Exim's time syntax. Null when it is not one. */
export function parseEximTime(text: string): number | null {
  const t = text.trim();
  if (!/^(\d+[smhdw])+$/.test(t)) return null;
  let ms = 0;
  for (const [, n, unit] of t.matchAll(/(\d+)([smhdw])/g)) ms += Number(n) * UNIT_MS[unit!]!;
  return ms;
}

/** Parses the time part of an Exim retry rule: "F,2h,15m; G,16h,1h,1.5; F,4d,6h". Throws with the offending item. */
export function parseEximRetryRules(text: string): RetryRule[] {
  const rules: RetryRule[] = [];
  for (const item of text.split(';')) {
    const parts = item.split(',').map((p) => p.trim());
    const kind = parts[0];
    const untilMs = parseEximTime(parts[1] ?? '');
    const intervalMs = parseEximTime(parts[2] ?? '');
    if ((kind !== 'F' && kind !== 'G') || untilMs === null || intervalMs === null || intervalMs === 0) {
      throw new Error(`not a retry rule item: ${item.trim()}`);
    }
    const factor = kind === 'G' ? Number(parts[3]) : 1;
    if (kind === 'G' && !(factor > 0)) throw new Error(`not a retry rule item: ${item.trim()}`);
    if (parts.length !== (kind === 'G' ? 4 : 3)) throw new Error(`not a retry rule item: ${item.trim()}`);
    rules.push({ kind, untilMs, intervalMs, factor });
  }
  return rules;
}

export const EXIM_DEFAULT_RETRY_TEXT = 'F,2h,15m; G,16h,1h,1.5; F,4d,6h';
export const EXIM_DEFAULT_RETRY = parseEximRetryRules(EXIM_DEFAULT_RETRY_TEXT);
/** Exim's retry_interval_max default: no computed wait is longer. */
export const EXIM_RETRY_INTERVAL_MAX_MS = DAY_MS;

/** What an Exim host or address retry record remembers. */
export interface EximRetryRecord {
  firstFailedMs: number;
  lastTryMs: number;
  nextTryMs: number;
}

/**
 * After a failed attempt at nowMs: the updated record, or null when the time
 * since the first failure is past the last rule (the final cutoff), which
 * makes Exim fail the address: the message bounces.
 */
export function eximAfterFailure(rules: readonly RetryRule[], record: EximRetryRecord | null, nowMs: number): EximRetryRecord | null {
  const firstFailedMs = record?.firstFailedMs ?? nowMs;
  const failingMs = nowMs - firstFailedMs;
  const rule = rules.find((r) => failingMs <= r.untilMs);
  if (!rule) return null;
  let waitMs = rule.intervalMs;
  if (rule.kind === 'G' && record) {
    // retry.c takes the smaller of the gap it predicted and the gap that actually passed.
    const lastGapMs = Math.min(record.nextTryMs - record.lastTryMs, nowMs - record.lastTryMs);
    if (lastGapMs >= rule.intervalMs) waitMs = lastGapMs * rule.factor;
  }
  waitMs = Math.min(waitMs, EXIM_RETRY_INTERVAL_MAX_MS);
  return { firstFailedMs, lastTryMs: nowMs, nextTryMs: nowMs + waitMs };
}

export const POSTFIX = { minimalBackoffMs: 300_000, maximalBackoffMs: 4000_000, maximalQueueLifetimeMs: 5 * DAY_MS } as const;

/** Postfix: the next attempt after a failure at nowMs for a message queued at arrivalMs, or null to bounce. */
export function postfixNextTry(arrivalMs: number, nowMs: number): number | null {
  const ageMs = nowMs - arrivalMs;
  if (ageMs >= POSTFIX.maximalQueueLifetimeMs) return null;
  return nowMs + Math.min(POSTFIX.maximalBackoffMs, Math.max(POSTFIX.minimalBackoffMs, ageMs));
}

export const SHORT_EXPIRY_RETRY_INTERVALS_MS = [15, 30, 60, 240].map((m) => m * MINUTE_MS);

/** A short-expiry sender: the next attempt after its k-th failure (k from 1), or null once the message is expiryMs old. */
export function shortExpiryNextTry(arrivalMs: number, nowMs: number, failures: number, expiryMs: number): number | null {
  if (nowMs - arrivalMs >= expiryMs) return null;
  const intervals = SHORT_EXPIRY_RETRY_INTERVALS_MS;
  return nowMs + intervals[Math.min(failures, intervals.length) - 1]!;
}
