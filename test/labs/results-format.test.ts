/**
 * Lab results as a room collects them: the code and the file give back exactly what was put in,
 * a mistyped or foreign code or file is refused with its reason, and the room's tally counts each
 * participant once per exercise.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { encodeState } from '../../sim/core/index.ts';
import { simulations } from '../../sim/index.ts';
import {
  ResultsError, decodeResultsCode, encodeResultsCode, readResultsFile, resultsFile, type LabResults,
} from '../../site/labs/results-format.ts';
import { addToRoom, countOf, emptyRoom, splitCodes, tally, type LabOutline } from '../../site/labs/room-tally.ts';
import { labs, resolveState } from './lab-data.ts';

/** Every lab with every exercise passed at its worked answer, its settings written by the URL codec. */
const answered: LabResults[] = labs.map(([id, lab]) => {
  const sim = simulations[lab.sim]!;
  return {
    lab: id,
    name: 'Ada Lovelace',
    exercises: lab.exercises.map((e) => {
      const { params, seed } = resolveState(sim, e.answer);
      return { id: e.id, settings: encodeState(sim, { scenario: e.answer.scenario, seed, params, tSec: null }) };
    }),
  };
});

const arbitraryResults = fc.record({
  lab: fc.stringMatching(/^[a-z0-9-]{1,20}$/),
  name: fc.string({ maxLength: 60, unit: 'grapheme' }).map((s) => s.trim()).filter((s) => s.length <= 60),
  exercises: fc.uniqueArray(
    fc.record({ id: fc.stringMatching(/^[a-z0-9-]{1,20}$/), settings: fc.webQueryParameters().map((q) => `scenario=s&${q}`) }),
    { selector: (e) => e.id, maxLength: 5 },
  ),
});

describe('the results code', () => {
  test.each(answered.map((r) => [r.lab, r] as const))('gives back the %s lab passed at every worked answer, in fewer characters than its file', async (_lab, results) => {
    const code = await encodeResultsCode(results);
    expect(code).toMatch(/^OPSLAB1-[A-Za-z0-9_-]+-[0-9A-F]{6}$/);
    await expect(decodeResultsCode(code)).resolves.toEqual(results);
    expect(code.length).toBeLessThan(resultsFile(results).length);
  });

  test('gives back any results, whatever the name and the settings', async () => {
    await fc.assert(fc.asyncProperty(arbitraryResults, async (results) => {
      expect(await decodeResultsCode(await encodeResultsCode(results))).toEqual(results);
    }), { numRuns: 150 });
  });

  test('reads a code broken over lines or with spaces, as a mail or chat may carry it', async () => {
    const code = await encodeResultsCode(answered[0]!);
    const wrapped = `  ${code.slice(0, 20)}\n${code.slice(20, 41)} ${code.slice(41)}\n`;
    await expect(decodeResultsCode(wrapped)).resolves.toEqual(answered[0]);
  });

  test("never reads a code with one character changed as other results: it refuses it, or (a letter's case in the prefix or the check) reads the same", async () => {
    const code = await encodeResultsCode(answered.at(-1)!);
    await fc.assert(fc.asyncProperty(fc.nat({ max: code.length - 1 }), fc.constantFrom(...'ABCXYZabcxyz0189_-'), async (at, c) => {
      fc.pre(code[at] !== c && code.slice(0, at) + c + code.slice(at + 1) !== code);
      const broken = code.slice(0, at) + c + code.slice(at + 1);
      const read = await decodeResultsCode(broken).catch((error: unknown) => error);
      if (!(read instanceof ResultsError)) expect(read).toEqual(answered.at(-1));
    }), { numRuns: 300 });
    const typo = code.slice(0, 12) + (code[12] === 'A' ? 'B' : 'A') + code.slice(13);
    await expect(decodeResultsCode(typo)).rejects.toThrow(/check characters do not match/);
  });

  test.each([
    ['', /empty/],
    ['hello there', /not a results code/],
    ['OPSLAB2-abc-ABCDEF', /version 2 code; this page reads version 1/],
    ['OPSLAB1-abcdef', /cut short/],
  ])('refuses %j with a reason', async (code, reason) => {
    await expect(decodeResultsCode(code)).rejects.toThrow(reason);
  });

  test('refuses a code cut short by one character', async () => {
    const code = await encodeResultsCode(answered[1]!);
    await expect(decodeResultsCode(code.slice(0, -1))).rejects.toThrow(/cut short/);
  });
});

describe('the results file', () => {
  test('is JSON naming its format, version, lab, name and each exercise with its settings, and reads back', () => {
    const text = resultsFile(answered[0]!);
    expect(JSON.parse(text)).toEqual({ format: 'opslab-lab-results', version: 1, ...answered[0] });
    expect(readResultsFile(text)).toEqual(answered[0]);
  });

  test.each([
    ['not JSON', '{"format":', /not JSON/],
    ['another kind of file', '{"format":"opslab-deck","version":1}', /"opslab-deck" file, not lab results/],
    ['a newer version', '{"format":"opslab-lab-results","version":2,"lab":"x","exercises":[]}', /version 2 of the results format/],
    ['no lab', '{"version":1,"exercises":[]}', /names no lab/],
    ['an exercise twice', '{"version":1,"lab":"x","exercises":[{"id":"a","settings":"scenario=s"},{"id":"a","settings":"scenario=s"}]}', /listed twice/],
    ['settings without a scenario', '{"version":1,"lab":"x","exercises":[{"id":"a","settings":"seed=3"}]}', /exercise a has no settings that name a scenario/],
    ['a list', '[1,2]', /no lab results/],
  ])('refuses %s with a reason', (_what, text, reason) => {
    expect(() => readResultsFile(text)).toThrow(reason);
  });
});

describe("the room's tally", () => {
  const lab: LabOutline = { id: 'syn-queue', exercises: [{ id: 'a', title: 'A' }, { id: 'b', title: 'B' }] };
  const ana: LabResults = { lab: 'syn-queue', name: 'Ana', exercises: [{ id: 'a', settings: 'scenario=s' }, { id: 'b', settings: 'scenario=s&x=1' }] };
  const bo: LabResults = { lab: 'syn-queue', name: 'Bo', exercises: [{ id: 'b', settings: 'scenario=s&x=2' }] };

  test('counts per exercise how many entries passed it, a repeated entry once, and keeps every problem beside the entries', () => {
    let room = emptyRoom();
    room = addToRoom(room, lab, 'ana.json', ana);
    room = addToRoom(room, lab, 'code 1', { error: 'its check characters do not match' });
    room = addToRoom(room, lab, 'bo.json', bo);
    room = addToRoom(room, lab, 'ana (copy).json', ana);
    room = addToRoom(room, lab, 'code 2', { ...bo, lab: 'cache-stampede' });
    room = addToRoom(room, lab, 'code 3', { ...bo, exercises: [{ id: 'z', settings: 'scenario=s' }] });
    expect(tally(room, lab)).toEqual({ entries: 2, passed: [{ id: 'a', title: 'A', count: 1 }, { id: 'b', title: 'B', count: 2 }] });
    expect(room.entries.map((e) => [e.source, e.duplicateOf])).toEqual([['ana.json', null], ['bo.json', null], ['ana (copy).json', 0]]);
    expect(room.problems).toEqual([
      { source: 'code 1', reason: 'its check characters do not match' },
      { source: 'code 2', reason: 'these are results of the cache-stampede lab, not of this one (syn-queue)' },
      { source: 'code 3', reason: 'this lab has no exercise z: the results come from another version of it' },
    ]);
  });

  test('finds each code in pasted text, a code broken over lines staying one, and text that is no code kept apart', async () => {
    const a = await encodeResultsCode(answered[0]!);
    const b = await encodeResultsCode(answered[1]!);
    const parts = splitCodes(`hello\n${a.slice(0, 30)}\n${a.slice(30)}  ${b}\n\n`);
    expect(parts).toHaveLength(3);
    expect(parts[0]).toBe('hello');
    await expect(decodeResultsCode(parts[1]!)).resolves.toEqual(answered[0]);
    await expect(decodeResultsCode(parts[2]!)).resolves.toEqual(answered[1]);
  });

  test('says a count with its noun in English plural rules', () => {
    expect([0, 1, 2, 1200].map((n) => countOf(n, 'entry', 'entries'))).toEqual(['0 entries', '1 entry', '2 entries', '1,200 entries']);
  });
});
