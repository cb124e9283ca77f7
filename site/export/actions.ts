/**
 * The "Export animation" and "Present" buttons of every player. This is all a page loads for them
 * before a click: the dialog, the encoder and the presenter are imported on demand.
 */
import type { OpsPlayer } from '../player/player-element.ts';

document.addEventListener('click', (event) => {
  const button = (event.target as Element).closest<HTMLButtonElement>('button[data-export-act]');
  const player = button?.closest<OpsPlayer>('ops-player');
  if (!button || !player) return;
  if (button.dataset.exportAct === 'present') void import('./present.ts').then((m) => m.present(player, button));
  else void import('./animation-dialog.ts').then((m) => m.openExportDialog(player, button));
});
