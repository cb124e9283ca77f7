/** The demo deck: reveal.js, and fragments that send protocol commands to the slide's embed. */
import Reveal from 'reveal.js';
import 'reveal.js/reveal.css';
import '../styles/slides-demo.css';

const root = document.querySelector<HTMLElement>('.reveal')!;
const protocol = root.dataset.protocol!;
const version = Number(root.dataset.protocolVersion);
const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;

// Commands wait until their frame's simulation says it is ready.
const ready = new WeakSet<Window>();
const waiting = new Map<Window, object[]>();
const send = (frame: HTMLIFrameElement, command: object) => {
  const target = frame.contentWindow;
  if (!target) return;
  const message = { protocol, version, ...command };
  if (ready.has(target)) target.postMessage(message, '*');
  else waiting.set(target, [...(waiting.get(target) ?? []), message]);
};
window.addEventListener('message', (event) => {
  const data = event.data as { protocol?: string; type?: string } | null;
  if (data?.protocol !== protocol || data.type !== 'ready' || !event.source) return;
  const source = event.source as Window;
  ready.add(source);
  for (const message of waiting.get(source) ?? []) source.postMessage(message, '*');
  waiting.delete(source);
});

const frameOf = (el: Element) => el.closest('section')?.querySelector<HTMLIFrameElement>('iframe[data-sim-frame]') ?? null;
const commandOf = (el: Element) => JSON.parse((el as HTMLElement).dataset.simCommand ?? 'null') as object | null;

const deck = new Reveal(root, { hash: true, transition: reduced ? 'none' : 'slide', width: 1280, height: 800, margin: 0.02 });
void deck.initialize();

deck.on('fragmentshown', (event) => {
  for (const fragment of (event as unknown as { fragments: Element[] }).fragments) {
    const frame = frameOf(fragment);
    const command = commandOf(fragment);
    if (frame && command) send(frame, command);
  }
});
// Going back: start the slide's simulation over and replay what is still shown.
deck.on('fragmenthidden', (event) => {
  const fragment = (event as unknown as { fragments: Element[] }).fragments[0];
  const frame = fragment && frameOf(fragment);
  if (!frame) return;
  for (const command of JSON.parse(frame.dataset.simStart ?? '[]') as object[]) send(frame, command);
  for (const shown of frame.closest('section')!.querySelectorAll('.fragment.visible[data-sim-command]')) {
    const command = commandOf(shown);
    if (command) send(frame, command);
  }
});
