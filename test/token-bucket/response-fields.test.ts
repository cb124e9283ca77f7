import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { readHints, responseHeaderLines, type HeaderStyle } from '../../sim/token-bucket/headers.ts';
import { ResponseFieldsCache } from '../../sim/token-bucket/response-fields.ts';

const bucket = { ratePerSec: 100 / 60, burst: 100 };
// Times near whole seconds, so that responses in a sequence often share their printed numbers and hit the cache.
const ms = fc.oneof(fc.constantFrom(0, 999.999, 1000, 1000.4, 59_999, 60_000), fc.double({ min: 0, max: 120_000, noNaN: true }));
const response = fc.record({
  remaining: fc.nat({ max: 3 }),
  nextTokenInMs: ms,
  fullInMs: ms,
  retryAfterMs: fc.option(ms, { nil: null }),
});

describe('the edge’s cached responses', () => {
  test('every response in any sequence carries the lines written for it and what a client reads from them, in every style', () => {
    fc.assert(
      fc.property(fc.constantFrom<HeaderStyle>('draft', 'legacy', 'off'), fc.array(response, { maxLength: 60 }), (style, views) => {
        const cache = new ResponseFieldsCache('default', bucket, style);
        for (const view of views) {
          const lines = responseHeaderLines({ policyName: 'default', bucket, ...view }, style);
          const fields = cache.of(view);
          expect(fields.lines).toEqual(lines);
          expect({ remaining: fields.remaining, windowSec: fields.windowSec, retryAfterSec: fields.retryAfterSec }).toEqual(readHints(lines));
        }
      }),
    );
  });
});
