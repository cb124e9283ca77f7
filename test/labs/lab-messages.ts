/**
 * Every lab check as a participant reads it: its goal, and the message it gives on real runs (the
 * exercise's start, its known failing setting and its worked answer), whether or not the check
 * missed there, so every check's message is rendered from numbers the model really produces.
 */
import { simulations } from '../../sim/index.ts';
import { describeCheck, missMessage, type Check } from '../../site/labs/checks.ts';
import { figureWords } from '../../site/labs/figure-words.ts';
import { labs, resolveState, type State } from './lab-data.ts';

export interface RenderedCheck {
  where: string;
  check: Check;
  goal: string;
  /** The check's value and each run's value, worded. */
  values: string[];
  messages: string[];
}

export function renderedChecks(): RenderedCheck[] {
  const out: RenderedCheck[] = [];
  for (const [labId, lab] of labs) {
    const sim = simulations[lab.sim]!;
    for (const exercise of lab.exercises) {
      const runs = [exercise.start, exercise.failing, exercise.answer].map((state: State) => {
        const { params, seed } = resolveState(sim, state);
        return { params, summary: sim.run(params, seed).summary };
      });
      for (const check of exercise.checks) {
        const actuals = runs.map((r) => (check.of === 'param' ? r.params[check.key] : r.summary[check.key]));
        out.push({
          where: `${labId}/${exercise.id} ${check.key}`,
          check,
          goal: describeCheck(sim, check),
          values: [check.value, ...actuals].map((v) => figureWords(sim, check, v)),
          messages: actuals.map((v) => missMessage(sim, check, v)),
        });
      }
    }
  }
  return out;
}
