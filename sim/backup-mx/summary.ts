/** The run's numbers: message totals from the ledger, counters from their series, and what is still queued where. */
import type { SeriesRecorder } from '../core/index.ts';
import type { BackupServer } from './backup.ts';
import { COUNTER_KEYS, LEGIT_KINDS, OUTCOME, OUTCOMES, SPAM, type SeriesKey, type SummaryKey } from './keys.ts';
import type { Messages } from './messages.ts';
import type { Senders } from './senders.ts';

/**
 * A series' sum and its largest value, by index: reduce's callback and a spread into Math.max
 * (an iterator over 2,016 samples) made some 0.6 MB of garbage per week's run, for a number each.
 * The sum adds in the same order from the same 0, so the same double; the peaks are counts, never
 * NaN or -0, where the largest by `>` is Math.max's.
 */
export function seriesTotal(series: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < series.length; i++) sum += series[i]!;
  return sum;
}

export function seriesPeak(series: Float64Array): number {
  let max = -Infinity;
  for (let i = 0; i < series.length; i++) if (series[i]! > max) max = series[i]!;
  return max;
}

export function summarize(rec: SeriesRecorder<SeriesKey>, msgs: Messages, senders: Senders, backup: BackupServer): Record<SummaryKey, number> {
  const ledger = msgs.ledger;
  let legit = 0;
  let pendingLegit = 0;
  const byKind: Partial<Record<SummaryKey, number>> = {};
  LEGIT_KINDS.forEach((k, kind) => {
    legit += ledger.attempts(kind);
    pendingLegit += ledger.pending(kind);
    // Bounces by the kind of sender, for the claim that only the short-expiry sender loses mail.
    byKind[`bounced_${k}`] = ledger.count(OUTCOME.bounced, kind);
    byKind[`sent_${k}`] = ledger.attempts(kind);
    byKind[`delayNotices_${k}`] = senders.noticesByKind[kind]!;
    byKind[`maxBounceAgeHours_${k}`] = senders.maxBounceAgeMs[kind]! / 3_600_000;
  });
  const outcomes = Object.fromEntries(OUTCOMES.map((o, i) => [o, ledger.count(i)]));
  const counters = Object.fromEntries(COUNTER_KEYS.map((key) => [key, seriesTotal(rec.get(key))]));
  return {
    legit,
    spam: ledger.attempts(SPAM),
    pendingLegit,
    pendingSpam: ledger.pending(SPAM),
    stillAtSenders: senders.queued,
    stillAtBackup: backup.queue.length,
    transactions: backup.transactions,
    peakBackupQueue: seriesPeak(rec.get('backupQueue')),
    peakSenderQueue: seriesPeak(rec.get('senderQueue')),
    ...outcomes,
    ...counters,
    ...byKind,
  } as Record<SummaryKey, number>;
}
