/**
 * Each kind of real sender's schedule and limits, as the reader sets them:
 * when it tries a deferred message again, when it gives up and bounces it,
 * and when it tells its user the message is late (a delay notice). The
 * schedules themselves are in retry.ts.
 */
import { EXCHANGE, EXIM, POSTFIX, SHORT_EXPIRY } from './keys.ts';
import type { Messages } from './messages.ts';
import type { BackupMxParams } from './params.ts';
import { HOUR_MS, MINUTE_MS, POSTFIX as POSTFIX_BACKOFF, delayNoticeDue, eximAfterFailure, eximNextTryMs, eximRulesGivingUpAfter, exchangeNextTry, exchangeRetryDelayMs, postfixNextTry, shortExpiryNextTry, shortExpiryRetryDelayMs, type RetryRule } from './retry.ts';

/**
 * How long a sender waits for a TCP connection to a silent primary host before it tries the next:
 * Exim's transport connect_timeout (5 min), Postfix's smtp_connect_timeout (30 s); Exchange's and the
 * short-expiry sender's 30 s are ours.
 */
export const CONNECT_TIMEOUT_MS = [5 * MINUTE_MS, 30_000, 30_000, 30_000] as const; // by kind: Exim, Postfix, short-expiry, Exchange

/** What each kind's delay notice is called in its own logs. */
const NOTICE_WORDS = ['Warning: message delayed (delay_warning)', 'sender delay notification (delay_warning_time)', '', 'Delivery Status Notification (Delay) 4.4.7'] as const;

export class SenderLimits {
  private readonly eximRules: RetryRule[];
  /** Per kind: the first delay notice's time (0 is never), and whether it repeats. */
  private readonly noticeMs: readonly number[];
  /** Each kind's limit in ms, multiplied out once rather than at each of a week's deferrals. */
  private readonly postfixLifetimeMs: number;
  private readonly exchangeExpiryMs: number;
  private readonly shortExpiryMs: number;

  constructor(p: BackupMxParams) {
    // The same products nextTry multiplied at each call, so the same limits to the bit.
    this.postfixLifetimeMs = p.postfixLifetimeHours * HOUR_MS;
    this.exchangeExpiryMs = p.exchangeExpiryHours * HOUR_MS;
    this.shortExpiryMs = p.shortExpiryHours * HOUR_MS;
    this.eximRules = eximRulesGivingUpAfter(p.eximGiveUpHours);
    this.noticeMs = [p.eximDelayWarningHours * HOUR_MS, p.postfixDelayWarningHours * HOUR_MS, 0, p.exchangeDelayNoticeHours * HOUR_MS];
  }

  /** After message m's failures-th failed attempt at tMs: its next attempt, or null when its sender gives up. */
  nextTry(msgs: Messages, m: number, tMs: number, failures: number): number | null {
    return msgs.kind(m) === EXIM ? this.eximNextTry(msgs, m, tMs) : this.scheduledNextTry(msgs, m, tMs, failures);
  }

  /** nextTry for an Exim sender: its retry record for the message, updated. */
  private eximNextTry(msgs: Messages, m: number, tMs: number): number | null {
    const retry = eximAfterFailure(this.eximRules, msgs.retry[m] ?? null, tMs, msgs.arrivalMs[m]!);
    msgs.retry[m] = retry;
    return retry === null ? null : eximNextTryMs(retry);
  }

  /** nextTry for a Postfix, Exchange or short-expiry sender: from the message's age and its failures. */
  scheduledNextTry(msgs: Messages, m: number, tMs: number, failures: number): number | null {
    const kind = msgs.kind(m);
    const arrivalMs = msgs.arrivalMs[m]!;
    if (kind === POSTFIX) return postfixNextTry(arrivalMs, tMs, this.postfixLifetimeMs);
    if (kind === EXCHANGE) return exchangeNextTry(arrivalMs, tMs, failures, this.exchangeExpiryMs);
    return shortExpiryNextTry(arrivalMs, tMs, failures, this.shortExpiryMs);
  }

  /**
   * When nextTry gave a time, whether it is the failure's time plus a delay fixed by the schedule:
   * Exchange's and the short-expiry sender's always, Postfix's when the message's age is clamped to
   * minimal_backoff_time or maximal_backoff_time (it is, from about an hour on): that delay, or -1
   * when the wait depends on the message (Exim's whole seconds, Postfix's age in between). nextTry
   * adds this very delay to the time, so a lane of it gives the same moment.
   */
  fixedDelayMs(msgs: Messages, m: number, tMs: number, failures: number): number {
    const kind = msgs.kind(m);
    if (kind === EXCHANGE) return exchangeRetryDelayMs(failures);
    if (kind === SHORT_EXPIRY) return shortExpiryRetryDelayMs(failures);
    if (kind === POSTFIX) {
      const ageMs = tMs - msgs.arrivalMs[m]!;
      if (ageMs >= POSTFIX_BACKOFF.maximalBackoffMs) return POSTFIX_BACKOFF.maximalBackoffMs;
      if (ageMs <= POSTFIX_BACKOFF.minimalBackoffMs) return POSTFIX_BACKOFF.minimalBackoffMs;
    }
    return -1;
  }

  /** Whether message m's sender sends its user a delay notice at this failed attempt; only Exim's repeats. */
  noticeDue(msgs: Messages, m: number, tMs: number): boolean {
    const kind = msgs.kind(m);
    return delayNoticeDue(tMs - msgs.arrivalMs[m]!, msgs.notices[m]!, this.noticeMs[kind]!, kind === EXIM);
  }

  /** The notice's name in the sender's logs. */
  static noticeWords(kind: number): string {
    return NOTICE_WORDS[kind] ?? '';
  }
}


