/** Counters under the real system's own names (nstat, exim -bp...), summed up to the cursor. */
import type { AnySimulation } from '../../sim/core/index.ts';
import { esc, fmt } from '../charts/escape.ts';
import { sumTo, totalsPanel, type Cumulative, type PanelKind } from './frame.ts';

export function renderCounters(sim: AnySimulation, cum: Cumulative, index: number): string {
  const rows = sim.view.counters
    .map((c) => `<tr><th scope="row"><code>${esc(c.label)}</code></th><td>${esc(fmt(sumTo(cum, c.series, index)))}</td></tr>`)
    .join('');
  const note = sim.view.countersNote ? `<p class="counters-note">${esc(sim.view.countersNote).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>` : '';
  return `<table class="counters"><caption>${esc(sim.view.countersTitle)}</caption><tbody>${rows}</tbody></table>${note}`;
}

export const countersPanel: PanelKind = totalsPanel('counters', (sim) => sim.view.counters.length > 0, renderCounters);
