/**
 * The whole project type-checks (tsc --noEmit with tsconfig.json), as one of the unit files, so that
 * `npm test` compiles beside the other tests rather than before them (tsc keeps one core busy).
 */
import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';

test('tsc --noEmit reports no error in the project', () => {
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '--pretty', 'false'], { encoding: 'utf8' });
  expect(tsc.stdout + tsc.stderr).toBe('');
  expect(tsc.status).toBe(0);
  // A guard against a hang, not a speed check: tsc takes 20-40 s on a busy two-core machine.
}, 600_000);
