/**
 * A progressive run (sim/core/model.ts runUpTo): the first part of a run as a partial trace, then
 * the whole run. Whatever the player draws first must agree with what it draws last, and the whole
 * run must stay the one-shot run bit for bit.
 */
import { describe, expect, test } from 'vitest';
import { createModel, hashTrace, runUpTo, scenarioState, type AnySimulation, type Trace } from '../../sim/core/index.ts';
import { simulations } from '../../sim/index.ts';

const cases = Object.values(simulations).flatMap((sim) => sim.scenarios.map((s) => [`${sim.id}/${s.id}`, sim, s.id] as const));

/**
 * Series a lesson fills after its run from what happened later: syn-queue's success by cohort is
 * the share of the attempts started in a second that were accepted by the end of the run, so in a
 * partial trace the last seconds' attempts still retrying count as not accepted yet.
 */
const LOOKS_AHEAD: Record<string, readonly string[]> = { 'syn-queue': ['successPct'] };

function runs(sim: AnySimulation, id: string, fraction: number): { whole: Trace; partial: Trace; samples: number } {
  const { params, seed } = scenarioState(sim, id);
  const whole = sim.run(params, seed);
  const partial = runUpTo(sim.durationSec(params) * fraction, () => sim.run(params, seed));
  const samples = Math.round(((partial.computedToSec ?? whole.durationMs / 1000) * 1000) / whole.sampleMs);
  return { whole, partial, samples };
}

/** The series keys whose computed samples differ from the whole run's. */
function differingSeries(whole: Trace, partial: Trace, samples: number): string[] {
  return Object.keys(whole.series).filter((key) => {
    const a = whole.series[key]!;
    const b = partial.series[key]!;
    for (let i = 0; i < samples; i++) if (!Object.is(a[i], b[i])) return true;
    return false;
  });
}

describe('a progressive run of every scenario', () => {
  test.each(cases)('%s: run up to its end, it is the one-shot run, hash and all', (_name, sim, id) => {
    const { params, seed } = scenarioState(sim, id);
    const whole = sim.run(params, seed);
    const again = runUpTo(sim.durationSec(params), () => sim.run(params, seed));
    expect(again.computedToSec).toBeUndefined();
    expect(again.hash).toBe(whole.hash);
    expect(hashTrace(again)).toBe(whole.hash);
  });

  test.each(cases)('%s: a tenth of the way, the samples, log lines and picture frames computed equal the whole run\'s', (_name, sim, id) => {
    const { whole, partial, samples } = runs(sim, id, 0.1);
    expect(partial.computedToSec).toBeGreaterThan(0);
    expect(partial.computedToSec).toBeLessThan(whole.durationMs / 1000);
    expect(partial.durationMs).toBe(whole.durationMs);
    expect(differingSeries(whole, partial, samples).filter((k) => !(LOOKS_AHEAD[sim.id] ?? []).includes(k))).toEqual([]);
    expect(partial.log).toEqual(whole.log.filter((line) => line.tMs <= partial.computedToSec! * 1000).slice(0, partial.log.length));
    expect(partial.log.length).toBe(whole.log.filter((line) => line.tMs <= partial.computedToSec! * 1000).length);
    if (whole.scene) expect(partial.scene!.frames.slice(0, samples)).toEqual(whole.scene.frames.slice(0, samples));
    expect(partial.hash).not.toBe(whole.hash);
  });

  test('each series exempted as looking ahead does differ in some partial trace (the exemption is still needed)', () => {
    for (const [simId, keys] of Object.entries(LOOKS_AHEAD)) {
      const sim = simulations[simId]!;
      const differing = new Set(sim.scenarios.flatMap((s) => {
        const { whole, partial, samples } = runs(sim, s.id, 0.5);
        return differingSeries(whole, partial, samples);
      }));
      for (const key of keys) expect(differing, `${simId}.${key}`).toContain(key);
    }
  });
});

describe('where a progressive run stops', () => {
  /** One event a millisecond, counted per 100 ms sample. */
  function ticking(budget: number): Trace {
    const m = createModel({ simId: 'ticks', seed: 1, params: {}, durationMs: 1000, sampleMs: 100, series: ['ticks'] as const, budget });
    for (let t = 0; t < 1000; t++) m.queue.push(t, 0, 0);
    m.run((tMs) => m.rec.add('ticks', tMs));
    return m.trace({});
  }

  test('on the first sample boundary at or after the moment asked, so every sample before it is whole', () => {
    const partial = runUpTo(0.23, () => ticking(1e6));
    expect(partial.computedToSec).toBe(0.3);
    expect(Array.from(partial.series.ticks!.subarray(0, 3))).toEqual([100, 100, 100]);
    // The event at exactly 300 ms is handled: it is the first of the next sample, which is not whole yet.
    expect(partial.series.ticks![3]).toBe(1);
    expect(partial.events).toBe(301);
  });

  test('a run whose event budget runs out before the stop is the whole run, truncated at the same event', () => {
    const whole = ticking(50);
    const partial = runUpTo(0.5, () => ticking(50));
    expect(whole.truncated).toBe(true);
    expect(partial.computedToSec).toBeUndefined();
    expect(partial.hash).toBe(whole.hash);
  });

  test('a stop set through a second copy of run-stop.ts (the worker\'s own script) is read by the models\' copy', async () => {
    // @ts-expect-error: a query in the address makes Vite load a second instance of the module, which TypeScript cannot resolve
    const copy = (await import('../../sim/core/run-stop.ts?worker-copy')) as typeof import('../../sim/core/run-stop.ts');
    expect(copy.runUpTo).not.toBe(runUpTo);
    expect(copy.runUpTo(0.5, () => ticking(1e6)).computedToSec).toBe(0.5);
  });

  test('only inside runUpTo: a run after it is whole again', () => {
    runUpTo(0.2, () => ticking(1e6));
    expect(ticking(1e6).computedToSec).toBeUndefined();
    expect(() => runUpTo(0.2, () => { throw new Error('model failed'); })).toThrow('model failed');
    expect(ticking(1e6).computedToSec).toBeUndefined();
  });
});
