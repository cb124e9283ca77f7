/**
 * Every lesson's trace hashes over a grid of runs, one line each ("sim scenario variant hash"): each
 * scenario at its own seed and three others, and with each number parameter at its minimum and its
 * maximum and each other choice of each choice parameter. A change meant to leave every trace as it
 * was (a faster model, a cohort) is checked by comparing the lines before and after:
 *   node scripts/trace-hashes.ts > before.txt   (then, after the change)   node scripts/trace-hashes.ts | diff before.txt -
 * Simulation ids as arguments limit it to those lessons (every lesson takes about 25 s).
 */
import { scenarioState, type ParamValues } from '../sim/core/index.ts';
import { simulations } from '../sim/index.ts';

const only = process.argv.slice(2);
const unknown = only.filter((id) => !Object.hasOwn(simulations, id));
if (unknown.length > 0) {
  console.error(`trace-hashes: unknown simulation ${unknown.join(', ')}; valid: ${Object.keys(simulations).join(', ')}`);
  process.exit(2);
}

for (const [id, sim] of Object.entries(simulations)) {
  if (only.length > 0 && !only.includes(id)) continue;
  for (const scenario of sim.scenarios) {
    const base = scenarioState(sim, scenario.id);
    const seeds = [...new Set([base.seed, 1, 7, 12345])];
    const variants: [string, ParamValues, number][] = seeds.map((seed) => [`seed=${seed}`, base.params, seed]);
    for (const [key, spec] of Object.entries(sim.params)) {
      const values = spec.kind === 'number' ? [spec.min, spec.max] : spec.kind === 'choice' ? spec.options.map((o) => o.value).filter((v) => v !== base.params[key]) : [];
      for (const value of values) variants.push([`${key}=${value}`, { ...base.params, [key]: value }, base.seed]);
    }
    for (const [name, params, seed] of variants) console.log(`${id} ${scenario.id} ${name} ${sim.run(params, seed).hash}`);
  }
}
