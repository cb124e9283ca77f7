import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { parseList, serializeList } from 'structured-headers';
import { fullBucket, take, type BucketState } from '../../sim/token-bucket/bucket.ts';
import { parseRateLimit, policyWindowSec, readHints, responseHeaderLines, sfString, wholeSeconds } from '../../sim/token-bucket/headers.ts';

const perMinute100 = { ratePerSec: 100 / 60, burst: 100 };

function after(requests: number, atMs = 0) {
  let state: BucketState = fullBucket(perMinute100);
  let last = take(perMinute100, state, atMs);
  for (let i = 1; i < requests; i++) {
    state = last.state;
    last = take(perMinute100, state, atMs);
  }
  return last;
}

describe('RateLimit fields (draft-ietf-httpapi-ratelimit-headers-11)', () => {
  test('100 a minute is announced as the draft\'s own example shape, q=100;w=60', () => {
    expect(policyWindowSec(perMinute100)).toBe(60);
    const fifty = after(50);
    expect(
      responseHeaderLines({ policyName: 'default', bucket: perMinute100, ...fifty, retryAfterMs: null }, 'draft'),
    ).toEqual(['RateLimit-Policy: "default";q=100;w=60', 'RateLimit: "default";r=50;t=1']);
  });

  test('a 429 carries Retry-After, rounded up so an obedient client is not early', () => {
    const refused = after(101);
    expect(refused.allowed).toBe(false);
    const lines = responseHeaderLines(
      { policyName: 'default', bucket: perMinute100, ...refused, retryAfterMs: refused.nextTokenInMs },
      'draft',
    );
    expect(lines).toEqual(['RateLimit-Policy: "default";q=100;w=60', 'RateLimit: "default";r=0;t=1', 'Retry-After: 1']);
  });

  test('the older three-field form reports the time until the bucket is full', () => {
    const emptied = after(100);
    expect(
      responseHeaderLines({ policyName: 'default', bucket: perMinute100, ...emptied, retryAfterMs: null }, 'legacy'),
    ).toEqual(['RateLimit-Limit: 100', 'RateLimit-Remaining: 0', 'RateLimit-Reset: 60']);
    expect(responseHeaderLines({ policyName: 'default', bucket: perMinute100, ...emptied, retryAfterMs: null }, 'off')).toEqual([]);
  });

  test('whole seconds round up, but not past an exact second', () => {
    expect(wholeSeconds(600)).toBe(1);
    expect(wholeSeconds(1000)).toBe(1);
    expect(wholeSeconds(1000.4)).toBe(2);
    expect(wholeSeconds(0)).toBe(0);
    expect(wholeSeconds(Number.POSITIVE_INFINITY)).toBe(0);
  });

  test('policy names are sf-strings: quotes and backslashes escaped, other bytes refused', () => {
    expect(sfString('a "b" \\c')).toBe('"a \\"b\\" \\\\c"');
    expect(() => sfString('café')).toThrow(RangeError);
  });

  test('what the server writes, a client reads back', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) }),
        fc.nat({ max: 1e6 }),
        fc.nat({ max: 86_400_000 }),
        (name, remaining, nextTokenInMs) => {
          const line = responseHeaderLines(
            { policyName: name, bucket: perMinute100, remaining, nextTokenInMs, fullInMs: 0, retryAfterMs: null },
            'draft',
          )[1]!;
          expect(parseRateLimit(line.slice('RateLimit: '.length))).toEqual({
            policyName: name,
            remaining,
            resetSec: wholeSeconds(nextTokenInMs),
          });
        },
      ),
    );
  });

  test('both draft fields the server writes are RFC 9651 Lists in canonical form, as an independent parser reads them', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) }),
        fc.record({ ratePerSec: fc.double({ min: 0.01, max: 1e4, noNaN: true }), burst: fc.integer({ min: 1, max: 1e6 }) }),
        fc.nat({ max: 1e6 }),
        fc.nat({ max: 86_400_000 }),
        (name, bucket, remaining, nextTokenInMs) => {
          const lines = responseHeaderLines({ policyName: name, bucket, remaining, nextTokenInMs, fullInMs: 0, retryAfterMs: null }, 'draft');
          const fields = new Map(lines.map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
          const policy = parseList(fields.get('RateLimit-Policy')!);
          const limit = parseList(fields.get('RateLimit')!);
          expect(policy).toEqual([[name, new Map([['q', bucket.burst], ['w', policyWindowSec(bucket)]])]]);
          expect(limit).toEqual([[name, new Map([['r', remaining], ['t', wholeSeconds(nextTokenInMs)]])]]);
          // Serialising what was parsed gives back the very bytes written: nothing optional, nothing extra.
          expect(serializeList(policy)).toBe(fields.get('RateLimit-Policy'));
          expect(serializeList(limit)).toBe(fields.get('RateLimit'));
        },
      ),
    );
  });

  test('a client reads any valid spelling of the field: spaces after semicolons, other parameters, later members', () => {
    expect(parseRateLimit('"default"; r=50; t=1')).toEqual({ policyName: 'default', remaining: 50, resetSec: 1 });
    expect(parseRateLimit('  "a\\\\b";t=30;x=?1;r=7, "other";r=1;t=2')).toEqual({ policyName: 'a\\b', remaining: 7, resetSec: 30 });
  });

  test('a client reads the same hints from either field form, and Retry-After from both', () => {
    const refused = after(101);
    const view = { policyName: 'default', bucket: perMinute100, ...refused, retryAfterMs: refused.nextTokenInMs };
    expect(readHints(responseHeaderLines(view, 'draft'))).toEqual({ remaining: 0, windowSec: 1, retryAfterSec: 1 });
    // The older Reset counts to a full bucket: an obedient client waits the whole minute.
    expect(readHints(responseHeaderLines(view, 'legacy'))).toEqual({ remaining: 0, windowSec: 60, retryAfterSec: 1 });
    expect(readHints(responseHeaderLines(view, 'off'))).toEqual({ remaining: null, windowSec: null, retryAfterSec: 1 });
    expect(readHints(['RateLimit: nonsense', 'Retry-After: soon'])).toEqual({ remaining: null, windowSec: null, retryAfterSec: null });
  });

  test('malformed fields are ignored, never thrown on', () => {
    for (const bad of ['', 'default;r=1;t=2', '"x";r=-1;t=2', '"x";r=1', '"x";r=1.5;t=2', '"x"r=1;t=2']) {
      expect(parseRateLimit(bad)).toBeNull();
    }
    fc.assert(fc.property(fc.string(), (value) => void parseRateLimit(value)));
  });
});
