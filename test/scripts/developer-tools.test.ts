/**
 * The two scripts for making a model faster without changing it: the trace-hash listing (compared
 * before and after a change) and the per-scenario profile (self time and allocation sites).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { scenarioState } from '../../sim/core/index.ts';
import { simulations } from '../../sim/index.ts';

const node = (...args: string[]) => execFileSync(process.execPath, args, { encoding: 'utf8', stdio: 'pipe' });

describe('scripts/trace-hashes.ts', () => {
  test('lists each asked lesson’s runs with the hash the model gives, each run once, and refuses an unknown lesson', () => {
    const lines = node('scripts/trace-hashes.ts', 'ssh-forwarding').trim().split('\n');
    const sim = simulations['ssh-forwarding']!;
    expect(new Set(lines).size).toBe(lines.length);
    expect(lines.every((l) => l.startsWith('ssh-forwarding '))).toBe(true);
    for (const scenario of sim.scenarios) {
      const { params, seed } = scenarioState(sim, scenario.id);
      expect(lines).toContain(`ssh-forwarding ${scenario.id} seed=${seed} ${sim.run(params, seed).hash}`);
      expect(lines.filter((l) => l.split(' ')[1] === scenario.id).length).toBeGreaterThan(4);
    }
    const bad = spawnSync(process.execPath, ['scripts/trace-hashes.ts', 'no-such-lesson'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown simulation no-such-lesson; valid: .*ssh-forwarding/);
  });
});

describe('scripts/profile-scenario.ts', () => {
  test('prints the functions with the most self time and the places that allocate, for one scenario', () => {
    const out = node('scripts/profile-scenario.ts', 'token-bucket', 'ignore-headers', '5');
    expect(out).toMatch(/^token-bucket \/ ignore-headers: [\d.]+ ms per run under the profiler, 5 runs/);
    const [self, allocated] = out.split('\nallocated');
    expect(self!.match(/^ +[\d.]+ % {2}\S+ \S+:\d+$/gm)!.length).toBeGreaterThan(3);
    expect(allocated).toMatch(/^, about [\d.]+ MB per run \(sampled\)/);
    expect(allocated!.match(/^ +[\d.]+ MB {2}\S+ \S+:\d+$/gm)!.length).toBeGreaterThan(3);
    expect(spawnSync(process.execPath, ['scripts/profile-scenario.ts', 'token-bucket'], { encoding: 'utf8' }).status).toBe(2);
  });
});
