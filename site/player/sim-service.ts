/**
 * What the simulation worker does with each message, however it got its simulations' code:
 * sim-worker.ts (the site) imports the page's own loaders module from the address the page sends;
 * sim-worker-inline.ts (the offline archive) carries the loaders in its own code. Messages:
 *   in:  { kind: 'load', simId, loadersUrl } out: { kind: 'ready' } once the simulation's code is loaded
 *   in:  { kind: 'run', requestId, ... }    out: { kind: 'trace', requestId, trace } (series buffers transferred)
 *   any failure                              out: { kind: 'error', message }
 */
import type { AnySimulation, ParamValues, Trace } from '../../sim/core/index.ts';

export type Loaders = typeof import('../../sim/loaders.ts');

export type WorkerMessage =
  | { kind: 'load'; simId: string; loadersUrl: string }
  | { kind: 'run'; requestId: number; simId: string; params: ParamValues; seed: number };

export type WorkerReply =
  | { kind: 'ready' }
  | { kind: 'trace'; requestId: number; trace: Trace }
  | { kind: 'error'; message: string };

/** Answers the page's messages in this worker; `loadLoaders` gets the loaders module from the address the first message names. */
export function serveSimulations(loadLoaders: (loadersUrl: string) => Promise<Loaders>): void {
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
      if (message.kind === 'load') loaders ??= loadLoaders(message.loadersUrl);
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
}
