import { EventQueue } from '../core/event-queue.ts';
import { createRng, ln, type Rng } from '../core/prng.ts';
import { afterFailure, freshBackoff, type BackoffState, type RetryPolicy } from './backoff.ts';

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
 * sine or cosine, whose last bits differ between engines; `ln` is our portable
 * one and `Math.sqrt` is correctly rounded everywhere.
 */
export function normal(rng: Rng): number {
  for (;;) {
    const u = 2 * rng.next() - 1;
    const v = 2 * rng.next() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * ln(s)) / s);
  }
}

export function runContention(spec: ContentionSpec): ContentionRun {
  const baseMs = spec.baseMs ?? 5;
  const capMs = spec.capMs ?? 2_000;
  const netMeanMs = spec.netMeanMs ?? 10;
  const netSdMs = spec.netSdMs ?? 2;
  const policy: RetryPolicy = spec.strategy === 'no-backoff' ? 'immediate' : spec.strategy;
  const backoffSpec = { policy, baseMs, capMs, maxAttempts: Number.POSITIVE_INFINITY };

  const rng = createRng(spec.seed);
  const delayMs = () => Math.abs(netMeanMs + netSdMs * normal(rng));
  const queue = new EventQueue();
  const versionSeen = new Float64Array(spec.clients);
  const writeOk = new Uint8Array(spec.clients);
  const backoff: BackoffState[] = Array.from({ length: spec.clients }, () => freshBackoff(backoffSpec));
  let rowVersion = 0;
  let writeCalls = 0;
  let failedWrites = 0;
  let completionMs = 0;

  for (let client = 0; client < spec.clients; client++) queue.push(delayMs(), READ_AT_SERVER, client);
  const event = { timeMs: 0, kind: 0, arg: 0 };
  while (queue.pop(event)) {
    const client = event.arg;
    const now = event.timeMs;
    switch (event.kind) {
      case READ_AT_SERVER:
        versionSeen[client] = rowVersion;
        queue.push(now + delayMs(), READ_REPLY, client);
        break;
      case READ_REPLY:
        queue.push(now + delayMs(), WRITE_AT_SERVER, client);
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
        queue.push(now + delayMs(), WRITE_REPLY, client);
        break;
      case WRITE_REPLY:
        if (writeOk[client]) {
          completionMs = now;
        } else {
          const decision = afterFailure(backoffSpec, backoff[client]!, rng);
          backoff[client] = decision.state;
          // As in the simulator: the backoff adds to the next message's own network delay.
          queue.push(now + delayMs() + decision.sleepMs!, READ_AT_SERVER, client);
        }
        break;
    }
  }
  return { writeCalls, failedWrites, completionMs };
}

export interface SweepPoint {
  clients: number;
  strategy: ContentionStrategy;
  meanWriteCalls: number;
  meanCompletionMs: number;
}

/** The post's figures: each point is the mean over `runs` seeded runs. */
export function contentionSweep(clientCounts: readonly number[], runs: number, seed = 1): SweepPoint[] {
  const points: SweepPoint[] = [];
  for (const clients of clientCounts) {
    for (const strategy of CONTENTION_STRATEGIES) {
      let calls = 0;
      let completion = 0;
      for (let run = 0; run < runs; run++) {
        const result = runContention({ clients, strategy, seed: (seed * 1_000_003 + clients * 1_009 + run) >>> 0 });
        calls += result.writeCalls;
        completion += result.completionMs;
      }
      points.push({ clients, strategy, meanWriteCalls: calls / runs, meanCompletionMs: completion / runs });
    }
  }
  return points;
}
