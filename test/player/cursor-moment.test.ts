/**
 * The cursor shows one moment: the log, the inspector, the charts and the
 * diagram all show the same samples. At a whole second the SSH walk's log once
 * showed the next step while the diagram lit the current one.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { sampleAt, scenarioState, normalizeParams } from '../../sim/core/index.ts';
import { simulations } from '../../sim/index.ts';
import { logIndexAfter } from '../../site/panels/frame.ts';

describe.each(Object.values(simulations).map((s) => [s.id, s] as const))('%s', (_id, sim) => {
  const state = scenarioState(sim, sim.scenarios[0]!.id);
  const trace = sim.run(normalizeParams(sim.params, {}, state.params).params, state.seed);
  const endSec = trace.durationMs / 1000;
  const sampleOf = (tMs: number) => Math.min(Math.floor(tMs / trace.sampleMs), Math.ceil(trace.durationMs / trace.sampleMs) - 1);

  test('the log shows exactly the lines of the samples up to the one the cursor shows, at whole samples and between them', () => {
    const whole = Array.from({ length: Math.ceil(trace.durationMs / trace.sampleMs) + 1 }, (_, i) => (i * trace.sampleMs) / 1000);
    const times = [...whole, ...fc.sample(fc.double({ min: 0, max: endSec, noNaN: true }), { numRuns: 50, seed: 7 })];
    for (const tSec of times) {
      const shown = sampleAt(trace, tSec);
      const end = logIndexAfter(trace, tSec);
      for (let i = 0; i < trace.log.length; i++) {
        expect(i < end, `t=${tSec}: line ${i} at ${trace.log[i]!.tMs} ms, showing sample ${shown}`).toBe(sampleOf(trace.log[i]!.tMs) <= shown);
      }
    }
  });
});

test('the SSH walk at step 8 shows step 8 in its log, not step 9', () => {
  const sim = simulations['ssh-forwarding']!;
  const state = scenarioState(sim, sim.scenarios[0]!.id);
  const trace = sim.run(state.params, state.seed);
  const newest = trace.log[logIndexAfter(trace, 8) - 1]!;
  expect(sampleAt(trace, 8)).toBe(7);
  expect(Math.floor(newest.tMs / trace.sampleMs)).toBe(7);
});
