/**
 * The one URL codec (DESIGN.md, "State lives in the URL"):
 * `?scenario=<id>&seed=<n>&<param>=<value>&t=<seconds>`.
 *
 * Decoding never throws. A renamed parameter's former key (formerParamKeys)
 * reads as its new one, an unknown key is ignored, a bad value falls back to
 * the scenario's, an out-of-range value is clamped, and `notes` says, in words
 * for the page, everything that was not taken as written.
 *
 * The codec never runs the model: `t` stays a plain number (null when absent,
 * meaning the end of the run) until a trace exists, and whoever holds the trace
 * clamps it once (clampTime in cursor.ts).
 */
import { MAX_SEED, parseSeed } from './cursor.ts';
import { normalizeParam, normalizeParams, defaultParams, type ParamValue, type ParamValues } from './params.ts';
import type { Scenario, Simulation } from './simulation.ts';

export interface SimState<P extends ParamValues = ParamValues> {
  scenario: string;
  seed: number;
  params: P;
  /** The cursor in seconds as asked, not yet held to a run; null is the end of the run. */
  tSec: number | null;
}

export const RESERVED_KEYS = ['scenario', 'seed', 't'] as const;

export function findScenario<P extends ParamValues>(sim: Simulation<P>, id: string): Scenario<P> | undefined {
  return sim.scenarios.find((s) => s.id === id);
}

/**
 * The state a scenario opens in: its parameters over the defaults, its seed, and the cursor at the
 * end of the run, so the first view shows the whole story (the same frame the page renders without
 * JavaScript). A link asks for an earlier moment with `t`.
 */
export function scenarioState<P extends ParamValues>(sim: Simulation<P>, id: string): SimState<P> {
  const scenario = findScenario(sim, id) ?? sim.scenarios[0]!;
  const { params } = normalizeParams(sim.params, scenario.params, defaultParams(sim.params));
  return { scenario: scenario.id, seed: scenario.seed, params, tSec: null };
}

/**
 * `viewKeys` are keys the page reads for itself (how an embed is shown, say): they are not the
 * simulation's, so they are neither decoded nor reported as unknown.
 */
export function decodeState<P extends ParamValues>(
  sim: Simulation<P>,
  query: string | URLSearchParams,
  viewKeys: readonly string[] = [],
): { state: SimState<P>; notes: string[] } {
  const notes: string[] = [];
  let search: URLSearchParams;
  try {
    search = typeof query === 'string' ? new URLSearchParams(query) : query;
  } catch {
    search = new URLSearchParams();
    notes.push('the link could not be read; showing the first scenario');
  }

  const scenarioId = search.get('scenario');
  if (scenarioId !== null && !findScenario(sim, scenarioId)) {
    notes.push(`unknown scenario ${JSON.stringify(clip(scenarioId))}; showing ${sim.scenarios[0]!.id}`);
  }
  const state = scenarioState(sim, scenarioId ?? sim.scenarios[0]!.id);

  const seedText = search.get('seed');
  if (seedText !== null) {
    const seed = parseSeed(seedText);
    if (seed !== null) state.seed = seed;
    else notes.push(`seed=${JSON.stringify(clip(seedText))} is not a whole number from 0 to ${MAX_SEED}; using ${state.seed}`);
  }

  const ignored: string[] = [];
  const seen = new Set<string>();
  for (const [asWritten, value] of search) {
    const former = sim.formerParamKeys;
    // hasOwn, so that ?constructor=1 stays an unknown key and not Object's own property.
    const key = former && Object.hasOwn(former, asWritten) ? former[asWritten]! : asWritten;
    if (seen.has(key)) continue;
    seen.add(key);
    if ((RESERVED_KEYS as readonly string[]).includes(key) || viewKeys.includes(key)) continue;
    if (!Object.hasOwn(sim.params, key)) {
      ignored.push(clip(key));
      continue;
    }
    const k = key as keyof P & string;
    const result = normalizeParam(key, sim.params[k], value, state.params[k] as ParamValue);
    (state.params as ParamValues)[key] = result.value;
    if (result.problem) notes.push(result.problem);
  }
  if (ignored.length > 0) notes.push(`ignored unknown ${ignored.length === 1 ? 'key' : 'keys'} ${ignored.slice(0, 5).join(', ')}`);

  const tText = search.get('t');
  if (tText !== null) {
    const t = /^\s*-?(\d+\.?\d*|\.\d+)\s*$/.test(tText) ? Number(tText) : NaN;
    if (Number.isFinite(t)) state.tSec = t;
    else notes.push(`t=${JSON.stringify(clip(tText))} is not a time in seconds; showing the end of the run`);
  }
  return { state, notes };
}

/** The shortest query string that decodes back to `state`: only what differs from its scenario, and t unless it is the end (null). */
export function encodeState<P extends ParamValues>(sim: Simulation<P>, state: SimState<P>): string {
  const base = scenarioState(sim, state.scenario);
  const out = new URLSearchParams();
  out.set('scenario', base.scenario);
  if (state.seed !== base.seed) out.set('seed', String(state.seed));
  for (const key of Object.keys(sim.params)) {
    const value = state.params[key as keyof P];
    if (value !== base.params[key as keyof P]) out.set(key, String(value));
  }
  if (state.tSec !== null) out.set('t', String(Math.round(state.tSec * 1000) / 1000));
  return out.toString();
}

function clip(text: string): string {
  return text.length > 32 ? `${text.slice(0, 32)}…` : text;
}

