/**
 * The worked answers as the facilitator's guide lists them: every setting by the label and unit
 * the player shows, what it was at the exercise's start, and nothing the answer leaves alone.
 */
import { describe, expect, test } from 'vitest';
import { scenarioState } from '../../sim/core/index.ts';
import { simulations } from '../../sim/index.ts';
import { answerSheet, leverLabels } from '../../site/labs/answer-sheet.ts';
import { labs, resolveState } from './lab-data.ts';

describe.each(labs)('the %s lab', (_id, lab) => {
  const sim = simulations[lab.sim]!;

  test.each(lab.exercises.map((e) => [e.id, e] as const))('%s: the sheet lists every parameter the answer sets, by its label, and only those it sets or moves from the start', (_e, exercise) => {
    const sheet = answerSheet(sim, exercise.start, exercise.answer);
    const start = resolveState(sim, exercise.start).params;
    const answer = resolveState(sim, exercise.answer).params;
    const listed = sheet.settings.map((s) => s.key);
    for (const key of Object.keys(exercise.answer.set ?? {})) expect(listed).toContain(key);
    for (const row of sheet.settings) {
      const spec = sim.params[row.key]!;
      expect(row.label).toBe(spec.label);
      expect(row.key in (exercise.answer.set ?? {}) || String(answer[row.key]) !== String(start[row.key])).toBe(true);
      if (spec.kind === 'choice') expect(spec.options.map((o) => o.label)).toContain(row.value);
      if (spec.kind === 'number') expect(row.value).toBe(spec.unit ? `${answer[row.key]} ${spec.unit}` : String(answer[row.key]));
      expect(row.was === null).toBe(String(answer[row.key]) === String(start[row.key]));
    }
    // The answer has to change something, or the start would already pass.
    expect(sheet.settings.some((s) => s.was !== null)).toBe(true);
  });

  test('names each lever by the label its control has in the player', () => {
    for (const exercise of lab.exercises) {
      expect(leverLabels(sim, exercise.levers)).toEqual(exercise.levers.map((key) => sim.params[key]!.label));
    }
  });
});

describe('the sheet against its start', () => {
  const sim = simulations['syn-queue']!;
  const scenario = scenarioState(sim, 'syn-flood').params;

  test('a setting the start already had is listed without a "was"; a changed one says its start value', () => {
    const sheet = answerSheet(sim, { scenario: 'syn-flood', set: { tcp_syncookies: 0 } }, { scenario: 'syn-flood', set: { tcp_syncookies: 0, backlog: 4096 } });
    const byKey = Object.fromEntries(sheet.settings.map((s) => [s.key, s]));
    expect(Object.keys(byKey).sort()).toEqual(['backlog', 'tcp_syncookies']);
    expect(byKey.tcp_syncookies!.was).toBeNull();
    expect(byKey.backlog!.was).toBe(String(scenario.backlog));
    expect(sheet.scenarioChanged).toBe(false);
  });

  test('an answer that drops a change the start made lists that parameter, back at the scenario value', () => {
    const sheet = answerSheet(sim, { scenario: 'syn-flood', set: { backlog: 64 } }, { scenario: 'syn-flood', set: { tcp_synack_retries: 1 } });
    const backlog = sheet.settings.find((s) => s.key === 'backlog');
    expect(backlog).toEqual({ key: 'backlog', label: sim.params.backlog!.label, value: String(scenario.backlog), was: '64', text: false });
  });

  test('an answer on another scenario says so, and an unknown parameter or scenario fails loudly', () => {
    expect(answerSheet(sim, { scenario: 'syn-flood' }, { scenario: 'slow-app', set: { acceptPerSec: 250 } }).scenarioChanged).toBe(true);
    expect(() => answerSheet(sim, { scenario: 'syn-flood' }, { scenario: 'syn-flood', set: { backlgo: 1 } })).toThrow(/unknown parameter backlgo/);
    expect(() => answerSheet(sim, { scenario: 'syn-flod' }, { scenario: 'syn-flood' })).toThrow(/no scenario syn-flod/);
    expect(() => leverLabels(sim, ['backlgo'])).toThrow(/backlgo is not a parameter/);
  });
});
