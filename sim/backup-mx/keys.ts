/**
 * The names a backup-MX trace carries: who sends, how a message ends, and
 * every series and summary key, typed so that a misspelt key in the view or
 * in a test's lookup fails to compile.
 */
import { smtp } from './transaction.ts';

export const SMTP_STATES = smtp.states;

/** The senders of real mail; their positions are their ledger classes, and spam's class follows them. */
export const LEGIT_KINDS = ['exim', 'postfix', 'short-expiry', 'exchange'] as const;
export type LegitKind = (typeof LEGIT_KINDS)[number];
export const SENDER_KINDS = [...LEGIT_KINDS, 'spam'] as const;
export type SenderKind = (typeof SENDER_KINDS)[number];
export const EXIM = 0;
export const POSTFIX = 1;
export const SHORT_EXPIRY = 2;
export const EXCHANGE = 3;
export const SPAM = 4;
export const KIND_LABEL = ['Exim', 'Postfix', 'short-expiry', 'Exchange', 'spambot'] as const;

export const LEGIT_OUTCOMES = ['deliveredDirect', 'deliveredAfterRetry', 'deliveredViaBackup', 'bounced'] as const;
export const SPAM_OUTCOMES = ['spamRefused', 'spamDelivered', 'backscatter'] as const;
/** Every way a message ends, real or spam: the ledger's outcome indices are positions here. */
export const OUTCOMES = [...LEGIT_OUTCOMES, ...SPAM_OUTCOMES] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** An outcome's index in OUTCOMES, by name. */
export const OUTCOME = Object.fromEntries(OUTCOMES.map((o, i) => [o, i])) as Record<Outcome, number>;

/** Counts at the backup and the senders, per sample; the summary carries their totals. */
export const COUNTER_KEYS = ['callouts', 'cacheHits', 'rcpt250', 'rcpt451', 'rcpt550', 'senderRetries', 'delayNotices'] as const;

export const SERIES_KEYS = [
  'legit', 'spam', ...OUTCOMES,
  'senderQueue', 'backupQueue', 'primaryDown', 'cachePositive', 'cacheNegative',
  ...COUNTER_KEYS,
  ...smtp.stateSeries,
] as const;
export type SeriesKey = (typeof SERIES_KEYS)[number];

export type SummaryKey =
  | 'legit'
  | 'spam'
  | 'pendingLegit'
  | 'pendingSpam'
  | 'stillAtSenders'
  | 'stillAtBackup'
  | 'transactions'
  | 'peakBackupQueue'
  | 'peakSenderQueue'
  | Outcome
  | (typeof COUNTER_KEYS)[number]
  | `bounced_${LegitKind}`
  | `sent_${LegitKind}`
  | `delayNotices_${LegitKind}`
  | `maxBounceAgeHours_${LegitKind}`;
