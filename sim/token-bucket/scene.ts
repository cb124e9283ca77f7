/**
 * The rate limit as a picture: each client's bucket, what became of the
 * attempts it sent in each second, where the requests wait between attempts,
 * and the backend's workers and line. The model fills it at the places it
 * already counts (model.ts): the bucket levels and the stocks when it samples,
 * the passes, 429s, 503s and time-outs where it records their series.
 *
 * A frame is sample i: the stocks (tokens, requests waiting, workers busy,
 * the line) at the instant the second starts, as the bucket chart reads its
 * level, and the flows (passed, 429, shed, timed out) during that second, as
 * the per-second charts count them.
 *
 * Aggregation: there are at most five clients (four well-behaved and the
 * runaway), so each keeps its own bucket and counts; requests are counted by
 * where they wait (the state they are in), never listed one by one.
 */
import type { Scene } from '../core/scene.ts';
import { clientName, REQUEST_STATES } from './keys.ts';

export interface BucketsFrame {
  /** Each drawn client's bucket at the start of the second (its bucket_c series), down to a tenth of a token. */
  tokens: number[];
  /** Attempts each drawn client's bucket let through during the second. */
  passed: number[];
  /** Attempts each drawn client was refused with 429 during the second. */
  refused: number[];
  /** Admitted attempts shed with 503 at the backend's line during the second. */
  shed: number;
  /** Attempts whose client stopped waiting during the second. */
  timedOut: number;
  /** Requests between attempts at the start of the second: sleeping their backoff, or held past it by a hint. */
  backingOff: number;
  /** New requests an obedient client held at the start of the second, to keep within what RateLimit or Retry-After allowed. */
  held: number;
  /** Requests whose admitted attempt their client still awaited at the start of the second. */
  awaited: number;
  /** Workers busy and attempts in the backend's line at the start of the second (orphaned ones too). */
  busy: number;
  queued: number;
  /**
   * The last 429 of the second: which drawn client got it and its header lines, as sent, less
   * the RateLimit-Policy line, which every response repeats unchanged (it is in the scene).
   */
  last429: { client: number; lines: string[] } | null;
}

export interface BucketsScene extends Scene<BucketsFrame> {
  /** The clients drawn, in the frames' order: the active ones, the runaway last. */
  clients: string[];
  /** The bucket's capacity in tokens (burst) and its refill rate. */
  capacityTokens: number;
  refillPerMin: number;
  /** The policy line every response carries (as the first 429 carried it); null without one. */
  policyLine: string | null;
  /** The problem details body every 429 carries, as sent (one JSON line); null when the run has no 429. */
  problemBody: string | null;
  workers: number;
  /** With load shedding on, an attempt that finds this many waiting is shed; null when off. */
  shedAbove: number | null;
}

const SENDING = REQUEST_STATES.indexOf('sending');
const IN_BACKEND = REQUEST_STATES.indexOf('inBackend');
const BACKING_OFF = REQUEST_STATES.indexOf('backingOff');
const POLICY = 'RateLimit-Policy: ';

interface SceneSetup {
  /** The active clients, by index. */
  clients: readonly number[];
  capacityTokens: number;
  refillPerMin: number;
  workers: number;
  shedAbove: number | null;
}

/** Fills the scene as the model runs; `scene()` hands it to the trace. */
export class BucketsSceneRecorder {
  private readonly frames: BucketsFrame[] = [];
  /** Requests in each machine state now (a request is in exactly one). */
  private readonly inState = new Int32Array(REQUEST_STATES.length);
  /** A client's place in the frames' arrays, or -1 when it is not drawn. */
  private readonly slot: Int32Array;
  private readonly drawn: number[];
  private readonly last429Client: number[] = [];
  private readonly last429Lines: (readonly string[])[] = [];
  private problemBody: string | null = null;
  private readonly setup: SceneSetup;
  private readonly indexOf: (tMs: number) => number;

  constructor(setup: SceneSetup, samples: number, indexOf: (tMs: number) => number) {
    this.setup = setup;
    this.indexOf = indexOf;
    this.drawn = [...setup.clients];
    this.slot = new Int32Array(Math.max(0, ...this.drawn) + 1).fill(-1);
    this.drawn.forEach((c, k) => (this.slot[c] = k));
    const zeros = () => this.drawn.map(() => 0);
    for (let i = 0; i < samples; i++) {
      this.frames.push({ tokens: zeros(), passed: zeros(), refused: zeros(), shed: 0, timedOut: 0, backingOff: 0, held: 0, awaited: 0, busy: 0, queued: 0, last429: null });
    }
  }

  opened(): void {
    this.inState[SENDING]!++;
  }

  moved(fromState: number, toState: number): void {
    this.inState[fromState]!--;
    this.inState[toState]!++;
  }

  passed(c: number, tMs: number): void {
    this.frames[this.indexOf(tMs)]!.passed[this.slot[c]!]!++;
  }

  refused(c: number, lines: readonly string[], body: string | null, tMs: number): void {
    this.problemBody ??= body;
    const i = this.indexOf(tMs);
    this.frames[i]!.refused[this.slot[c]!]!++;
    // Kept as sent; cut to the frame's form once, when the scene is handed over (a runaway gets thousands).
    this.last429Client[i] = this.slot[c]!;
    this.last429Lines[i] = lines;
  }

  shed(tMs: number): void {
    this.frames[this.indexOf(tMs)]!.shed++;
  }

  timedOut(tMs: number): void {
    this.frames[this.indexOf(tMs)]!.timedOut++;
  }

  /** At the sample instant: the bucket levels the model just sampled, and where requests and attempts are. */
  sample(i: number, levelOf: (c: number) => number, busy: number, queued: number): void {
    const frame = this.frames[i]!;
    // Down to a tenth, never up: a bucket drawn with a whole token must have one (the slack is bucket.ts's).
    this.drawn.forEach((c, k) => (frame.tokens[k] = Math.floor((levelOf(c) + 1e-9) * 10) / 10));
    // Between events a request rests only here: held before its first attempt, in the backend, or backing off.
    frame.held = this.inState[SENDING]!;
    frame.awaited = this.inState[IN_BACKEND]!;
    frame.backingOff = this.inState[BACKING_OFF]!;
    frame.busy = busy;
    frame.queued = queued;
  }

  scene(): BucketsScene {
    let policyLine: string | null = null;
    this.last429Lines.forEach((lines, i) => {
      policyLine ??= lines.find((l) => l.startsWith(POLICY)) ?? null;
      this.frames[i]!.last429 = { client: this.last429Client[i]!, lines: lines.filter((l) => !l.startsWith(POLICY)) };
    });
    const { capacityTokens, refillPerMin, workers, shedAbove } = this.setup;
    return { clients: this.drawn.map(clientName), capacityTokens, refillPerMin, policyLine, problemBody: this.problemBody, workers, shedAbove, frames: this.frames };
  }
}
