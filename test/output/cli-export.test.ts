/**
 * `npm run sim -- <id> --export gif`: the file decodes (omggif) to the frames and delays asked
 * for; the same state gives the same bytes, a different state different bytes; a bad option
 * fails with one line naming what is valid, exit code 2.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { decodeGif } from './gif-decode.ts';

const dir = mkdtempSync(join(tmpdir(), 'opslab-gif-'));

function sim(...args: string[]) {
  return spawnSync(process.execPath, ['scripts/sim.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
}

function gif(name: string, ...args: string[]): Uint8Array {
  const out = join(dir, name);
  const run = sim('syn-queue', '--scenario', 'fastmail-2002', '--export', 'gif', '--from', '10', '--to', '13', '--fps', '4', '--speed', '2', '--width', '480', '--out', out, ...args);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(new RegExp(`^${out}: 7 frames, 480 px wide, \\d+ bytes, sha256 [0-9a-f]{64}\\n$`));
  return new Uint8Array(readFileSync(out));
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

test('10 to 13 s at 4 frames a second and 2× is 7 frames 250 ms apart, 480 px wide, looping; the same state gives the same bytes, another state and another theme others', () => {
  const first = gif('a.gif');
  const decoded = decodeGif(first);
  expect(decoded.delaysMs).toEqual(Array(7).fill(250));
  expect(decoded.width).toBe(480);
  expect(decoded.loop).toBe(0);
  expect(sha(gif('b.gif'))).toBe(sha(first));
  expect(sha(gif('c.gif', '--set', 'tcp_syncookies=1'))).not.toBe(sha(first));
  expect(sha(gif('d.gif', '--theme', 'projector'))).not.toBe(sha(first));
  // Four exports, each starting Chromium: a guard against a hang, not a speed check.
}, 300_000);

test('a bad export option fails in one line naming what is valid, with exit code 2', () => {
  const panel = sim('syn-queue', '--export', 'gif', '--panels', 'picture,log');
  expect([panel.status, panel.stderr]).toEqual([2, 'sim: no panel log to animate; valid: picture, chart:queues, chart:throughput, chart:latency, charts\n']);
  const format = sim('syn-queue', '--export', 'mp4');
  expect([format.status, format.stderr]).toEqual([2, 'sim: --export takes gif; got "mp4"\n']);
  const stray = sim('syn-queue', '--fps', '10');
  expect([stray.status, stray.stderr]).toEqual([2, 'sim: --fps goes with --export gif\n']);
});
