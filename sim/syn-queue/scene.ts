/**
 * The listener as a picture (a Scene, sim/core/scene.ts): at each sample, who
 * holds the SYN queue's and the accept queue's slots, and what crossed the
 * wire in that second.
 *
 * Aggregation rule: a run holds thousands of requests, so a frame stores
 * counts, not requests. A SYN-queue entry is counted by its kind (legitimate,
 * broken client, spoofed) and by the SYN-ACK retransmissions it has had (its
 * age on the retransmit schedule); an accept-queue entry by how its handshake
 * completed (through the SYN queue, or with a cookie). A cookie-answered SYN
 * holds no SYN-queue slot, so it has no SYN-queue count at all.
 *
 * The listener tells the recorder each time an entry enters, ages or leaves a
 * queue (the same moments it changes its own lengths), and the recorder copies
 * its counts into a frame at the listener's sample. The wire counts are the
 * model's own per-second series, copied when the run ends.
 */
import type { Scene, SeriesRecorder } from '../core/index.ts';
import { CLASSES, type SeriesKey } from './keys.ts';
import { provenOnlyAbove, retransmitDelayMs, type QueueLimits } from './limits.ts';
import type { SynQueueParams } from './params.ts';

/** What crossed the wire in one second: the series of the same names, at that sample. */
export interface WireCounts {
  /** SYNs that reached the listener (synsReceived). */
  syn: number;
  /** SYN-ACKs sent, first ones, resent ones and cookies together (SynAcksSent). */
  synAck: number;
  /** Of those, SYN-ACK retransmissions (SynAckRetransmits). */
  resent: number;
  /** Of those, SYN cookies (cookiesSent). */
  cookie: number;
  /** SYNs and cookie ACKs dropped (drops). */
  drop: number;
  /** RSTs sent to clients whose ACK found the accept queue full (resets). */
  rst: number;
  /** Requests that ran out of SYN-ACK retransmissions and left the SYN queue (expired). */
  expired: number;
  /** Connections the application took with accept() (accepts). */
  accepted: number;
}

export interface SynQueueFrame {
  /**
   * The SYN queue at the sample: per kind in CLASSES order (legit, broken, spoofed), the entries
   * by SYN-ACK retransmissions had so far (index 0: only the first SYN-ACK); trailing zeros left out.
   */
  syn: number[][];
  /** The accept queue at the sample: [completed through the SYN queue, completed with a SYN cookie]. */
  accept: [number, number];
  /** The largest lengths during this second: the charts' synQueue and acceptQueue. */
  peak: [number, number];
  wire: WireCounts;
}

export interface SynQueueScene extends Scene<SynQueueFrame> {
  /** What the application passed to listen(), somaxconn, and what the kernel kept (listenBacklog in kernels.ts). */
  listen: { backlog: number; somaxconn: number; effective: number };
  synQueueCap: number;
  acceptQueueCap: number;
  /** With cookies off, past this many entries only proven peers get in (limits.ts); null when it never applies. */
  provenOnlyAbove: number | null;
  /** tcp_synack_retries: an entry with this many retransmissions expires at its next timer. */
  synackRetries: number;
  /** When each SYN-ACK goes out after the SYN arrives, in ms: the retransmit schedule. */
  synAckAtMs: number[];
  frames: SynQueueFrame[];
}

const WIRE_SERIES: Record<keyof WireCounts, SeriesKey> = {
  syn: 'synsReceived',
  synAck: 'SynAcksSent',
  resent: 'SynAckRetransmits',
  cookie: 'cookiesSent',
  drop: 'drops',
  rst: 'resets',
  expired: 'expired',
  accepted: 'accepts',
};

/** SYN-queue entries' retransmission counts are a Uint8 in the attempt store. */
const MAX_RETRANSMITS = 256;

export class SynQueueSceneRecorder {
  /** SYN-queue entries per kind and retransmission count: [cls * MAX_RETRANSMITS + retransmits]. */
  private readonly synCounts = new Int32Array(CLASSES.length * MAX_RETRANSMITS);
  private readonly acceptCounts: [number, number] = [0, 0];
  private readonly frames: SynQueueFrame[];
  private readonly scene: SynQueueScene;

  constructor(p: SynQueueParams, limits: QueueLimits) {
    this.frames = [];
    const synackRetries = p.tcp_synack_retries;
    const synAckAtMs = [0];
    for (let n = 0; n < synackRetries; n++) synAckAtMs.push(synAckAtMs[n]! + retransmitDelayMs(limits.initialRtoMs, n));
    const threshold = provenOnlyAbove(p, limits);
    this.scene = {
      listen: { backlog: p.backlog, somaxconn: p.somaxconn, effective: limits.effectiveBacklog },
      synQueueCap: limits.synQueueCap,
      acceptQueueCap: limits.acceptQueueCap,
      provenOnlyAbove: Number.isNaN(threshold) ? null : threshold,
      synackRetries,
      synAckAtMs,
      frames: this.frames,
    };
  }

  enterSynQueue(cls: number): void {
    this.synCounts[cls * MAX_RETRANSMITS]!++;
  }

  /** An entry of kind `cls` had its retransmission number `retransmits` (1 for the first resend). */
  resent(cls: number, retransmits: number): void {
    this.synCounts[cls * MAX_RETRANSMITS + retransmits - 1]!--;
    this.synCounts[cls * MAX_RETRANSMITS + retransmits]!++;
  }

  leaveSynQueue(cls: number, retransmits: number): void {
    this.synCounts[cls * MAX_RETRANSMITS + retransmits]!--;
  }

  enterAcceptQueue(viaCookie: boolean): void {
    this.acceptCounts[viaCookie ? 1 : 0]++;
  }

  leaveAcceptQueue(viaCookie: boolean): void {
    this.acceptCounts[viaCookie ? 1 : 0]--;
  }

  /**
   * The queues at sample `k`, as they are now; its peaks and wire counts come at the end of the run.
   * The run's last instant falls in the last sample again (the recorder clamps it): that frame then
   * shows the queues as the run ends, as the summary's synQueueAtEnd and acceptQueueAtEnd do.
   */
  sample(k: number): void {
    if (k < this.frames.length) this.frames.pop();
    const syn: number[][] = [];
    for (let c = 0; c < CLASSES.length; c++) {
      const row = this.synCounts.subarray(c * MAX_RETRANSMITS, (c + 1) * MAX_RETRANSMITS);
      let end = row.length;
      while (end > 0 && row[end - 1] === 0) end--;
      syn.push(Array.from(row.subarray(0, end)));
    }
    this.frames.push({ syn, accept: [this.acceptCounts[0], this.acceptCounts[1]], peak: [0, 0], wire: emptyWire() });
  }

  /** The scene, each frame completed with its second's peaks and wire counts from the model's series. */
  finish(rec: SeriesRecorder<SeriesKey>): SynQueueScene {
    const synPeak = rec.series.synQueue;
    const acceptPeak = rec.series.acceptQueue;
    // A run stopped by its event budget sampled no further; its series hold nothing there, and neither do its frames.
    while (this.frames.length < rec.count) this.frames.push({ syn: [[], [], []], accept: [0, 0], peak: [0, 0], wire: emptyWire() });
    this.frames.forEach((frame, k) => {
      frame.peak = [synPeak[k]!, acceptPeak[k]!];
      for (const key of Object.keys(WIRE_SERIES) as (keyof WireCounts)[]) frame.wire[key] = rec.series[WIRE_SERIES[key]][k]!;
    });
    return this.scene;
  }
}

function emptyWire(): WireCounts {
  return { syn: 0, synAck: 0, resent: 0, cookie: 0, drop: 0, rst: 0, expired: 0, accepted: 0 };
}
