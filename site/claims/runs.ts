/**
 * The runs behind an article's numbers. A state is named exactly as a <SimLink> names it
 * (simulation, scenario, parameter overrides) and validated the same way: an unknown
 * scenario or a bad parameter throws. Runs are cached by (sim, scenario, seed, params), so
 * every number about one state comes from one run.
 */
import { findScenario, normalizeParams, scenarioState, type AnySimulation, type ParamValues, type Trace } from '../../sim/core/index.ts';

export interface StateRef {
  sim: string;
  scenario: string;
  set?: Record<string, string | number>;
}

export type SimLookup = (id: string) => AnySimulation | undefined;

const runs = new Map<string, Trace>();

export function resolveState(lookup: SimLookup, ref: StateRef): { sim: AnySimulation; seed: number; params: ParamValues } {
  const sim = lookup(ref.sim);
  if (!sim) throw new Error(`unknown simulation ${ref.sim}`);
  if (!findScenario(sim, ref.scenario)) {
    throw new Error(`${ref.sim} has no scenario ${ref.scenario}; valid: ${sim.scenarios.map((s) => s.id).join(', ')}`);
  }
  const base = scenarioState(sim, ref.scenario);
  const { params, problems } = normalizeParams(sim.params, ref.set ?? {}, base.params);
  if (problems.length > 0) throw new Error(`${ref.scenario}: ${problems.join('; ')}`);
  return { sim, seed: base.seed, params };
}

export function runKey(simId: string, scenario: string, seed: number, params: ParamValues): string {
  const sorted = Object.keys(params).sort().map((k) => [k, params[k]]);
  return `${simId}|${scenario}|${seed}|${JSON.stringify(sorted)}`;
}

/** The trace of a state, run at most once per build (or test process). */
export function traceOf(lookup: SimLookup, ref: StateRef): Trace {
  const { sim, seed, params } = resolveState(lookup, ref);
  const key = runKey(sim.id, ref.scenario, seed, params);
  let trace = runs.get(key);
  if (!trace) {
    trace = sim.run(params, seed);
    runs.set(key, trace);
  }
  return trace;
}

/** How many distinct runs the cache holds (the tests check that equal states share one). */
export function cachedRunCount(): number {
  return runs.size;
}
