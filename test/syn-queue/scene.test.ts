/**
 * The listener as a picture (sim/syn-queue/scene.ts): one frame per sample,
 * never more entries than a queue's limit, a cookie-answered SYN never in the
 * SYN queue, and the frame's counts the same as the charts' series and the
 * attempt store's own states at the end of the run.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { defaultParams, scenarioState, type Trace } from '../../sim/core/index.ts';
import { synQueue, type SynQueueParams } from '../../sim/syn-queue/index.ts';
import { KERNELS } from '../../sim/syn-queue/kernels.ts';
import { CLASSES } from '../../sim/syn-queue/keys.ts';
import { S } from '../../sim/syn-queue/machine-steps.ts';
import { runSynQueue, type SynQueueRunEnd } from '../../sim/syn-queue/model.ts';
import type { SynQueueFrame, SynQueueScene, WireCounts } from '../../sim/syn-queue/scene.ts';

const sceneOf = (trace: Trace) => trace.scene as SynQueueScene;
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const synTotal = (f: SynQueueFrame) => sum(f.syn.map(sum));
const WIRE: Record<keyof WireCounts, string> = {
  syn: 'synsReceived', synAck: 'SynAcksSent', resent: 'SynAckRetransmits', cookie: 'cookiesSent',
  drop: 'drops', rst: 'resets', expired: 'expired', accepted: 'accepts',
};

/** The SYN queue at the end, counted from the attempt store: [class][retransmits]. */
function synQueueInStore(end: SynQueueRunEnd): number[][] {
  const { attempts: a } = end;
  const rows = CLASSES.map(() => [] as number[]);
  for (let i = 0; i < a.n; i++) {
    if (a.srv[i] !== S.synAckSent && a.srv[i] !== S.retransmitting) continue;
    const row = rows[a.cls[i]!]!;
    const r = a.srvRetrans[i]!;
    while (row.length <= r) row.push(0);
    row[r]!++;
  }
  return rows;
}

/** Everything the frames must agree with; an empty list when they do. */
function problemsOf(p: SynQueueParams, seed: number): string[] {
  let end: SynQueueRunEnd | undefined;
  const trace = runSynQueue(p, seed, (e) => (end = e));
  const scene = sceneOf(trace);
  const s = trace.series;
  const out: string[] = [];
  const n = s.synQueue!.length;
  if (scene.frames.length !== n) out.push(`${scene.frames.length} frames for ${n} samples`);
  if (scene.synQueueCap !== trace.summary.synQueueCap || scene.acceptQueueCap !== trace.summary.acceptQueueCap) out.push('limits differ from the summary');
  scene.frames.forEach((f, k) => {
    const syn = synTotal(f);
    const acc = f.accept[0] + f.accept[1];
    if (syn > scene.synQueueCap) out.push(`frame ${k}: ${syn} in a SYN queue of ${scene.synQueueCap}`);
    if (acc > scene.acceptQueueCap) out.push(`frame ${k}: ${acc} in an accept queue of ${scene.acceptQueueCap}`);
    if (f.syn.flat().some((x) => x < 0) || f.accept.some((x) => x < 0)) out.push(`frame ${k}: a negative count`);
    if (f.peak[0] !== s.synQueue![k] || f.peak[1] !== s.acceptQueue![k]) out.push(`frame ${k}: peaks ${f.peak} differ from the series`);
    for (const key of Object.keys(WIRE) as (keyof WireCounts)[]) {
      if (f.wire[key] !== s[WIRE[key]]![k]) out.push(`frame ${k}: wire ${key} ${f.wire[key]} but series ${s[WIRE[key]]![k]}`);
    }
    const young = sum(f.syn.map((row) => row[0] ?? 0));
    // The last sample also holds the run's end (the recorder clamps it), where the series keep the larger of two moments.
    const last = k === n - 1;
    if (last ? young > s.synQueueYoung![k]! : young !== s.synQueueYoung![k]) out.push(`frame ${k}: ${young} young, series ${s.synQueueYoung![k]}`);
    if (last ? syn - young > s.synQueueOld![k]! : syn - young !== s.synQueueOld![k]) out.push(`frame ${k}: ${syn - young} old, series ${s.synQueueOld![k]}`);
    if (syn > f.peak[0] || acc > f.peak[1]) out.push(`frame ${k}: a snapshot above its second's peak`);
  });
  const last = scene.frames.at(-1)!;
  if (!trace.truncated) {
    if (synTotal(last) !== trace.summary.synQueueAtEnd) out.push(`last frame ${synTotal(last)} in the SYN queue, summary ${trace.summary.synQueueAtEnd}`);
    if (last.accept[0] + last.accept[1] !== trace.summary.acceptQueueAtEnd) out.push('last frame accept queue differs from the summary');
    const store = synQueueInStore(end!);
    if (JSON.stringify(store) !== JSON.stringify(last.syn)) out.push(`last frame ${JSON.stringify(last.syn)}, attempt store ${JSON.stringify(store)}`);
  }
  return out;
}

const paramsOf = (id: string) => scenarioState(synQueue, id).params as SynQueueParams;

describe('the SYN-queue scene', () => {
  test('every scenario: one frame per sample, counts within the limits, equal to the series and to the attempt store at the end', () => {
    for (const s of synQueue.scenarios) expect(problemsOf(paramsOf(s.id), s.seed), s.id).toEqual([]);
  });

  test('whatever the listener and load, the frames stay within the limits and agree with the series', () => {
    const params = fc.record({
      kernel: fc.constantFrom(...KERNELS),
      backlog: fc.integer({ min: -1, max: 600 }),
      somaxconn: fc.constantFrom(16, 128, 4096),
      tcp_max_syn_backlog: fc.integer({ min: 16, max: 2048 }),
      tcp_synack_retries: fc.integer({ min: 0, max: 10 }),
      tcp_syncookies: fc.constantFrom(0, 1, 2),
      tcp_abort_on_overflow: fc.constantFrom(0, 1),
      rttMs: fc.integer({ min: 1, max: 1000 }),
      clientsPerSec: fc.integer({ min: 0, max: 400 }),
      brokenPerSec: fc.integer({ min: 0, max: 40 }),
      floodPerSec: fc.constantFrom(0, 300, 1500),
      floodStartSec: fc.integer({ min: 0, max: 10 }),
      acceptPerSec: fc.integer({ min: 1, max: 800 }),
      durationSec: fc.constantFrom(10, 20, 30),
    });
    fc.assert(
      fc.property(params, fc.integer({ min: 1, max: 1000 }), (over, seed) => {
        const problems = problemsOf({ ...defaultParams(synQueue.params), ...over } as SynQueueParams, seed);
        if (problems.length > 0) throw new Error(problems.slice(0, 5).join('; '));
      }),
      { numRuns: 40 },
    );
  });

  test('a SYN answered with a cookie never holds a SYN-queue slot: with cookies always on, the SYN queue stays empty while cookies go out', () => {
    const p = { ...paramsOf('syn-flood'), tcp_syncookies: 2 };
    const trace = runSynQueue(p, 7);
    const scene = sceneOf(trace);
    expect(scene.frames.every((f) => synTotal(f) === 0)).toBe(true);
    expect(scene.frames.every((f) => f.wire.cookie === f.wire.syn)).toBe(true);
    expect(sum(scene.frames.map((f) => f.wire.cookie))).toBeGreaterThan(60_000);
    // The handshakes still complete, every one of them through a cookie.
    expect(trace.summary.legit_acceptedCookie).toBeGreaterThan(10_000);
    expect(trace.summary.legit_accepted).toBe(0);
  });

  test('in the flood, cookies go out only while the SYN queue is full, and spoofed entries are what fills it', () => {
    const scene = sceneOf(runSynQueue(paramsOf('syn-flood'), 7));
    const full = scene.frames.filter((f) => f.peak[0] >= scene.synQueueCap);
    expect(full.length).toBeGreaterThan(30);
    for (const f of scene.frames) if (f.wire.cookie > 0) expect(f.peak[0]).toBe(scene.synQueueCap);
    const mid = scene.frames[50]!;
    expect(sum(mid.syn[2]!)).toBeGreaterThan(scene.synQueueCap * 0.9);
  });

  test('an entry ages on the retransmit schedule: no entry has had more SYN-ACK retransmissions than tcp_synack_retries allows', () => {
    for (const s of synQueue.scenarios) {
      const p = paramsOf(s.id);
      const scene = sceneOf(runSynQueue(p, s.seed));
      expect(scene.synAckAtMs).toHaveLength(p.tcp_synack_retries + 1);
      for (const f of scene.frames) for (const row of f.syn) expect(row.length, s.id).toBeLessThanOrEqual(p.tcp_synack_retries + 1);
    }
    // FastMail's fix: two retransmissions, 3 s then 6 s apart on 2.4.
    expect(sceneOf(runSynQueue(paramsOf('fastmail-fix'), 2002)).synAckAtMs).toEqual([0, 3000, 9000]);
  });

  test('the scene stays small: under 300 bytes a frame on average and 150 kB for the longest run', () => {
    for (const s of synQueue.scenarios) {
      const scene = sceneOf(runSynQueue(paramsOf(s.id), s.seed));
      expect(JSON.stringify(scene).length / scene.frames.length, s.id).toBeLessThan(300);
    }
    const long = { ...paramsOf('fastmail-2002'), durationSec: 600, tcp_synack_retries: 10, floodPerSec: 1000, floodDurationSec: 600 };
    expect(JSON.stringify(sceneOf(runSynQueue(long, 1))).length).toBeLessThan(150_000);
  });
});
