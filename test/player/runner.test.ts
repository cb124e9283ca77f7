/**
 * Runs are shared across a page: two players (two figures, or a figure and the workbench) asking
 * for the same state get one trace, computed once; a different state is computed anew.
 */
import { expect, test } from 'vitest';
import { scenarioState, type AnySimulation } from '../../sim/core/index.ts';
import { synQueue } from '../../sim/syn-queue/index.ts';
import { RECENT_RUNS, SimRunner } from '../../site/player/runner.ts';

function counted(): { sim: AnySimulation; runs: () => number } {
  let runs = 0;
  const sim = { ...synQueue, run: (params: never, seed: number) => (runs++, synQueue.run(params, seed)) } as unknown as AnySimulation;
  return { sim, runs: () => runs };
}

const request = (id: string, seed?: number) => {
  const s = scenarioState(synQueue, id);
  return { scenario: s.scenario, seed: seed ?? s.seed, params: s.params };
};

test('two players asking for the same state get the same trace, computed once; another state is computed', async () => {
  const { sim, runs } = counted();
  const a = await new SimRunner(sim).run(request('busy-hour', 901));
  const b = await new SimRunner(sim).run({ ...request('busy-hour', 901), params: { ...request('busy-hour').params } });
  expect(b!.trace).toBe(a!.trace);
  expect(runs()).toBe(1);
  const c = await new SimRunner(sim).run(request('busy-hour', 902));
  expect(c!.trace).not.toBe(a!.trace);
  expect(c!.trace.seed).toBe(902);
  expect(runs()).toBe(2);
});

test(`the page keeps only the ${RECENT_RUNS} most recent runs`, async () => {
  const { sim, runs } = counted();
  const runner = new SimRunner(sim);
  for (let i = 0; i <= RECENT_RUNS; i++) await runner.run(request('busy-hour', 5000 + i));
  expect(runs()).toBe(RECENT_RUNS + 1);
  await runner.run(request('busy-hour', 5000 + RECENT_RUNS));
  expect(runs()).toBe(RECENT_RUNS + 1);
  await runner.run(request('busy-hour', 5000));
  expect(runs()).toBe(RECENT_RUNS + 2);
});
