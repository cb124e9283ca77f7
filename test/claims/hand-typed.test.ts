import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handTypedNumbers } from './hand-typed.ts';

/**
 * Articles whose simulation numbers are all written with <Num> and <Claim>. An article joins
 * this list once it is converted; the others still have numbers typed by hand.
 */
const CONVERTED = ['content/articles/cache-stampede.mdx', 'content/articles/backup-mx.mdx'];

/** Numbers that are not the simulation's, each with the reason it stays typed. */
const EXEMPT: Record<string, { phrase: string; reason: string }[]> = {
  'content/articles/cache-stampede.mdx': [
    { phrase: 'every 50 ms in the model', reason: "a constant of the model's code (POLL_MS in sim/cache-stampede/model.ts), in no trace" },
    { phrase: 'Redis 8.4', reason: 'a version number' },
    { phrase: 'RFC 5861', reason: 'a document number' },
    { phrase: 'a response up to 30 seconds past its freshness', reason: "RFC 5861's own example (stale-while-revalidate=30)" },
    { phrase: 'anywhere from 24 to 36 seconds', reason: 'arithmetic on the TTL and the jitter just before it, both <Num>s; no run output holds them' },
    { phrase: 'a 2015 VLDB paper', reason: "the XFetch paper's year" },
    { phrase: 'about 37%', reason: 'exp(−1), arithmetic of the formula in the text, not of a run' },
  ],
  'content/articles/backup-mx.mdx': [
    { phrase: 'January 2009', reason: "the source's date" },
    { phrase: '22:00', reason: "the source's time of the power failure (the scenarios' outage start on an 18:00 run start)" },
    { phrase: '10:45', reason: "the source's time of the repair (the scenarios' outage length)" },
    { phrase: '18:00', reason: "the run's start, a clock time the model has no number for" },
    { phrase: 'RFC 5321', reason: 'a document number' },
    { phrase: '451', reason: 'an SMTP reply code' },
    { phrase: '550', reason: 'an SMTP reply code' },
    { phrase: '250', reason: 'an SMTP reply code' },
    { phrase: '450', reason: 'an SMTP reply code' },
    { phrase: "port 25", reason: "SMTP's port number" },
    { phrase: 'waits at most 30 seconds', reason: "the source's callout=30s in the configuration it quotes" },
    { phrase: '30 seconds is the wait', reason: "the source's callout=30s in the configuration it quotes" },
    { phrase: 'two 30-second callouts', reason: "the source's callout=30s, on a real server rather than in the model" },
    { phrase: 'every 30 minutes by default', reason: "Debian's default queue-run interval for Exim, not the model's" },
  ],
};

describe('numbers typed by hand in converted articles', () => {
  it('flags a numeral of a result typed into prose, and not one inside code, a tag or a <Num>', () => {
    const text = [
      '---', 'sim: cache-stampede', '---',
      'The herd is about 300 queries.',
      'Set `servers=50` and <SimLink scenario="herd" set={{ servers: 50 }} t={12}>play</SimLink>.',
      'It sends <Num scenario="herd" value="summary.queriesPerExpiry" /> queries and <Claim scenario="herd" value="summary.dbQueries" is=">" than={100}>a lot</Claim>.',
      'A 20% jitter and 1.4 s of waiting; beta 1 is fine.',
    ].join('\n');
    expect(handTypedNumbers(text, []).map((h) => `${h.line}:${h.number}`)).toEqual(['4:300', '7:20%', '7:1.4']);
  });

  it('skips an exempt phrase, and only that phrase', () => {
    const text = 'Redis 8.4 and Redis 9.0 differ.';
    expect(handTypedNumbers(text, ['Redis 8.4']).map((h) => h.number)).toEqual(['9.0']);
  });

  for (const file of CONVERTED) {
    const exempt = EXEMPT[file] ?? [];
    const text = readFileSync(file, 'utf8');

    it(`${file} has no simulation number typed by hand`, () => {
      const found = handTypedNumbers(text, exempt.map((e) => e.phrase));
      expect(found.map((h) => `${file}:${h.line}: ${h.number} in "${h.context}"`)).toEqual([]);
    });

    it(`${file} still contains every phrase it exempts`, () => {
      expect(exempt.filter((e) => !text.includes(e.phrase)).map((e) => e.phrase)).toEqual([]);
    });
  }
});
