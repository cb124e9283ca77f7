import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { readHints, responseHeaderLines, type HeaderStyle } from '../../sim/token-bucket/headers.ts';
import { PROBLEM_JSON } from '../../sim/token-bucket/problem.ts';
import { ResponseFieldsCache } from '../../sim/token-bucket/response-fields.ts';

const bucket = { ratePerSec: 100 / 60, burst: 100 };
// Times near whole seconds, so that responses in a sequence often share their printed numbers and hit the cache.
const ms = fc.oneof(fc.constantFrom(0, 999.999, 1000, 1000.4, 59_999, 60_000), fc.double({ min: 0, max: 120_000, noNaN: true }));
const response = fc.record({
  tokens: fc.oneof(fc.constantFrom(0, 0.5, 1, 99.5, 100), fc.double({ min: 0, max: 100, noNaN: true })),
  remaining: fc.nat({ max: 3 }),
  nextTokenInMs: ms,
  fullInMs: ms,
  retryAfterMs: fc.option(ms, { nil: null }),
  overQuota: fc.boolean(),
});

describe('the edge’s cached responses', () => {
  test('every response in any sequence carries the lines written for it and what a client reads from them, in every style', () => {
    fc.assert(
      fc.property(fc.constantFrom<HeaderStyle>('draft', 'legacy', 'off'), fc.array(response, { maxLength: 60 }), (style, views) => {
        const cache = new ResponseFieldsCache('default', bucket, style);
        for (const { overQuota, ...view } of views) {
          const lines = [...responseHeaderLines('default', bucket, view, style), ...(overQuota ? [`Content-Type: ${PROBLEM_JSON}`] : [])];
          const fields = cache.of(view, overQuota);
          expect(fields.lines).toEqual(lines);
          expect({ form: fields.form, remaining: fields.remaining, windowSec: fields.windowSec, retryAfterSec: fields.retryAfterSec }).toEqual(readHints(lines));
          expect(fields.body !== null).toBe(overQuota);
        }
      }),
    );
  });

  test('a 429 carries RFC 9457 problem details of the draft’s quota-exceeded type, naming the policy it announced as violated', () => {
    for (const style of ['draft', 'legacy', 'off'] as const) {
      const fields = new ResponseFieldsCache('per-client', bucket, style).of({ tokens: 0.2, remaining: 0, nextTokenInMs: 480, fullInMs: 59_880, retryAfterMs: 480 }, true);
      expect(fields.lines).toContain('Content-Type: application/problem+json');
      expect(JSON.parse(fields.body!)).toEqual({
        type: 'https://iana.org/assignments/http-problem-types#quota-exceeded',
        title: 'Quota Exceeded',
        status: 429,
        'violated-policies': ['per-client'],
      });
    }
  });
});
