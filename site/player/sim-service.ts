/**
 * What the simulation worker does with each message, however it got its simulations' code:
 * sim-worker.ts (the site) imports the page's own loaders module from the address the page sends;
 * the offline archive's player script, started again as its own worker (scripts/offline/scripts.ts),
 * passes its own loaders. Messages:
 *   in:  { kind: 'load', simId, loadersUrl } out: { kind: 'ready' } once the simulation's code is loaded
 *   in:  { kind: 'run', requestId, ... }    out: { kind: 'partial', requestId, trace } (the run's first part, see progressive.ts),
 *                                                 then { kind: 'trace', requestId, trace } (series buffers transferred)
 *   in:  { kind: 'settled', requestId }      (the control that asked for that run came to rest)
 *   any failure                              out: { kind: 'error', message }
 *
 * A newer run cancels an older one: before a run starts and between its parts the worker returns to
 * its event loop for one message-channel tick, so a `run` message already waiting is read first;
 * the older run then stops and posts nothing more. (Within a part a run cannot be interrupted: a
 * lesson's run is one synchronous call.)
 *
 * A run asked by a control still moving (a slider being dragged) whose whole run would hold the
 * worker longer than a frame waits between its parts until the control comes to rest (`settled`,
 * sent when the slider is let go) or no newer run has come for SETTLE_MS. Started at once, such a
 * whole run kept the worker from the next positions' first parts: a half-second drag through 30
 * positions on the SYN-queue article drew 4 to 9 of them, up to 180 ms apart (500 ms at heavier
 * loads); waiting, it draws 14 to 24. A whole run within a frame is still computed at once, so a
 * drag on a light lesson (cache-stampede) shows every position's whole run as before.
 */
import type { AnySimulation, ParamValues, Trace } from '../../sim/core/index.ts';
// Not through sim/core/index.ts, which would bring the whole core into the worker's script.
import { runUpTo } from '../../sim/core/run-stop.ts';
import { firstPartSec } from './progressive.ts';

export type Loaders = typeof import('../../sim/loaders.ts');

export type WorkerMessage =
  | { kind: 'load'; simId: string; loadersUrl: string }
  /**
   * `cursorSec`: where the page's cursor will be when the run arrives (Infinity for the end, 0 for
   * none), which the first part reaches. `moving`: asked by a control still moving (see above).
   */
  | { kind: 'run'; requestId: number; simId: string; params: ParamValues; seed: number; cursorSec: number; moving: boolean }
  | { kind: 'settled'; requestId: number };

export type WorkerReply =
  | { kind: 'ready' }
  | { kind: 'partial' | 'trace'; requestId: number; trace: Trace }
  | { kind: 'error'; message: string };

/**
 * How long a moving control's run waits for a newer one before its whole run: longer than the gap
 * between a drag's input events on a busy page (a frame or two), short enough that a drag paused
 * without letting go still shows its whole run soon.
 */
export const SETTLE_MS = 120;
/** A moving control's whole run expected to take longer than this holds the worker past the next position: it waits. */
export const REST_ABOVE_MS = 1000 / 60;

export interface ServeOptions {
  /** How long a moving control's run waits (Infinity: until settled). */
  settleMs?: number;
  /** Which moving controls' runs wait: those whose whole run is expected to take longer. */
  restAboveMs?: number;
}

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
export function serveSimulations(loadLoaders: (loadersUrl: string) => Promise<Loaders>, options: ServeOptions = {}): void {
  const { settleMs = SETTLE_MS, restAboveMs = REST_ABOVE_MS } = options;
  const loaded = new Map<string, AnySimulation>();
  const post = (reply: WorkerReply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(reply, transfer);
  let loaders: Promise<Loaders> | null = null;
  /** The newest run asked for: an older one still going stops at its next tick. */
  let newest = 0;
  /** The newest run whose control came to rest. */
  let settled = 0;
  /** Ends the wait of a moving control's run (see rest), when one is waiting. */
  let wake: (() => void) | null = null;
  /** How long the last whole run took here (NaN before the first): what the next is expected to take, as a drag moves by small steps. */
  let lastWholeMs = NaN;
  const postTrace = (kind: 'partial' | 'trace', requestId: number, trace: Trace) =>
    post({ kind, requestId, trace }, Object.values(trace.series).map((s) => s.buffer as ArrayBuffer));

  /** A moving control's run, between its parts: until its control rests, a newer run comes, or settleMs after it was asked. */
  function rest(requestId: number, askedAtMs: number): Promise<void> {
    if (settled >= requestId || newest !== requestId) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = settleMs === Infinity ? undefined : setTimeout(end, Math.max(0, askedAtMs + settleMs - performance.now()));
      function end() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = end;
    });
  }

  async function run(message: Extract<WorkerMessage, { kind: 'run' }>, sim: AnySimulation, askedAtMs: number): Promise<void> {
    const { requestId, params, seed } = message;
    const superseded = () => newest !== requestId;
    await tick();
    if (superseded()) return;
    const durationSec = sim.durationSec(params);
    const firstSec = firstPartSec(durationSec, message.cursorSec);
    const startMs = performance.now();
    const first = runUpTo(firstSec, () => sim.run(params, seed));
    // A run whose event budget ran out within the first part is already whole.
    if (first.computedToSec === undefined) return postTrace('trace', requestId, first);
    postTrace('partial', requestId, first);
    if (message.moving) {
      // Before any whole run here, the first part's time scaled to the whole run's simulated time.
      const expectedMs = Number.isNaN(lastWholeMs) ? ((performance.now() - startMs) * durationSec) / firstSec : lastWholeMs;
      if (expectedMs > restAboveMs) await rest(requestId, askedAtMs);
    }
    await tick();
    if (superseded()) return;
    const wholeStartMs = performance.now();
    const whole = sim.run(params, seed);
    lastWholeMs = performance.now() - wholeStartMs;
    postTrace('trace', requestId, whole);
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
    const askedAtMs = performance.now();
    const message = event.data;
    // Either ends a wait (rest): a rest of the newest run lets it go on, a newer run supersedes it.
    if (message.kind === 'settled') {
      settled = Math.max(settled, message.requestId);
      if (message.requestId >= newest) wake?.();
      return;
    }
    if (message.kind === 'run') {
      newest = message.requestId;
      wake?.();
    }
    try {
      if (message.kind === 'load') loaders ??= loadLoaders(message.loadersUrl);
      const sim = await simulation(message.simId);
      if (message.kind === 'load') {
        post({ kind: 'ready' });
        return;
      }
      await run(message, sim, askedAtMs);
    } catch (error) {
      post({ kind: 'error', message: String((error as Error)?.message ?? error) });
    }
  });
}
