/**
 * Runs simulations off the main thread (see runner.ts for when). Messages:
 *   in:  { kind: 'load', simId }            out: { kind: 'ready' } once the simulation's code is loaded
 *   in:  { kind: 'run', requestId, ... }    out: { kind: 'trace', requestId, trace } (series buffers transferred)
 *   any failure                              out: { kind: 'error', message }
 */
import { simulationLoaders } from '../../sim/loaders.ts';
import type { AnySimulation, ParamValues, Trace } from '../../sim/core/index.ts';

export type RunRequest =
  | { kind: 'load'; simId: string }
  | { kind: 'run'; requestId: number; simId: string; params: ParamValues; seed: number };

export type WorkerReply =
  | { kind: 'ready' }
  | { kind: 'trace'; requestId: number; trace: Trace }
  | { kind: 'error'; message: string };

const loaded = new Map<string, AnySimulation>();
const post = (reply: WorkerReply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(reply, transfer);

async function simulation(simId: string): Promise<AnySimulation> {
  const cached = loaded.get(simId);
  if (cached) return cached;
  const load = simulationLoaders[simId];
  if (!load) throw new Error(`no simulation ${simId}`);
  const sim = await load();
  loaded.set(simId, sim);
  return sim;
}

self.addEventListener('message', async (event: MessageEvent<RunRequest>) => {
  const message = event.data;
  try {
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
