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
