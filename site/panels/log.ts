/** The run's log up to the cursor: the last lines, and a note when repeated lines were thinned. */
import { groupDigits, type AnySimulation, type Trace } from '../../sim/core/index.ts';
import { esc } from '../charts/escape.ts';
import { logIndexAfter, need, type PanelKind } from './frame.ts';

/** Says how much of the log was thinned, or nothing when it was all kept. */
export function logNote(sim: AnySimulation, trace: Trace): string {
  if (trace.logSuppressed === 0) return '';
  const n = groupDigits(trace.logSuppressed);
  return `Repeated lines are thinned, a few of each kind per ${sim.view.logWindow ?? 'second'} as real logs rate-limit, and fewer where a busy run would otherwise fill the log before its end: ${n} not shown over the run.`;
}

export function renderLog(trace: Trace, tSec: number, lines = 10): string {
  const end = logIndexAfter(trace, tSec);
  const start = Math.max(0, end - lines);
  if (end === 0) return '<li class="log-empty">Nothing logged yet.</li>';
  return trace.log
    .slice(start, end)
    .map((l) => `<li class="log-${esc(l.kind)}">${esc(l.text)}</li>`)
    .join('');
}

export const logPanel: PanelKind = {
  slot: 'after',
  present: () => true,
  mark: '[data-role=log]',
  build: ({ sim, domId, trace, tSec, staticPanels }) => {
    // Ids from the player's own id: a figure and the workbench both show a log on one page. A plain
    // box under a heading, not a landmark: seven figures' logs would be seven regions of one name.
    const title = `${esc(domId)}-log-title`;
    return (
      `<div class="log-panel"><h2 id="${title}">Log, up to the cursor</h2>` +
      `<ol class="log" data-role="log" tabindex="0" aria-labelledby="${title}">${staticPanels ? renderLog(trace, tSec) : ''}</ol>` +
      `<p class="log-note" data-role="log-note">${esc(logNote(sim, trace))}</p></div>`
    );
  },
  mount(root, sim) {
    const list = need(root, '[data-role=log]');
    const note = need(root, '[data-role=log-note]');
    let lastEnd = -1;
    return {
      run(f) {
        note.textContent = logNote(sim, f.trace);
        lastEnd = -1;
      },
      cursor(f) {
        const end = logIndexAfter(f.trace, f.tSec);
        if (end === lastEnd) return;
        lastEnd = end;
        list.innerHTML = renderLog(f.trace, f.tSec);
      },
    };
  },
};
