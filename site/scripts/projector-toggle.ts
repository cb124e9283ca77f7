/** The header's projector-mode toggle: large type and full contrast for the back of a room; the choice survives reloads. */
// Large type and full contrast for the back of a room; the choice survives reloads.
const toggle = document.querySelector<HTMLButtonElement>('.projector-toggle')!;
const root = document.documentElement;
const sync = () => toggle.setAttribute('aria-pressed', String(root.dataset.theme === 'projector'));
toggle.hidden = false;
sync();
toggle.addEventListener('click', () => {
  const on = root.dataset.theme !== 'projector';
  if (on) root.dataset.theme = 'projector';
  else delete root.dataset.theme;
  try {
    if (on) localStorage.setItem('opslab:projector', '1');
    else localStorage.removeItem('opslab:projector');
  } catch {
    // Storage may be unavailable (private mode, file://): the mode still applies to this page.
  }
  sync();
});

// A module, not a global script: its names stay its own.
export {};
