import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { SeriesRecorder, defaultParams, type Observer, type Trace } from '../../sim/core/index.ts';
import { RUN_START_EPOCH_SEC, logMinute, logTime, rfc2822 } from '../../sim/backup-mx/clock.ts';
import { LEGIT_KINDS, LEGIT_OUTCOMES, OUTCOME, OUTCOMES, SERIES_KEYS, type Outcome, type SenderKind, type SeriesKey, type SummaryKey } from '../../sim/backup-mx/keys.ts';
import { Messages, type MessageEnd } from '../../sim/backup-mx/messages.ts';
import { runBackupMx, type BackupMxEvent } from '../../sim/backup-mx/model.ts';
import type { NoticeEvent } from '../../sim/backup-mx/senders.ts';
import type { RcptEvent } from '../../sim/backup-mx/backup.ts';
import { CALLOUT_DEFER_TEXT } from '../../sim/backup-mx/acl.ts';
import { primaryAt } from '../../sim/backup-mx/primary.ts';
import { backupMxParams, type BackupMxParams } from '../../sim/backup-mx/params.ts';
import { backupMxScenarios } from '../../sim/backup-mx/scenarios.ts';
import { HOUR_MS, MINUTE_MS } from '../../sim/backup-mx/retry.ts';
import { arbitraryParams } from './arbitrary-params.ts';

const defaults = defaultParams(backupMxParams);
const scenario = (id: string) => backupMxScenarios.find((s) => s.id === id)!;
const paramsOf = (id: string, over: Partial<BackupMxParams> = {}): BackupMxParams => ({ ...defaults, ...scenario(id).params, ...over });
const runScenario = (id: string, over: Partial<BackupMxParams> = {}, seed?: number, observe?: Observer<BackupMxEvent>): Trace =>
  runBackupMx(paramsOf(id, over), seed ?? scenario(id).seed, observe);
const sum = (trace: Trace, key: SeriesKey) => trace.series[key]!.reduce((a, b) => a + b, 0);
const summaryOf = (trace: Trace) => trace.summary as Record<SummaryKey, number>;


describe('backup-mx model: invariants', () => {
  test('every RCPT at the backup gets exactly one reply, and every transaction steps through the machine to one end', () => {
    fc.assert(
      fc.property(arbitraryParams, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (over, seed) => {
        const p = { ...defaults, ...over };
        const trace = runBackupMx(p, seed);
        const s = summaryOf(trace);
        expect(trace.truncated).toBe(false);
        expect(s.rcpt250 + s.rcpt451 + s.rcpt550).toBe(s.transactions);
        expect(sum(trace, 'st_connected')).toBe(s.transactions);
        // Each transaction ends RCPT in exactly one of reject, defer (by the defer statement or a verify without defer_ok) or accept; each accepted one is queued.
        expect(sum(trace, 'st_rejected') + sum(trace, 'st_deferred') + sum(trace, 'st_verifyDeferred') + sum(trace, 'st_accepted')).toBe(s.transactions);
        expect(sum(trace, 'st_rejected')).toBe(s.rcpt550);
        expect(sum(trace, 'st_deferred') + sum(trace, 'st_verifyDeferred')).toBe(s.rcpt451);
        if (p.calloutDeferOk === 1) expect(sum(trace, 'st_verifyDeferred')).toBe(0);
        expect(sum(trace, 'st_queued')).toBe(s.rcpt250);
        expect(sum(trace, 'st_relayed') + sum(trace, 'st_bounced') + s.stillAtBackup).toBe(s.rcpt250);
        if (p.backupMode === 0) expect(s.transactions).toBe(0);
        if (p.backupMode !== 2) expect(s.callouts + s.cacheHits).toBe(0);
        for (const key of ['senderQueue', 'backupQueue', 'cachePositive', 'cacheNegative'] as const) {
          for (const v of trace.series[key]!) expect(v).toBeGreaterThanOrEqual(0);
        }
        // Real mail only bounces when someone gave up: never while the primary was up for the whole run.
        if (p.outageHours === 0 || p.primaryFault === 2) expect(s.bounced).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  test('the ledger agrees with the model: each outcome series sums to its total, and what is pending is what the senders and the backup still hold', () => {
    fc.assert(
      fc.property(arbitraryParams, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (over, seed) => {
        const p = { ...defaults, ...over };
        const ends: MessageEnd[] = [];
        const trace = runBackupMx(p, seed, (e) => {
          if (e.type === 'outcome') ends.push(e);
        });
        const s = summaryOf(trace);
        for (const o of OUTCOMES) {
          // The series is written where a message ends; the total is the ledger's own count.
          expect(sum(trace, o)).toBe(s[o]);
          expect(ends.filter((e) => e.outcome === o).length).toBe(s[o]);
        }
        // Arrivals are counted by the handlers, endings by the ledger: the difference is what is still queued somewhere.
        const legitEnded = ends.filter((e) => e.kind !== 'spam').length;
        const spamEnded = ends.length - legitEnded;
        expect(s.legit).toBe(sum(trace, 'legit'));
        expect(s.spam).toBe(sum(trace, 'spam'));
        expect(s.pendingLegit).toBe(sum(trace, 'legit') - legitEnded);
        expect(s.pendingSpam).toBe(sum(trace, 'spam') - spamEnded);
        expect(s.pendingLegit + s.pendingSpam).toBe(s.stillAtSenders + s.stillAtBackup);
        // The senders' queue at the last event of the run is what they still hold at the end.
        expect(s.stillAtSenders).toBeLessThanOrEqual(s.peakSenderQueue);
        // Real mail ends only in a real-mail outcome, spam only in a spam one, never before it arrived.
        for (const e of ends) {
          expect((LEGIT_OUTCOMES as readonly Outcome[]).includes(e.outcome)).toBe(e.kind !== 'spam');
          expect(e.tMs).toBeGreaterThanOrEqual(e.arrivalMs);
          // Spambots never retry: what is turned away is turned away at once.
          if (e.outcome === 'spamRefused') expect(e.tMs).toBe(e.arrivalMs);
        }
        expect(LEGIT_KINDS.reduce((a, k) => a + s[`sent_${k}`], 0)).toBe(s.legit);
        expect(LEGIT_KINDS.reduce((a, k) => a + s[`bounced_${k}`], 0)).toBe(s.bounced);
        for (const k of LEGIT_KINDS) {
          expect(s[`bounced_${k}`]).toBe(ends.filter((e) => e.kind === k && e.outcome === 'bounced').length);
        }
      }),
      { numRuns: 60 },
    );
  });

  test('a message that ends twice throws, and its first ending alone is counted and heard', () => {
    const rec = new SeriesRecorder<SeriesKey>(SERIES_KEYS, 3_600_000, 300_000);
    const heard: BackupMxEvent[] = [];
    const msgs = new Messages(40);
    msgs.recordEndings(rec, (e) => heard.push(e));
    const m = msgs.open(LEGIT_KINDS.indexOf('postfix'), 42, 3, 1000);
    msgs.end(m, OUTCOME.deliveredViaBackup, 700_000);
    expect(() => msgs.end(m, OUTCOME.bounced, 900_000)).toThrow(/entity 0 ended twice \(deliveredViaBackup, then bounced\)/);
    expect(Array.from(rec.get('deliveredViaBackup'))).toEqual([0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(rec.get('bounced')).every((v) => v === 0)).toBe(true);
    expect(heard).toEqual([{ type: 'outcome', tMs: 700_000, kind: 'postfix', arrivalMs: 1000, valid: true, outcome: 'deliveredViaBackup' }]);
    expect(msgs.ledger.pending()).toBe(0);
  });

  test('the same seed gives the same trace; another seed gives another', () => {
    for (const s of backupMxScenarios) {
      const a = runScenario(s.id);
      expect(runScenario(s.id).hash).toBe(a.hash);
      expect(runScenario(s.id, {}, s.seed + 1).hash).not.toBe(a.hash);
    }
  });
});

/** Messages by kind and how they ended, with their arrival times. */
function endings(id: string, over: Partial<BackupMxParams> = {}) {
  const list: { kind: SenderKind; arrivalMs: number; outcome: Outcome; tMs: number }[] = [];
  const trace = runScenario(id, over, undefined, (e) => {
    if (e.type === 'outcome') list.push(e);
  });
  return { trace, list };
}

describe('backup-mx: Exim senders under retry_update (src/src/retry.c)', () => {
  test('retry_update in whole seconds: with no backup and a primary down for good, every Exim message bounces exactly 363712 s after the whole second it arrived in', () => {
    const list: MessageEnd[] = [];
    const over = { durationHours: 120, outageStartHours: 0, outageHours: 168, backupMode: 0, legitPerHour: 60, shortExpiryPct: 0, postfixPct: 0 };
    runScenario('outage-no-backup', over, 5, (e) => {
      if (e.type === 'outcome' && e.kind === 'exim') list.push(e);
    });
    expect(list.length).toBeGreaterThan(500);
    // Each first failure is at arrival; the hand-derived schedule (retry.test.ts) fails the address at 363712 s.
    for (const e of list) {
      expect(e.outcome).toBe('bounced');
      expect(e.tMs).toBe(Math.floor(e.arrivalMs / 1000) * 1000 + 363_712_000);
    }
  });
});

describe('backup-mx: callouts without defer_ok, and a primary of several hosts (verify.c, do_callout; acl.c, acl_check_conditions)', () => {
  test('acl_check_conditions: without defer_ok the callout ACL never answers 250, and each 451 from the deny is the callout that reached no host', () => {
    fc.assert(
      fc.property(arbitraryParams, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (over, seed) => {
        const p = { ...defaults, ...over, backupMode: 2, calloutDeferOk: 0 };
        const rcpts: RcptEvent[] = [];
        const trace = runBackupMx(p, seed, (e) => {
          if (e.type === 'rcpt') rcpts.push(e);
        });
        expect(trace.summary.rcpt250).toBe(0);
        for (const e of rcpts.filter((r) => r.verdict.decidedBy === 'deny' && r.verdict.code === 451)) {
          expect(e.verdict.text).toBe(CALLOUT_DEFER_TEXT);
          expect(e.verdict.callouts.map((c) => c.result)).toEqual(['defer']);
        }
      }),
      { numRuns: 30 },
    );
  });

  test('do_callout’s host loop: with a primary host still up through the outage, the backup accepts nothing and no real message reaches it or bounces', () => {
    fc.assert(
      fc.property(arbitraryParams, fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (over, up, seed) => {
        const p = { ...defaults, ...over, primaryHosts: up + 1, hostsUpInOutage: up };
        const s = summaryOf(runBackupMx(p, seed));
        if (p.backupMode === 2) expect(s.rcpt250).toBe(0);
        expect(s.deliveredViaBackup).toBe(0);
        expect(s.bounced).toBe(0);
      }),
      { numRuns: 30 },
    );
  });
});

describe('backup-mx: a week-long outage, each sender at its own limits', () => {
  const events = (over: Partial<BackupMxParams> = {}) => {
    const ends: MessageEnd[] = [];
    const notices: NoticeEvent[] = [];
    const trace = runScenario('week-outage', over, undefined, (e) => {
      if (e.type === 'outcome') ends.push(e);
      if (e.type === 'notice') notices.push(e);
    });
    return { trace, ends, notices };
  };
  const ageH = (e: { tMs: number; arrivalMs: number }) => (e.tMs - e.arrivalMs) / HOUR_MS;

  test('each kind bounces at its own default limit: short-expiry at 345 min, Exchange past 2 days, Exim 363712 s after its first failure, Postfix past 5 days', () => {
    const { trace, ends } = events();
    const bounced = (k: SenderKind) => ends.filter((e) => e.kind === k && e.outcome === 'bounced');
    for (const k of LEGIT_KINDS) expect(bounced(k).length, k).toBeGreaterThan(10);
    for (const e of bounced('short-expiry')) expect(ageH(e)).toBeCloseTo(5.75, 6);
    // Exchange fails at its first try at or past 48 h; tries are 10 minutes apart by then.
    for (const e of bounced('exchange')) expect(ageH(e)).toSatisfy((h: number) => h >= 48 && h < 48 + 1 / 6);
    for (const e of bounced('exim')) expect(e.tMs).toBe(Math.floor(e.arrivalMs / 1000) * 1000 + 363_712_000);
    // Postfix waits at most maximal_backoff_time (4000 s) between tries.
    for (const e of bounced('postfix')) expect(ageH(e)).toSatisfy((h: number) => h >= 120 && h < 120 + 4000 / 3600);
    expect(trace.summary.maxBounceAgeHours_exchange).toBeGreaterThanOrEqual(48);
  });

  test('delay notices: Exchange once at 4 h, Exim at 24, 48 and 72 h (delay_warning repeats), Postfix never (delay_warning_time = 0)', () => {
    const { trace, notices } = events();
    const of = (k: SenderKind) => notices.filter((n) => n.kind === k);
    expect(of('postfix')).toEqual([]);
    expect(of('short-expiry')).toEqual([]);
    expect(of('exchange').length).toBeGreaterThan(10);
    for (const n of of('exchange')) {
      expect(n.count).toBe(1);
      expect(ageH(n)).toSatisfy((h: number) => h >= 4 && h < 4 + 1 / 6);
    }
    // No fourth: the last try inside four days comes at 95 h, and the next one bounces the message.
    expect(new Set(of('exim').map((n) => n.count))).toEqual(new Set([1, 2, 3]));
    // Each Exim notice at the first failed try past 24 h × its count; tries are 6 hours apart by then.
    for (const n of of('exim')) expect(ageH(n)).toSatisfy((h: number) => h >= 24 * n.count && h < 24 * n.count + 6);
    expect(trace.summary.delayNotices).toBe(notices.length);
  });

  test('the reader’s limits: Postfix with delay_warning_time=4h warns once at 4 h; with maximal_queue_lifetime=1d it bounces a day in', () => {
    const { notices, ends } = events({ postfixDelayWarningHours: 4, postfixLifetimeHours: 24 });
    const warned = notices.filter((n) => n.kind === 'postfix');
    expect(warned.length).toBeGreaterThan(10);
    for (const n of warned) expect(ageH(n)).toSatisfy((h: number) => h >= 4 && h < 4 + 4000 / 3600);
    const bounced = ends.filter((e) => e.kind === 'postfix' && e.outcome === 'bounced');
    for (const e of bounced) expect(ageH(e)).toSatisfy((h: number) => h >= 24 && h < 24 + 4000 / 3600);
  });
});

describe('backup-mx: the source’s 13-hour outage', () => {
  const startMs = 4 * HOUR_MS;
  const endMs = startMs + 12.75 * HOUR_MS;

  test('without a backup, exactly the short-expiry senders’ messages that could not outlast the outage bounce', () => {
    const { trace, list } = endings('outage-no-backup');
    const bounced = list.filter((e) => e.outcome === 'bounced');
    expect(bounced.length).toBeGreaterThan(10);
    expect(new Set(bounced.map((e) => e.kind))).toEqual(new Set(['short-expiry']));
    // Its attempts come 0, 15, 45, 105 and 345 minutes after arrival; the last one past 5 hours bounces.
    const doomed = (a: number) => a >= startMs && a + 345 * MINUTE_MS < endMs;
    for (const e of list.filter((x) => x.kind === 'short-expiry')) {
      expect(e.outcome === 'bounced').toBe(doomed(e.arrivalMs));
      if (e.outcome === 'bounced') expect(e.tMs - e.arrivalMs).toBeCloseTo(345 * MINUTE_MS, 3);
    }
    // Exim and Postfix hold theirs until the primary returns: everything else is delivered, most of it late.
    expect(trace.summary.pendingLegit).toBe(0);
    expect(trace.summary.deliveredAfterRetry).toBeGreaterThan(100);
    for (const e of list.filter((x) => x.outcome === 'deliveredAfterRetry')) expect(e.tMs).toBeGreaterThanOrEqual(endMs);
  });

  test('without a backup, a short-expiry sender with any expiry ends each message at a try of its fixed schedule, and bounces exactly at the first try at or after the expiry', () => {
    // Tries at 0, 15, 45 and 105 minutes after arrival, then every 240: the expiry only says when to stop.
    const tryAtOrAfter = (min: number) => (min <= 105 ? [0, 15, 45, 105].find((t) => t >= min)! : 105 + 240 * Math.ceil((min - 105) / 240));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 48 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (expiryHours, seed) => {
        const list: MessageEnd[] = [];
        runScenario('outage-no-backup', { shortExpiryHours: expiryHours }, seed, (e) => {
          if (e.type === 'outcome' && e.kind === 'short-expiry') list.push(e);
        });
        const lastTryMin = tryAtOrAfter(expiryHours * 60);
        for (const e of list) {
          // Times are sums of fractional milliseconds: an age is exact to a microminute, no closer.
          const ageMin = Math.round(((e.tMs - e.arrivalMs) / MINUTE_MS) * 1e6) / 1e6;
          expect(tryAtOrAfter(ageMin)).toBe(ageMin);
          if (e.outcome === 'bounced') expect(ageMin).toBe(lastTryMin);
          else expect(ageMin).toBeLessThanOrEqual(lastTryMin);
        }
      }),
      { numRuns: 40 },
    );
  });

  test('without a backup, a longer expiry loses only messages a shorter one also lost, so the short-expiry bounces never rise with it', () => {
    // Nothing a sender does changes the primary or draws from the PRNG, so every run sees the same
    // messages at the same times; a message bounces when its last failed try is at or past the expiry.
    for (const seed of [scenario('outage-no-backup').seed, 2, 99]) {
      const lostAt = (expiryHours: number) => {
        const lost = new Set<number>();
        runScenario('outage-no-backup', { shortExpiryHours: expiryHours }, seed, (e) => {
          if (e.type === 'outcome' && e.outcome === 'bounced') lost.add(e.arrivalMs);
        });
        return lost;
      };
      let shorter = lostAt(1);
      expect(shorter.size).toBeGreaterThan(0);
      for (let h = 2; h <= 48; h++) {
        const longer = lostAt(h);
        for (const a of longer) expect(shorter.has(a), `seed ${seed}: lost at ${h} h but not at ${h - 1} h`).toBe(true);
        shorter = longer;
      }
      // The outage is under 13 hours: from 14 hours on, every short-expiry sender outlasts it.
      expect(shorter.size).toBe(0);
    }
  });

  test('with the callout ACL no real message bounces, and the backup relays what it took once the primary is back', () => {
    const { trace, list } = endings('outage-callout-acl');
    expect(trace.summary.bounced).toBe(0);
    expect(trace.summary.deliveredViaBackup).toBeGreaterThan(100);
    for (const e of list.filter((x) => x.outcome === 'deliveredViaBackup' || x.outcome === 'backscatter')) expect(e.tMs).toBeGreaterThanOrEqual(endMs);
    // What the backup cannot verify it accepts, spam included: guessed addresses come back as backscatter.
    expect(trace.summary.spamDelivered).toBeGreaterThan(0);
    expect(trace.summary.backscatter).toBeGreaterThan(0);
  });

  test('while the primary is up, the backup accepts nothing the primary would refuse', () => {
    for (const id of ['primary-up', 'outage-callout-acl', 'positive-cache-trap']) {
      const p = paramsOf(id);
      let accepted = 0;
      let checked = 0;
      runBackupMx(p, scenario(id).seed, (r) => {
        if (r.type !== 'rcpt' || r.primary !== 'up') return;
        checked++;
        if (r.verdict.code === 250) accepted++;
        if (!r.valid) expect(r.verdict.code).toBe(550);
      });
      expect(checked).toBeGreaterThan(100);
      expect(accepted).toBe(0);
    }
  });

  test('the 24-hour positive cache makes the backup defer real addresses through the outage', () => {
    let deferredWhileDown = 0;
    const trace = runScenario('positive-cache-trap', {}, undefined, (r) => {
      if (r.type !== 'rcpt' || r.primary === 'up' || !r.valid) return;
      if (r.verdict.code === 451) {
        deferredWhileDown++;
        // Answered from the cache, never asking the dead primary.
        expect(r.verdict.callouts.every((c) => c.fromCache)).toBe(true);
      }
    });
    expect(deferredWhileDown).toBeGreaterThan(100);
    expect(trace.summary['bounced_short-expiry']).toBeGreaterThan(0);
    expect(trace.summary.bounced_exim! + trace.summary.bounced_postfix!).toBe(0);
    // The source's five minutes ends the trap: the same run with callout_positive_expire = 5m loses nothing.
    expect(runScenario('positive-cache-trap', { positiveExpireMin: 5 }).summary.bounced).toBe(0);
  });

  test('a plain relay turns every guessed address into backscatter and lets spam past the primary’s filter', () => {
    const trace = runScenario('relay-spam-run');
    const s = trace.summary;
    expect(s.rcpt250).toBe(s.transactions);
    // Everything the backup took reached the primary: real addresses were delivered, guessed ones bounced.
    expect(s.backscatter! + s.spamDelivered!).toBeGreaterThanOrEqual(s.rcpt250!);
    expect(s.backscatter).toBeGreaterThan(1000);
  });

  test('the primary’s condition follows the outage window', () => {
    const p = paramsOf('outage-no-backup');
    expect(primaryAt(p, startMs - 1)).toBe('up');
    expect(primaryAt(p, startMs)).toBe('timeout');
    expect(primaryAt(p, endMs - 1)).toBe('timeout');
    expect(primaryAt(p, endMs)).toBe('up');
  });
});

describe('backup-mx: the wall clock', () => {
  test('is Monday 26 January 2009, 18:00 GMT at the start, and agrees with the engine’s calendar for five days and beyond', () => {
    expect(new Date(RUN_START_EPOCH_SEC * 1000).toISOString()).toBe('2009-01-26T18:00:00.000Z');
    const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    // Up to 400 days out, across month and year ends, in steps that land on odd seconds.
    for (let tMs = 0; tMs < 400 * 24 * HOUR_MS; tMs += 7 * HOUR_MS + 13 * MINUTE_MS + 17_000) {
      const d = new Date(RUN_START_EPOCH_SEC * 1000 + tMs);
      const expected = `${days[d.getUTCDay()]} ${d.toISOString().slice(11, 19)}`;
      expect(logTime(tMs)).toBe(expected);
      expect(logMinute(tMs)).toBe(expected.slice(0, 9));
      // The banner's date: "Mon, 26 Jan 2009 22:14:03 +0000", which toUTCString writes with a leading zero and GMT.
      expect(rfc2822(tMs)).toBe(d.toUTCString().replace(/ 0(\d) /, ' $1 ').replace('GMT', '+0000'));
    }
  });
});
