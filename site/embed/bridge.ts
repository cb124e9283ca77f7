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

/** The keys a deck uses, with their legacy keyCodes: reveal.js and many decks still match on keyCode. */
const DECK_KEYS = new Map([
  ['ArrowLeft', 37], ['ArrowUp', 38], ['ArrowRight', 39], ['ArrowDown', 40],
  ['PageUp', 33], ['PageDown', 34], [' ', 32], ['Home', 36], ['End', 35],
]);
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
  // Whether focus arrived with a visible ring is decided when it arrives: once a key is pressed,
  // browsers show the ring on whatever has focus, so asking at keydown would always say yes.
  let keyboardFocused: Element | null = null;
  document.addEventListener('focusin', (e) => {
    const target = e.target as Element;
    keyboardFocused = target.matches(':focus-visible') ? target : null;
  });
  document.addEventListener('pointerdown', () => (keyboardFocused = null), { capture: true });

  // Capture phase: decide before the player's own key handler sees the event.
  window.addEventListener(
    'keydown',
    (e) => {
      if (!DECK_KEYS.has(e.key)) return;
      const active = document.activeElement;
      const simulationHasFocus = active !== null && active === keyboardFocused && player.contains(active);
      if (simulationHasFocus) return;
      e.preventDefault();
      e.stopPropagation();
      const init = { key: e.key, code: e.code, shiftKey: e.shiftKey, altKey: e.altKey, ctrlKey: e.ctrlKey, metaKey: e.metaKey };
      try {
        // Same origin (a deck served with the site): replay the key in the parent, where the deck listens.
        const doc = parent.document;
        const forwarded = new KeyboardEvent('keydown', { ...init, bubbles: true, cancelable: true });
        // KeyboardEvent's constructor cannot set the legacy codes; define them so keyCode-based decks see the key.
        const keyCode = DECK_KEYS.get(e.key)!;
        Object.defineProperty(forwarded, 'keyCode', { value: keyCode });
        Object.defineProperty(forwarded, 'which', { value: keyCode });
        (doc.activeElement ?? doc.body).dispatchEvent(forwarded);
      } catch {
        // Another origin: the parent may listen for this message and act on it.
        parent.postMessage(envelope({ type: 'key', ...init }), '*');
      }
    },
    { capture: true },
  );
}
