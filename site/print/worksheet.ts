/**
 * A lab's page on paper is a worksheet: each exercise on a page of its own, its start link as an
 * address and a QR code a phone can scan, and room for the predictions (site/styles/print.css).
 * Addresses come from the page's own address, so they are right for whatever server the room
 * uses. The QR encoder loads only when printing is near (the "Print worksheet" button, Ctrl or ⌘
 * held down, or the print itself), never with the page.
 */
import { markPrintAddresses, resolvedAddress } from './addresses.ts';

/** Each exercise's start link, as the worksheet prints it. */
function startAddresses(): { box: HTMLElement; address: string }[] {
  return [...document.querySelectorAll<HTMLElement>('.exercise')].flatMap((exercise) => {
    const link = exercise.querySelector<HTMLAnchorElement>('.exercise-actions a.sim-link');
    const box = exercise.querySelector<HTMLElement>('.worksheet');
    if (!link || !box) return [];
    return [{ box, address: resolvedAddress(link.getAttribute('href')!, window.location.href) }];
  });
}

function markAddresses(): void {
  markPrintAddresses(document, window.location.href);
  for (const { box, address } of startAddresses()) box.querySelector('[data-role=start-address]')!.textContent = address;
}

let codes: Promise<void> | undefined;
/** Draws every start link's QR code, once the encoder is loaded; the same promise for every caller. */
function drawCodes(): Promise<void> {
  codes ??= import('uqr').then(({ renderSVG }) => {
    for (const { box, address } of startAddresses()) {
      const slot = box.querySelector<HTMLElement>('[data-role=start-qr]')!;
      slot.innerHTML = renderSVG(address, { border: 1 });
      const svg = slot.querySelector('svg')!;
      svg.setAttribute('role', 'img');
      svg.setAttribute('aria-label', `QR code of ${address}`);
    }
  });
  return codes;
}

markAddresses();
window.addEventListener('beforeprint', () => {
  markAddresses();
  void drawCodes();
});
window.addEventListener('keydown', (e) => {
  if (e.key === 'Control' || e.key === 'Meta') void drawCodes();
});
const printButton = document.querySelector<HTMLButtonElement>('[data-act=print-worksheet]');
// Without this script the button could not prepare the codes, so it shows only now.
if (printButton) printButton.closest<HTMLElement>('.worksheet-action')!.hidden = false;
printButton?.addEventListener('click', async () => {
  markAddresses();
  await drawCodes();
  window.print();
});
