/**
 * The room page's live part: the address the room joins at, as text and as a QR code. Served
 * from a LAN address, that is the page's own site root; from localhost or a file, the page says
 * why no one else can open that and takes the machine's LAN address instead (site/room/address.ts).
 */
import { renderSVG } from 'uqr';
import { addressProblem, siteRoot, typedRoomAddress, type AddressProblem } from './address.ts';

const WHY: Record<AddressProblem, string> = {
  file: 'This page was opened from a file on this computer. Other devices cannot open files on your disk: serve the folder with one of the commands below, then open this page through the server, or type the address the server will have.',
  loopback: 'This page was opened at a loopback address (localhost or 127.0.0.1), which every device understands as itself: a phone would look for the site on the phone. Type this machine’s address on the room’s network instead.',
  unspecified: '0.0.0.0 is what a server listens on to mean “every network interface”; it is not an address anyone can visit. Type this machine’s address on the room’s network instead.',
};

const q = <T extends HTMLElement>(role: string) => document.querySelector<T>(`[data-role=${role}]`)!;
const input = q<HTMLInputElement>('room-input');
const problemBox = q('room-problem');
const inputError = q('room-input-error');
const link = q<HTMLAnchorElement>('room-link');
const qr = q('room-qr');
const status = q('room-status');

let announce: ReturnType<typeof setTimeout> | undefined;

function show(address: URL | null): void {
  q('room-result').hidden = address === null;
  if (address === null) return;
  link.href = address.href;
  link.textContent = address.href;
  qr.innerHTML = renderSVG(address.href, { border: 2 });
  const svg = qr.querySelector('svg')!;
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `QR code of ${address.href}`);
  // Said once typing pauses, not at every key.
  clearTimeout(announce);
  announce = setTimeout(() => (status.textContent = `The QR code now opens ${address.href}`), 700);
}

function fromInput(): void {
  const typed = input.value.trim();
  const address = typedRoomAddress(typed, window.location.href);
  const wrong = typed !== '' && address === null;
  inputError.hidden = !wrong;
  input.setAttribute('aria-invalid', String(wrong));
  show(address ?? (typed === '' ? pageAddress() : null));
}

/** The page's own site root, when others can reach it. */
function pageAddress(): URL | null {
  const here = new URL(window.location.href);
  return addressProblem(here) === null ? siteRoot(here.href) : null;
}

const problem = addressProblem(new URL(window.location.href));
if (problem !== null) {
  problemBox.hidden = false;
  q('room-problem-text').textContent = WHY[problem];
} else {
  q('room-input-label').textContent = 'Or another address for this machine (a name, say, that the phones resolve)';
}
q('room-live').hidden = false;
q('room-nojs').hidden = true;
input.addEventListener('input', fromInput);
fromInput();
