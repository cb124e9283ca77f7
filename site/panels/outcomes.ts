/** Outcome tables: every entity started so far, split by how it ended, and how many are still in progress. */
import type { AnySimulation } from '../../sim/core/index.ts';
import { esc, fmt } from '../charts/escape.ts';
import { TONE_COLORS } from '../charts/palette.ts';
import { sumTo, totalsPanel, type Cumulative, type PanelKind } from './frame.ts';

export function renderOutcomes(sim: AnySimulation, cum: Cumulative, index: number): string {
  return sim.view.outcomeGroups
    .map((group, g) => {
      // A group with no entities in the whole run (no flood in this scenario) is left out; the first always shows.
      const runTotal = cum[group.attempts]?.at(-1) ?? 0;
      if (g > 0 && runTotal === 0) return '';
      const started = sumTo(cum, group.attempts, index);
      let ended = 0;
      const rows = group.outcomes
        .map((o) => {
          const n = sumTo(cum, o.series, index);
          ended += n;
          return `<tr class="tone-${o.tone}"><th scope="row"><span class="swatch" style="background:${TONE_COLORS[o.tone]}"></span>${esc(o.label)}</th><td>${esc(fmt(n))}</td></tr>`;
        })
        .join('');
      return (
        `<table class="outcomes" data-group="${esc(group.attempts)}"><caption>${esc(group.title)}: ${esc(fmt(started))} started</caption>` +
        `<tbody>${rows}<tr class="pending"><th scope="row"><span class="swatch"></span>still in progress</th><td>${esc(fmt(started - ended))}</td></tr></tbody></table>`
      );
    })
    .join('');
}

export const outcomesPanel: PanelKind = totalsPanel('outcomes', (sim) => sim.view.outcomeGroups.length > 0, renderOutcomes);
