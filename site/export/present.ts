/**
 * "Present": the view on screen (state, moment, this player's panels) as a projector embed that
 * fills the screen. The embed opens in a frame over the page, which asks for full screen at once:
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

export async function present(player: OpsPlayer, button: HTMLButtonElement): Promise<void> {
  await player.ready;
  const overlay = document.createElement('div');
  overlay.className = 'present-overlay';
  overlay.setAttribute('role', 'dialog');
  overlay.setAttribute('aria-label', `Presenting: ${player.simulation.title}`);
  const frame = document.createElement('iframe');
  frame.src = presentUrl(player).toString();
  frame.title = `${player.simulation.title}, for the projector`;
  frame.allow = 'fullscreen';
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'present-close';
  close.textContent = 'Close (Esc)';
  overlay.append(frame, close);
  document.body.append(overlay);
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
  frame.focus();
  try {
    await overlay.requestFullscreen();
    document.addEventListener('fullscreenchange', onChange);
  } catch {
    // Refused (an iframe without allowfullscreen, a browser setting): the frame covers the window instead.
    overlay.dataset.windowed = '';
  }
  frame.addEventListener('load', () => frame.contentWindow?.focus(), { once: true });
}
