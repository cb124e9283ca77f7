/** Connects the embed page's player to its parent (see bridge.ts), and sizes the page to its frame (fit.ts). */
import { attachBridge } from './bridge.ts';
import { followFrameScale } from './fit.ts';
import { decodeEmbedOptions } from './protocol.ts';
import type { OpsPlayer } from '../player/player-element.ts';

followFrameScale(decodeEmbedOptions(window.location.search).options.scale);

// No top-level await: the offline bundle turns this into a classic script.
void customElements.whenDefined('ops-player').then(() => {
  const player = document.querySelector<OpsPlayer>('ops-player');
  if (player) void attachBridge(player);
});
