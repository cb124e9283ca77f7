import { describe, expect, test } from 'vitest';
import { normalizeParams, defaultParams } from '../sim/core/params.ts';
import { simulations } from '../sim/index.ts';
import { simulationLoaders } from '../sim/loaders.ts';
import { scenarioState } from '../sim/core/url.ts';
import { describeMachine } from '../sim/core/machine-table.ts';
import { SERIES_STYLES } from '../site/charts/palette.ts';

/**
 * Kinds an inspector lists that no scenario's log contains, as found when this check was written.
 * ssh-forwarding: 'permission' is in semantics.ts's StepKind but no step is ever made with it;
 * 'remote-failed', 'session-channel', 'exit' and 'error' come only from commands and network
 * changes the reader types, which no scenario does. A scenario that shows one, or a kind removed,
 * must shrink this list.
 */
const INSPECTOR_KINDS_NO_SCENARIO_SHOWS: Record<string, readonly string[]> = {
  'ssh-forwarding': ['remote-failed', 'session-channel', 'permission', 'exit', 'error'],
};

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

    // Every scenario, not only the first: a series recorded only under some parameters (a lock's
    // waiters, a primary's outage) would otherwise go unchecked.
    const traces = sim.scenarios.map((scenario) => {
      const state = scenarioState(sim, scenario.id);
      return [scenario.id, sim.run(state.params, state.seed)] as const;
    });

    test('in every scenario, every chart series, band, outcome, counter and diagram state names a series the model produces', () => {
      const named = [
        ...sim.view.charts.flatMap((c) => c.series.map((s) => s.key)),
        ...sim.view.charts.flatMap((c) => (c.bands ?? []).map((b) => b.key)),
        ...sim.view.outcomeGroups.flatMap((g) => [g.attempts, ...g.outcomes.map((o) => o.series)]),
        ...sim.view.counters.map((c) => c.series),
        ...Object.values(sim.view.diagram?.stateSeries ?? {}),
      ];
      expect(named.length).toBeGreaterThan(0);
      for (const [scenario, trace] of traces) {
        const keys = Object.keys(trace.series);
        expect(named.filter((k) => !keys.includes(k)), scenario).toEqual([]);
      }
    });

    test('no chart has more series than the palette has styles, so no two lines are drawn alike', () => {
      const crowded = sim.view.charts.filter((c) => c.series.length > SERIES_STYLES.length).map((c) => c.id);
      expect(crowded).toEqual([]);
    });

    test('in every scenario, every chart limit names a number in the trace summary', () => {
      const limits = sim.view.charts.flatMap((c) => (c.limits ?? []).map((l) => l.summaryKey));
      for (const [scenario, trace] of traces) {
        expect(limits.filter((k) => typeof trace.summary[k] !== 'number'), scenario).toEqual([]);
      }
    });

    test('the diagram names a machine of the simulation, and a series for states of that machine only', () => {
      const diagram = sim.view.diagram;
      if (!diagram) return;
      const machine = sim.machines[diagram.machine];
      expect(machine, diagram.machine).toBeDefined();
      const states = describeMachine(machine!).states.map((s) => s.id);
      expect(Object.keys(diagram.stateSeries).filter((s) => !states.includes(s))).toEqual([]);
    });

    test('every kind the inspector offers appears in the log of at least one scenario', () => {
      const shown = new Set(traces.flatMap(([, trace]) => trace.log.map((l) => l.kind)));
      const unshown = (sim.view.inspector?.kinds ?? []).filter((k) => !shown.has(k));
      expect(unshown).toEqual(INSPECTOR_KINDS_NO_SCENARIO_SHOWS[sim.id] ?? []);
    });
  });
});
