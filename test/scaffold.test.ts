/**
 * `npm run new-lesson <id>` in a scratch copy of the project: it writes only
 * the lesson's own paths and one line of sim/lessons.ts, and the lesson it
 * makes type-checks, runs headless, and passes the generic unit tests (the
 * registry, the URL codec, the labs) and its own.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const ROOT = process.cwd();
let copy = '';

function files(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === '.git' || name.startsWith('dist') || name === '.astro') return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, base) : [relative(base, path)];
  });
}

const run = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { cwd: copy, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', PATH: `${join(copy, 'node_modules', '.bin')}:${process.env.PATH}` }, stdio: 'pipe' });

describe('npm run new-lesson', () => {
  let before: Map<string, string>;

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'opslab-new-lesson-'));
    const tracked = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const f of tracked) cpSync(join(ROOT, f), join(copy, f), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    before = new Map(files(copy).map((f) => [f, readFileSync(join(copy, f), 'utf8')]));
    run('npm', ['run', '-s', 'new-lesson', 'demo-x']);
  });

  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  test('writes only sim/demo-x/, its article, its lab and test/demo-x/, and adds one line to sim/lessons.ts', () => {
    const after = files(copy);
    const added = after.filter((f) => !before.has(f)).sort();
    const changed = after.filter((f) => before.has(f) && before.get(f) !== readFileSync(join(copy, f), 'utf8'));
    expect(added.every((f) => /^(sim\/demo-x\/|test\/demo-x\/|content\/(articles|labs)\/demo-x\.mdx$)/.test(f)), added.join(', ')).toBe(true);
    expect(added).toContain('content/articles/demo-x.mdx');
    expect(added).toContain('content/labs/demo-x.mdx');
    expect(changed).toEqual(['sim/lessons.ts']);
    const lines = (text: string) => text.split('\n');
    const newLines = lines(readFileSync(join(copy, 'sim/lessons.ts'), 'utf8')).filter((l) => !lines(before.get('sim/lessons.ts')!).includes(l));
    expect(newLines).toEqual([`  'demo-x': () => import('./demo-x/index.ts'),`]);
  });

  test('refuses an id that exists or is not lower case with hyphens, exiting with code 2', () => {
    for (const id of ['demo-x', 'syn-queue', 'Bad_Id']) {
      let status = 0;
      try {
        run('npm', ['run', '-s', 'new-lesson', id]);
      } catch (error) {
        status = (error as { status: number }).status;
      }
      expect(status, id).toBe(2);
    }
  });

  test('the new lesson runs headless and prints its summary', () => {
    const out = JSON.parse(run('npm', ['run', '-s', 'sim', '--', 'demo-x', '--scenario', 'overload', '--json']));
    expect(out.simId).toBe('demo-x');
    expect(out.summary.attempts).toBe(out.summary.served + out.summary.dropped + out.summary.pending);
    expect(out.summary.dropped).toBeGreaterThan(0);
  });

  test('the copy type-checks and passes the generic unit tests and the lesson\'s own', () => {
    // What the new lesson adds (its model, its tests) and what reads it (the registry, the generic
    // tests), against the project's compiler options; the rest of the copy is this project's, which
    // test/typecheck.test.ts type-checks.
    writeFileSync(join(copy, 'tsconfig.lesson.json'), JSON.stringify({ extends: './tsconfig.json', include: ['sim', 'test/demo-x', 'test/registry.test.ts', 'test/labs', 'test/core/url.test.ts', 'test/core/machine-table.test.ts'] }));
    run('tsc', ['--noEmit', '-p', 'tsconfig.lesson.json']);
    // The generic tests name each lesson in their titles: run the new lesson's only.
    const report = run('vitest', ['run', '--project', 'unit', 'test/registry.test.ts', 'test/labs', 'test/core/url.test.ts', 'test/core/machine-table.test.ts', 'test/demo-x', '-t', 'demo-x']);
    expect(report).toMatch(/Tests\s+\S*\s*\d+ passed/);
    expect(report).not.toMatch(/failed/);
    // Each generic file ran something for demo-x, so a filter that matched nothing cannot pass.
    for (const file of ['registry.test.ts', 'labs.test.ts', 'levers.test.ts', 'url.test.ts', 'machine-table.test.ts', 'model.test.ts']) {
      expect(report, file).toMatch(new RegExp(`${file.replace('.', '\\.')} \\(\\d+ tests?(?! \\| \\d+ skipped\\))`));
    }
  }, 600_000);
});
