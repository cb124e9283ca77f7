/**
 * Sender retry schedules against their references: Exim's retry.c and the
 * default rule in Exim's configure file (and Debian's exim4-config), Postfix's
 * qmgr (qmgr_active.c) and postconf(5), and the short-expiry sender (the
 * source post's gave up after five hours; its intervals are the simulation's own). Attempts are taken at their retry times.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  DAY_MS,
  EXIM_DEFAULT_RETRY,
  HOUR_MS,
  MINUTE_MS,
  eximAfterFailure,
  parseEximRetryRules,
  parseEximTime,
  postfixNextTry,
  shortExpiryNextTry,
  type EximRetryRecord,
} from '../../sim/backup-mx/retry.ts';

/** Every attempt to a host that never comes back, until the address fails; times in hours after the first failure. */
function eximAttempts(): { attemptsH: number[]; bounceH: number } {
  let record: EximRetryRecord | null = null;
  let t = 0;
  const attemptsH: number[] = [];
  for (;;) {
    attemptsH.push(t / HOUR_MS);
    record = eximAfterFailure(EXIM_DEFAULT_RETRY, record, t);
    if (record === null) return { attemptsH, bounceH: t / HOUR_MS };
    t = record.nextTryMs;
  }
}

describe('Exim retry rules', () => {
  test('the default rule parses as written in the configure file', () => {
    expect(EXIM_DEFAULT_RETRY).toEqual([
      { kind: 'F', untilMs: 2 * HOUR_MS, intervalMs: 15 * MINUTE_MS, factor: 1 },
      { kind: 'G', untilMs: 16 * HOUR_MS, intervalMs: HOUR_MS, factor: 1.5 },
      { kind: 'F', untilMs: 4 * DAY_MS, intervalMs: 6 * HOUR_MS, factor: 1 },
    ]);
    expect(parseEximTime('1h30m')).toBe(90 * MINUTE_MS);
    expect(parseEximTime('1x')).toBeNull();
    for (const bad of ['F,2h', 'G,16h,1h', 'X,1h,1m', 'F,2h,0m', 'G,1h,1m,0', 'F,2h,15m,3']) {
      expect(() => parseEximRetryRules(bad)).toThrow(/not a retry rule item/);
    }
  });

  test('a host that stays down: every 15 minutes for 2 hours, then 1, 1.5, 2.25 … hours, then every 6 hours, and a bounce past 4 days', () => {
    const { attemptsH, bounceH } = eximAttempts();
    const geometric = [2.25, 3.25, 4.75, 7, 10.375, 15.4375, 23.03125];
    const sixHourly = Array.from({ length: 12 }, (_, k) => 23.03125 + 6 * (k + 1));
    // The last entry is the attempt whose failure ends it.
    const expected = [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, ...geometric, ...sixHourly, 101.03125];
    expect(attemptsH.length).toBe(expected.length);
    attemptsH.forEach((h, i) => expect(h).toBeCloseTo(expected[i]!, 9));
    // The last attempt inside the 4-day rule is at 95.03 h; the next, at 101.03 h, fails and the message bounces.
    expect(bounceH).toBeCloseTo(101.03125, 9);
  });

  test('G takes the smaller of the predicted and the actual gap, so a late attempt does not stretch the next wait', () => {
    const record: EximRetryRecord = { firstFailedMs: 0, lastTryMs: 3 * HOUR_MS, nextTryMs: 4 * HOUR_MS };
    // An hour was predicted but five passed (a queue runner that was not running): the next gap is 1.5 h, not 7.5 h.
    expect(eximAfterFailure(EXIM_DEFAULT_RETRY, record, 8 * HOUR_MS)!.nextTryMs).toBe(9.5 * HOUR_MS);
  });

  test('no computed wait exceeds retry_interval_max (24 h)', () => {
    const rules = parseEximRetryRules('G,30d,1h,10');
    let record: EximRetryRecord | null = null;
    let t = 0;
    for (let k = 0; k < 8; k++) {
      record = eximAfterFailure(rules, record, t)!;
      expect(record.nextTryMs - t).toBeLessThanOrEqual(DAY_MS);
      t = record.nextTryMs;
    }
    expect(record!.nextTryMs - record!.lastTryMs).toBe(DAY_MS);
  });
});

describe('Postfix', () => {
  test('waits as long as the message has been queued, between 300 and 4000 seconds', () => {
    const attemptsMin: number[] = [];
    let t = 0;
    while (attemptsMin.length < 9) {
      attemptsMin.push(t / MINUTE_MS);
      t = postfixNextTry(0, t)!;
    }
    expect(attemptsMin.slice(0, 6)).toEqual([0, 5, 10, 20, 40, 80]);
    // Then the 4000-second ceiling: 66⅔ minutes between attempts.
    expect(attemptsMin[6]! - attemptsMin[5]!).toBeCloseTo(4000 / 60, 9);
    expect(attemptsMin[8]! - attemptsMin[7]!).toBeCloseTo(4000 / 60, 9);
  });

  test('bounces at the first failed attempt once the message is 5 days old (maximal_queue_lifetime)', () => {
    expect(postfixNextTry(0, 5 * DAY_MS - 1)).not.toBeNull();
    expect(postfixNextTry(0, 5 * DAY_MS)).toBeNull();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 * 24 * 3600 }), (ageSec) => {
        const next = postfixNextTry(1000, 1000 + ageSec * 1000);
        if (ageSec * 1000 >= 5 * DAY_MS) return next === null;
        const waitMs = next! - (1000 + ageSec * 1000);
        return waitMs >= 300_000 && waitMs <= 4_000_000;
      }),
    );
  });
});

/** Every attempt of a short-expiry sender whose tries all fail, in minutes after arrival, the last one the bounce. */
function shortExpiryAttemptsMin(expiryMs: number): number[] {
  let t = 0;
  const attemptsMin: number[] = [];
  let failures = 0;
  for (;;) {
    attemptsMin.push(t / MINUTE_MS);
    failures++;
    const next = shortExpiryNextTry(0, t, failures, expiryMs);
    if (next === null) return attemptsMin;
    t = next;
  }
}

describe('the short-expiry sender', () => {
  test('retries after 15, 30 and 60 minutes, then every 4 hours, and with the source’s 5 hours bounces at the failure 345 minutes in', () => {
    expect(shortExpiryAttemptsMin(5 * HOUR_MS)).toEqual([0, 15, 45, 105, 345]);
  });

  test('with any expiry it tries at the same times, never again once the message is that old, and bounces at the first failed attempt at or after it', () => {
    // The schedule does not depend on the expiry: 0, 15, 45, 105, then every 240 minutes.
    const scheduleMin = (i: number) => (i < 4 ? [0, 15, 45, 105][i]! : 105 + 240 * (i - 3));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 * 24 * 60 }), (expiryMin) => {
        const attempts = shortExpiryAttemptsMin(expiryMin * MINUTE_MS);
        attempts.forEach((a, i) => expect(a).toBe(scheduleMin(i)));
        const last = attempts.at(-1)!;
        expect(last).toBeGreaterThanOrEqual(expiryMin);
        for (const a of attempts.slice(0, -1)) expect(a).toBeLessThan(expiryMin);
      }),
    );
  });

  test('a message that arrived later is judged by its own age, not the clock', () => {
    const arrivalMs = 10 * HOUR_MS;
    expect(shortExpiryNextTry(arrivalMs, arrivalMs + 2 * HOUR_MS - 1, 4, 2 * HOUR_MS)).toBe(arrivalMs + 6 * HOUR_MS - 1);
    expect(shortExpiryNextTry(arrivalMs, arrivalMs + 2 * HOUR_MS, 4, 2 * HOUR_MS)).toBeNull();
  });
});
