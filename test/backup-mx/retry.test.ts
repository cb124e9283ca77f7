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
  EXCHANGE,
  delayNoticeDue,
  eximAfterFailure,
  eximNextTryMs,
  eximRulesGivingUpAfter,
  exchangeNextTry,
  eximSeconds,
  parseEximRetryRules,
  parseEximTime,
  postfixNextTry,
  shortExpiryNextTry,
  type EximRetryRecord,
} from '../../sim/backup-mx/retry.ts';

/**
 * Every attempt to a host that never comes back, until the address fails, in
 * seconds after the first failure; each attempt fails delaySec[i] seconds
 * after its retry time (a connect timeout), from a first failure at startMs.
 */
function eximAttempts(startMs = 0, delaySec: (i: number) => number = () => 0): { attemptsSec: number[]; records: EximRetryRecord[]; bounceSec: number } {
  let record: EximRetryRecord | null = null;
  let t = startMs;
  const attemptsSec: number[] = [];
  const records: EximRetryRecord[] = [];
  const origin = eximSeconds(startMs);
  for (let i = 0; ; i++) {
    attemptsSec.push(eximSeconds(t) - origin);
    record = eximAfterFailure(EXIM_DEFAULT_RETRY, record, t);
    if (record === null) return { attemptsSec, records, bounceSec: eximSeconds(t) - origin };
    records.push(record);
    t = eximNextTryMs(record) + 1000 * delaySec(i);
  }
}

describe('Exim retry rules (src/src/retry.c, retry_update)', () => {
  test('the default rule parses as readconf.c keeps it: seconds, and the G factor in thousandths', () => {
    expect(EXIM_DEFAULT_RETRY).toEqual([
      { kind: 'F', untilSec: 7200, intervalSec: 900, factorPerMille: 1000 },
      { kind: 'G', untilSec: 57_600, intervalSec: 3600, factorPerMille: 1500 },
      { kind: 'F', untilSec: 345_600, intervalSec: 21_600, factorPerMille: 1000 },
    ]);
    expect(parseEximTime('1h30m')).toBe(5400);
    expect(parseEximTime('1x')).toBeNull();
    expect(parseEximRetryRules('G,1d,10m,1.25')[0]!.factorPerMille).toBe(1250);
    // readconf.c: a factor under 1 is "bad parameters for retry rule".
    for (const bad of ['F,2h', 'G,16h,1h', 'X,1h,1m', 'F,2h,0m', 'G,1h,1m,0', 'G,1h,1m,0.5', 'G,1h,1m,x', 'F,2h,15m,3']) {
      expect(() => parseEximRetryRules(bad)).toThrow(/not a retry rule item/);
    }
  });

  test('retry_update: a host that stays down is tried every 900 s to 7200 s, then at gaps of 3600, 5400, 8100, 12150, 18225 and 27337 s (1.5 times the last, truncated), then every 21600 s, and fails at 363712 s', () => {
    const { attemptsSec, bounceSec } = eximAttempts();
    // Derived by hand from retry_update: next_try = now + (lastgap < p1 ? p1 : (lastgap * p2) / 1000).
    const fixed = [0, 900, 1800, 2700, 3600, 4500, 5400, 6300, 7200]; // F,2h,15m: 7200 is still "<= timeout"
    const geometric = [8100, 11_700, 17_100, 25_200, 37_350, 55_575, 82_912]; // 55575 + (18225 * 1500) / 1000 = 82912 (.5 dropped)
    const sixHourly = Array.from({ length: 12 }, (_, k) => 82_912 + 21_600 * (k + 1)); // to 342112, within 4d = 345600
    expect(attemptsSec).toEqual([...fixed, ...geometric, ...sixHourly, 363_712]);
    expect(bounceSec).toBe(363_712);
  });

  test('retry_update: G takes the smaller of the predicted and the actual gap, so a late attempt does not stretch the next wait', () => {
    const record: EximRetryRecord = { firstFailedSec: 0, lastTrySec: 3 * 3600, nextTrySec: 4 * 3600 };
    // An hour was predicted but five passed (a queue runner that was not running): the next gap is 1.5 h, not 7.5 h.
    expect(eximAfterFailure(EXIM_DEFAULT_RETRY, record, 8 * HOUR_MS)!.nextTrySec).toBe(9.5 * 3600);
  });

  test('retry_update: a failure in the middle of a second counts from its whole second, as time(NULL) gives it', () => {
    const record = eximAfterFailure(EXIM_DEFAULT_RETRY, null, 5_000_999.9)!;
    expect(record).toEqual({ firstFailedSec: 5000, lastTrySec: 5000, nextTrySec: 5900 });
    expect(eximNextTryMs(record)).toBe(5_900_000);
  });

  test('retry_update: a message queued longer than the last rule’s time fails even when its record is younger ("on queue longer than maximum retry")', () => {
    // First failure 600 s after the message arrived; 345500 s later the record is within 4 d, the message is not.
    const record: EximRetryRecord = { firstFailedSec: 600, lastTrySec: 600 + 340_000, nextTrySec: 600 + 345_500 };
    const nowMs = (600 + 345_500) * 1000;
    expect(eximAfterFailure(EXIM_DEFAULT_RETRY, record, nowMs, 0)).toBeNull();
    expect(eximAfterFailure(EXIM_DEFAULT_RETRY, record, nowMs)).not.toBeNull();
    // A message received after the record's first failure is judged by the record alone.
    expect(eximAfterFailure(EXIM_DEFAULT_RETRY, record, nowMs, 601_000)).not.toBeNull();
  });

  test('retry_update: whatever the start and the delays, tries move forward, each gap is at least the interval of the rule in force, and the schedule depends only on the time since the first failure', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e11, noNaN: true }),
        fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 1, maxLength: 40 }),
        (startMs, delays) => {
          const delaySec = (i: number) => delays[i % delays.length]!;
          const run = eximAttempts(startMs, delaySec);
          let previous: EximRetryRecord | null = null;
          for (const r of run.records) {
            const failingSec = r.lastTrySec - r.firstFailedSec;
            const rule = EXIM_DEFAULT_RETRY.find((x) => failingSec <= x.untilSec)!;
            expect(r.nextTrySec - r.lastTrySec).toBeGreaterThanOrEqual(rule.intervalSec);
            if (previous) expect(r.nextTrySec).toBeGreaterThan(previous.nextTrySec);
            previous = r;
          }
          // The same attempts, relative to the first failure, from the run's first second.
          expect(run).toEqual({ ...eximAttempts(0, delaySec), records: run.records });
          expect(run.records.map((r) => r.nextTrySec - r.firstFailedSec)).toEqual(eximAttempts(0, delaySec).records.map((r) => r.nextTrySec));
        },
      ),
    );
  });

  test('no computed wait exceeds retry_interval_max (24 h)', () => {
    const rules = parseEximRetryRules('G,30d,1h,10');
    let record: EximRetryRecord | null = null;
    let t = 0;
    for (let k = 0; k < 8; k++) {
      record = eximAfterFailure(rules, record, t)!;
      expect(record.nextTrySec - record.lastTrySec).toBeLessThanOrEqual(86_400);
      t = eximNextTryMs(record);
    }
    expect(record!.nextTrySec - record!.lastTrySec).toBe(86_400);
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

describe('Exchange (TransportServer: TransientFailureRetryCount, OutboundConnectionFailureRetryInterval, MessageExpirationTimeout)', () => {
  test('retries 6 times 5 minutes apart, then every 10 minutes, and returns the message at the first failure once it is 2 days old', () => {
    const attemptsMin: number[] = [];
    let t = 0;
    for (let failures = 1; ; failures++) {
      attemptsMin.push(t / MINUTE_MS);
      const next = exchangeNextTry(0, t, failures, EXCHANGE.messageExpirationMs);
      if (next === null) break;
      t = next;
    }
    expect(attemptsMin.slice(0, 9)).toEqual([0, 5, 10, 15, 20, 25, 30, 40, 50]);
    // 30 minutes, then every 10 to 2880 (two days): the failure at 2880 returns it.
    expect(attemptsMin.at(-1)).toBe(2880);
    expect(attemptsMin.length).toBe(7 + (2880 - 30) / 10);
  });
});

describe('delay notices (Exim delay_warning, Postfix delay_warning_time, Exchange DelayNotificationTimeout)', () => {
  test('off at 0; otherwise due at the first failed attempt at or past the time, once, or for Exim again each time as much more has passed', () => {
    const h = HOUR_MS;
    expect(delayNoticeDue(100 * h, 0, 0, true)).toBe(false);
    expect(delayNoticeDue(4 * h - 1, 0, 4 * h, false)).toBe(false);
    expect(delayNoticeDue(4 * h, 0, 4 * h, false)).toBe(true);
    expect(delayNoticeDue(40 * h, 1, 4 * h, false)).toBe(false);
    // Exim's single 24h repeats: the second at 48 h, not before.
    expect(delayNoticeDue(47 * h, 1, 24 * h, true)).toBe(false);
    expect(delayNoticeDue(48 * h, 1, 24 * h, true)).toBe(true);
  });
});

describe('the senders’ limits the reader sets', () => {
  test('Exim’s last rule time moves the bounce: with F,2h,15m; G,16h,1h,1.5; F,48h,6h a host that stays down fails at 82912 + 5 × 21600 s', () => {
    let record: EximRetryRecord | null = null;
    let t = 0;
    for (;;) {
      const next = eximAfterFailure(eximRulesGivingUpAfter(48), record, t);
      if (next === null) break;
      record = next;
      t = eximNextTryMs(next);
    }
    // The last try within 48 h (172800 s) is at 82912 + 4 × 21600 = 169312; the next, 190912, fails.
    expect(t / 1000).toBe(82_912 + 5 * 21_600);
  });

  test('postfix: maximal_queue_lifetime is the age past which a failed attempt bounces', () => {
    expect(postfixNextTry(0, 10 * HOUR_MS - 1, 10 * HOUR_MS)).not.toBeNull();
    expect(postfixNextTry(0, 10 * HOUR_MS, 10 * HOUR_MS)).toBeNull();
  });
});

