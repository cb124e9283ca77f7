/**
 * What the senders' faster paths rest on: the outage worked out once (PrimarySchedule) answers as
 * primaryAt and someHostTakesMail do, on the outage's bounds too; and a retry put in a lane of
 * its fixed delay (SenderLimits.fixedDelayMs) comes at the very moment nextTry gave.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { EXCHANGE, EXIM, POSTFIX, SHORT_EXPIRY } from '../../sim/backup-mx/keys.ts';
import { Messages } from '../../sim/backup-mx/messages.ts';
import { PrimarySchedule, primaryAt, someHostTakesMail } from '../../sim/backup-mx/primary.ts';
import { HOUR_MS } from '../../sim/backup-mx/retry.ts';
import { SenderLimits } from '../../sim/backup-mx/sender-limits.ts';
import { backupMx } from '../../sim/backup-mx/index.ts';
import { normalizeParams } from '../../sim/core/index.ts';
import { arbitraryParams } from './arbitrary-params.ts';

/** A time up to maxMs spread evenly (fc.double crowds near zero), with a fraction of a millisecond as arrivals have. */
const msAndFraction = (maxMs: number) => fc.tuple(fc.integer({ min: 0, max: maxMs }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })).map(([ms, f]) => ms + f);
const paramsOf = (partial: object) => normalizeParams(backupMx.params, partial).params;

describe('the outage worked out once', () => {
  test('at any moment, and on either bound of the outage, the schedule answers as primaryAt and someHostTakesMail', () => {
    fc.assert(
      fc.property(arbitraryParams, fc.double({ min: -1, max: 1, noNaN: true }), fc.constantFrom('start', 'end', 'any'), (partial, jitter, where) => {
        const p = paramsOf(partial);
        const startMs = p.outageStartHours * HOUR_MS;
        const endMs = startMs + p.outageHours * HOUR_MS;
        const tMs = where === 'start' ? startMs + Math.round(jitter) : where === 'end' ? endMs + Math.round(jitter) : (jitter + 1) * p.durationHours * HOUR_MS;
        const schedule = new PrimarySchedule(p);
        expect(schedule.at(tMs)).toBe(primaryAt(p, tMs));
        expect(schedule.someHostTakesMail(tMs)).toBe(someHostTakesMail(p, tMs));
      }),
      { numRuns: 500 },
    );
  });
});

describe('retries in lanes of a fixed delay', () => {
  test('whenever a delay is fixed, nextTry is the failure’s time plus that delay, to the bit', () => {
    fc.assert(
      fc.property(
        arbitraryParams,
        fc.constantFrom(EXIM, POSTFIX, SHORT_EXPIRY, EXCHANGE),
        msAndFraction(100 * HOUR_MS),
        // Half of them in the first two hours, where Postfix's wait follows the message's age.
        fc.oneof(msAndFraction(2 * HOUR_MS), msAndFraction(100 * HOUR_MS)),
        fc.integer({ min: 1, max: 40 }),
        (partial, kind, arrivalMs, waitedMs, failures) => {
          const p = paramsOf(partial);
          const msgs = new Messages(p.users);
          const m = msgs.open(kind, 10, 0, arrivalMs);
          const limits = new SenderLimits(p);
          const tMs = arrivalMs + waitedMs;
          const nextMs = limits.nextTry(msgs, m, tMs, failures);
          const delayMs = limits.fixedDelayMs(msgs, m, tMs, failures);
          if (nextMs !== null && delayMs >= 0) expect(tMs + delayMs).toBe(nextMs);
          // Exim's wait is never fixed: it counts whole seconds, and has lanes of its own.
          if (kind === EXIM) expect(delayMs).toBe(-1);
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('a Postfix message an hour and more old, or just arrived, waits a fixed delay; one in between does not', () => {
    const p = paramsOf({});
    const msgs = new Messages(p.users);
    const m = msgs.open(POSTFIX, 10, 0, 0);
    const limits = new SenderLimits(p);
    expect([limits.fixedDelayMs(msgs, m, 100_000, 1), limits.fixedDelayMs(msgs, m, 2_000_000, 2), limits.fixedDelayMs(msgs, m, 5_000_000, 3)]).toEqual([300_000, -1, 4_000_000]);
  });
});
