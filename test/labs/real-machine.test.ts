/**
 * Every lab's shape around its "On a real machine" part: who it is for, where
 * the part sits in the page, the facilitator's note on it, and a timing list
 * that adds up to the minutes the lab announces.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';

type Front = { minutes: number; audience: string; prerequisites: string[] };

const labFiles = readdirSync('content/labs')
  .filter((f) => f.endsWith('.mdx'))
  .map((f) => {
    const text = readFileSync(`content/labs/${f}`, 'utf8');
    const [, front, body] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text)!;
    return [f.replace(/\.mdx$/, ''), parse(front!) as Front, body!] as const;
  });

/** The text between a `### heading` and the next heading of any level. */
function subsection(text: string, heading: string): string {
  const start = text.indexOf(`\n### ${heading}\n`);
  if (start < 0) return '';
  const rest = text.slice(start + heading.length + 6);
  const end = rest.search(/\n#{2,3} /);
  return end < 0 ? rest : rest.slice(0, end);
}

test('every lesson\'s lab is read', () => {
  expect(labFiles.length).toBeGreaterThanOrEqual(6);
});

describe.each(labFiles)('the %s lab', (_id, front, body) => {
  const facilitatorStart = body.indexOf('<Facilitator>');
  const facilitator = body.slice(facilitatorStart, body.indexOf('</Facilitator>'));

  test('names its audience in one sentence and lists at least one prerequisite', () => {
    expect(front.audience.trim()).toMatch(/^[^.!?]+[.!?]$/);
    expect(front.prerequisites.length).toBeGreaterThan(0);
    for (const item of front.prerequisites) expect(item.trim().length).toBeGreaterThan(0);
  });

  test('puts "On a real machine" after the exercises’ intro and before the facilitator’s notes', () => {
    const intro = body.indexOf('\n## How the exercises work\n');
    const realMachine = body.indexOf('\n## On a real machine\n');
    expect(intro).toBeGreaterThan(0);
    expect(realMachine).toBeGreaterThan(intro);
    expect(facilitatorStart).toBeGreaterThan(realMachine);
  });

  test('gives the real-machine part a note of its own in the facilitator’s block', () => {
    expect(subsection(facilitator, 'On a real machine')).toMatch(/\S/);
  });

  test('has a facilitator’s timing list, extension included, that adds up to its minutes', () => {
    const timing = subsection(facilitator, 'Time');
    expect(timing).toContain(`About ${front.minutes} minutes`);
    const items = [...timing.matchAll(/^- (.+): (\d+) minutes\.$/gm)];
    expect(items.map((m) => m[1])).toContain('On a real machine');
    expect(items.reduce((sum, m) => sum + Number(m[2]), 0)).toBe(front.minutes);
  });
});
