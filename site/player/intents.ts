/**
 * What each control, key and article link does: the reader's intents (controls.ts) turned into
 * session commands and run requests. Kept apart from the element so the wiring stays readable.
 */
import type { Actor } from 'xstate';
import { parseSeed, MAX_SEED, type AnySimulation } from '../../sim/core/index.ts';
import type { EmbedOptions } from '../embed/protocol.ts';
import type { Intents } from './controls.ts';
import type { PlayerView } from './render.ts';
import { scenarioRequest, withParams } from './requests.ts';
import type { RunRequest, sessionMachine } from './session.ts';
import { exportChart, share, stateAt } from './sharing.ts';

export interface Wiring {
  root: HTMLElement;
  sim: AnySimulation;
  session: Actor<typeof sessionMachine>;
  view: PlayerView;
  embed: EmbedOptions | null;
  /**
   * Asks for a run and waits for it (`tSec`: where the cursor goes; `play`: start when it arrives;
   * `moving`: asked by a control still moving); resolves with notes about the time.
   */
  runFor(request: RunRequest, tSec?: number | null, play?: boolean, moving?: boolean): Promise<string[]>;
  /** The control that asked for the newest run came to rest. */
  settle(): void;
  warmUp(): void;
  /** An inline figure's start, as its article names it; null for the workbench. */
  start: { request: RunRequest; tSec: number | null } | null;
}

export function playerIntents(w: Wiring): Intents {
  const { root, sim, session, view } = w;
  const send = session.send.bind(session);
  const asked = () => session.getSnapshot().context.request;
  const seekTo = (tSec: number) => {
    send({ type: 'pause' });
    send({ type: 'seek', tSec });
  };
  const intents: Intents = {
    act: (action) => {
      const s = session.getSnapshot();
      if (action === 'play') send(s.value === 'playing' ? { type: 'pause' } : { type: 'play' });
      else if (action === 'start') seekTo(0);
      else if (action === 'back' || action === 'forward') send({ type: 'step', steps: action === 'back' ? -1 : 1 });
      else if (action === 'new-seed') void w.runFor({ ...asked(), seed: (asked().seed + 1) >>> 0 });
      else if (action === 'copy-link' || action === 'copy-embed') {
        const { request, trace } = s.context.shown!;
        const state = stateAt(request, trace, s.context.tSec);
        void share(root, sim, state, w.embed, action).then((said) => view.notice([said]));
      } else if (action === 'reset-params') {
        // A figure goes back to where its article starts it; the workbench to the scenario's
        // parameters and seed, the cursor staying where the reader left it.
        send({ type: 'pause' });
        if (w.start) void w.runFor(w.start.request, w.start.tSec);
        else void w.runFor(scenarioRequest(sim, asked().scenario));
        view.notice([]);
      }
    },
    key: (k) => {
      if (k.type === 'toggle') intents.act('play');
      else if (k.type === 'step') send({ type: 'step', steps: k.steps });
      else seekTo(k.type === 'start' ? 0 : Infinity);
    },
    scenario: (id) => {
      send({ type: 'pause' });
      void w.runFor(scenarioRequest(sim, id), null);
      view.notice([]);
    },
    speed: (speed) => send({ type: 'setSpeed', speed }),
    seek: (tSec) => send({ type: 'seek', tSec }),
    param: (key, raw, moving = false) => {
      const { request, notes } = withParams(sim, asked(), { [key]: raw });
      if (notes.length > 0) view.notice(notes.map((n) => `${n}.`));
      void w.runFor(request, undefined, false, moving);
    },
    settle: () => w.settle(),
    seed: (text) => {
      const seed = parseSeed(text);
      if (seed !== null) void w.runFor({ ...asked(), seed });
      else view.syncControls(asked());
      view.notice(seed !== null ? [] : [`The seed must be a whole number from 0 to ${MAX_SEED}; keeping ${asked().seed}.`]);
    },
    exportChart: (chartId, format) => {
      const { request, trace } = session.getSnapshot().context.shown!;
      const state = stateAt(request, trace, session.getSnapshot().context.tSec);
      void exportChart(sim, state, trace, chartId, format).then((problem) => problem && view.notice([problem]));
    },
  };
  return intents;
}
