/**
 * A lab exercise's worked answer as a facilitator reads it on the guide: the scenario it runs,
 * each setting it names or changes from the exercise's start under the label and unit the
 * player shows, and the levers named the same way. Pure, so the guide page and the tests share it.
 */
import { findScenario, normalizeParams, scenarioState, type AnySimulation, type ParamValues } from '../../sim/core/index.ts';
import { valueWords } from '../player/requests.ts';

/** A state as a lab names it: a scenario and the parameters set on top of it. */
export interface LabState {
  scenario: string;
  set?: Record<string, string | number> | undefined;
}

export interface AnswerSetting {
  key: string;
  /** The parameter's label in the player ("listen() backlog"). */
  label: string;
  /** Its value in words: a choice by its option's label, a number with its unit. */
  value: string;
  /** Its value at the exercise's start, in words; null when the answer keeps it. */
  was: string | null;
  /** Free text (a command line), which reads best set in code type. */
  text: boolean;
}

export interface AnswerSheet {
  scenarioTitle: string;
  /** True when the answer runs another scenario than the start does. */
  scenarioChanged: boolean;
  settings: AnswerSetting[];
}

function paramsOf(sim: AnySimulation, state: LabState): ParamValues {
  if (!findScenario(sim, state.scenario)) throw new Error(`${sim.id} has no scenario ${state.scenario}`);
  const { params, problems } = normalizeParams(sim.params, state.set ?? {}, scenarioState(sim, state.scenario).params);
  if (problems.length > 0) throw new Error(`${sim.id}/${state.scenario}: ${problems.join('; ')}`);
  return params;
}

/**
 * The answer's settings: every parameter it sets, and any it leaves where the start had moved it
 * (an answer that drops a change the start made changes that parameter too), in the order the
 * simulation lists its parameters.
 */
export function answerSheet(sim: AnySimulation, start: LabState, answer: LabState): AnswerSheet {
  const from = paramsOf(sim, start);
  const to = paramsOf(sim, answer);
  const named = new Set(Object.keys(answer.set ?? {}));
  const settings = Object.keys(sim.params)
    .filter((key) => named.has(key) || String(to[key]) !== String(from[key]))
    .map((key) => ({
      key,
      label: sim.params[key]!.label,
      value: valueWords(sim, key, to[key]!),
      was: String(to[key]) === String(from[key]) ? null : valueWords(sim, key, from[key]!),
      text: sim.params[key]!.kind === 'text',
    }));
  return { scenarioTitle: findScenario(sim, answer.scenario)!.title, scenarioChanged: answer.scenario !== start.scenario, settings };
}

/** The levers by the labels the player gives them. */
export function leverLabels(sim: AnySimulation, levers: readonly string[]): string[] {
  return levers.map((key) => {
    const spec = sim.params[key];
    if (!spec) throw new Error(`${key} is not a parameter of ${sim.id}`);
    return spec.label;
  });
}
