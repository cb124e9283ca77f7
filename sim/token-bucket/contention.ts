import { createRng, ln, type Rng } from '../core/prng.ts';
import { CrowdBackoff } from './contention-backoff.ts';
import { ClientEventQueue } from './contention-queue.ts';

/**
 * The contention experiment behind Marc Brooker's "Exponential Backoff And
 * Jitter" (AWS Architecture Blog, 2015), set up as its published simulator
 * (aws-samples/aws-arch-backoff-simulator) is: N clients each update one row
 * under optimistic concurrency. A client reads the row's version, then writes
 * with that version; the write succeeds only if nobody wrote in between, and a
 * client whose write failed sleeps its backoff and starts again with a read.
 * Every message takes |Normal(10 ms, 2 ms)|; the server answers at once.
 */

/** The post's five curves. "No backoff" retries at once, so it is our `immediate`. */
export type ContentionStrategy = 'no-backoff' | 'exponential' | 'equal-jitter' | 'full-jitter' | 'decorrelated-jitter';

export const CONTENTION_STRATEGIES: readonly ContentionStrategy[] = [
  'no-backoff',
  'exponential',
  'equal-jitter',
  'full-jitter',
  'decorrelated-jitter',
];

export interface ContentionSpec {
  clients: number;
  strategy: ContentionStrategy;
  seed: number;
  baseMs?: number;
  capMs?: number;
  netMeanMs?: number;
  netSdMs?: number;
}

export interface ContentionRun {
  /** Write attempts, successful or not: the simulator's `calls`. */
  writeCalls: number;
  failedWrites: number;
  /** When the last client learned its write succeeded. */
  completionMs: number;
}

const READ_AT_SERVER = 0;
const READ_REPLY = 1;
const WRITE_AT_SERVER = 2;
const WRITE_REPLY = 3;

/**
 * A standard normal by Marsaglia's polar method: unlike Box–Muller it needs no
 * sine or cosine, whose last bits differ between engines; core's portable `ln`
 * gives the logarithm (here its branch-free twin) and `Math.sqrt` is correctly
 * rounded everywhere.
 */
export function normal(rng: Pick<Rng, 'next'>): number {
  drawNormal(rng);
  return drawn[0]!;
}

/**
 * Where drawNormal leaves its number. A double returned from a call the engine
 * does not inline is boxed into a fresh heap number, tens of millions of them
 * in a sweep; written into a typed array it is not.
 */
const drawn = new Float64Array(1);

function drawNormal(rng: Pick<Rng, 'next'>): void {
  for (;;) {
    const u = 2 * rng.next() - 1;
    const v = 2 * rng.next() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) {
      drawn[0] = u * Math.sqrt((-2 * ln(s)) / s);
      return;
    }
  }
}

/** One message's trip: |Normal(mean, sd)|, as the simulator draws it. */
function messageDelayMs(rng: Rng, meanMs: number, sdMs: number): number {
  drawNormal(rng);
  return Math.abs(meanMs + sdMs * drawn[0]!);
}

export function runContention(spec: ContentionSpec): ContentionRun {
  const clients = spec.clients;
  const netMeanMs = spec.netMeanMs ?? 10;
  const netSdMs = spec.netSdMs ?? 2;
  const policy = spec.strategy === 'no-backoff' ? 'immediate' : spec.strategy;
  const backoff = new CrowdBackoff(policy, clients, spec.baseMs ?? 5, spec.capMs ?? 2_000);

  const rng = createRng(spec.seed);
  const queue = new ClientEventQueue(clients);
  const versionSeen = new Float64Array(clients);
  const writeOk = new Uint8Array(clients);
  // Without jitter nothing else draws from the generator, so the next message's delay can be drawn
  // ahead, while the queue is still busy with this one: the same numbers in the same order, and the
  // CPU overlaps the two (about a fifth off those strategies' time). A jittered sleep must draw before
  // the delay that follows it, so there each delay is drawn when it is needed.
  const drawAhead = !backoff.drawsOnFailure;
  let rowVersion = 0;
  let writeCalls = 0;
  let failedWrites = 0;
  let completionMs = 0;

  for (let client = 0; client < clients; client++) queue.schedule(client, messageDelayMs(rng, netMeanMs, netSdMs), READ_AT_SERVER);
  let nextDelayMs = drawAhead ? messageDelayMs(rng, netMeanMs, netSdMs) : 0;
  while (queue.size > 0) {
    const client = queue.topClient();
    const now = queue.topTimeMs();
    let nextKind: number;
    let sleepMs = 0;
    switch (queue.topKind()) {
      case READ_AT_SERVER:
        versionSeen[client] = rowVersion;
        nextKind = READ_REPLY;
        break;
      case READ_REPLY:
        nextKind = WRITE_AT_SERVER;
        break;
      case WRITE_AT_SERVER:
        writeCalls++;
        if (versionSeen[client] === rowVersion) {
          rowVersion++;
          writeOk[client] = 1;
        } else {
          failedWrites++;
          writeOk[client] = 0;
        }
        nextKind = WRITE_REPLY;
        break;
      default: // WRITE_REPLY
        if (writeOk[client]) {
          completionMs = now;
          queue.removeTop();
          continue;
        }
        // As in the simulator: the backoff adds to the next message's own network delay (drawn after it).
        sleepMs = backoff.sleepAfterFailureMs(client, rng);
        nextKind = READ_AT_SERVER;
        break;
    }
    // Few call sites for the draw, so that the engine inlines it and never boxes a delay into a heap
    // number. Adding a sleep of 0 changes no bit of a non-negative time.
    if (drawAhead) {
      queue.rescheduleTop(now + nextDelayMs + sleepMs, nextKind);
      nextDelayMs = messageDelayMs(rng, netMeanMs, netSdMs);
    } else queue.rescheduleTop(now + messageDelayMs(rng, netMeanMs, netSdMs) + sleepMs, nextKind);
  }
  return { writeCalls, failedWrites, completionMs };
}

export interface SweepPoint {
  clients: number;
  strategy: ContentionStrategy;
  meanWriteCalls: number;
  meanCompletionMs: number;
}

/** One point of the post's figures: the means over `runs` seeded runs of one client count and strategy. */
export function contentionPoint(clients: number, strategy: ContentionStrategy, runs: number, seed = 1): SweepPoint {
  let calls = 0;
  let completion = 0;
  for (let run = 0; run < runs; run++) {
    const result = runContention({ clients, strategy, seed: (seed * 1_000_003 + clients * 1_009 + run) >>> 0 });
    calls += result.writeCalls;
    completion += result.completionMs;
  }
  return { clients, strategy, meanWriteCalls: calls / runs, meanCompletionMs: completion / runs };
}

/** The post's figures: every client count with every strategy, in that order. */
export function contentionSweep(clientCounts: readonly number[], runs: number, seed = 1): SweepPoint[] {
  return clientCounts.flatMap((clients) => CONTENTION_STRATEGIES.map((strategy) => contentionPoint(clients, strategy, runs, seed)));
}
