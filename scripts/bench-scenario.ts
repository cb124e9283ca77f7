/**
 * One scenario's run times, for the benchmark (bench.ts starts this once per scenario):
 *   node scripts/bench-scenario.ts <sim-id> <scenario> <runs>
 * prints one line of JSON: the run's events and each timed run's milliseconds, after a warm-up.
 *
 * A process of its own per scenario, loading only its lesson: timed one after another in one
 * process, a small scenario took three times as long as alone (backup-mx/primary-up 24.5 ms
 * against 7-8, token-bucket/runaway 21.6 against 7-8), paying for the heavier ones before it (their
 * garbage, collected during its runs; the core's event loop and ledger, compiled for every lesson's
 * handlers). A page's worker runs the lesson it shows, which is what this measures. It costs a
 * process start and a warm-up per scenario, some 0.8 s each.
 */
import { scenarioState } from '../sim/core/index.ts';
import { simulationLoaders } from '../sim/loaders.ts';

const [simId, scenarioId, runsArg] = process.argv.slice(2);
const load = simulationLoaders[simId ?? ''];
if (load === undefined || scenarioId === undefined) {
  console.error('usage: node scripts/bench-scenario.ts <sim-id> <scenario> <runs>');
  process.exit(2);
}
const sim = await load();
const state = scenarioState(sim, scenarioId);
const runs = Number(runsArg ?? 30);

// A warm-up of ten runs and at least 500 ms (at most 300 runs): in a fresh process a scenario is
// otherwise timed partly before the engine has optimised it (after a warm-up of 100 ms, backup-mx's
// primary-up took 20-27 ms for its first timed runs and 6-7 ms once optimised).
const warmUntil = performance.now() + 500;
for (let i = 0; i < 300 && (i < 10 || performance.now() < warmUntil); i++) sim.run(state.params, state.seed);
const times: number[] = [];
let events = 0;
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  events = sim.run(state.params, state.seed).events;
  times.push(performance.now() - start);
}
console.log(JSON.stringify({ events, times }));
