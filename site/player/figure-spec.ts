/**
 * An inline figure as an article names it: the state it starts from (a scenario, parameter
 * overrides, a moment), the panels it shows and the few parameters the paragraph is about. Read
 * and checked at build time, so a misspelt panel, chart or parameter fails the build with the
 * figure's id, instead of drawing something else.
 *
 *   <Figure id="queue-fills" scenario="fastmail-2002" t={40} show="picture chart:queue" controls="tcp_max_syn_backlog">
 */
import { encodeState, normalizeParams, scenarioState, findScenario, type AnySimulation, type SimState } from '../../sim/core/index.ts';
import type { PanelKindName } from '../panels/registry.ts';
import { readShow } from './show-tokens.ts';

export interface FigureProps {
  id: string;
  scenario: string;
  set?: Record<string, string | number>;
  /** The moment shown first, in seconds; the end of the run when absent. */
  t?: number;
  /** Panels, separated by spaces or commas (show-tokens.ts): picture, diagram, log, outcomes, counters, inspector, terminal, `charts` (all) or `chart:<id>`. */
  show: string;
  /** Space-separated parameter keys whose controls the figure carries. */
  controls?: string;
}

export interface FigureSpec {
  id: string;
  state: SimState;
  /** The state as the one URL codec writes it: what the element starts from and what "open in the workbench" carries. */
  query: string;
  kinds: ReadonlySet<PanelKindName>;
  charts: readonly string[];
  controls: readonly string[];
}

/** A figure's id becomes part of element ids and a URL fragment. */
const ID = /^[a-z][a-z0-9-]{0,40}$/;

export function figureSpec(sim: AnySimulation, props: FigureProps): FigureSpec {
  const where = `Figure ${JSON.stringify(props.id)} (${sim.id})`;
  const fail = (problem: string): never => {
    throw new Error(`${where}: ${problem}`);
  };
  if (!ID.test(props.id)) fail('the id must be lower-case letters, digits and dashes, starting with a letter');
  if (!findScenario(sim, props.scenario)) fail(`no scenario ${props.scenario}; valid: ${sim.scenarios.map((s) => s.id).join(', ')}`);
  const base = scenarioState(sim, props.scenario);
  const { params, problems } = normalizeParams(sim.params, props.set ?? {}, base.params);
  if (problems.length > 0) fail(problems.join('; '));
  const durationSec = sim.durationSec(params);
  if (props.t !== undefined && !(props.t >= 0 && props.t <= durationSec)) fail(`t=${props.t} is outside 0..${durationSec}`);

  const shown = readShow(sim, props.show);
  if ('problem' in shown) return fail(shown.problem);
  const { kinds, charts } = shown;

  const terminalKeys = new Set(sim.paramGroups.filter((g) => g.placement === 'terminal').flatMap((g) => g.keys));
  const controls = (props.controls ?? '').split(/\s+/).filter(Boolean);
  for (const key of controls) {
    if (!(key in sim.params)) fail(`no parameter ${key}`);
    if (terminalKeys.has(key)) fail(`${key} is typed in the terminal: show "terminal" instead`);
  }
  if (new Set(controls).size !== controls.length) fail('a control is named twice');

  const state: SimState = { scenario: props.scenario, seed: base.seed, params, tSec: props.t ?? null };
  return { id: props.id, state, query: encodeState(sim, state), kinds, charts, controls };
}
