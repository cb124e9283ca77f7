/**
 * Each exercise names its levers: the parameters whose change really fixes (or,
 * in a "break it" exercise, really breaks) the system. Moving any other
 * parameter alone, to either end of its range or to any of its options, must
 * not pass the checks: otherwise a reader could pass by changing the scenario
 * (a shorter run, no flood, a timeout that fails fast) instead of the system.
 */
import { describe, expect, test } from 'vitest';
import type { AnySimulation, ParamSpec, ParamValue, ParamValues } from '../../sim/core/index.ts';
import { simulations } from '../../sim/index.ts';
import { evaluate } from '../../site/labs/checks.ts';
import { labs, resolveState, type Exercise } from './lab-data.ts';

/** The values a parameter is moved to: both ends of a range, every option; a text to its default and to nothing. */
function extremes(spec: ParamSpec): ParamValue[] {
  if (spec.kind === 'number') return [spec.min, spec.max];
  if (spec.kind === 'choice') return spec.options.map((o) => o.value);
  return [spec.default, ''];
}

// Several exercises share a start state, and a move can land on another
// exercise's state: each distinct run is computed once.
const summaries = new Map<string, Record<string, number>>();
function summaryOf(sim: AnySimulation, params: ParamValues, seed: number): Record<string, number> {
  const key = `${sim.id}|${seed}|${JSON.stringify(params)}`;
  let summary = summaries.get(key);
  if (!summary) {
    summary = sim.run(params, seed).summary as Record<string, number>;
    summaries.set(key, summary);
  }
  return summary;
}

/** Every single move of a non-lever parameter from the start that passes the checks, as "key=value". */
function passingMoves(sim: AnySimulation, exercise: Exercise): string[] {
  const start = resolveState(sim, exercise.start);
  const found: string[] = [];
  for (const [key, spec] of Object.entries(sim.params as Record<string, ParamSpec>)) {
    if (exercise.levers.includes(key)) continue;
    for (const value of extremes(spec)) {
      if (value === start.params[key]) continue;
      const params = { ...start.params, [key]: value };
      if (evaluate(sim, exercise.checks, params, summaryOf(sim, params, start.seed)).pass) found.push(`${key}=${JSON.stringify(value)}`);
    }
  }
  return found;
}

describe.each(labs)('the %s lab', (_id, lab) => {
  const sim = simulations[lab.sim]!;
  const exercises = lab.exercises.map((e) => [e.id, e] as const);

  test.each(exercises)('%s: its levers are real parameters, and the worked answer changes only levers', (_e, exercise) => {
    expect(exercise.levers.length).toBeGreaterThan(0);
    expect(new Set(exercise.levers).size).toBe(exercise.levers.length);
    for (const lever of exercise.levers) expect(Object.keys(sim.params)).toContain(lever);
    const start = resolveState(sim, exercise.start);
    const answer = resolveState(sim, exercise.answer);
    expect(answer.seed).toBe(start.seed);
    const changed = Object.keys(sim.params).filter((k) => answer.params[k] !== start.params[k]);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.filter((k) => !exercise.levers.includes(k))).toEqual([]);
  });

  test.each(exercises)('%s: no parameter but a lever, moved alone to an end of its range or to any option, passes', (id, exercise) => {
    expect(passingMoves(sim, exercise).map((move) => `${lab.sim}/${id}: ${move}`).join('\n')).toBe('');
  });
});
