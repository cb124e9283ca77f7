/**
 * Every lab against its simulation: the exercise data is valid, the start is
 * not already solved, the worked answer passes, and the known failing setting
 * fails for the right reason.
 */
import { describe, expect, test } from 'vitest';
import { simulations } from '../../sim/index.ts';
import { evaluate } from '../../site/labs/checks.ts';
import { labs, resolveState, type State } from './lab-data.ts';

test('every lesson has a lab, named after its simulation', () => {
  expect(labs.map(([id]) => id).sort()).toEqual(Object.keys(simulations).sort());
  for (const [id, lab] of labs) expect(lab.sim).toBe(id);
});

describe.each(labs)('the %s lab', (_id, lab) => {
  const sim = simulations[lab.sim]!;
  const run = (state: State) => {
    const { params, seed, problems } = resolveState(sim, state);
    expect(problems).toEqual([]);
    return { params, summary: sim.run(params, seed).summary };
  };

  test('has three to five exercises with unique ids', () => {
    expect(lab.exercises.length).toBeGreaterThanOrEqual(3);
    expect(lab.exercises.length).toBeLessThanOrEqual(5);
    expect(new Set(lab.exercises.map((e) => e.id)).size).toBe(lab.exercises.length);
  });

  test.each(lab.exercises.map((e) => [e.id, e] as const))('%s: checks name real figures; the start fails, the answer passes, the failing setting fails for a named reason', (_e, exercise) => {
    const answer = run(exercise.answer);
    for (const check of exercise.checks) {
      if (check.of === 'param') expect(Object.keys(sim.params)).toContain(check.key);
      else expect(Object.keys(answer.summary)).toContain(check.key);
    }
    // Every exercise starts unsolved: "Start here" alone must not pass.
    const start = run(exercise.start);
    expect(evaluate(sim, exercise.checks, start.params, start.summary).pass).toBe(false);

    const passed = evaluate(sim, exercise.checks, answer.params, answer.summary);
    expect(passed.results.filter((r) => !r.ok).map((r) => r.message)).toEqual([]);
    expect(passed.pass).toBe(true);

    const failing = run(exercise.failing);
    const failed = evaluate(sim, exercise.checks, failing.params, failing.summary);
    expect(failed.pass).toBe(false);
    for (const r of failed.results.filter((x) => !x.ok)) {
      expect(r.message).toContain(r.check.label);
      expect(r.message).toMatch(/the goal is/);
    }
  });
});
