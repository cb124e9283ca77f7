/**
 * Connects an embedded player to the page around it (a slide deck):
 * - commands arrive by postMessage (protocol.ts) and drive the player's API, one at a time in
 *   arrival order; those that arrive before the player is ready wait and run after `ready`;
 * - events go back: `ready` once, `state` on change (at most four a second,
 *   and at once after each command), `ended` at the end of a run;
 * - deck keys (arrows, PageUp/PageDown, space, Home/End) belong to the
 *   simulation only while it has keyboard focus with a visible focus ring;
 *   otherwise they are handed to the parent so the deck keeps moving (the
 *   reveal.js iframe focus problem).
 */
import type { OpsPlayer } from '../player/player-element.ts';
import { DECK_KEYS, replayDeckKey } from './deck-keys.ts';
import { envelope, parseCommand, type Command, type EmbedEvent } from './protocol.ts';

const STATE_INTERVAL_MS = 250;

export async function attachBridge(player: OpsPlayer): Promise<void> {
  const parent = window.parent !== window ? window.parent : null;
  const post = (event: EmbedEvent) => parent?.postMessage(envelope(event), '*');

  forwardDeckKeys(player, parent);
  // Listening starts at once: a deck often sends its first commands as soon as the frame exists.
  // Until the player is ready they wait here, in order, and run after `ready` is announced.
  const early: Command[] = [];
  let run: ((command: Command) => Promise<void>) | null = null;
  window.addEventListener('message', (event: MessageEvent) => {
    const parsed = parseCommand(event.data);
    if ('ignore' in parsed) {
      if (parsed.ignore === 'invalid') console.warn(`Opslab embed: ignored a message: ${parsed.reason}.`);
      return;
    }
    if (run) void run(parsed.command);
    else early.push(parsed.command);
  });
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

  // One command at a time, in arrival order: a scenario switch finishes before the seek sent after it.
  let queue = Promise.resolve();
  const runInOrder = (command: Command) =>
    (queue = queue.then(async () => {
      try {
        sendState(await apply(player, command));
      } catch (error) {
        console.warn(`Opslab embed: the command ${command.type} failed: ${(error as Error).message}`);
      }
    }));

  post({
    type: 'ready',
    simId: sim.id,
    title: sim.title,
    scenarios: sim.scenarios.map((s) => ({ id: s.id, title: s.title })),
    params: sim.params as Record<string, unknown>,
  });
  if (player.autoplayRefused) post({ type: 'autoplay-refused', simId: sim.id, reason: 'reduced-motion' });
  sendState();
  run = runInOrder;
  for (const command of early.splice(0)) void runInOrder(command);
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
    case 'setSpeed':
      return player.setSpeed(command.speed);
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
        replayDeckKey(parent.document, init);
      } catch {
        // Another origin: the parent may listen for this message and act on it (the reveal.js plugin does).
        parent.postMessage(envelope({ type: 'key', ...init }), '*');
      }
    },
    { capture: true },
  );
}
