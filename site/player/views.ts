/**
 * The player's panels as HTML strings: pure functions of (simulation, trace,
 * cursor), used by the build (the first frame, no JavaScript needed) and by
 * the browser (every frame after). Nothing here touches the DOM.
 */
import { clockOf, groupDigits, type AnySimulation, type ChartSpec, type Trace } from '../../sim/core/index.ts';
import { describeMachine, type MachineInfo } from '../../sim/core/machine-table.ts';
import { esc, fmt } from '../charts/escape.ts';
import { SERIES_STYLES, TONE_COLORS } from '../charts/palette.ts';
import { renderStateDiagram } from '../charts/state-diagram.ts';
import { renderTimeChart } from '../charts/time-chart.ts';

/** Running totals of every series, so "how many up to the cursor" is one lookup per frame. */
export type Cumulative = Record<string, Float64Array>;

export function cumulate(trace: Trace): Cumulative {
  const out: Cumulative = {};
  for (const [key, values] of Object.entries(trace.series)) {
    const sums = new Float64Array(values.length);
    let total = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (Number.isFinite(v)) total += v;
      sums[i] = total;
    }
    out[key] = sums;
  }
  return out;
}

/** The sample index holding time t (seconds); the last sample at the end of the run. */
export function sampleIndex(trace: Trace, tSec: number): number {
  const n = Object.values(trace.series)[0]?.length ?? 1;
  return Math.max(0, Math.min(n - 1, Math.ceil((tSec * 1000) / trace.sampleMs) - 1));
}

/** The values a chart draws for one of its series: the trace's own, or their running total when the spec asks. */
export function chartValues(trace: Trace, s: ChartSpec['series'][number]): Float64Array {
  const values = trace.series[s.key] ?? new Float64Array(0);
  if (!s.runningTotal) return values;
  const sums = new Float64Array(values.length);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i]!)) total += values[i]!;
    sums[i] = total;
  }
  return sums;
}

export function sumTo(cum: Cumulative, key: string, index: number): number {
  return cum[key]?.[index] ?? 0;
}

export interface ChartSize { width: number; height: number }

/**
 * The clock under the timeline: "12.5 s / 60 s", or "4.25 h / 24 h · Mon 22:15"
 * for a run with a wall clock; 'words' is the slider's spoken value.
 */
export function clockText(sim: AnySimulation, tSec: number, endSec: number, form: 'short' | 'words'): string {
  const clock = clockOf(sim);
  const units = tSec / clock.unitSec;
  // Two decimals keep quarter hours exact; seconds show tenths until they grow large.
  const shown = clock.unitSec === 1 ? (units >= 100 ? Math.round(units) : Math.round(units * 10) / 10) : Math.round(units * 100) / 100;
  const end = endSec / clock.unitSec;
  const wall = clock.wallClock ? ` · ${clock.wallClock(tSec)}` : '';
  return form === 'short' ? `${shown} ${clock.unit} / ${end} ${clock.unit}${wall}` : `${shown} of ${end} ${clock.words}${wall.replace(' · ', ', ')}`;
}

/** `staticFrame`: the page as built, drawn once (see renderTimeChart). */
export function renderChart(sim: AnySimulation, spec: ChartSpec, trace: Trace, tSec: number, size: ChartSize, staticFrame = false): string {
  const series = spec.series.map((s) => ({ label: s.label, values: chartValues(trace, s) }));
  const limits = (spec.limits ?? [])
    .map((l) => ({ value: trace.summary[l.summaryKey] ?? NaN, label: l.label }))
    .filter((l) => Number.isFinite(l.value));
  const { unitSec, unit } = clockOf(sim);
  const bands = (spec.bands ?? []).map((b) => ({ label: b.label, values: trace.series[b.key] ?? new Float64Array(0) }));
  return renderTimeChart(series, {
    ...size,
    timeUnit: unit,
    ...(bands.length > 0 ? { bands } : {}),
    id: `chart-${sim.id}-${spec.id}`,
    title: spec.title,
    description: spec.describe,
    unit: spec.unit,
    sampleSec: trace.sampleMs / 1000 / unitSec,
    durationSec: trace.durationMs / 1000 / unitSec,
    cursorSec: tSec / unitSec,
    ...(limits.length > 0 ? { limits } : {}),
    ...(spec.yMax !== undefined ? { yMax: spec.yMax } : {}),
    staticFrame,
  });
}

export function renderLegend(spec: ChartSpec): string {
  return spec.series
    .map((s, i) => {
      // The same style table the chart lines use, so a legend can never disagree with its chart.
      const style = SERIES_STYLES[i % SERIES_STYLES.length]!;
      const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : '';
      return `<li class="legend-item"><svg width="26" height="10" aria-hidden="true"><line x1="1" x2="25" y1="5" y2="5" stroke="${style.color}"${dash}/></svg>${esc(s.label)}</li>`;
    })
    .concat((spec.bands ?? []).map((b) => `<li class="legend-item"><svg width="26" height="10" aria-hidden="true"><rect class="band" x="1" y="0" width="24" height="10"/></svg>${esc(b.label)}</li>`))
    .join('');
}

/** The data behind a chart, as a table: every tenth of the run, plus the cursor's sample. */
export function renderChartTable(sim: AnySimulation, spec: ChartSpec, trace: Trace, tSec: number): string {
  const { unitSec, unit } = clockOf(sim);
  const n = Object.values(trace.series)[0]?.length ?? 0;
  const step = Math.max(1, Math.round(n / 10));
  const rows = new Set<number>();
  for (let i = 0; i < n; i += step) rows.add(i);
  rows.add(n - 1);
  rows.add(sampleIndex(trace, tSec));
  const bands = spec.bands ?? [];
  const columns = spec.series.map((s) => chartValues(trace, s));
  const head =
    `<tr><th scope="col">time (${esc(unit)})</th>${spec.series.map((s) => `<th scope="col">${esc(s.label)} (${esc(spec.unit)})</th>`).join('')}` +
    `${bands.map((b) => `<th scope="col">${esc(b.label)}</th>`).join('')}</tr>`;
  const body = [...rows]
    .sort((a, b) => a - b)
    .map((i) => {
      const t = ((i + 1) * trace.sampleMs) / 1000 / unitSec;
      const cells = columns.map((values) => `<td>${esc(fmt(values[i] ?? NaN, spec.unit === '%' ? 1 : 0))}</td>`).join('');
      const bandCells = bands.map((b) => `<td>${(trace.series[b.key]?.[i] ?? 0) > 0 ? 'yes' : 'no'}</td>`).join('');
      return `<tr${i === sampleIndex(trace, tSec) ? ' class="at-cursor"' : ''}><th scope="row">${esc(fmt(t, unitSec === 1 ? 0 : 2))}</th>${cells}${bandCells}</tr>`;
    })
    .join('');
  return `<table class="data"><caption>${esc(spec.title)}, sampled</caption><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

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

export function renderCounters(sim: AnySimulation, cum: Cumulative, index: number): string {
  const rows = sim.view.counters
    .map((c) => `<tr><th scope="row"><code>${esc(c.label)}</code></th><td>${esc(fmt(sumTo(cum, c.series, index)))}</td></tr>`)
    .join('');
  const note = sim.view.countersNote ? `<p class="counters-note">${esc(sim.view.countersNote).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>` : '';
  return `<table class="counters"><caption>${esc(sim.view.countersTitle)}</caption><tbody>${rows}</tbody></table>${note}`;
}

/** Says how much of the log was thinned, or nothing when it was all kept. */
export function logNote(sim: AnySimulation, trace: Trace): string {
  if (trace.logSuppressed === 0) return '';
  const n = groupDigits(trace.logSuppressed);
  return `Repeated lines are thinned, a few of each kind per ${sim.view.logWindow ?? 'second'}, as real logs rate-limit: ${n} not shown over the run.`;
}

/** Index of the first log line after time t (binary search: the log is in time order). */
export function logIndexAfter(trace: Trace, tSec: number): number {
  const tMs = tSec * 1000;
  let lo = 0;
  let hi = trace.log.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (trace.log[mid]!.tMs <= tMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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

export function renderDiagram(sim: AnySimulation, trace: Trace, index: number, vertical: boolean): string {
  const info = machineInfo(sim);
  if (!info) return '';
  return renderStateDiagram(info, {
    id: `diagram-${sim.id}`,
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

/** The most lines the response picker offers: the latest ones up to the cursor. */
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
