/**
 * The mail flow picture's frames (sim/backup-mx/scene.ts) against the model's
 * own series and events: what the picture counts is what the charts and the
 * counters count, every message is in at most one queue, and the callout cache
 * drawn is the cache the backup's callouts wrote, replayed from its RCPT events.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { defaultParams, type Trace } from '../../sim/core/index.ts';
import type { AclVerdict } from '../../sim/backup-mx/acl.ts';
import { LEGIT_KINDS, LEGIT_OUTCOMES, SENDER_KINDS, SPAM, SPAM_OUTCOMES, type SeriesKey } from '../../sim/backup-mx/keys.ts';
import { runBackupMx, SAMPLE_MS, type BackupMxEvent } from '../../sim/backup-mx/model.ts';
import { backupMxParams, type BackupMxParams } from '../../sim/backup-mx/params.ts';
import { HOUR_MS } from '../../sim/backup-mx/retry.ts';
import { backupMxScenarios } from '../../sim/backup-mx/scenarios.ts';
import { RELAY, REPLY, countsOf, type FrameCounts, type BackupMxScene } from '../../sim/backup-mx/scene.ts';
import { arbitraryParams } from './arbitrary-params.ts';

const defaults = defaultParams(backupMxParams);
const paramsOf = (id: string): BackupMxParams => ({ ...defaults, ...backupMxScenarios.find((s) => s.id === id)!.params });
const sceneOf = (trace: Trace) => trace.scene as BackupMxScene;
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
/** A reply summed over every kind of sender (spambots included). */
const replies = (f: FrameCounts, what: number) => sum(f.replies.map((r) => r[what]!));
/** A count in a row of FrameCounts (full length: every position is there). */
const at = (row: readonly number[], i: number) => row[i]!;


/** Every way a frame disagrees with the trace's series, as sentences (none when they agree). */
function disagreements(trace: Trace): string[] {
  const s = (key: SeriesKey) => trace.series[key]!;
  const frames = sceneOf(trace).frames.map(countsOf);
  const out: string[] = [];
  const check = (i: number, what: string, drawn: number, model: number) => {
    if (drawn !== model) out.push(`sample ${i}: ${what} drawn ${drawn}, model ${model}`);
  };
  // Messages opened and ended by each sample's end (the moment the frame is read): what is still somewhere then.
  let realPending = 0;
  let spamPending = 0;
  frames.forEach((f, i) => {
    realPending += s('legit')[i]! - sum(LEGIT_OUTCOMES.map((o) => s(o)[i]!));
    spamPending += s('spam')[i]! - sum(SPAM_OUTCOMES.map((o) => s(o)[i]!));
    const waiting = sum(f.senders.map((x) => at(x, 0)));
    const held = [0, 1, 2].map((k) => at(f.backup, k));
    check(i, 'real mail in a queue', waiting + held[0]!, realPending);
    check(i, 'spam in the backup queue', held[1]! + held[2]!, spamPending);
    check(i, 'the senders’ peak', at(f.peaks, 0), s('senderQueue')[i]!);
    check(i, 'the backup’s peak', at(f.peaks, 1), s('backupQueue')[i]!);
    if (waiting > s('senderQueue')[i]!) out.push(`sample ${i}: ${waiting} waiting at senders, above the chart's peak ${s('senderQueue')[i]}`);
    if (sum(held) > s('backupQueue')[i]!) out.push(`sample ${i}: ${sum(held)} at the backup, above the chart's peak ${s('backupQueue')[i]}`);
    f.senders.forEach((row, k) => {
      const [w, timers, now, hour] = [0, 1, 2, 3].map((j) => at(row, j));
      if (!(now! <= hour! && hour! <= timers! && timers! <= w!)) out.push(`sample ${i} kind ${k}: timers ${now} ≤ ${hour} ≤ ${timers} ≤ ${w} fails`);
    });
    check(i, 'RCPT 250', replies(f, REPLY.backup250), s('rcpt250')[i]!);
    check(i, 'RCPT 451', replies(f, REPLY.backup451), s('rcpt451')[i]!);
    check(i, 'RCPT 550', replies(f, REPLY.backup550), s('rcpt550')[i]!);
    check(i, 'sender deferrals', replies(f, REPLY.retryLater), s('senderRetries')[i]!);
    check(i, 'callouts', at(f.relay, RELAY.callouts), s('callouts')[i]!);
    check(i, 'cache answers', at(f.relay, RELAY.cacheHits), s('cacheHits')[i]!);
    check(i, 'real mail the primary took from senders', sum(f.replies.slice(0, SPAM).map((r) => at(r, REPLY.primary250))), s('deliveredDirect')[i]! + s('deliveredAfterRetry')[i]!);
    check(i, 'relayed by the backup', at(f.relay, RELAY.relayed), s('deliveredViaBackup')[i]! + s('spamDelivered')[i]! - at(f.replies[SPAM]!, REPLY.primary250));
    const backupBounces = at(f.relay, RELAY.bounced550) + at(f.relay, RELAY.bouncedTimeout);
    check(i, 'real mail bounced', replies(f, REPLY.senderBounced) + backupBounces - at(f.relay, RELAY.backscatter), s('bounced')[i]!);
    check(i, 'backscatter', at(f.relay, RELAY.backscatter), s('backscatter')[i]!);
    // The model reads its cache series at a sample's start: the next sample's value is this frame's moment.
    if (i + 1 < frames.length) {
      check(i, 'positive cache records', at(f.cache, 0), s('cachePositive')[i + 1]!);
      check(i, 'negative cache records', at(f.cache, 3), s('cacheNegative')[i + 1]!);
    }
    check(i, 'primary down', f.primary === 'up' ? 0 : 1, s('primaryDown')[i]!);
  });
  return out;
}

/** The callout cache rebuilt from the backup's RCPT events: the records written before each sample's end, by sign and time left then. */
function replayedCache(trace: Trace, events: { tMs: number; address: string; verdict: AclVerdict }[], p: BackupMxParams): number[][] {
  const cache = new Map<string, { positive: boolean; writtenMs: number }>();
  const out: number[][] = [];
  let next = 0;
  for (let i = 0; i < sceneOf(trace).frames.length; i++) {
    const atMs = Math.min(trace.durationMs, (i + 1) * SAMPLE_MS);
    for (; next < events.length && events[next]!.tMs < atMs; next++) {
      const e = events[next]!;
      let elapsedMs = 0;
      for (const c of e.verdict.callouts) {
        // A callout that completed writes its answer when it completes; a deferred one writes nothing, nor
        // one refused at MAIL FROM:<> (verify.c caches that for the domain, not the address).
        if (!c.fromCache && c.result !== 'defer' && p.primaryRefusesNullSender === 0) cache.set(e.address, { positive: c.result === 'accept', writtenMs: e.tMs + elapsedMs });
        elapsedMs += c.elapsedMs;
      }
    }
    const counts = [0, 0, 0, 0, 0, 0];
    for (const r of cache.values()) {
      const leftMs = (r.positive ? p.positiveExpireMin : p.negativeExpireMin) * 60_000 - (atMs - r.writtenMs);
      if (leftMs < 0) continue;
      const at = r.positive ? 0 : 3;
      counts[at]!++;
      if (leftMs < SAMPLE_MS) counts[at + 1]!++;
      if (leftMs < HOUR_MS) counts[at + 2]!++;
    }
    out.push(counts);
  }
  return out;
}

describe('the backup-MX picture’s frames', () => {
  test('every scenario has one frame per sample, under 190 bytes of JSON on average', () => {
    for (const s of backupMxScenarios) {
      const trace = runBackupMx(paramsOf(s.id), s.seed);
      const scene = sceneOf(trace);
      expect(scene.frames.length, s.id).toBe(trace.series.legit!.length);
      // A row for each kind of sender keys.ts names, real ones with their queues.
      for (const f of scene.frames.map(countsOf)) {
        expect(f.replies.length).toBe(SENDER_KINDS.length);
        expect(f.senders.length).toBe(LEGIT_KINDS.length);
      }
      expect(JSON.stringify(scene).length / scene.frames.length, s.id).toBeLessThan(190); // five kinds of sender, four of them with queues
    }
  });

  test('every scenario: the frames count what the series count, and each message is in at most one queue', () => {
    for (const s of backupMxScenarios) expect(disagreements(runBackupMx(paramsOf(s.id), s.seed)), s.id).toEqual([]);
  });

  test('whatever the parameters, the frames count what the series count, and each message is in at most one queue', () => {
    fc.assert(
      fc.property(arbitraryParams, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (over, seed) => {
        const problems = disagreements(runBackupMx({ ...defaults, ...over }, seed));
        if (problems.length > 0) throw new Error(problems.slice(0, 5).join('; '));
      }),
      { numRuns: 40 },
    );
  });

  test('the cache entries drawn are exactly the records the callouts wrote that are unexpired at the sample, with their time left', () => {
    fc.assert(
      fc.property(arbitraryParams, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (over, seed) => {
        const p = { ...defaults, ...over, backupMode: 2 };
        const rcpts: { tMs: number; address: string; verdict: AclVerdict }[] = [];
        const trace = runBackupMx(p, seed, (e: BackupMxEvent) => {
          if (e.type === 'rcpt') rcpts.push(e);
        });
        expect(sceneOf(trace).frames.map((f) => countsOf(f).cache)).toEqual(replayedCache(trace, rcpts, p));
      }),
      { numRuns: 30 },
    );
  });

  test('the positive-cache trap: through the outage the backup answers 451 from cached positive records, and real mail waits at the senders', () => {
    const trace = runBackupMx(paramsOf('positive-cache-trap'), backupMxScenarios.find((s) => s.id === 'positive-cache-trap')!.seed);
    const down = sceneOf(trace).frames.map(countsOf).filter((f) => f.primary !== 'up');
    expect(down.length).toBeGreaterThan(0);
    expect(sum(down.map((f) => replies(f, REPLY.backup451)))).toBeGreaterThan(0);
    expect(sum(down.map((f) => at(f.relay, RELAY.cacheHits)))).toBeGreaterThan(0);
    expect(Math.max(...down.map((f) => sum(f.senders.map((x) => at(x, 0)))))).toBeGreaterThan(0);
  });

  test('with no backup MX nothing is ever at the backup, and the primary’s silence sends every sender to its retry timer', () => {
    const trace = runBackupMx(paramsOf('outage-no-backup'), backupMxScenarios.find((s) => s.id === 'outage-no-backup')!.seed);
    const scene = sceneOf(trace);
    expect(scene.policy).toBe('none');
    for (const f of scene.frames.map(countsOf)) {
      expect(f.backup).toEqual([0, 0, 0]);
      expect(replies(f, REPLY.backup250) + replies(f, REPLY.backup451) + replies(f, REPLY.backup550)).toBe(0);
    }
    const realNoReply = sum(scene.frames.map(countsOf).map((f) => sum(f.replies.slice(0, SPAM).map((r) => at(r, REPLY.primaryNoAnswer)))));
    expect(realNoReply).toBe(sum(scene.frames.map(countsOf).map((f) => replies(f, REPLY.retryLater) + replies(f, REPLY.senderBounced))));
  });
});
