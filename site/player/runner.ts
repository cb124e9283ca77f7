/**
 * Hands runs to a Web Worker and keeps only the latest request: while one run
 * is in flight, newer requests replace each other, so a fast slider drag costs
 * at most one run behind. Falls back to running in the page when a worker
 * cannot start (some file:// and sandboxed contexts).
 */
import type { AnySimulation, ParamValues, Trace } from '../../sim/core/index.ts';
import type { RunRequest } from './sim-worker.ts';

type Pending = { params: ParamValues; seed: number; resolve: (t: Trace | null) => void };

export class SimRunner {
  private worker: Worker | null = null;
  private inFlight: { requestId: number; resolve: (t: Trace | null) => void } | null = null;
  private next: Pending | null = null;
  private requestId = 0;
  private latest: { params: ParamValues; seed: number } | null = null;
  private readonly sim: AnySimulation;

  constructor(sim: AnySimulation) {
    this.sim = sim;
    try {
      this.worker = new Worker(new URL('./sim-worker.ts', import.meta.url), { type: 'module' });
      this.worker.addEventListener('message', (e: MessageEvent<{ requestId: number; trace?: Trace; error?: string }>) => this.onResult(e.data));
      this.worker.addEventListener('error', () => this.abandonWorker());
    } catch {
      this.worker = null;
    }
  }

  /** Resolves with the trace, or with null when a newer request superseded this one before it started. */
  run(params: ParamValues, seed: number): Promise<Trace | null> {
    this.latest = { params, seed };
    if (!this.worker) return Promise.resolve(this.sim.run(params, seed));
    return new Promise((resolve) => {
      if (this.inFlight) {
        this.next?.resolve(null);
        this.next = { params, seed, resolve };
      } else this.start({ params, seed, resolve });
    });
  }

  get busy(): boolean {
    return this.inFlight !== null;
  }

  private start(job: Pending): void {
    const requestId = ++this.requestId;
    this.inFlight = { requestId, resolve: job.resolve };
    const message: RunRequest = { requestId, simId: this.sim.id, params: job.params, seed: job.seed };
    this.worker!.postMessage(message);
  }

  private onResult(data: { requestId: number; trace?: Trace; error?: string }): void {
    const current = this.inFlight;
    if (!current || current.requestId !== data.requestId) return;
    this.inFlight = null;
    if (data.error !== undefined || !data.trace) {
      // A worker that cannot run the simulation is not trusted again; the page takes over.
      this.abandonWorker();
      return;
    }
    current.resolve(data.trace);
    const queued = this.next;
    this.next = null;
    if (queued) this.start(queued);
  }

  private abandonWorker(): void {
    this.worker?.terminate();
    this.worker = null;
    const waiting = [this.inFlight?.resolve, this.next?.resolve].filter((r) => r !== undefined);
    this.inFlight = null;
    this.next = null;
    if (waiting.length === 0 || !this.latest) return;
    // The newest waiter gets the latest request, run in the page; older ones were superseded anyway.
    const trace = this.sim.run(this.latest.params, this.latest.seed);
    waiting.forEach((resolve, i) => resolve(i === waiting.length - 1 ? trace : null));
  }
}
