/** Connects the embed page's player to its parent (see bridge.ts). */
import { attachBridge } from './bridge.ts';
import type { OpsPlayer } from '../player/player-element.ts';

// No top-level await: the offline bundle turns this into a classic script.
void customElements.whenDefined('ops-player').then(() => {
  const player = document.querySelector<OpsPlayer>('ops-player');
  if (player) void attachBridge(player);
});
