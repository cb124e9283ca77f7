/**
 * A domain with two MX records, mx1 (preference 10, the primary) and mx2
 * (preference 20, the backup), and the mail servers that send to it.
 *
 * Senders and spambots (senders.ts) offer messages to the primary or the
 * backup. The backup (backup.ts) runs one of three policies: none (no second
 * MX), a plain relay that accepts every address in the domain, or the source
 * post's callout ACL (acl.ts). What it accepts waits in its queue and goes to
 * the primary under Exim's retry rule for the primary host; what the primary
 * then refuses becomes a bounce to the sender, which for spam is a forged
 * address: backscatter. Every message ends once, in the ledger (messages.ts).
 *
 * Simplifications (also in the article): attempts happen at their retry
 * times, not at the next queue run; a sender's per-host retry records are
 * not kept (each attempt tries the primary first); the primary accepts every
 * valid address and filters only spam that connects to it directly; network
 * delays other than timeouts are left out.
 */
import { createModel, type Observer, type Trace } from '../core/index.ts';
import { LOG_LIMITS } from './clock.ts';
import { BackupServer, type RcptEvent } from './backup.ts';
import { E_ATTEMPT, E_FALLBACK, E_HOST_RETRY, E_LEGIT, E_PRIMARY_LATE, E_SAMPLE, E_SPAM } from './events.ts';
import { SERIES_KEYS } from './keys.ts';
import { Messages, type MessageEnd } from './messages.ts';
import type { BackupMxParams } from './params.ts';
import { primaryAt, primaryDownDuring } from './primary.ts';
import { HOUR_MS, MINUTE_MS } from './retry.ts';
import { Senders, type NoticeEvent } from './senders.ts';
import { SceneRecorder, type SampleState } from './scene.ts';
import { summarize } from './summary.ts';

export const SAMPLE_MS = 5 * MINUTE_MS;
export const EVENT_BUDGET = 2_000_000;

/** What a test can watch: every RCPT verdict at the backup, every message's end, and every delay notice. */
export type BackupMxEvent = RcptEvent | MessageEnd | NoticeEvent;

export function runBackupMx(p: BackupMxParams, seed: number, observe?: Observer<BackupMxEvent>): Trace {
  const durationMs = p.durationHours * HOUR_MS;
  const model = createModel({
    simId: 'backup-mx',
    seed,
    params: p,
    durationMs,
    sampleMs: SAMPLE_MS,
    series: SERIES_KEYS,
    budget: EVENT_BUDGET,
    log: LOG_LIMITS,
  });
  const { queue, rec } = model;
  const msgs = new Messages(p.users);
  msgs.recordEndings(rec, observe);
  const scene = new SceneRecorder(durationMs, SAMPLE_MS);
  const backup = new BackupServer(p, model, msgs, scene, observe);
  const senders = new Senders(p, model, msgs, backup, scene, observe);

  /**
   * What the picture shows when the cursor is at tMs: the state at that moment, closing the sample
   * before it. One object, refilled at each sample: the scene copies what it reads at once.
   */
  const state: SampleState = { queuedByKind: senders.queuedByKind, timers: senders.timers, backup: backup.queuedByKind, relayAtMs: null, cache: [] };
  const stateAt = (tMs: number, cache = backup.cacheCounts(tMs, SAMPLE_MS)): SampleState => {
    state.relayAtMs = backup.nextRelayMs;
    state.cache = cache;
    return state;
  };

  // Held, not looked up by name: every event keeps both peaks.
  const senderPeak = rec.get('senderQueue');
  const backupPeak = rec.get('backupQueue');
  const primaryDownSeries = rec.get('primaryDown');
  senders.start();
  // Every sample's moment is queued before anything else can be: Exim's retries fall on whole seconds,
  // some on a sample's first instant, and a sample must close before what happens at that instant.
  // In a lane of their own, in time order (the same sequence numbers, so the same order at equal
  // times): a week's 2016 samples sat in the event heap under every retry's sift.
  const sampleLane = queue.lane(0);
  for (let tMs = 0; tMs < durationMs; tMs += SAMPLE_MS) queue.pushAfter(sampleLane, tMs, E_SAMPLE, 0);
  const run = model.run((tMs, kind, arg) => {
    switch (kind) {
      case E_LEGIT:
        senders.legitArrives(tMs);
        break;
      case E_SPAM:
        senders.spamArrives(tMs);
        break;
      case E_ATTEMPT:
        senders.retry(arg, tMs);
        break;
      case E_FALLBACK:
        senders.fallback(arg, tMs);
        break;
      case E_PRIMARY_LATE:
        senders.delivered(arg, tMs);
        break;
      case E_HOST_RETRY:
        backup.hostRetryDue(arg, tMs);
        break;
      case E_SAMPLE: {
        const i = rec.index(tMs);
        const cache = backup.sampleCache(tMs, i, SAMPLE_MS);
        const down = primaryDownDuring(p, tMs, tMs + SAMPLE_MS);
        primaryDownSeries[i] = down ? 1 : 0;
        // The fault, for a sample the outage touches at any moment (a short outage still shows).
        scene.primary(i, down ? primaryAt(p, Math.max(tMs, p.outageStartHours * HOUR_MS)) : 'up');
        // The cursor shows a sample at its end: this moment closes the one before.
        if (i > 0) scene.sample(i - 1, tMs, stateAt(tMs, cache));
        break;
      }
    }
    const i = rec.index(tMs);
    if (senders.queued > senderPeak[i]!) senderPeak[i] = senders.queued;
    if (backup.queue.length > backupPeak[i]!) backupPeak[i] = backup.queue.length;
  });

  scene.sample(rec.index(run.endMs - 1), run.endMs, stateAt(run.endMs));
  return model.trace(summarize(rec, msgs, senders, backup), { scene: scene.scene(rec, backup.policy, p.shortExpiryHours) });
}
