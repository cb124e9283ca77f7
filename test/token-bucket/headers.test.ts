import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { parseList, serializeList } from 'structured-headers';
import { fullBucket, take, type BucketSpec, type BucketState, type TakeResult } from '../../sim/token-bucket/bucket.ts';
import { fieldNumbers, parseRateLimit, quotaPolicy, readHints, responseHeaderLines, wholeSeconds, type LimiterView } from '../../sim/token-bucket/headers.ts';

/**
 * The fields are held to what the limiter does, following
 * draft-ietf-httpapi-ratelimit-headers-11: §3.1.1 and §3.1.3 (q and w),
 * §4.1.1 and §4.1.2 (r, and t, "the time within which the client can use no
 * more than the available quota"), §6 (Retry-After not before the effective
 * window ends), §8.5 (an unconsumed quota with a short window).
 */
const perMinute100 = { ratePerSec: 100 / 60, burst: 100 };

/** The model's limits: a whole number a minute, any burst. */
const bucketArb = fc.record({ limitPerMin: fc.integer({ min: 1, max: 12000 }), burst: fc.integer({ min: 1, max: 1000 }) }).map(
  ({ limitPerMin, burst }): BucketSpec => ({ ratePerSec: limitPerMin / 60, burst }),
);

function after(spec: BucketSpec, requests: number, atMs = 0): TakeResult {
  let state: BucketState = fullBucket(spec);
  let last = take(spec, state, atMs);
  for (let i = 1; i < requests; i++) {
    state = last.state;
    last = take(spec, state, atMs);
  }
  return last;
}

const viewOf = (taken: TakeResult, retryAfterMs: number | null = null): LimiterView => ({ ...taken, tokens: taken.state.tokens, retryAfterMs });

/** A client that sends each request the moment its bucket holds a whole token: the most any client can have admitted. */
function greedyAdmittedWithin(spec: BucketSpec, from: BucketState, startMs: number, withinMs: number): number {
  let state = from;
  let tMs = startMs;
  const endMs = startMs + withinMs;
  let admitted = 0;
  for (;;) {
    const taken = take(spec, state, tMs);
    if (!taken.allowed) {
      // Not yet: come back when the next whole token has grown, or at the window's last instant, whichever is first.
      if (tMs >= endMs) return admitted;
      tMs = Math.min(endMs, tMs + Math.max(taken.nextTokenInMs, 1e-9));
      continue;
    }
    admitted++;
    state = taken.state;
  }
}

/** A bucket somewhere in its life: full, then spent by a random history of requests. */
const historyArb = fc.array(fc.double({ min: 0, max: 3000, noNaN: true }), { maxLength: 40 });
function lived(spec: BucketSpec, gapsMs: number[]): { state: BucketState; nowMs: number } {
  let state = fullBucket(spec);
  let nowMs = 0;
  for (const gap of gapsMs) {
    nowMs += gap;
    state = take(spec, state, nowMs).state;
  }
  return { state, nowMs };
}

describe('RateLimit-Policy: q per w is the bucket’s long-run rate', () => {
  test('100 a minute is q=5;w=3, and 12,000 a minute with a burst of 1 is q=200;w=1, not the burst per second', () => {
    expect(quotaPolicy(perMinute100)).toEqual({ quota: 5, windowSec: 3 });
    expect(quotaPolicy({ ratePerSec: 200, burst: 1 })).toEqual({ quota: 200, windowSec: 1 });
    expect(quotaPolicy({ ratePerSec: 7 / 60, burst: 3 })).toEqual({ quota: 7, windowSec: 60 });
  });

  test('a client that keeps every token busy gets the burst and then exactly q per w, whatever the rate and burst', () => {
    fc.assert(
      fc.property(bucketArb, fc.integer({ min: 1, max: 5 }), (spec, windows) => {
        const { quota, windowSec } = quotaPolicy(spec);
        // Sized so the run stays short: at most a few thousand requests.
        fc.pre(spec.burst + quota * windows <= 5000);
        const admitted = greedyAdmittedWithin(spec, fullBucket(spec), 0, windows * windowSec * 1000);
        expect(admitted).toBe(spec.burst + quota * windows);
      }),
      { numRuns: 200 },
    );
  });

  test('a client that sends q evenly spread over every w seconds is never refused, even from an empty bucket', () => {
    fc.assert(
      fc.property(bucketArb, (spec) => {
        const { quota, windowSec } = quotaPolicy(spec);
        fc.pre(quota * 3 <= 1500);
        let state = { tokens: 0, atMs: 0 };
        for (let k = 1; k <= quota * 3; k++) {
          const taken = take(spec, state, (k * windowSec * 1000) / quota);
          expect(taken.allowed).toBe(true);
          state = taken.state;
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('RateLimit: r is what the bucket admits within t seconds', () => {
  test('from any state, a client sending each request as its token grows gets exactly r admitted within t seconds, never one more', () => {
    fc.assert(
      fc.property(bucketArb, historyArb, fc.double({ min: 0, max: 5000, noNaN: true }), (spec, gaps, waitMs) => {
        const { state, nowMs } = lived(spec, gaps);
        const atMs = nowMs + waitMs;
        const n = fieldNumbers(spec, quotaPolicy(spec), viewOf(take(spec, state, atMs, 0)));
        fc.pre(n.available <= 5000);
        expect(greedyAdmittedWithin(spec, state, atMs, n.windowSec * 1000)).toBe(n.available);
      }),
      { numRuns: 300 },
    );
  });

  test('the effective window is never zero, and is at most the time to the next whole token, rounded up, unless the bucket is full', () => {
    fc.assert(
      fc.property(bucketArb, historyArb, (spec, gaps) => {
        const { state, nowMs } = lived(spec, gaps);
        const peeked = take(spec, state, nowMs, 0);
        const n = fieldNumbers(spec, quotaPolicy(spec), viewOf(peeked));
        expect(n.windowSec).toBeGreaterThanOrEqual(1);
        if (peeked.fullInMs > 0) expect(n.windowSec).toBe(Math.max(1, wholeSeconds(peeked.nextTokenInMs)));
        // r counts the whole tokens there now, and never fewer.
        expect(n.available).toBeGreaterThanOrEqual(peeked.remaining);
      }),
    );
  });

  test('a full bucket, a quota not in use, reports the policy’s whole window and what it admits in it: r=b+q, t=w', () => {
    fc.assert(
      fc.property(bucketArb, (spec) => {
        const policy = quotaPolicy(spec);
        const n = fieldNumbers(spec, policy, viewOf(take(spec, fullBucket(spec), 0, 0)));
        expect(n.windowSec).toBe(policy.windowSec);
        expect(n.available).toBe(spec.burst + policy.quota);
      }),
    );
  });

  test('a 429’s Retry-After never points before the end of the effective window', () => {
    fc.assert(
      fc.property(bucketArb, historyArb, (spec, gaps) => {
        const { state, nowMs } = lived(spec, gaps);
        const refused = take(spec, { tokens: Math.min(state.tokens, 0.999), atMs: state.atMs }, nowMs);
        fc.pre(!refused.allowed);
        const n = fieldNumbers(spec, quotaPolicy(spec), viewOf(refused, refused.nextTokenInMs));
        expect(n.retryAfterSec).toBeGreaterThanOrEqual(n.windowSec);
      }),
    );
  });

  test('100 a minute, half spent: r counts the 50 tokens and the one that grows within the second', () => {
    expect(responseHeaderLines('default', perMinute100, viewOf(after(perMinute100, 50)), 'draft')).toEqual([
      'RateLimit-Policy: "default";q=5;w=3',
      'RateLimit: "default";r=51;t=1',
    ]);
  });

  test('a 429 carries Retry-After, rounded up so an obedient client is not early', () => {
    const refused = after(perMinute100, 101);
    expect(refused.allowed).toBe(false);
    expect(responseHeaderLines('default', perMinute100, viewOf(refused, refused.nextTokenInMs), 'draft')).toEqual([
      'RateLimit-Policy: "default";q=5;w=3',
      'RateLimit: "default";r=1;t=1',
      'Retry-After: 1',
    ]);
  });
});

describe('RateLimit fields: the older form, and what a client reads', () => {
  test('the older three-field form reports the burst, the whole tokens now, and the time until the bucket is full', () => {
    const emptied = viewOf(after(perMinute100, 100));
    expect(responseHeaderLines('default', perMinute100, emptied, 'legacy')).toEqual(['RateLimit-Limit: 100', 'RateLimit-Remaining: 0', 'RateLimit-Reset: 60']);
    expect(responseHeaderLines('default', perMinute100, emptied, 'off')).toEqual([]);
  });

  test('whole seconds round up, but not past an exact second', () => {
    expect(wholeSeconds(600)).toBe(1);
    expect(wholeSeconds(1000)).toBe(1);
    expect(wholeSeconds(1000.4)).toBe(2);
    expect(wholeSeconds(0)).toBe(0);
    expect(wholeSeconds(Number.POSITIVE_INFINITY)).toBe(0);
  });

  test('policy names are written as sf-strings by the RFC 9651 serialiser: quotes and backslashes escaped, other bytes refused', () => {
    const view = viewOf(after(perMinute100, 1));
    expect(responseHeaderLines('a "b" \\c', perMinute100, view, 'draft')[0]).toBe('RateLimit-Policy: "a \\"b\\" \\\\c";q=5;w=3');
    expect(() => responseHeaderLines('café', perMinute100, view, 'draft')).toThrow();
  });

  test('both draft fields the server writes are RFC 9651 Lists in canonical form, and a client reads back r and t', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) }),
        bucketArb,
        historyArb,
        (name, spec, gaps) => {
          const { state, nowMs } = lived(spec, gaps);
          const view = viewOf(take(spec, state, nowMs, 0));
          const policy = quotaPolicy(spec);
          const n = fieldNumbers(spec, policy, view);
          const lines = responseHeaderLines(name, spec, view, 'draft');
          const fields = new Map(lines.map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
          const policyField = parseList(fields.get('RateLimit-Policy')!);
          const limit = parseList(fields.get('RateLimit')!);
          expect(policyField).toEqual([[name, new Map([['q', policy.quota], ['w', policy.windowSec]])]]);
          expect(limit).toEqual([[name, new Map([['r', n.available], ['t', n.windowSec]])]]);
          expect(serializeList(policyField)).toBe(fields.get('RateLimit-Policy'));
          expect(serializeList(limit)).toBe(fields.get('RateLimit'));
          expect(parseRateLimit(fields.get('RateLimit')!)).toEqual({ policyName: name, available: n.available, windowSec: n.windowSec });
        },
      ),
    );
  });

  test('a client reads any valid spelling of the field: spaces after semicolons, other parameters, later members', () => {
    expect(parseRateLimit('"default"; r=50; t=1')).toEqual({ policyName: 'default', available: 50, windowSec: 1 });
    expect(parseRateLimit('  "a\\\\b";t=30;x=?1;r=7, "other";r=1;t=2')).toEqual({ policyName: 'a\\b', available: 7, windowSec: 30 });
  });

  test('a client reads which form the hints came in, r and t or Remaining and Reset, and Retry-After from both', () => {
    const refused = after(perMinute100, 101);
    const view = viewOf(refused, refused.nextTokenInMs);
    expect(readHints(responseHeaderLines('default', perMinute100, view, 'draft'))).toEqual({ form: 'draft', remaining: 1, windowSec: 1, retryAfterSec: 1 });
    // The older Reset counts to a full bucket: an obedient client waits the whole minute.
    expect(readHints(responseHeaderLines('default', perMinute100, view, 'legacy'))).toEqual({ form: 'legacy', remaining: 0, windowSec: 60, retryAfterSec: 1 });
    expect(readHints(responseHeaderLines('default', perMinute100, view, 'off'))).toEqual({ form: null, remaining: null, windowSec: null, retryAfterSec: 1 });
    expect(readHints(['RateLimit: nonsense', 'Retry-After: soon'])).toEqual({ form: null, remaining: null, windowSec: null, retryAfterSec: null });
  });

  test('malformed fields are ignored, never thrown on', () => {
    for (const bad of ['', 'default;r=1;t=2', '"x";r=-1;t=2', '"x";r=1', '"x";r=1.5;t=2', '"x"r=1;t=2']) {
      expect(parseRateLimit(bad)).toBeNull();
    }
    fc.assert(fc.property(fc.string(), (value) => void parseRateLimit(value)));
  });
});
