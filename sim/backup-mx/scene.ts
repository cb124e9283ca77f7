/**
 * The mail flow as a picture: one frame per five-minute sample, made from the
 * model's own state where the model samples its series (the E_SAMPLE event)
 * and from the replies it gives as it gives them.
 *
 * Aggregation rule: there are hundreds of messages, so a frame holds counts,
 * never messages.
 * - State is read at the end of the sample, the moment the player's clock
 *   shows when the cursor is on it (the cursor shows the five minutes up to
 *   its time; the model reads its cache series at a sample's start, so the
 *   cache chart shows this moment one sample later): real mail waiting in its
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
import type { SeriesKey } from './keys.ts';
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
  /** The sender told its user the message is late (a delay notice), and kept it. */
  delayNotice: 8,
} as const;
const REPLY_WIDTH = 9;

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

/**
 * A sample as the picture reads it, every row at its full length. The trace stores it compactly
 * (BackupMxFrame); `countsOf` turns one into the other.
 */
export interface FrameCounts {
  /** The primary in this sample: 'up', or its fault when it was down at any moment of it (the charts' shaded band). */
  primary: PrimaryCondition;
  /** Per real kind (Exim, Postfix, short-expiry, Exchange): [waiting, retry timers running, of them running out in this sample, within the hour]; waiting but not on a timer is connecting (a timeout before the backup). */
  senders: number[][];
  /** The backup's queue: [real mail, spam to a real mailbox, spam to a made-up address]. */
  backup: number[];
  /** The most [real mail waiting at senders, messages in the backup's queue] at any moment of the sample: the chart's series. */
  peaks: number[];
  /** Minutes until the backup tries the primary again (rounded up), or null when it is not waiting. */
  relayInMin: number | null;
  /** Unexpired callout cache records: [positive, of them expiring within 5 min, within the hour, negative, within 5 min, within the hour]. */
  cache: number[];
  /** Per sender kind (Exim, Postfix, short-expiry, Exchange, spambots), what its attempts in this sample got, by REPLY position. */
  replies: number[][];
  /** What the backup did toward the primary in this sample, by RELAY position. */
  relay: number[];
}

/**
 * A sample as the trace stores it: FrameCounts under one-letter keys, each row of counts without
 * its trailing zeros ([] when nothing happened), so a quiet five minutes costs a few bytes and a
 * day's scene stays small to hash.
 */
export interface BackupMxFrame {
  /** primary */
  p: PrimaryCondition;
  /** senders */
  s: number[][];
  /** backup */
  b: number[];
  /** peaks */
  k: number[];
  /** relayInMin, absent when the backup is not waiting */
  m?: number;
  /** cache */
  c: number[];
  /** replies */
  r: number[][];
  /** relay */
  x: number[];
}

/** A count in a trimmed row: the positions past its end are zeros. */
const countAt = (row: readonly number[], i: number): number => row[i] ?? 0;
const full = (row: readonly number[], n: number) => Array.from({ length: n }, (_, i) => countAt(row, i));

/** A stored frame at full length, under its names. */
export function countsOf(f: BackupMxFrame): FrameCounts {
  return {
    primary: f.p,
    senders: f.s.map((r) => full(r, SENDER_WIDTH)),
    backup: full(f.b, 3),
    peaks: full(f.k, 2),
    relayInMin: f.m ?? null,
    cache: full(f.c, 6),
    replies: f.r.map((r) => full(r, REPLY_WIDTH)),
    relay: full(f.x, RELAY_WIDTH),
  };
}

/** Every row with nothing in it: one array, not one per row (a quiet week has some 15,000). */
const NOTHING = Object.freeze([]) as unknown as number[];

/**
 * A row of counts without its trailing zeros. Made at its length: a week's scene makes some
 * 28,000 rows, and an array grown by push from empty reserves room for 17 numbers at the first.
 */
function trimmed(row: ArrayLike<number>, from = 0, to = row.length): number[] {
  let end = to;
  while (end > from && row[end - 1] === 0) end--;
  if (end === from) return NOTHING;
  const out = new Array<number>(end - from);
  for (let i = from; i < end; i++) out[i - from] = row[i]!;
  return out;
}

/** Rows `kinds` long of `width` counts each, from position `at` of `row`, each trimmed. */
function trimmedRows(row: ArrayLike<number>, at: number, kinds: number, width: number): number[][] {
  const out = new Array<number[]>(kinds);
  for (let k = 0; k < kinds; k++) out[k] = trimmed(row, at + k * width, at + (k + 1) * width);
  return out;
}

/** The frames, and what holds for the whole run: the backup's policy ('none' when the domain has no second MX) and when short-expiry senders give up. */
export interface BackupMxScene extends Scene<BackupMxFrame> {
  policy: BackupPolicy | 'none';
  shortExpiryHours: number;
  frames: BackupMxFrame[];
}

/** The unexpired callout records at a moment, counted as `BackupMxFrame.cache` holds them. */
export type CacheCounts = number[];

/** The state read at a sample's end, from the senders and the backup. */
export interface SampleState {
  queuedByKind: readonly number[];
  timers: RetryTimers;
  backup: number[];
  relayAtMs: number | null;
  cache: CacheCounts;
}

const HOUR_SAMPLES = 12;
/**
 * The kinds of sender, as keys.ts lists them (LEGIT_KINDS, then spam): counted here, not imported,
 * so the picture that reads this module does not load the SMTP machine keys.ts is built from.
 */
const REAL_KINDS = 4;
const SENDER_KINDS = 5;
/** A sample's state in the recorder's array: 4 real kinds of 4 counts, the backup's 3, the cache's 6, the relay wait. */
const SENDER_WIDTH = 4;
const STATE = { senders: 0, backup: 16, cache: 19, relayInMin: 25 } as const;
const STATE_WIDTH = 26;

export class SceneRecorder {
  private readonly sampleMs: number;
  private readonly count: number;
  /** Three views of one buffer (one allocation): replies, relays, and each sample's state at its start, laid out as STATE says. */
  private readonly replies: Int32Array;
  private readonly relays: Int32Array;
  private readonly states: Int32Array;
  private readonly primaries: PrimaryCondition[] = [];
  /** Samples whose end state is read. */
  private closed = 0;

  constructor(durationMs: number, sampleMs: number) {
    this.sampleMs = sampleMs;
    this.count = Math.max(1, Math.ceil(durationMs / sampleMs));
    const replies = this.count * SENDER_KINDS * REPLY_WIDTH;
    const relays = this.count * RELAY_WIDTH;
    const buffer = new Int32Array(replies + relays + this.count * STATE_WIDTH);
    this.replies = buffer.subarray(0, replies);
    this.relays = buffer.subarray(replies, replies + relays);
    this.states = buffer.subarray(replies + relays);
  }

  /** The last time asked and its sample: an attempt counts two or three replies at one moment. */
  private lastMs = NaN;
  private lastIndex = 0;

  private index(tMs: number): number {
    if (tMs !== this.lastMs) {
      this.lastMs = tMs;
      this.lastIndex = Math.min(this.count - 1, Math.max(0, Math.floor(tMs / this.sampleMs)));
    }
    return this.lastIndex;
  }

  /** An attempt by a sender of this kind got this reply (a REPLY position). */
  reply(kind: number, what: number, tMs: number): void {
    this.replies[(this.index(tMs) * SENDER_KINDS + kind) * REPLY_WIDTH + what]!++;
  }

  /** The backup did this toward the primary (a RELAY position). */
  relay(what: number, tMs: number): void {
    this.relays[this.index(tMs) * RELAY_WIDTH + what]!++;
  }

  /** The primary during sample i. */
  primary(i: number, condition: PrimaryCondition): void {
    this.primaries[i] = condition;
  }

  /** The state at tMs, the end of sample i (where the cursor shows it). */
  sample(i: number, tMs: number, s: SampleState): void {
    const t = s.timers;
    // Timers are counted from this moment on: those running out in the next five minutes, and the next hour.
    const from = Math.floor(tMs / this.sampleMs);
    const at = i * STATE_WIDTH;
    const st = this.states;
    for (let k = 0; k < REAL_KINDS; k++) {
      const row = at + STATE.senders + k * SENDER_WIDTH;
      st[row] = s.queuedByKind[k]!;
      st[row + 1] = t.waiting[k]!;
      st[row + 2] = t.dueWithin(k, from, 1);
      st[row + 3] = t.dueWithin(k, from, HOUR_SAMPLES);
    }
    for (let k = 0; k < 3; k++) st[at + STATE.backup + k] = s.backup[k]!;
    for (let k = 0; k < 6; k++) st[at + STATE.cache + k] = s.cache[k]!;
    st[at + STATE.relayInMin] = s.relayAtMs === null ? -1 : Math.ceil((s.relayAtMs - tMs) / 60_000);
    this.closed = i + 1;
  }

  /** The frames, once the run is over: each sample's state, its flows, and the charts' peaks. */
  scene(rec: SeriesRecorder<SeriesKey>, policy: BackupPolicy | null, shortExpiryHours: number): BackupMxScene {
    const senderPeak = rec.get('senderQueue');
    const backupPeak = rec.get('backupQueue');
    // Made before the loop, which is left to frameOf: a week's 2,016 frames have the engine compile
    // a long loop while it runs, and that code, when the loop was followed by this object, met it
    // without feedback and was thrown away at the end of every run, to be compiled again in the next.
    const scene: BackupMxScene = { policy: policy ?? 'none', shortExpiryHours, frames: [] };
    // Samples are closed in order, one each, until the run ends.
    for (let i = 0; i < this.closed; i++) scene.frames.push(this.frameOf(i, senderPeak[i]!, backupPeak[i]!));
    return scene;
  }

  /** Sample i's frame, with the charts' peaks in it. */
  private frameOf(i: number, senderPeak: number, backupPeak: number): BackupMxFrame {
    const st = this.states;
    const at = i * STATE_WIDTH;
    const relayInMin = st[at + STATE.relayInMin]!;
    const frame: BackupMxFrame = {
      p: this.primaries[i]!,
      s: trimmedRows(st, at + STATE.senders, REAL_KINDS, SENDER_WIDTH),
      b: trimmed(st, at + STATE.backup, at + STATE.backup + 3),
      k: backupPeak !== 0 ? [senderPeak, backupPeak] : senderPeak !== 0 ? [senderPeak] : NOTHING,
      c: trimmed(st, at + STATE.cache, at + STATE.cache + 6),
      r: trimmedRows(this.replies, i * SENDER_KINDS * REPLY_WIDTH, SENDER_KINDS, REPLY_WIDTH),
      x: trimmed(this.relays, i * RELAY_WIDTH, (i + 1) * RELAY_WIDTH),
    };
    if (relayInMin >= 0) frame.m = relayInMin;
    return frame;
  }
}
