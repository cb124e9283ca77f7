/**
 * What the week's faster paths rest on, each held to the plain computation it replaced: the retry
 * lanes kept per kind give the lane the queue's maps give; the fixed three's next time is the same
 * when asked again (a retry the heap takes asks twice); and the summary's sums and peaks by index
 * are reduce's and Math.max's.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { EventQueue } from '../../sim/core/event-queue.ts';
import { EXCHANGE, EXIM, POSTFIX, SHORT_EXPIRY } from '../../sim/backup-mx/keys.ts';
import { Messages } from '../../sim/backup-mx/messages.ts';
import { HOUR_MS } from '../../sim/backup-mx/retry.ts';
import { RetryLanes } from '../../sim/backup-mx/retry-lanes.ts';
import { SenderLimits } from '../../sim/backup-mx/sender-limits.ts';
import { seriesPeak, seriesTotal } from '../../sim/backup-mx/summary.ts';
import { backupMx } from '../../sim/backup-mx/index.ts';
import { normalizeParams } from '../../sim/core/index.ts';
import { arbitraryParams } from './arbitrary-params.ts';

const KINDS = [EXIM, POSTFIX, SHORT_EXPIRY, EXCHANGE] as const;
const paramsOf = (partial: object) => normalizeParams(backupMx.params, partial).params;

describe('the retry lanes kept per kind', () => {
  test('whatever the order of kinds and waits, each retry gets the lane the plain lookup gives', () => {
    // Few waits, so kinds come back to a wait they had and move between waits, as a run's do.
    const ask = fc.tuple(fc.constantFrom(...KINDS), fc.constantFrom(0, 300_000, 600_000, 900_000, 4_000_000, 21_600_000));
    fc.assert(
      fc.property(fc.array(ask, { maxLength: 60 }), (asks) => {
        const queue = new EventQueue();
        const lanes = new RetryLanes(queue);
        // The plain lookup: the queue's lane of the delay, and for Exim a lane of its own per wait, made at its first use.
        const eximLanes = new Map<number, number>();
        for (const [kind, waitMs] of asks) {
          const lane = lanes.laneOf(kind, waitMs);
          expect(queue.dueAfter(lane, 1000.5)).toBe(1000.5 + waitMs);
          if (kind !== EXIM) {
            expect(lane).toBe(queue.laneFor(waitMs));
            continue;
          }
          const known = eximLanes.get(waitMs);
          if (known !== undefined) expect(lane).toBe(known);
          else {
            // Exim's own: never a lane another kind is given.
            expect(lane).not.toBe(queue.laneFor(waitMs));
            expect([...eximLanes.values()]).not.toContain(lane);
            eximLanes.set(waitMs, lane);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('a retry the event heap takes', () => {
  test('asks the fixed three’s schedule again and gets, to the bit, the time its deferral was given', () => {
    fc.assert(
      fc.property(
        arbitraryParams,
        fc.constantFrom(POSTFIX, SHORT_EXPIRY, EXCHANGE),
        fc.double({ min: 0, max: 100 * HOUR_MS, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 30 * HOUR_MS, noNaN: true }), { minLength: 1, maxLength: 12 }),
        (partial, kind, arrivalMs, gapsMs) => {
          const p = paramsOf(partial);
          const msgs = new Messages(p.users);
          const m = msgs.open(kind, 10, 0, arrivalMs);
          const limits = new SenderLimits(p);
          let tMs = arrivalMs;
          for (let failures = 1; failures <= gapsMs.length; failures++) {
            tMs += gapsMs[failures - 1]!;
            const given = limits.nextTry(msgs, m, tMs, failures);
            expect(limits.scheduledNextTry(msgs, m, tMs, failures)).toBe(given);
            if (given === null) break;
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('the summary’s sums and peaks', () => {
  test('by index, a series sums as reduce does and peaks as Math.max does', () => {
    // Counts and queue lengths: whole numbers, never negative; and doubles of either sign, for the sum.
    const counts = fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 400 });
    const doubles = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 400 });
    fc.assert(
      fc.property(counts, doubles, (c, d) => {
        const series = Float64Array.from(c);
        expect(seriesTotal(series)).toBe(series.reduce((x, y) => x + y, 0));
        expect(seriesPeak(series)).toBe(Math.max(...series));
        const mixed = Float64Array.from(d);
        expect(seriesTotal(mixed)).toBe(mixed.reduce((x, y) => x + y, 0));
      }),
      { numRuns: 500 },
    );
  });
});
