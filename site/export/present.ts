/**
 * "Present": the view on screen (state, moment, this player's panels) as a projector embed that
 * fills the screen. The embed opens in a frame over the page, made full screen by the click itself:
 * browsers grant full screen only to a page the reader has just clicked in (MDN, "Element:
 * requestFullscreen()": transient activation), and this click was here, not in a new tab. Esc
 * leaves full screen and closes the frame; where full screen is refused, the frame still covers
 * the window and its "Close" button (or Esc) closes it.
 */
import { decodeState } from '../../sim/core/index.ts';
import { viewQuery } from '../player/sharing.ts';
import { sitePage } from '../player/site-root.ts';
import type { OpsPlayer } from '../player/player-element.ts';

/** The embed's address for this view in the projector theme, with this player's panels (`panels=`, tokens as a figure's `show`). */
export function presentUrl(player: OpsPlayer): URL {
  const sim = player.simulation;
  const url = sitePage(`embed/${sim.id}/`);
  // The state as the page's "Copy link" writes it, then the embed's options, through the same codec.
  const { state } = decodeState(sim, player.query());
  const panels = player.dataset.panels || null;
  url.search = viewQuery(sim, state, { theme: 'projector', controls: 'full', autoplay: false, speed: null, panels, scale: null });
  return url;
}

/**
 * Fills the overlay the click made (site/export/actions.ts, which asked for full screen at once)
 * with the embed and its Close button; `fullScreen` says whether the browser granted it.
 */
export async function present(player: OpsPlayer, button: HTMLButtonElement, overlay: HTMLElement, fullScreen: Promise<boolean>): Promise<void> {
  overlay.setAttribute('role', 'dialog');
  overlay.setAttribute('aria-label', `Presenting: ${player.simulation.title}`);
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'present-close';
  close.textContent = 'Close (Esc)';
  overlay.append(close);
  const done = () => {
    document.removeEventListener('fullscreenchange', onChange);
    overlay.removeEventListener('keydown', onKey);
    overlay.remove();
    button.focus();
  };
  const onChange = () => document.fullscreenElement !== overlay && done();
  const onKey = (e: KeyboardEvent) => e.key === 'Escape' && !document.fullscreenElement && done();
  close.addEventListener('click', () => (document.fullscreenElement ? void document.exitFullscreen() : done()));
  overlay.addEventListener('keydown', onKey);
  if (await fullScreen) {
    // Left full screen (Esc) before the embed arrived: nothing to show.
    if (document.fullscreenElement !== overlay) return done();
    document.addEventListener('fullscreenchange', onChange);
  } else {
    // Refused (an iframe without allowfullscreen, a browser setting): the frame covers the window instead.
    overlay.dataset.windowed = '';
  }
  close.focus();
  await player.ready;
  if (!overlay.isConnected) return;
  const frame = document.createElement('iframe');
  frame.src = presentUrl(player).toString();
  frame.title = `${player.simulation.title}, for the projector`;
  frame.allow = 'fullscreen';
  overlay.prepend(frame);
  frame.focus();
  frame.addEventListener('load', () => frame.contentWindow?.focus(), { once: true });
}
