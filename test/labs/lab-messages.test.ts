/**
 * Every lab check's goal and messages, rendered from real runs, read in the words and units a
 * participant knows: no code the model uses inside (-1 for none, 1 for yes, a host's place in a
 * list), no grouped port, no duration in thousands of milliseconds, no unit said twice.
 */
import { describe, expect, test } from 'vitest';
import { simulations } from '../../sim/index.ts';
import { HOSTS } from '../../sim/ssh-forwarding/params.ts';
import { describeCheck, missMessage } from '../../site/labs/checks.ts';
import { durationWords, figureWords } from '../../site/labs/figure-words.ts';
import { renderedChecks } from './lab-messages.ts';

const rendered = renderedChecks();
const texts = rendered.flatMap((r) => [r.goal, ...r.messages].map((text) => [r.where, text] as const));

describe('every lab check as a participant reads it', () => {
  test('renders a goal and three messages for every check of every lab', () => {
    expect(rendered.length).toBeGreaterThan(150);
    for (const r of rendered) expect(r.messages).toHaveLength(3);
  });

  test.each([
    ['an "N is ..." key to a code', /\(-?\d+ is /],
    ['-1 where a name is meant', /(^|[\s:(])-1\b/],
    ['a unit in brackets after the label, said again after the value', /\((h|s|ms|%|µs|rows|tokens)\)/],
    ['a machine value', /NaN|undefined|\[object|Infinity/],
    ['a duration in thousands of milliseconds', /\d,?\d{3}(\.\d+)?\s?ms\b/],
  ])('no message or goal holds %s', (_what, pattern) => {
    const leaks = texts.filter(([, text]) => pattern.test(text));
    expect(leaks).toEqual([]);
  });

  test('ports, exit statuses and other identifiers are never grouped with commas', () => {
    const ids = rendered.filter((r) => r.check.reads === 'id' || /port/i.test(r.check.key));
    expect(ids.length).toBeGreaterThan(0);
    for (const r of ids) for (const v of r.values) expect(v, r.where).not.toMatch(/\d,\d/);
  });

  test('a yes-or-no figure reads yes or no, and a host by its name', () => {
    const worded = rendered.filter((r) => r.check.reads === 'yes-no' || r.check.optionsOf);
    expect(worded.length).toBeGreaterThan(0);
    for (const r of worded) for (const v of r.values) expect(v, r.where).toMatch(/^(yes|no|none|[a-z]+\d?)$/);
  });
});

describe('figure words', () => {
  const ssh = simulations['ssh-forwarding']!;
  const syn = simulations['syn-queue']!;

  test('the host reached indexes the list of hosts in the order the model counts them', () => {
    const spec = ssh.params.actionOn!;
    expect(spec.kind === 'choice' && spec.options.map((o) => o.value)).toEqual([...HOSTS]);
    HOSTS.forEach((host, i) => expect(figureWords(ssh, { of: 'summary', key: 'reachedHost', optionsOf: 'actionOn', none: 'none' }, i)).toBe(host));
  });

  test('a duration reads in milliseconds below a second and in seconds from one up', () => {
    expect(durationWords(63121.6)).toBe('63.1\u00a0s');
    expect(durationWords(1000)).toBe('1\u00a0s');
    expect(durationWords(0.2234)).toBe('0.223\u00a0ms');
    expect(durationWords(175.97)).toBe('176\u00a0ms');
  });

  test('a port reads ungrouped, and -1 reads as the check says', () => {
    const port = { of: 'summary', key: 'reachedPort', reads: 'id', none: 'none' } as const;
    expect(figureWords(ssh, port, 5900)).toBe('5900');
    expect(figureWords(ssh, port, -1)).toBe('none');
  });

  test('a number parameter carries its control\'s unit, singular for one, and a count is grouped', () => {
    const pagination = simulations.pagination!;
    expect(figureWords(pagination, { of: 'param', key: 'insertsPerFetch' }, 1)).toBe('1\u00a0row');
    expect(figureWords(pagination, { of: 'param', key: 'rows' }, 100000)).toBe('100,000\u00a0rows');
    expect(figureWords(syn, { of: 'summary', key: 'ListenOverflows' }, 12345)).toBe('12,345');
  });

  test('a missed check names the figure, its value in this run and the goal, in words', () => {
    const check = { of: 'summary', key: 'latencyP99Ms', label: 'the 99th-percentile time to accept()', is: '<=', value: 1000, reads: 'ms' } as const;
    expect(missMessage(syn, check, 63121.6)).toBe('the 99th-percentile time to accept(): 63.1\u00a0s; the goal is at most 1\u00a0s.');
    const host = { of: 'summary', key: 'reachedHost', label: 'the host reached', is: '==', value: 1, optionsOf: 'actionOn', none: 'none' } as const;
    expect(describeCheck(ssh, host)).toBe('the host reached: desktop1');
    expect(missMessage(ssh, host, -1)).toBe('the host reached: none; the goal is desktop1.');
  });
});
