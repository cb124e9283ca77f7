/**
 * The "Export animation" and "Present" buttons of every player. This is all a page loads for them
 * before a click: the dialog, the encoder and the presenter are imported on demand.
 */
import type { OpsPlayer } from '../player/player-element.ts';

document.addEventListener('click', (event) => {
  const button = (event.target as Element).closest<HTMLButtonElement>('button[data-export-act]');
  const player = button?.closest<OpsPlayer>('ops-player');
  if (!button || !player) return;
  if (button.dataset.exportAct === 'present') {
    // Full screen is asked for here, in the click itself: browsers grant it only while the page has
    // just been clicked (transient activation, a few seconds), and the presenter's code and the
    // player's model may take longer than that to arrive on a slow link or machine.
    const overlay = document.createElement('div');
    overlay.className = 'present-overlay';
    document.body.append(overlay);
    const fullScreen = overlay.requestFullscreen().then(
      () => true,
      () => false,
    );
    void import('./present.ts').then((m) => m.present(player, button, overlay, fullScreen));
  } else void import('./animation-dialog.ts').then((m) => m.openExportDialog(player, button));
});
