/** The runs a reader can ask for, built from the one parameter validation the URL codec uses. */
import { normalizeParam, scenarioState, type AnySimulation } from '../../sim/core/index.ts';
import type { RunRequest } from './session.ts';

export function scenarioRequest(sim: AnySimulation, id: string): RunRequest {
  const { scenario, seed, params } = scenarioState(sim, id);
  return { scenario, seed, params };
}

/** `request` with some parameters changed, each clamped or ignored as a link's would be; `notes` says which. */
export function withParams(sim: AnySimulation, request: RunRequest, partial: Record<string, string | number>): { request: RunRequest; notes: string[] } {
  const notes: string[] = [];
  const params = { ...request.params };
  for (const [key, raw] of Object.entries(partial)) {
    if (!Object.hasOwn(sim.params, key)) {
      notes.push(`unknown parameter ${JSON.stringify(key.slice(0, 32))}`);
      continue;
    }
    const result = normalizeParam(key, sim.params[key]!, raw, params[key]!);
    params[key] = result.value;
    if (result.problem) notes.push(result.problem);
  }
  return { request: { ...request, params }, notes };
}

/** A parameter's value in words: a choice by its label, a number with its unit. */
export function valueWords(sim: AnySimulation, key: string, value: string | number): string {
  const spec = sim.params[key];
  if (spec?.kind === 'choice') return spec.options.find((o) => String(o.value) === String(value))?.label ?? String(value);
  return `${value}${spec?.kind === 'number' && spec.unit ? ` ${spec.unit}` : ''}`;
}

/** The parameters whose values differ between two runs, in the order the run lists them. */
function differences(base: RunRequest, request: RunRequest): string[] {
  return Object.keys(request.params).filter((key) => String(request.params[key]) !== String(base.params[key]));
}

/**
 * What a run asked for differs in from where a figure starts, in words ("SYN backlog 1024 (was
 * 128)"): against the figure's own start while it shows its own scenario, else against the
 * scenario's values. Empty when nothing differs.
 */
export function changesFrom(sim: AnySimulation, start: RunRequest, request: RunRequest): string[] {
  const base = request.scenario === start.scenario ? start : scenarioRequest(sim, request.scenario);
  const changes = differences(base, request).map(
    (key) => `${sim.params[key]?.label ?? key} ${valueWords(sim, key, request.params[key]!)} (was ${valueWords(sim, key, base.params[key]!)})`,
  );
  if (request.seed !== base.seed) changes.push(`seed ${request.seed} (was ${base.seed})`);
  return changes;
}

/**
 * A figure's title: its scenario's, and what the figure itself sets differently ("The 13-hour
 * outage with no backup MX, here with Backup MX: plain relay"), so the title never names a state the
 * picture under it contradicts.
 */
export function figureTitle(sim: AnySimulation, scenarioTitle: string, start: RunRequest): string {
  const own = differences(scenarioRequest(sim, start.scenario), start).map((key) => `${sim.params[key]?.label ?? key}: ${valueWords(sim, key, start.params[key]!)}`);
  return own.length > 0 ? `${scenarioTitle}, here with ${own.join('; ')}` : scenarioTitle;
}
