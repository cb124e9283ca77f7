/** Counters under the real system's own names (nstat, exim -bp...), summed up to the cursor. */
import type { AnySimulation } from '../../sim/core/index.ts';
import { esc, fmt } from '../charts/escape.ts';
import { need, sumTo, type Cumulative, type PanelKind } from './frame.ts';

export function renderCounters(sim: AnySimulation, cum: Cumulative, index: number): string {
  const rows = sim.view.counters
    .map((c) => `<tr><th scope="row"><code>${esc(c.label)}</code></th><td>${esc(fmt(sumTo(cum, c.series, index)))}</td></tr>`)
    .join('');
  const note = sim.view.countersNote ? `<p class="counters-note">${esc(sim.view.countersNote).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>` : '';
  return `<table class="counters"><caption>${esc(sim.view.countersTitle)}</caption><tbody>${rows}</tbody></table>${note}`;
}

export const countersPanel: PanelKind = {
  slot: 'accounts',
  present: (sim) => sim.view.counters.length > 0,
  build: ({ sim, cum, index, staticPanels }) => `<div data-role="counters">${staticPanels ? renderCounters(sim, cum, index) : ''}</div>`,
  mount(root, sim) {
    const box = need(root, '[data-role=counters]');
    let last = -1;
    return {
      run: () => (last = -1),
      cursor(f) {
        if (f.index === last) return;
        last = f.index;
        box.innerHTML = renderCounters(sim, f.cum, f.index);
      },
    };
  },
};
