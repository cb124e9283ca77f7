/**
 * The AWS backoff post's full contention sweep (19 client counts × 5 strategies
 * × 100 runs), spread over worker threads, one per core. Each point (a client
 * count and a strategy) is computed whole by one worker with the module's own
 * contentionPoint, so it is the very number the single-threaded
 * contentionSweep gives; the points come back into the sweep's order. The
 * result is compared, bit for bit, with the points recorded before the sweep
 * was optimised (test/token-bucket/contention-sweep.golden.json).
 *
 * Run as a worker, this file computes the points it is sent.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { CONTENTION_STRATEGIES, contentionPoint, type ContentionStrategy, type SweepPoint } from '../sim/token-bucket/contention.ts';

const CLIENT_COUNTS = Array.from({ length: 19 }, (_, i) => 10 + 10 * i);
const RUNS = 100;
/** Each write attempt is four messages: the read, its reply, the write, its reply. */
const MESSAGES_PER_WRITE = 4;

interface Job {
  index: number;
  clients: number;
  strategy: ContentionStrategy;
}
type Reply = { index: number; point: SweepPoint } | { cpuMs: number };

if (!isMainThread) {
  parentPort!.on('message', (job: Job | 'done') => {
    if (job === 'done') {
      const { user, system } = process.threadCpuUsage();
      parentPort!.postMessage({ cpuMs: (user + system) / 1000 } satisfies Reply);
      parentPort!.close();
      return;
    }
    parentPort!.postMessage({ index: job.index, point: contentionPoint(job.clients, job.strategy, RUNS) } satisfies Reply);
  });
}

/** Hands each idle worker the next point; the costliest (most clients) go first so no worker is left with a long one at the end. */
async function sweepOnWorkers(workerCount: number): Promise<{ points: SweepPoint[]; workersCpuMs: number }> {
  const jobs: Job[] = CLIENT_COUNTS.flatMap((clients, c) => CONTENTION_STRATEGIES.map((strategy, s) => ({ index: c * CONTENTION_STRATEGIES.length + s, clients, strategy })));
  const queue = [...jobs].sort((a, b) => b.clients - a.clients);
  const points: SweepPoint[] = new Array(jobs.length);
  let workersCpuMs = 0;
  await Promise.all(
    Array.from({ length: workerCount }, () => {
      const worker = new Worker(new URL(import.meta.url));
      const next = () => worker.postMessage(queue.shift() ?? 'done');
      return new Promise<void>((resolve, reject) => {
        worker.on('message', (reply: Reply) => {
          if ('cpuMs' in reply) workersCpuMs += reply.cpuMs;
          else {
            points[reply.index] = reply.point;
            next();
          }
        });
        worker.on('error', reject);
        worker.on('exit', () => resolve());
        next();
      });
    }),
  );
  return { points, workersCpuMs };
}

function sameBits(a: SweepPoint, b: SweepPoint): boolean {
  return a.clients === b.clients && a.strategy === b.strategy && Object.is(a.meanWriteCalls, b.meanWriteCalls) && Object.is(a.meanCompletionMs, b.meanCompletionMs);
}

/** The sweep timed once: wall time, the workers' CPU time, work rates, and whether every point is the recorded one. */
export async function timedContentionSweep() {
  const workers = Math.min(availableParallelism(), CLIENT_COUNTS.length * CONTENTION_STRATEGIES.length);
  const startMs = performance.now();
  const { points, workersCpuMs } = await sweepOnWorkers(workers);
  const wallMs = performance.now() - startMs;

  const recorded = (JSON.parse(readFileSync(new URL('../test/token-bucket/contention-sweep.golden.json', import.meta.url), 'utf8')) as { points: SweepPoint[] }).points;
  const differing = points.filter((p, i) => !recorded[i] || !sameBits(p, recorded[i]!)).map((p) => `${p.clients} clients, ${p.strategy}`);
  const writeCalls = points.reduce((n, p) => n + Math.round(p.meanWriteCalls * RUNS), 0);
  const at190 = (strategy: string) => points.find((p) => p.clients === 190 && p.strategy === strategy)!;
  return {
    runs: points.length * RUNS,
    workers,
    wallMs: Math.round(wallMs),
    /** CPU time of the workers together: what one thread would need, and less sensitive to a busy machine than wall time. */
    workersCpuMs: Math.round(workersCpuMs),
    writeCalls,
    writeCallsPerSec: Math.round(writeCalls / (wallMs / 1000)),
    messagesPerSec: Math.round((MESSAGES_PER_WRITE * writeCalls) / (wallMs / 1000)),
    pointsIdenticalToRecorded: differing.length === 0 && points.length === recorded.length,
    pointsDiffering: differing,
    at190Clients: Object.fromEntries(
      CONTENTION_STRATEGIES.map((s) => [s, { meanWriteCalls: Math.round(at190(s).meanWriteCalls), meanCompletionMs: Math.round(at190(s).meanCompletionMs) }]),
    ),
  };
}
