/**
 * Connects an embedded player to the page around it (a slide deck):
 * - commands arrive by postMessage (protocol.ts) and drive the player's API;
 * - events go back: `ready` once, `state` on change (at most four a second,
 *   and at once after each command), `ended` at the end of a run;
 * - deck keys (arrows, PageUp/PageDown, space, Home/End) belong to the
 *   simulation only while it has keyboard focus with a visible focus ring;
 *   otherwise they are handed to the parent so the deck keeps moving (the
 *   reveal.js iframe focus problem).
 */
import type { OpsPlayer } from '../player/player-element.ts';
import { envelope, parseCommand, type Command, type EmbedEvent } from './protocol.ts';

const DECK_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', ' ', 'Home', 'End']);
const STATE_INTERVAL_MS = 250;

export async function attachBridge(player: OpsPlayer): Promise<void> {
  const parent = window.parent !== window ? window.parent : null;
  const post = (event: EmbedEvent) => parent?.postMessage(envelope(event), '*');

  forwardDeckKeys(player, parent);
  await player.ready;
  const sim = player.simulation;

  let lastSent = 0;
  let trailing: ReturnType<typeof setTimeout> | null = null;
  const sendState = (notes: string[] = []) => {
    if (trailing) clearTimeout(trailing);
    trailing = null;
    lastSent = performance.now();
    post({ type: 'state', simId: sim.id, notes, ...player.snapshot() });
  };
  player.addEventListener('ops-change', () => {
    const wait = STATE_INTERVAL_MS - (performance.now() - lastSent);
    if (wait <= 0) sendState();
    else trailing ??= setTimeout(() => sendState(), wait);
  });
  player.addEventListener('ops-ended', () => post({ type: 'ended', simId: sim.id, t: player.snapshot().t }));

  window.addEventListener('message', async (event: MessageEvent) => {
    const parsed = parseCommand(event.data);
    if ('ignore' in parsed) {
      if (parsed.ignore === 'invalid') console.warn(`Opslab embed: ignored a message: ${parsed.reason}.`);
      return;
    }
    try {
      sendState(await apply(player, parsed.command));
    } catch (error) {
      console.warn(`Opslab embed: the command ${parsed.command.type} failed: ${(error as Error).message}`);
    }
  });

  post({
    type: 'ready',
    simId: sim.id,
    title: sim.title,
    scenarios: sim.scenarios.map((s) => ({ id: s.id, title: s.title })),
    params: sim.params as Record<string, unknown>,
  });
  sendState();
}

async function apply(player: OpsPlayer, command: Command): Promise<string[]> {
  switch (command.type) {
    case 'play':
      player.playTo(command.until);
      return [];
    case 'pause':
      player.pause();
      return [];
    case 'step':
      player.stepBy(command.seconds);
      return [];
    case 'seek':
      player.seekTo(command.t);
      return [];
    case 'setScenario':
      return player.setScenario(command.scenario);
    case 'setParams':
      return player.setParams(command.params);
    case 'reset':
      await player.resetToScenario();
      return [];
    case 'getState':
      return [];
  }
}

function forwardDeckKeys(player: OpsPlayer, parent: Window | null): void {
  if (!parent) return;
  // Capture phase: decide before the player's own key handler sees the event.
  window.addEventListener(
    'keydown',
    (e) => {
      if (!DECK_KEYS.has(e.key)) return;
      const active = document.activeElement;
      const simulationHasFocus = active instanceof HTMLElement && player.contains(active) && active.matches(':focus-visible');
      if (simulationHasFocus) return;
      e.preventDefault();
      e.stopPropagation();
      const init = { key: e.key, code: e.code, shiftKey: e.shiftKey, altKey: e.altKey, ctrlKey: e.ctrlKey, metaKey: e.metaKey };
      try {
        // Same origin (a deck served with the site): replay the key in the parent, where the deck listens.
        const doc = parent.document;
        (doc.activeElement ?? doc.body).dispatchEvent(new KeyboardEvent('keydown', { ...init, bubbles: true, cancelable: true }));
      } catch {
        // Another origin: the parent may listen for this message and act on it.
        parent.postMessage(envelope({ type: 'key', ...init }), '*');
      }
    },
    { capture: true },
  );
}
