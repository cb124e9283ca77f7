import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const simFiles = files('sim');
const strip = (src: string) => src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');

describe('sim/ is pure and deterministic', () => {
  test.each([
    ['Math.random', /\bMath\.random\b/],
    ['Date', /\bDate\b/],
    ['performance', /\bperformance\b/],
    ['setTimeout / setInterval', /\bset(Timeout|Interval|Immediate)\b/],
    ['requestAnimationFrame', /\brequestAnimationFrame\b/],
    ['the DOM (window, document)', /\b(window|document|navigator|localStorage)\s*[.[]/],
    ['locale-dependent formatting', /toLocale(String|DateString|TimeString)\b/],
  ])('no file under sim/ uses %s', (_name, pattern) => {
    const offenders = simFiles.filter((f) => pattern.test(strip(readFileSync(f, 'utf8'))));
    expect(offenders).toEqual([]);
  });

  test('no file under sim/ imports from site/', () => {
    const offenders = simFiles.filter((f) => /from\s+['"][^'"]*\bsite\//.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  test('the scan sees the simulation files (a scan of nothing would pass)', () => {
    expect(simFiles.some((f) => f.endsWith(join('syn-queue', 'model.ts')))).toBe(true);
  });
});
