/**
 * Runs simulations off the main thread (see runner.ts for when). It carries no simulation code of
 * its own: the page sends the address of its loaders module, and the worker imports that, so the
 * model it runs is the page's own chunks, already in the browser's cache. Messages:
 *   in:  { kind: 'load', simId, loadersUrl } out: { kind: 'ready' } once the simulation's code is loaded
 *   in:  { kind: 'run', requestId, ... }    out: { kind: 'trace', requestId, trace } (series buffers transferred)
 *   any failure                              out: { kind: 'error', message }
 */
import type { AnySimulation, ParamValues, Trace } from '../../sim/core/index.ts';

type Loaders = typeof import('../../sim/loaders.ts');

export type WorkerMessage =
  | { kind: 'load'; simId: string; loadersUrl: string }
  | { kind: 'run'; requestId: number; simId: string; params: ParamValues; seed: number };

export type WorkerReply =
  | { kind: 'ready' }
  | { kind: 'trace'; requestId: number; trace: Trace }
  | { kind: 'error'; message: string };

const loaded = new Map<string, AnySimulation>();
const post = (reply: WorkerReply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(reply, transfer);

let loaders: Promise<Loaders> | null = null;

async function simulation(simId: string): Promise<AnySimulation> {
  const cached = loaded.get(simId);
  if (cached) return cached;
  if (!loaders) throw new Error('no loaders: the first message must be load');
  const load = (await loaders).simulationLoaders[simId];
  if (!load) throw new Error(`no simulation ${simId}`);
  const sim = await load();
  loaded.set(simId, sim);
  return sim;
}

self.addEventListener('message', async (event: MessageEvent<WorkerMessage>) => {
  const message = event.data;
  try {
    if (message.kind === 'load') loaders ??= import(/* @vite-ignore */ message.loadersUrl) as Promise<Loaders>;
    const sim = await simulation(message.simId);
    if (message.kind === 'load') {
      post({ kind: 'ready' });
      return;
    }
    const trace = sim.run(message.params, message.seed);
    post({ kind: 'trace', requestId: message.requestId, trace }, Object.values(trace.series).map((s) => s.buffer as ArrayBuffer));
  } catch (error) {
    post({ kind: 'error', message: String((error as Error)?.message ?? error) });
  }
});
