import { describe, expect, test } from 'vitest';
import { backupMx } from '../../sim/backup-mx/index.ts';
import { clampNote, clampTime, parseSeed } from '../../sim/core/index.ts';
import { sshForwarding } from '../../sim/ssh-forwarding/index.ts';
import { synQueue } from '../../sim/syn-queue/index.ts';

const run = (durationSec: number) => ({ durationMs: durationSec * 1000 });

describe('clampTime', () => {
  test.each([
    ['no time is the end of the run', null, 60],
    ['a time inside the run stays', 12.5, 12.5],
    ['a negative time is the start', -1, 0],
    ['a time past the end is the end', 61, 60],
  ])('%s', (_title, t, expected) => {
    expect(clampTime(run(60), t)).toBe(expected);
  });
});

describe('clampNote', () => {
  test('a time taken as asked needs no note', () => {
    expect(clampNote(synQueue, run(60), 30)).toBeNull();
    expect(clampNote(synQueue, run(60), null)).toBeNull();
  });

  test('t=-1 says it shows the start, which is where the cursor goes', () => {
    expect(clampNote(synQueue, run(60), -1)).toBe('t=-1 is before the start of the run; showing 0 s');
    expect(clampTime(run(60), -1)).toBe(0);
  });

  test('an hours lesson says where it went in hours', () => {
    expect(clampNote(backupMx, run(48 * 3600), 1e9)).toBe('t=1000000000 is past the end of the run; showing 48 h');
  });

  test('a walk says where it went in steps', () => {
    expect(clampNote(sshForwarding, run(7), 99)).toBe('t=99 is past the end of the run; showing 7 steps');
  });
});

describe('parseSeed', () => {
  test.each([
    ['0', 0],
    [' 42 ', 42],
    ['4294967295', 4294967295],
    ['4294967296', null],
    ['-1', null],
    ['1.5', null],
    ['1e3', null],
    ['', null],
    ['12345678901', null],
  ])('%j reads as %j', (text, expected) => {
    expect(parseSeed(text)).toBe(expected);
  });
});
