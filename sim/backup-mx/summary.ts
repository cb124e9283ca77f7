/** The run's numbers: message totals from the ledger, counters from their series, and what is still queued where. */
import type { SeriesRecorder } from '../core/index.ts';
import type { BackupServer } from './backup.ts';
import { COUNTER_KEYS, LEGIT_KINDS, OUTCOME, OUTCOMES, SPAM, type SeriesKey, type SummaryKey } from './keys.ts';
import type { Messages } from './messages.ts';
import type { Senders } from './senders.ts';

const total = (series: Float64Array) => series.reduce((x, y) => x + y, 0);

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
  const counters = Object.fromEntries(COUNTER_KEYS.map((key) => [key, total(rec.get(key))]));
  return {
    legit,
    spam: ledger.attempts(SPAM),
    pendingLegit,
    pendingSpam: ledger.pending(SPAM),
    stillAtSenders: senders.queued,
    stillAtBackup: backup.queue.length,
    transactions: backup.transactions,
    peakBackupQueue: Math.max(...rec.get('backupQueue')),
    peakSenderQueue: Math.max(...rec.get('senderQueue')),
    ...outcomes,
    ...counters,
    ...byKind,
  } as Record<SummaryKey, number>;
}
