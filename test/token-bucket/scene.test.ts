/**
 * The buckets picture's data (sim/token-bucket/scene.ts) against the model's
 * own series and responses: one frame per sample; a bucket never above its
 * capacity nor below zero; passed, 429, shed and timed out in a frame equal
 * the per-second series the charts draw; every live request counted once, in
 * exactly one place; and the last 429's header lines are the ones the edge
 * sent.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { defaultParams, type Trace } from '../../sim/core/index.ts';
import type { EdgeResponse } from '../../sim/token-bucket/edge.ts';
import { clientName, CLIENTS } from '../../sim/token-bucket/keys.ts';
import { runTokenBucket, SAMPLE_MS } from '../../sim/token-bucket/model.ts';
import { tokenBucketParams, type TokenBucketParams } from '../../sim/token-bucket/params.ts';
import type { BucketsScene } from '../../sim/token-bucket/scene.ts';
import { tokenBucketScenarios } from '../../sim/token-bucket/scenarios.ts';

const defaults = defaultParams(tokenBucketParams);
const paramsOf = (id: string): TokenBucketParams => ({ ...defaults, ...tokenBucketScenarios.find((s) => s.id === id)!.params });
const sceneOf = (trace: Trace) => trace.scene as BucketsScene;

/** The series of the client drawn in slot k. */
const clientSeries = (trace: Trace, family: 'admitted' | 'rejected' | 'bucket', k: number) => {
  const c = CLIENTS.find((x) => clientName(x) === sceneOf(trace).clients[k])!;
  return trace.series[`${family}_c${c}`]!;
};

/** Every way the frames could disagree with the series or with themselves; empty when they agree. */
function problemsOf(trace: Trace, p: TokenBucketParams): string[] {
  const scene = sceneOf(trace);
  const s = trace.series;
  const problems: string[] = [];
  const say = (i: number, what: string) => problems.push(`sample ${i}: ${what}`);
  if (scene.frames.length !== s.attempts!.length) problems.push(`${scene.frames.length} frames for ${s.attempts!.length} samples`);
  if (scene.clients.length !== CLIENTS.filter((c) => (c === 4 ? p.runawayPerMin > 0 : c < p.clients)).length) problems.push(`clients ${scene.clients.join()}`);
  let live = 0;
  let backingOff = 0;
  scene.frames.forEach((f, i) => {
    scene.clients.forEach((name, k) => {
      const tokens = f.tokens[k]!;
      if (!(tokens >= 0 && tokens <= scene.capacityTokens)) say(i, `${name} holds ${tokens} of ${scene.capacityTokens}`);
      const level = clientSeries(trace, 'bucket', k)[i]!;
      if (!(tokens <= level + 1e-9 && tokens > level - 0.1)) say(i, `${name} tokens ${tokens}, series ${clientSeries(trace, 'bucket', k)[i]}`);
      if (f.passed[k] !== clientSeries(trace, 'admitted', k)[i]) say(i, `${name} passed ${f.passed[k]}, series ${clientSeries(trace, 'admitted', k)[i]}`);
      if (f.refused[k] !== clientSeries(trace, 'rejected', k)[i]) say(i, `${name} refused ${f.refused[k]}, series ${clientSeries(trace, 'rejected', k)[i]}`);
    });
    if (f.shed !== s.shed503![i]) say(i, `shed ${f.shed}, series ${s.shed503![i]}`);
    if (f.timedOut !== s.timeout![i]) say(i, `timed out ${f.timedOut}, series ${s.timeout![i]}`);
    // Stocks at the start of second i: what the seconds before opened less what they ended.
    if (f.held + f.awaited + f.backingOff !== live) say(i, `held ${f.held} + awaited ${f.awaited} + backing off ${f.backingOff}, but ${live} requests live`);
    if (f.backingOff !== backingOff) say(i, `backing off ${f.backingOff}, but entries less retries make ${backingOff}`);
    live += s.requests![i]! - s.succeededFirst![i]! - s.succeededRetried![i]! - s.gaveUp![i]!;
    backingOff += s.st_backingOff![i]! - s.retries![i]!;
    if (f.held > 0 && p.obeyHints === 0) say(i, `${f.held} held by clients that obey nothing`);
    if (f.busy > scene.workers || f.busy > s.backendBusy![i]!) say(i, `busy ${f.busy} of ${scene.workers}, peak ${s.backendBusy![i]}`);
    if (f.queued > s.backendQueue![i]!) say(i, `line ${f.queued}, peak ${s.backendQueue![i]}`);
    if (f.awaited > f.busy + f.queued) say(i, `${f.awaited} awaited but ${f.busy + f.queued} attempts in the backend`);
  });
  if (live !== trace.summary.pendingRequests) problems.push(`${live} live at the end, summary says ${trace.summary.pendingRequests}`);
  return problems;
}

/** The last response of each second that carries Retry-After, as the edge sent it (a 429 when nothing is shed). */
function last429s(p: TokenBucketParams, seed: number): { trace: Trace; last: Map<number, EdgeResponse> } {
  const last = new Map<number, EdgeResponse>();
  const trace = runTokenBucket(p, seed, (r) => {
    if (r.lines.some((l) => l.startsWith('Retry-After:'))) last.set(Math.floor(r.tMs / SAMPLE_MS), r);
  });
  return { trace, last };
}

function headerProblems(p: TokenBucketParams, seed: number): string[] {
  const { trace, last } = last429s(p, seed);
  const scene = sceneOf(trace);
  const problems: string[] = [];
  scene.frames.forEach((f, i) => {
    const sent = last.get(i);
    const drawn = f.last429 && { client: scene.clients[f.last429.client], lines: f.last429.lines };
    const expected = sent && { client: clientName(sent.client), lines: sent.lines.filter((l) => !l.startsWith('RateLimit-Policy:')) };
    if (JSON.stringify(drawn) !== JSON.stringify(expected ?? null)) problems.push(`sample ${i}: drawn ${JSON.stringify(drawn)}, sent ${JSON.stringify(expected)}`);
    if (sent && scene.policyLine !== (sent.lines.find((l) => l.startsWith('RateLimit-Policy:')) ?? null)) problems.push(`sample ${i}: policy ${scene.policyLine}`);
  });
  return problems;
}

const params = fc.record<Partial<TokenBucketParams>>({
  clients: fc.integer({ min: 1, max: 4 }),
  clientPerMin: fc.integer({ min: 1, max: 3000 }),
  runawayPerMin: fc.constantFrom(0, 2000, 10000),
  limitPerMin: fc.integer({ min: 1, max: 3000 }),
  burst: fc.integer({ min: 1, max: 200 }),
  retryPolicy: fc.integer({ min: 0, max: 6 }),
  runawayRetryPolicy: fc.integer({ min: 0, max: 6 }),
  baseMs: fc.integer({ min: 1, max: 2000 }),
  maxAttempts: fc.integer({ min: 1, max: 8 }),
  obeyHints: fc.constantFrom(0, 1),
  headerStyle: fc.constantFrom(0, 1, 2),
  concurrency: fc.integer({ min: 1, max: 40 }),
  serviceMs: fc.integer({ min: 1, max: 1000 }),
  timeoutMs: fc.integer({ min: 1, max: 100 }).map((x) => x * 100),
  stallAtSec: fc.integer({ min: 0, max: 10 }),
  stallSec: fc.integer({ min: 0, max: 8 }),
  shedding: fc.constantFrom(0, 1),
  shedQueueMax: fc.integer({ min: 0, max: 100 }),
  writePct: fc.constantFrom(0, 50, 100),
  idempotencyKeys: fc.constantFrom(0, 1),
  durationSec: fc.constantFrom(10, 20),
});

describe('the buckets picture’s frames', () => {
  test.each(tokenBucketScenarios.map((s) => s.id))('%s: one frame per sample, each agreeing with the series and counting every request once', (id) => {
    const scenario = tokenBucketScenarios.find((s) => s.id === id)!;
    const p = paramsOf(id);
    expect(problemsOf(runTokenBucket(p, scenario.seed), p)).toEqual([]);
  });

  test('over any parameters, buckets stay within 0 and capacity and the frames agree with the series', () => {
    fc.assert(
      fc.property(params, fc.integer({ min: 1, max: 1000 }), (over, seed) => {
        const p = { ...defaults, ...over };
        const problems = problemsOf(runTokenBucket(p, seed), p);
        if (problems.length > 0) throw new Error(problems.slice(0, 5).join('; '));
      }),
      { numRuns: 40 },
    );
  });

  test('the last 429 of each second is drawn with the client and header lines the edge sent it', () => {
    for (const s of tokenBucketScenarios.filter((x) => paramsOf(x.id).shedding === 0)) expect(headerProblems(paramsOf(s.id), s.seed), s.id).toEqual([]);
    fc.assert(
      fc.property(params, fc.integer({ min: 1, max: 1000 }), (over, seed) => {
        const problems = headerProblems({ ...defaults, ...over, shedding: 0 }, seed);
        if (problems.length > 0) throw new Error(problems.slice(0, 5).join('; '));
      }),
      { numRuns: 20 },
    );
  });

  test('after its first second the runaway’s bucket holds less than a token and it gets 429s; the others never get one', () => {
    const scene = sceneOf(runTokenBucket(paramsOf('runaway'), 3));
    const runaway = scene.clients.indexOf('runaway');
    expect(runaway).toBe(scene.clients.length - 1);
    expect(scene.frames.slice(1).every((f) => f.tokens[runaway]! < 1 && f.refused[runaway]! > 0)).toBe(true);
    expect(scene.frames.every((f) => f.refused.every((n, k) => k === runaway || n === 0))).toBe(true);
  });
});
