/**
 * The mail flow as a picture: one frame per five-minute sample, made from the
 * model's own state where the model samples its series (the E_SAMPLE event)
 * and from the replies it gives as it gives them.
 *
 * Aggregation rule: there are hundreds of messages, so a frame holds counts,
 * never messages.
 * - State is read at the start of the sample (the moment the player's clock
 *   shows, and when the cache series is read): real mail waiting in its
 *   senders' queues by kind of sender, with how many retry timers run out
 *   within this sample and within the hour; the backup's queue by what it holds
 *   (real mail, spam to a real mailbox, spam to a made-up address); the
 *   backup's wait before it tries the primary again; the unexpired callout
 *   cache records by sign and by when they expire.
 * - The queues' peaks are the charts' own numbers (the most waiting at any
 *   moment of the sample), so the picture and the chart say the same number.
 * - Flows are counted over the sample: each attempt by kind of sender, where it
 *   went and the reply it got, and what the backup sent to the primary.
 */
import type { Scene, SeriesRecorder } from '../core/index.ts';
import type { BackupPolicy, PrimaryCondition } from './acl.ts';
import { LEGIT_KINDS, SENDER_KINDS, type SeriesKey } from './keys.ts';
import type { RetryTimers } from './retry-timers.ts';

/** What one attempt of a sender did, as a position in a kind's row of `BackupMxFrame.replies`. */
export const REPLY = {
  /** The primary took the message: 250. */
  primary250: 0,
  /** The primary refused spam at RCPT: 550 (its filter, or a made-up address). */
  primary550: 1,
  /** The primary did not answer (timed out or refused the connection). */
  primaryNoAnswer: 2,
  backup250: 3,
  backup451: 4,
  backup550: 5,
  /** The sender deferred the message and set a retry timer. */
  retryLater: 6,
  /** The sender gave up (its time limit, or a 550) and bounced the message to its own user. */
  senderBounced: 7,
} as const;
const REPLY_WIDTH = 8;

/** What the backup did toward the primary, as a position in `BackupMxFrame.relay`. */
export const RELAY = {
  /** Recipient callouts that connected to the primary. */
  callouts: 0,
  /** Callouts answered from the cache, with no connection. */
  cacheHits: 1,
  /** Queued messages the primary took: 250. */
  relayed: 2,
  /** Queued messages the primary refused (550): the backup bounces them. */
  bounced550: 3,
  /** Queued messages bounced at the retry rule's final cutoff. */
  bouncedTimeout: 4,
  /** Of the backup's bounces, those of spam: backscatter to a forged sender. */
  backscatter: 5,
} as const;
const RELAY_WIDTH = 6;

export interface BackupMxFrame {
  /** The primary in this sample: 'up', or its fault when it was down at any moment of it (the charts' shaded band). */
  primary: PrimaryCondition;
  /** Per real kind (Exim, Postfix, five-hour): [waiting, timers running out in this sample, timers running out within the hour]. */
  senders: [number, number, number][];
  /** Retry timers running, per real kind: the rest of `waiting` is connecting (waiting out a timeout before the backup). */
  timers: number[];
  /** The most real mail waiting at senders at any moment of the sample (the chart's series). */
  senderPeak: number;
  /** The backup's queue: [real mail, spam to a real mailbox, spam to a made-up address]. */
  backup: [number, number, number];
  /** The most messages in the backup's queue at any moment of the sample (the chart's series). */
  backupPeak: number;
  /** Minutes until the backup tries the primary again (rounded up), or null when it is not waiting. */
  relayInMin: number | null;
  /** Unexpired callout cache records: [positive, of them expiring within 5 min, within the hour, negative, within 5 min, within the hour]. */
  cache: number[];
  /** Per sender kind (Exim, Postfix, five-hour, spambots), what its attempts in this sample got, by REPLY position. */
  replies: number[][];
  /** What the backup did toward the primary in this sample, by RELAY position. */
  relay: number[];
}

/** The frames, and the backup's policy for the whole run ('none' when the domain has no second MX). */
export interface BackupMxScene extends Scene<BackupMxFrame> {
  policy: BackupPolicy | 'none';
  frames: BackupMxFrame[];
}

/** The unexpired callout records at a moment, counted as `BackupMxFrame.cache` holds them. */
export type CacheCounts = BackupMxFrame['cache'];

/** The state read at a sample's start, from the senders and the backup. */
export interface SampleState {
  primary: PrimaryCondition;
  queuedByKind: readonly number[];
  timers: RetryTimers;
  backup: [number, number, number];
  relayAtMs: number | null;
  cache: CacheCounts;
}

const HOUR_SAMPLES = 12;

export class SceneRecorder {
  private readonly sampleMs: number;
  private readonly count: number;
  private readonly replies: Int32Array;
  private readonly relays: Int32Array;
  private readonly state: Omit<BackupMxFrame, 'replies' | 'relay' | 'senderPeak' | 'backupPeak'>[] = [];

  constructor(durationMs: number, sampleMs: number) {
    this.sampleMs = sampleMs;
    this.count = Math.max(1, Math.ceil(durationMs / sampleMs));
    this.replies = new Int32Array(this.count * SENDER_KINDS.length * REPLY_WIDTH);
    this.relays = new Int32Array(this.count * RELAY_WIDTH);
  }

  private index(tMs: number): number {
    return Math.min(this.count - 1, Math.max(0, Math.floor(tMs / this.sampleMs)));
  }

  /** An attempt by a sender of this kind got this reply (a REPLY position). */
  reply(kind: number, what: number, tMs: number): void {
    this.replies[(this.index(tMs) * SENDER_KINDS.length + kind) * REPLY_WIDTH + what]!++;
  }

  /** The backup did this toward the primary (a RELAY position). */
  relay(what: number, tMs: number): void {
    this.relays[this.index(tMs) * RELAY_WIDTH + what]!++;
  }

  /** The state at the start of sample i. */
  sample(i: number, tMs: number, s: SampleState): void {
    this.state[i] = {
      primary: s.primary,
      senders: LEGIT_KINDS.map((_, k) => [s.queuedByKind[k]!, s.timers.dueWithin(k, i, 1), s.timers.dueWithin(k, i, HOUR_SAMPLES)]),
      timers: [...s.timers.waiting],
      backup: s.backup,
      relayInMin: s.relayAtMs === null ? null : Math.ceil((s.relayAtMs - tMs) / 60_000),
      cache: s.cache,
    };
  }

  /** The frames, once the run is over: each sample's state, its flows, and the charts' peaks. */
  scene(rec: SeriesRecorder<SeriesKey>, policy: BackupPolicy | null): BackupMxScene {
    const senderPeak = rec.get('senderQueue');
    const backupPeak = rec.get('backupQueue');
    const frames: BackupMxFrame[] = [];
    for (let i = 0; i < this.count; i++) {
      const state = this.state[i];
      if (!state) break;
      const row = (k: number) => Array.from(this.replies.subarray((i * SENDER_KINDS.length + k) * REPLY_WIDTH, (i * SENDER_KINDS.length + k + 1) * REPLY_WIDTH));
      frames.push({
        ...state,
        senderPeak: senderPeak[i]!,
        backupPeak: backupPeak[i]!,
        replies: SENDER_KINDS.map((_, k) => row(k)),
        relay: Array.from(this.relays.subarray(i * RELAY_WIDTH, (i + 1) * RELAY_WIDTH)),
      });
    }
    return { policy: policy ?? 'none', frames };
  }
}
