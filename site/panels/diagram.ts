/** The state diagram of one of the lesson's machines, each box showing how many entities are in that state at the cursor. */
import type { AnySimulation, Trace } from '../../sim/core/index.ts';
import { describeMachine, type MachineInfo } from '../../sim/core/machine-table.ts';
import { esc, fmt } from '../charts/escape.ts';
import { renderStateDiagram } from '../charts/state-diagram.ts';
import { need, type PanelKind } from './frame.ts';
import { wordedFigure } from './worded-figure.ts';

const machineInfoCache = new WeakMap<object, MachineInfo>();

export function machineInfo(sim: AnySimulation): MachineInfo | null {
  const spec = sim.view.diagram;
  if (!spec) return null;
  const machine = sim.machines[spec.machine];
  if (!machine) return null;
  let info = machineInfoCache.get(machine);
  if (!info) {
    info = describeMachine(machine);
    machineInfoCache.set(machine, info);
  }
  return info;
}

export function diagramCounts(sim: AnySimulation, trace: Trace, index: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [state, key] of Object.entries(sim.view.diagram?.stateSeries ?? {})) {
    counts[state] = trace.series[key]?.[index] ?? 0;
  }
  return counts;
}

export function renderDiagram(sim: AnySimulation, trace: Trace, index: number, vertical: boolean, domId: string = sim.id): string {
  const info = machineInfo(sim);
  if (!info) return '';
  return renderStateDiagram(info, {
    id: `diagram-${domId}`,
    title: `${sim.view.diagram!.title}: the number of ${sim.view.diagram!.counting} in each state in this second`,
    vertical,
    counts: diagramCounts(sim, trace, index),
  });
}

/** The diagram in words: every state, its count at the cursor, and where it can go. */
export function renderDiagramText(sim: AnySimulation, trace: Trace, index: number): string {
  const info = machineInfo(sim);
  if (!info) return '';
  const counts = diagramCounts(sim, trace, index);
  const label = (id: string) => info.states.find((s) => s.id === id)?.label ?? id;
  return `<ul class="diagram-text">${info.states
    .map((s) => {
      const exits = info.edges
        .filter((e) => e.from === s.id)
        .map((e) => `${e.description || e.event} → ${label(e.to)}`);
      return `<li><strong>${esc(s.label)}</strong> (${esc(fmt(counts[s.id] ?? 0))} now): ${esc(s.description)}${exits.length ? `. ${esc(exits.join('; '))}` : '.'}</li>`;
    })
    .join('')}</ul>`;
}

export const diagramPanel: PanelKind = {
  slot: 'figures',
  present: (sim) => sim.view.diagram !== undefined,
  mark: '[data-role=diagram]',
  build: ({ sim, domId, trace, index, staticPanels }) =>
    wordedFigure({
      kind: 'diagram',
      title: sim.view.diagram!.title,
      caption: sim.view.diagram!.caption,
      drawing: renderDiagram(sim, trace, index, false, domId),
      wordsLabel: 'The diagram in words',
      words: staticPanels ? renderDiagramText(sim, trace, index) : '',
    }),
  mount(root, sim) {
    const box = need(root, '[data-role=diagram]');
    const words = need(root, '[data-role=diagram-text]');
    let last = '';
    return {
      run: () => (last = ''),
      cursor(f) {
        const key = `${f.index} ${f.vertical}`;
        if (key === last) return;
        last = key;
        box.innerHTML = renderDiagram(sim, f.trace, f.index, f.vertical, f.domId);
        words.innerHTML = renderDiagramText(sim, f.trace, f.index);
      },
    };
  },
};
