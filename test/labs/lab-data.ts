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

/**
 * The sentences of a lab's facilitator's notes that are plain list items (no component, no link),
 * as a reader sees them: emphasis and code marks dropped, quotes straightened. What the tests look
 * for on the guide, and must not find on the students' page.
 */
export function facilitatorSentences(id: string): string[] {
  const text = readFileSync(`content/labs/${id}.mdx`, 'utf8');
  const notes = /<Facilitator>([\s\S]*?)<\/Facilitator>/.exec(text)?.[1] ?? '';
  return notes
    .split('\n')
    .filter((line) => /^(- |\d+\. )/.test(line) && !/<|\]\(/.test(line))
    .map((line) => plainText(line.replace(/^(- |\d+\. )/, '').replace(/[*`]/g, '')))
    .filter((line) => line.length >= 30);
}

/** Text as the tests compare it: typographic quotes straightened, white space collapsed. */
export function plainText(text: string): string {
  return text.replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim();
}
