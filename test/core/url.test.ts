import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { decodeState, encodeState, scenarioState } from '../../sim/core/url.ts';
import { snapToStep, type NumberParamSpec } from '../../sim/core/params.ts';
import { simulations } from '../../sim/index.ts';

const sims = Object.values(simulations);

/**
 * What is wrong with a decoded state, as plain checks: run ten thousand times per simulation,
 * vitest's expect (a dozen per state) would cost seconds on a loaded machine.
 */
function problemsOf(sim: (typeof sims)[number], state: ReturnType<typeof decodeState>['state']): string[] {
  const problems: string[] = [];
  const { params } = state;
  for (const [key, spec] of Object.entries(sim.params)) {
    const value = params[key];
    const bad = (why: string) => problems.push(`${key}=${JSON.stringify(value)}: ${why}`);
    if (spec.kind === 'choice') {
      if (!spec.options.some((o) => o.value === value)) bad('not an option');
    } else if (spec.kind === 'text') {
      if (typeof value !== 'string') bad('not text');
      else if (value.length > spec.maxLength) bad('too long');
      else if (/[\u0000-\u001f\u007f]/.test(value)) bad('a control character');
    } else if (typeof value !== 'number' || !(value >= spec.min && value <= spec.max)) bad('not a number in range');
  }
  const keys = Object.keys(params).sort().join(',');
  if (keys !== Object.keys(sim.params).sort().join(',')) problems.push(`keys ${keys}`);
  if (!sim.scenarios.some((s) => s.id === state.scenario)) problems.push(`scenario ${state.scenario}`);
  if (!(Number.isInteger(state.seed) && state.seed >= 0 && state.seed <= 4294967295)) problems.push(`seed ${state.seed}`);
  // The codec does not hold t to a run (the trace's holder does, with clampTime): a finite number or null.
  if (!(state.tSec === null || Number.isFinite(state.tSec))) problems.push(`t ${state.tSec}`);
  return problems;
}

describe.each(sims.map((s) => [s.id, s] as const))('URL codec for %s', (_id, sim) => {
  test.each(sim.scenarios.map((s) => [s.id]))('scenario %s round-trips with no notes', (id) => {
    const state = scenarioState(sim, id);
    const { state: back, notes } = decodeState(sim, encodeState(sim, state));
    expect(notes).toEqual([]);
    expect(back).toEqual(state);
  });

  test.each(Object.keys(sim.params).map((k) => [k]))('every value of %s round-trips', (key) => {
    const spec = sim.params[key]!;
    const values =
      spec.kind === 'choice'
        ? spec.options.map((o) => o.value)
        : spec.kind === 'text'
          ? [spec.default, '', 'ssh -L 5901:localhost:5900 user@host', '&?#=%+ "quoted" é ✓', 'x'.repeat(spec.maxLength)]
          : // The middle of the grid, as a slider would produce it (0.1 × 499 is not exactly 49.9 in floating point).
          [spec.min, spec.max, spec.default, snapToStep(spec, spec.min + spec.step * Math.floor((spec.max - spec.min) / spec.step / 2))];
    for (const scenario of sim.scenarios) {
      for (const value of values) {
        const state = scenarioState(sim, scenario.id);
        state.params = { ...state.params, [key]: value };
        state.tSec = 3.5;
        state.seed = 12345;
        const { state: back, notes } = decodeState(sim, encodeState(sim, state));
        expect(notes).toEqual([]);
        expect(back).toEqual(state);
      }
    }
  });

  test('10,000 random and hostile query strings decode without throwing into valid states', () => {
    const keys = [...Object.keys(sim.params), 'scenario', 'seed', 't', '__proto__', 'constructor', 'toString', ''];
    const hostileValue = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.double().map(String),
      fc.integer().map(String),
      fc.constantFrom('NaN', 'Infinity', '-0', '1e309', '0x10', '  7 ', '%', '%E0%A4%A', '1,5', '', '[]', '{}', 'null'),
      fc.string({ maxLength: 5000 }),
    );
    const query = fc.oneof(
      fc.string(),
      fc.array(fc.tuple(fc.constantFrom(...keys), hostileValue, fc.boolean()), { maxLength: 12 }).map((pairs) =>
        pairs.map(([k, v, raw]) => `${encodeURIComponent(k)}=${raw ? v : encodeURIComponent(v)}`).join('&'),
      ),
    );
    fc.assert(
      fc.property(query, (q) => {
        const { state, notes } = decodeState(sim, q);
        const problems = problemsOf(sim, state);
        if (!Array.isArray(notes)) problems.push('notes is not a list');
        if (problems.length > 0) throw new Error(problems.join('; '));
      }),
      { numRuns: 10_000 },
    );
    // Seconds on a loaded two-core machine: the limit is for a hang, not a benchmark.
  }, 60_000);

  const hasNumber = Object.values(sim.params).some((s) => s.kind === 'number');
  test.runIf(hasNumber)('an out-of-range number is clamped and the note says so', () => {
    const [key, spec] = Object.entries(sim.params).find(([, s]) => s.kind === 'number') as [string, NumberParamSpec];
    const { state, notes } = decodeState(sim, `${key}=${spec.max * 10 + 1}`);
    expect(state.params[key]).toBe(spec.max);
    expect(notes.join(' ')).toContain(`${key}=`);
    expect(notes.join(' ')).toContain('outside');
  });

  test.runIf(hasNumber)('a value that is not a number falls back to the scenario value and the note says so', () => {
    const [key] = Object.entries(sim.params).find(([, s]) => s.kind === 'number')!;
    const { state, notes } = decodeState(sim, `${key}=lots`);
    expect(state.params[key]).toBe(scenarioState(sim, sim.scenarios[0]!.id).params[key]);
    expect(notes.join(' ')).toContain('not a number');
  });

  test('unknown keys and scenarios are ignored and named', () => {
    const { state, notes } = decodeState(sim, 'scenario=nope&utm_source=x');
    expect(state.scenario).toBe(sim.scenarios[0]!.id);
    expect(notes.join(' ')).toContain('unknown scenario');
    expect(notes.join(' ')).toContain('utm_source');
  });

  test('t is decoded as the number written, never held to a run, and an absent t is null (the end)', () => {
    const end = sim.durationSec(scenarioState(sim, sim.scenarios[0]!.id).params);
    expect(decodeState(sim, `t=${end + 100}`)).toEqual({ state: expect.objectContaining({ tSec: end + 100 }), notes: [] });
    expect(decodeState(sim, 't=-1')).toEqual({ state: expect.objectContaining({ tSec: -1 }), notes: [] });
    expect(decodeState(sim, '').state.tSec).toBeNull();
    expect(decodeState(sim, 't=0').state.tSec).toBe(0);
  });

  test('a t that is not a number opens at the end, and the note says so', () => {
    const { state, notes } = decodeState(sim, 't=soon');
    expect(state.tSec).toBeNull();
    expect(notes.join(' ')).toContain('showing the end of the run');
  });
});
