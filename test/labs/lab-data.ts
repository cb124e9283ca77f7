/**
 * The labs' front matter as the tests read it, and how to run one of their
 * states (a scenario plus the parameters it sets) on the lesson's simulation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { normalizeParams, scenarioState, type AnySimulation, type ParamValues } from '../../sim/core/index.ts';
import type { Check } from '../../site/labs/checks.ts';

export type State = { scenario: string; set?: Record<string, number | string> };
export type Exercise = {
  id: string;
  title: string;
  start: State;
  checks: Check[];
  levers: string[];
  answer: State;
  failing: State;
  explain?: string;
};
export type Lab = { sim: string; exercises: Exercise[] };

export const labs = readdirSync('content/labs')
  .filter((f) => f.endsWith('.mdx'))
  .map((f) => {
    const text = readFileSync(`content/labs/${f}`, 'utf8');
    const front = /^---\n([\s\S]*?)\n---/.exec(text)![1]!;
    return [f.replace(/\.mdx$/, ''), parse(front) as Lab] as const;
  });

/** A state's full parameters and seed; `problems` lists anything clamped or unknown. */
export function resolveState(sim: AnySimulation, state: State): { params: ParamValues; seed: number; problems: string[] } {
  const base = scenarioState(sim, state.scenario);
  const { params, problems } = normalizeParams(sim.params, state.set ?? {}, base.params);
  return { params, seed: base.seed, problems };
}
