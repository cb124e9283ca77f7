/**
 * A panel that shows the full detail of one log line the reader picks among those up to the
 * cursor. A pick the reader made stays while it is still offered; otherwise the newest wins, so
 * playing shows each line as it happens.
 */
import type { AnySimulation, Trace } from '../../sim/core/index.ts';
import { esc } from '../charts/escape.ts';
import { logIndexAfter, need, type PanelKind } from './frame.ts';

/** The most lines the picker offers: the latest ones up to the cursor. */
export const INSPECTOR_CHOICES = 40;

/** Log indices of the inspector's kinds up to the cursor, oldest first, at most INSPECTOR_CHOICES. */
export function inspectorLines(sim: AnySimulation, trace: Trace, tSec: number): number[] {
  const kinds = sim.view.inspector?.kinds;
  if (!kinds) return [];
  const picked: number[] = [];
  for (let i = logIndexAfter(trace, tSec) - 1; i >= 0 && picked.length < INSPECTOR_CHOICES; i--) {
    if (kinds.includes(trace.log[i]!.kind)) picked.push(i);
  }
  return picked.reverse();
}

export function renderInspectorOptions(trace: Trace, lines: readonly number[], picked: number): string {
  if (lines.length === 0) return '<option value="">No response yet</option>';
  return lines
    .map((i) => `<option value="${i}"${i === picked ? ' selected' : ''}>${esc(trace.log[i]!.text.replace(/\s{2,}/g, ' '))}</option>`)
    .join('');
}

export function renderInspectorDetail(trace: Trace, picked: number): string {
  const line = trace.log[picked];
  return line ? esc(line.detail ?? line.text) : 'Move the cursor past the first response to read its headers.';
}

export const inspectorPanel: PanelKind = {
  slot: 'after',
  present: (sim) => sim.view.inspector !== undefined,
  mark: '[data-role=inspect-detail]',
  build: ({ sim, domId, trace, tSec, staticPanels }) => {
    const spec = sim.view.inspector!;
    // As the log panel: ids from the player's own id, and a box under a heading rather than a landmark.
    const title = `${esc(domId)}-inspector-title`;
    const lines = inspectorLines(sim, trace, tSec);
    const newest = lines.at(-1) ?? -1;
    return (
      `<div class="inspector-panel"><h2 id="${title}">${esc(spec.title)}</h2>` +
      `<p class="caption-note">${esc(spec.caption)}</p>` +
      `<label class="inspector-pick"><span>${esc(spec.pickLabel)}</span>` +
      `<select data-role="inspect-pick" disabled>${staticPanels ? renderInspectorOptions(trace, lines, newest) : ''}</select></label>` +
      `<pre class="inspect-detail" data-role="inspect-detail" tabindex="0" aria-label="Status line and header fields of the picked response">${staticPanels ? renderInspectorDetail(trace, newest) : ''}</pre></div>`
    );
  },
  mount(root, sim) {
    const pick = need<HTMLSelectElement>(root, '[data-role=inspect-pick]');
    const detail = need(root, '[data-role=inspect-detail]');
    /** The line the reader picked, or null to follow the newest. */
    let picked: number | null = null;
    let trace: Trace | null = null;
    let lastEnd = -1;
    pick.addEventListener('change', () => {
      picked = pick.value === '' ? null : Number(pick.value);
      if (trace) detail.innerHTML = renderInspectorDetail(trace, picked ?? -1);
    });
    return {
      run() {
        picked = null;
        lastEnd = -1;
      },
      cursor(f) {
        trace = f.trace;
        const end = logIndexAfter(f.trace, f.tSec);
        if (end === lastEnd) return;
        lastEnd = end;
        const lines = inspectorLines(sim, f.trace, f.tSec);
        const chosen = picked !== null && lines.includes(picked) ? picked : (lines.at(-1) ?? -1);
        if (chosen !== picked) picked = null;
        pick.innerHTML = renderInspectorOptions(f.trace, lines, chosen);
        detail.innerHTML = renderInspectorDetail(f.trace, chosen);
      },
    };
  },
};
