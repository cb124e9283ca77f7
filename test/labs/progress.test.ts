import { describe, expect, test } from 'vitest';
import { simulations } from '../../sim/index.ts';
import { evaluate } from '../../site/labs/checks.ts';
import { PROGRESS_KEY, loadProgress, saveProgress } from '../../site/labs/progress.ts';

function memoryStorage(initial?: string) {
  const data = new Map<string, string>();
  if (initial !== undefined) data.set(PROGRESS_KEY, initial);
  return { data, getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), removeItem: (k: string) => void data.delete(k) };
}

describe('lab progress', () => {
  test('round-trips what was saved', () => {
    const storage = memoryStorage();
    saveProgress(storage, { version: 1, passed: { 'syn-queue/fix-fastmail': '?scenario=fastmail-fix' } });
    expect(loadProgress(storage)).toEqual({ progress: { version: 1, passed: { 'syn-queue/fix-fastmail': '?scenario=fastmail-fix' } }, discarded: false });
  });

  test.each([
    ['not JSON', '{"version":1,'],
    ['another version', '{"version":2,"passed":{}}'],
    ['a wrong shape', '{"version":1,"passed":[]}'],
    ['a bad entry', '{"version":1,"passed":{"../x":"?a"}}'],
    ['a non-string link', '{"version":1,"passed":{"a/b":7}}'],
    ['null', 'null'],
  ])('discards %s, says so, and clears it', (_what, raw) => {
    const storage = memoryStorage(raw);
    const { progress, discarded } = loadProgress(storage);
    expect(discarded).toBe(true);
    expect(progress.passed).toEqual({});
    expect(storage.data.has(PROGRESS_KEY)).toBe(false);
  });

  test('with no storage at all, starts empty and does not throw', () => {
    expect(loadProgress(null)).toEqual({ progress: { version: 1, passed: {} }, discarded: false });
    expect(saveProgress(null, { version: 1, passed: {} })).toBe(false);
  });
});

describe('checks', () => {
  const sim = simulations['syn-queue']!;
  test.each([
    ['==', 0, 0, true], ['==', 1, 0, false], ['>', 1, 0, true], ['>', 0, 0, false], ['>=', 0, 0, true],
    ['<', 5, 10, true], ['<=', 10, 10, true], ['<=', 11, 10, false], ['!=', 'modern', 'linux-2.4', true],
  ] as const)('%s: %o against %o is %s', (is, actual, value, expected) => {
    const { pass } = evaluate(sim, [{ of: 'summary', key: 'x', label: 'x', is, value }], {}, { x: actual as number });
    const strings = typeof actual === 'string' ? evaluate(sim, [{ of: 'param', key: 'k', label: 'k', is, value }], { k: actual }, {}).pass : pass;
    expect(typeof actual === 'string' ? strings : pass).toBe(expected);
  });

  test('a missing or unmeasured figure never passes, and the message says so', () => {
    const { pass, results } = evaluate(sim, [{ of: 'summary', key: 'latency', label: 'the latency', is: '<=', value: 10 }], {}, { latency: NaN });
    expect(pass).toBe(false);
    expect(results[0]!.message).toBe('the latency: not measured; the goal is at most 10.');
    expect(evaluate(sim, [{ of: 'summary', key: 'gone', label: 'g', is: '>', value: 0 }], {}, {}).pass).toBe(false);
  });
});
