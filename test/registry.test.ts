import { describe, expect, test } from 'vitest';
import { normalizeParams, defaultParams } from '../sim/core/params.ts';
import { simulations } from '../sim/index.ts';
import { simulationLoaders } from '../sim/loaders.ts';

describe('the simulation registry', () => {
  test('the browser loaders list exactly the registered simulations, and load them', async () => {
    expect(Object.keys(simulationLoaders).sort()).toEqual(Object.keys(simulations).sort());
    for (const [id, load] of Object.entries(simulationLoaders)) expect((await load()).id).toBe(id);
  });

  describe.each(Object.values(simulations).map((s) => [s.id, s] as const))('%s', (_id, sim) => {
    test('every scenario is valid as written (no clamping, no unknown keys) and ids are unique', () => {
      for (const scenario of sim.scenarios) {
        expect(normalizeParams(sim.params, scenario.params).problems).toEqual([]);
      }
      expect(new Set(sim.scenarios.map((s) => s.id)).size).toBe(sim.scenarios.length);
    });

    test('every parameter appears in exactly one slider group', () => {
      const grouped = sim.paramGroups.flatMap((g) => g.keys);
      expect([...grouped].sort()).toEqual(Object.keys(sim.params).sort());
    });

    test('every default lies on its grid inside its range', () => {
      const defaults = defaultParams(sim.params);
      expect(normalizeParams(sim.params, defaults).problems).toEqual([]);
    });

    test('every chart, outcome, counter and diagram state names a series the model produces', () => {
      const trace = sim.run(normalizeParams(sim.params, sim.scenarios[0]!.params).params, 1);
      const keys = Object.keys(trace.series);
      const named = [
        ...sim.view.charts.flatMap((c) => c.series.map((s) => s.key)),
        ...sim.view.outcomeGroups.flatMap((g) => [g.attempts, ...g.outcomes.map((o) => o.series)]),
        ...sim.view.counters.map((c) => c.series),
        ...Object.values(sim.view.diagram?.stateSeries ?? {}),
      ];
      expect(named.filter((k) => !keys.includes(k))).toEqual([]);
    });
  });
});
