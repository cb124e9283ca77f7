/**
 * The reveal.js plugin for decks with Opslab embeds (served as /embed/opslab-reveal.js, and what
 * the demo deck uses). A deck marks each simulation's iframe with `data-sim-frame`, may give it a
 * start (`data-sim-start`: a JSON array of protocol commands) and may give fragments a command
 * (`data-sim-command`: one JSON command). An iframe may name its address in `data-sim-src` instead of
 * `src`, to be loaded only when it is needed. The plugin
 * - loads such a frame when the deck shows its slide and, once the reader has moved the deck, when
 *   the slide before it is shown, so the next embed is ready when its slide comes; a deck opened on
 *   a slide without embeds loads none of them (each costs a whole player's scripts), and a frame,
 *   once loaded, stays loaded;
 * - waits for each embed's `ready` before sending it anything (a message to a frame that has not
 *   loaded yet is lost), and asks each embed for its state when it starts, in case the embed was
 *   ready before the deck listened;
 * - on a fragment shown, sends its command; on a fragment hidden, and whenever a slide is entered,
 *   puts the embed back to its start and replays the fragments still shown, with a `play` replayed
 *   as a `seek` to where it stopped, so the embed always matches the slide in both directions;
 * - pauses the embeds of a slide that is left, and of slides not shown when they become ready;
 * - turns the `key` message an embed sends from another origin (a deck on another host, or any
 *   deck opened from file://) into the keydown the deck would have had, so the arrows keep moving
 *   the slides after a click into a simulation.
 * It reads nothing of reveal.js but the few calls below, so it fits reveal.js 4 and 5.
 */
import { DECK_KEYS, replayDeckKey } from './deck-keys.ts';
import { PROTOCOL, PROTOCOL_VERSION, type Command } from './protocol.ts';

/** The part of reveal.js's API the plugin uses. */
interface Deck {
  getRevealElement(): HTMLElement | null;
  getCurrentSlide(): Element | undefined;
  on(type: string, listener: (event: Event) => void): void;
}

type Message = { protocol?: unknown; type?: unknown; key?: unknown; code?: unknown; shiftKey?: unknown; altKey?: unknown; ctrlKey?: unknown; metaKey?: unknown };

const parse = <T>(json: string | undefined, fallback: T): T => {
  try {
    return json ? (JSON.parse(json) as T) : fallback;
  } catch {
    console.warn(`Opslab reveal.js plugin: ignored an attribute that is not JSON: ${json!.slice(0, 60)}`);
    return fallback;
  }
};

/** A fragment's command as a replay: a `play` that ran to a time becomes a seek there. */
export function asReplay(command: Command): Command | null {
  if (command.type !== 'play') return command;
  return command.until === undefined ? null : { type: 'seek', t: command.until };
}

export function OpslabEmbeds() {
  return {
    id: 'opslab-embeds',
    init(deck: Deck): void {
      const root = deck.getRevealElement() ?? document.body;
      const frames = () => [...root.querySelectorAll<HTMLIFrameElement>('iframe[data-sim-frame]')];
      const ready = new WeakSet<Window>();
      const waiting = new Map<Window, Command[]>();

      const send = (frame: HTMLIFrameElement, command: Command) => {
        const target = frame.contentWindow;
        if (!target) return;
        if (!ready.has(target)) return void waiting.set(target, [...(waiting.get(target) ?? []), command]);
        target.postMessage({ protocol: PROTOCOL, version: PROTOCOL_VERSION, ...command }, '*');
      };
      const slideOf = (el: Element) => el.closest('section');
      const framesIn = (slide: Element | null | undefined) => (slide ? frames().filter((f) => slideOf(f) === slide) : []);
      const commandOf = (el: Element) => parse<Command | null>((el as HTMLElement).dataset.simCommand, null);
      /** Loads the slide's frames that wait for it; with `andNext`, those of the slide after it too. */
      const loadFrames = (slide: Element | null | undefined, andNext: boolean) => {
        const next = andNext ? slide?.nextElementSibling : null;
        for (const frame of [...framesIn(slide), ...(next?.matches('section') ? framesIn(next) : [])]) {
          const src = frame.dataset.simSrc;
          if (src && !frame.hasAttribute('src')) frame.src = src;
        }
      };

      /** The embed as its slide shows it now: its start, then every fragment still shown, replayed. */
      const restore = (frame: HTMLIFrameElement) => {
        for (const command of parse<Command[]>(frame.dataset.simStart, [])) send(frame, command);
        for (const shown of slideOf(frame)?.querySelectorAll('.fragment.visible[data-sim-command]') ?? []) {
          const command = commandOf(shown);
          const replay = command && asReplay(command);
          if (replay) send(frame, replay);
        }
      };

      window.addEventListener('message', (event) => {
        const data = event.data as Message | null;
        if (!data || data.protocol !== PROTOCOL) return;
        // Only the deck's own embeds are listened to.
        const frame = frames().find((f) => f.contentWindow === event.source);
        if (!frame) return;
        // `ready`, or any state: an embed that was ready before this deck listened answers the probe below.
        if ((data.type === 'ready' || data.type === 'state') && !ready.has(frame.contentWindow!)) {
          const target = frame.contentWindow!;
          ready.add(target);
          for (const command of waiting.get(target) ?? []) send(frame, command);
          waiting.delete(target);
          if (slideOf(frame) !== deck.getCurrentSlide()) send(frame, { type: 'pause' });
        } else if (data.type === 'key' && typeof data.key === 'string' && DECK_KEYS.has(data.key)) {
          const flag = (v: unknown) => v === true;
          replayDeckKey(document, { key: data.key, code: typeof data.code === 'string' ? data.code : '', shiftKey: flag(data.shiftKey), altKey: flag(data.altKey), ctrlKey: flag(data.ctrlKey), metaKey: flag(data.metaKey) });
        }
      });

      // An embed may have loaded, and said `ready`, before this plugin was running: ask each for its
      // state (an embed not yet listening loses the question, and says `ready` later instead).
      for (const frame of frames()) frame.contentWindow?.postMessage({ protocol: PROTOCOL, version: PROTOCOL_VERSION, type: 'getState' }, '*');

      // Before the reader moves, only the slide on screen: a deck opened on its title costs no embed.
      deck.on('ready', () => loadFrames(deck.getCurrentSlide(), false));
      loadFrames(deck.getCurrentSlide(), false);

      deck.on('slidechanged', (event) => {
        const { previousSlide, currentSlide } = event as Event & { previousSlide?: Element; currentSlide?: Element };
        loadFrames(currentSlide, true);
        for (const frame of framesIn(previousSlide)) send(frame, { type: 'pause' });
        for (const frame of framesIn(currentSlide)) restore(frame);
      });
      deck.on('fragmentshown', (event) => {
        for (const fragment of (event as Event & { fragments: Element[] }).fragments) {
          const command = commandOf(fragment);
          if (!command) continue;
          for (const frame of framesIn(slideOf(fragment))) send(frame, command);
        }
      });
      deck.on('fragmenthidden', (event) => {
        const fragment = (event as Event & { fragments: Element[] }).fragments[0];
        for (const frame of framesIn(fragment && slideOf(fragment))) restore(frame);
      });
    },
  };
}
