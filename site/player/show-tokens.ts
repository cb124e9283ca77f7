/**
 * The panels a figure or an embed shows, as its `show` (an article's <Figure>) or `panels=` (an
 * embed's address) names them: picture, diagram, log, outcomes, counters, inspector, terminal,
 * `charts` (every chart) or `chart:<id>`, separated by spaces or commas. One reading for both, so a
 * token an article may use is one an embed accepts, and a wrong one is named the same way.
 */
import type { AnySimulation } from '../../sim/core/index.ts';
import { PANELS, type PanelKindName } from '../panels/registry.ts';

export interface ShownPanels {
  kinds: ReadonlySet<PanelKindName>;
  /** Chart ids in the order named (`charts` adds the rest in the view's order). */
  charts: readonly string[];
  /** Each token's panel in the order named: what an embed lays out first comes first. */
  order: readonly (PanelKindName | `chart:${string}`)[];
}

export function splitTokens(show: string): string[] {
  return show.split(/[\s,]+/).filter(Boolean);
}

/** The panels, or the first problem in words (naming the valid tokens). */
export function readShow(sim: AnySimulation, show: string): ShownPanels | { problem: string } {
  const kinds = new Set<PanelKindName>();
  const charts: string[] = [];
  const order: ShownPanels['order'][number][] = [];
  const chartIds = sim.view.charts.map((c) => c.id);
  for (const token of splitTokens(show)) {
    if (token === 'charts' || token.startsWith('chart:')) {
      const ids = token === 'charts' ? chartIds : [token.slice('chart:'.length)];
      for (const id of ids) {
        if (!chartIds.includes(id)) return { problem: `no chart ${id}; valid: ${chartIds.join(', ')}` };
        if (charts.includes(id)) continue;
        charts.push(id);
        order.push(`chart:${id}`);
      }
      kinds.add('chart');
      continue;
    }
    if (!(token in PANELS)) return { problem: `no panel ${token}; valid: ${[...Object.keys(PANELS).filter((k) => k !== 'chart'), 'charts', 'chart:<id>'].join(', ')}` };
    const kind = token as PanelKindName;
    if (!PANELS[kind].present(sim)) return { problem: `this lesson has no ${token} panel` };
    if (!kinds.has(kind)) order.push(kind);
    kinds.add(kind);
  }
  if (kinds.size === 0) return { problem: 'show names no panel' };
  return { kinds, charts, order };
}
