/**
 * What the simulation worker does with each message, however it got its simulations' code:
 * sim-worker.ts (the site) imports the page's own loaders module from the address the page sends;
 * the offline archive's player script, started again as its own worker (scripts/offline/scripts.ts),
 * passes its own loaders. Messages:
 *   in:  { kind: 'load', simId, loadersUrl } out: { kind: 'ready' } once the simulation's code is loaded
 *   in:  { kind: 'run', requestId, ... }    out: { kind: 'partial', requestId, trace } (the run's first part, see progressive.ts),
 *                                                 then { kind: 'trace', requestId, trace } (series buffers transferred)
 *   any failure                              out: { kind: 'error', message }
 *
 * A newer run cancels an older one: before a run starts and between its parts the worker returns to
 * its event loop for one message-channel tick, so a `run` message already waiting is read first;
 * the older run then stops and posts nothing more. (Within a part a run cannot be interrupted: a
 * lesson's run is one synchronous call.)
 */
import type { AnySimulation, ParamValues, Trace } from '../../sim/core/index.ts';
// Not through sim/core/index.ts, which would bring the whole core into the worker's script.
import { runUpTo } from '../../sim/core/run-stop.ts';
import { firstPartSec } from './progressive.ts';

export type Loaders = typeof import('../../sim/loaders.ts');

export type WorkerMessage =
  | { kind: 'load'; simId: string; loadersUrl: string }
  /** `cursorSec`: where the page's cursor will be when the run arrives (Infinity for the end, 0 for none), which the first part reaches. */
  | { kind: 'run'; requestId: number; simId: string; params: ParamValues; seed: number; cursorSec: number };

export type WorkerReply =
  | { kind: 'ready' }
  | { kind: 'partial' | 'trace'; requestId: number; trace: Trace }
  | { kind: 'error'; message: string };

/**
 * One turn of the worker's event loop: a message posted to itself is queued behind any message the
 * page has already sent (both are posted-message tasks), so awaiting it lets those be read first.
 */
function tick(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Answers the page's messages in this worker; `loadLoaders` gets the loaders module from the address the first message names. */
export function serveSimulations(loadLoaders: (loadersUrl: string) => Promise<Loaders>): void {
  const loaded = new Map<string, AnySimulation>();
  const post = (reply: WorkerReply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(reply, transfer);
  let loaders: Promise<Loaders> | null = null;
  /** The newest run asked for: an older one still going stops at its next tick. */
  let newest = 0;
  const postTrace = (kind: 'partial' | 'trace', requestId: number, trace: Trace) =>
    post({ kind, requestId, trace }, Object.values(trace.series).map((s) => s.buffer as ArrayBuffer));

  async function run(message: Extract<WorkerMessage, { kind: 'run' }>, sim: AnySimulation): Promise<void> {
    const { requestId, params, seed } = message;
    const superseded = () => newest !== requestId;
    await tick();
    if (superseded()) return;
    const first = runUpTo(firstPartSec(sim.durationSec(params), message.cursorSec), () => sim.run(params, seed));
    // A run whose event budget ran out within the first part is already whole.
    if (first.computedToSec === undefined) return postTrace('trace', requestId, first);
    postTrace('partial', requestId, first);
    await tick();
    if (superseded()) return;
    postTrace('trace', requestId, sim.run(params, seed));
  }

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
    if (message.kind === 'run') newest = message.requestId;
    try {
      if (message.kind === 'load') loaders ??= loadLoaders(message.loadersUrl);
      const sim = await simulation(message.simId);
      if (message.kind === 'load') {
        post({ kind: 'ready' });
        return;
      }
      await run(message, sim);
    } catch (error) {
      post({ kind: 'error', message: String((error as Error)?.message ?? error) });
    }
  });
}
