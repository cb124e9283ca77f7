/** Random cache-stampede parameters for property tests: every knob, at rates and lengths that keep a run quick. */
import fc from 'fast-check';
import { normalizeParams } from '../../sim/core/index.ts';
import { cacheStampede } from '../../sim/cache-stampede/index.ts';

export const arbParams = fc
  .record({
    servers: fc.integer({ min: 1, max: 12 }),
    requestsPerSec: fc.integer({ min: 1, max: 400 }),
    ttlSec: fc.integer({ min: 1, max: 20 }),
    ttlJitterPct: fc.integer({ min: 0, max: 50 }),
    queryMs: fc.integer({ min: 1, max: 2000 }),
    dbConcurrency: fc.integer({ min: 1, max: 40 }),
    timeoutMs: fc.integer({ min: 1, max: 60 }).map((n) => n * 100),
    singleFlight: fc.constantFrom(0, 1),
    fleetLock: fc.constantFrom(0, 1),
    lockTtlSec: fc.integer({ min: 1, max: 50 }).map((n) => n / 10),
    swrSec: fc.integer({ min: 0, max: 20 }),
    xfetchBeta: fc.constantFrom(0, 0.5, 1, 2),
    localTtlSec: fc.constantFrom(0, 0.5, 2),
    otherKeys: fc.constantFrom(0, 50),
    otherKeysPerSec: fc.integer({ min: 0, max: 30 }).map((n) => n * 10),
    missingPct: fc.integer({ min: 0, max: 30 }),
    negativeCaching: fc.constantFrom(0, 1),
    durationSec: fc.constantFrom(10, 20, 30),
  })
  .map((p) => normalizeParams(cacheStampede.params, p).params);
