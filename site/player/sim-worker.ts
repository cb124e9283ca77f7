/**
 * Runs simulations off the main thread, so a slider drag never freezes the page
 * however long a run takes. One request in, one trace out; the series buffers
 * are transferred, not copied.
 */
import { simulationLoaders } from '../../sim/loaders.ts';
import type { ParamValues } from '../../sim/core/index.ts';

export interface RunRequest {
  requestId: number;
  simId: string;
  params: ParamValues;
  seed: number;
}

self.addEventListener('message', async (event: MessageEvent<RunRequest>) => {
  const { requestId, simId, params, seed } = event.data;
  try {
    const load = simulationLoaders[simId];
    if (!load) throw new Error(`no simulation ${simId}`);
    const sim = await load();
    const trace = sim.run(params, seed);
    const buffers = Object.values(trace.series).map((s) => s.buffer as ArrayBuffer);
    (self as unknown as Worker).postMessage({ requestId, trace }, buffers);
  } catch (error) {
    (self as unknown as Worker).postMessage({ requestId, error: String((error as Error).message ?? error) });
  }
});
