/**
 * Where runs happen. A run the build recorded in the page (recorded-run.ts) is
 * not run at all: it is remembered as if it had been, and the model is loaded
 * only for a run the page has no trace for. The first run, and any run before
 * the worker is ready, happens in the page: the reader needs that trace at once, and the worker is
 * not worth starting before the reader touches anything (it then imports the
 * page's own simulation chunks, see sim-worker.ts; in the offline archive, its own copy of them,
 * see worker-start.ts). `warmUp()`, called
 * on the first interaction, starts the worker; from then on runs go to it. The
 * worker answers a run in two parts (sim-service.ts, progressive.ts): its first
 * part, which `onPartial` hears, then the whole run. Each request goes to the
 * worker at once: a newer one cancels the older between its parts, and an
 * answer to anything but the newest request is dropped, so a fast slider drag
 * never draws a stale run and never blocks the page.
 *
 *   page-only ──warmUp()──> loading ──ready──> worker
 *       ^                      │                  │
 *       └──────error───────────┴──────error───────┘
 *
 * An answer carries the request it answers, so whoever shows it needs no copy of what was asked.
 *
 * Runs are shared across the page: figures showing the same state (and the workbench opened
 * from one) get the same trace, computed once (`RECENT_RUNS` are kept).
 */
import type { AnySimulation, Trace } from '../../sim/core/index.ts';
import { loadersUrl } from '../../sim/loaders.ts';
import type { RunRequest } from './session.ts';
import type { WorkerMessage, WorkerReply } from './sim-service.ts';
import { startSimWorker } from './worker-start.ts';

export interface RunAnswer { request: RunRequest; trace: Trace }
export interface RunOptions {
  /** Where the cursor will be when the run arrives (Infinity for the end, 0 when unset): the first part reaches it. */
  cursorSec?: number;
  /** Hears the first part of a run the worker computes in two (a partial trace: see computedToSec). */
  onPartial?: (answer: RunAnswer) => void;
  /** Asked by a control still moving (a slider dragged): the worker holds the whole run until `settle()` or a pause (sim-service.ts). */
  moving?: boolean;
}
type Job = { request: RunRequest; options: RunOptions; resolve: (answer: RunAnswer | null) => void };

/** How many recent traces the page keeps for other players asking the same (a few figures' worth). */
export const RECENT_RUNS = 12;
const recent = new Map<string, Trace>();

function runKey(simId: string, request: Pick<RunRequest, 'seed' | 'params'>): string {
  return `${simId}|${request.seed}|${JSON.stringify(Object.keys(request.params).sort().map((k) => [k, request.params[k]]))}`;
}

/** A run known without running it (one the build recorded in the page): later requests for its state get it. */
export function rememberRun(simId: string, trace: Trace): void {
  remember(runKey(simId, { seed: trace.seed, params: trace.params }), trace);
}

function remember(key: string, trace: Trace): void {
  recent.delete(key);
  recent.set(key, trace);
  if (recent.size > RECENT_RUNS) recent.delete(recent.keys().next().value!);
}

export class SimRunner {
  private worker: Worker | null = null;
  private ready = false;
  private inFlight: { requestId: number; job: Job } | null = null;
  private requestId = 0;
  /** Where the last delivered trace was computed: shown as data-ran-in on the player, checked by the tests. */
  lastRanIn: 'page' | 'worker' = 'page';
  private readonly sim: AnySimulation;
  /** The model, for runs in the page: loaded on the first such run (a page may start from a recorded run, see recorded-run.ts). */
  private readonly loadModel: () => Promise<AnySimulation>;
  private loaded: Promise<AnySimulation> | null = null;
  /** Told when the worker starts loading, is ready, or failed (shown as data-worker on the player). */
  private readonly onWorker: (state: 'loading' | 'ready' | 'failed') => void;

  /** `loadModel` for a `sim` that may not carry its model (a recorded run's, see recorded-run.ts); by default `sim` is the model. */
  constructor(sim: AnySimulation, onWorker: (state: 'loading' | 'ready' | 'failed') => void = () => {}, loadModel: () => Promise<AnySimulation> = () => Promise.resolve(sim)) {
    this.sim = sim;
    this.loadModel = loadModel;
    this.onWorker = onWorker;
  }

  /** The simulation with its model, loaded once. */
  model(): Promise<AnySimulation> {
    return (this.loaded ??= this.loadModel());
  }

  /** Starts loading the worker (idempotent). Runs stay in the page until it says it is ready. */
  warmUp(): void {
    if (this.worker || typeof Worker === 'undefined') return;
    try {
      this.worker = startSimWorker();
    } catch {
      this.worker = null;
      return;
    }
    this.worker.addEventListener('message', (e: MessageEvent<WorkerReply>) => this.onReply(e.data));
    this.worker.addEventListener('error', () => this.abandonWorker());
    const load: WorkerMessage = { kind: 'load', simId: this.sim.id, loadersUrl };
    this.worker.postMessage(load);
    this.onWorker('loading');
  }

  /** Resolves with the whole run's answer, or with null when a newer request superseded this one first. */
  run(request: RunRequest, options: RunOptions = {}): Promise<RunAnswer | null> {
    // A newer request supersedes whatever is in flight, whether it is answered here or in the worker.
    const superseded = this.inFlight?.job;
    const known = recent.get(runKey(this.sim.id, request));
    if (known || !this.ready) {
      this.inFlight = null;
      superseded?.resolve(null);
      if (known) return Promise.resolve({ request, trace: known });
      this.lastRanIn = 'page';
      return this.runHere(request);
    }
    return new Promise((resolve) => {
      this.start({ request, options, resolve });
      superseded?.resolve(null);
    });
  }

  /** The control that asked for the run in flight came to rest: the worker computes its whole run now. */
  settle(): void {
    if (this.inFlight && this.worker) this.worker.postMessage({ kind: 'settled', requestId: this.inFlight.requestId } satisfies WorkerMessage);
  }

  get busy(): boolean {
    return this.inFlight !== null;
  }

  private start(job: Job): void {
    const requestId = ++this.requestId;
    this.inFlight = { requestId, job };
    const { params, seed } = job.request;
    const message: WorkerMessage = { kind: 'run', requestId, simId: this.sim.id, params, seed, cursorSec: job.options.cursorSec ?? 0, moving: job.options.moving ?? false };
    this.worker!.postMessage(message);
  }

  private onReply(reply: WorkerReply): void {
    if (reply.kind === 'ready') {
      this.ready = true;
      this.onWorker('ready');
      return;
    }
    if (reply.kind === 'error') {
      this.abandonWorker();
      return;
    }
    const current = this.inFlight;
    if (!current || current.requestId !== reply.requestId) return;
    const answer = { request: current.job.request, trace: reply.trace };
    if (reply.kind === 'partial') {
      current.job.options.onPartial?.(answer);
      return;
    }
    this.inFlight = null;
    this.lastRanIn = 'worker';
    remember(runKey(this.sim.id, current.job.request), reply.trace);
    current.job.resolve(answer);
  }

  /** A worker that failed is not trusted again: whatever waits is run in the page. */
  private abandonWorker(): void {
    this.worker?.terminate();
    this.worker = null;
    this.ready = false;
    this.onWorker('failed');
    const waiting = this.inFlight?.job;
    this.inFlight = null;
    this.lastRanIn = 'page';
    if (waiting) void this.runHere(waiting.request).then(waiting.resolve);
  }

  private async runHere(request: RunRequest): Promise<RunAnswer> {
    const trace = (await this.model()).run(request.params, request.seed);
    remember(runKey(this.sim.id, request), trace);
    return { request, trace };
  }
}
