import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { defaultParams, type Trace } from '../../sim/core/index.ts';
import { Columns } from '../../sim/core/columns.ts';
import { SampleLatencies, SeriesRecorder } from '../../sim/core/index.ts';
import { ATTEMPT_OUTCOMES, MAX_CLIENTS, REQUEST_OUTCOMES, REQUEST_STATES, SERIES_KEYS } from '../../sim/token-bucket/keys.ts';
import { requestMachine } from '../../sim/token-bucket/machine.ts';
import { attemptLedger, requestLedger } from '../../sim/token-bucket/outcomes.ts';
import { runTokenBucket } from '../../sim/token-bucket/model.ts';
import { tokenBucketParams, type TokenBucketParams } from '../../sim/token-bucket/params.ts';
import { tokenBucketScenarios } from '../../sim/token-bucket/scenarios.ts';
import { parseRateLimit } from '../../sim/token-bucket/headers.ts';

const defaults = defaultParams(tokenBucketParams);
const scenario = (id: string) => tokenBucketScenarios.find((s) => s.id === id)!;
const runScenario = (id: string, over: Partial<TokenBucketParams> = {}, seed?: number): Trace =>
  runTokenBucket({ ...defaults, ...scenario(id).params, ...over }, seed ?? scenario(id).seed);
const sum = (trace: Trace, key: string) => trace.series[key]!.reduce((a, b) => a + b, 0);

const params = fc.record<Partial<TokenBucketParams>>({
  clients: fc.integer({ min: 1, max: 4 }),
  clientPerMin: fc.integer({ min: 1, max: 3000 }),
  runawayPerMin: fc.constantFrom(0, 2000, 10000),
  limitPerMin: fc.integer({ min: 1, max: 3000 }),
  burst: fc.integer({ min: 1, max: 200 }),
  retryPolicy: fc.integer({ min: 0, max: 6 }),
  runawayRetryPolicy: fc.integer({ min: 0, max: 6 }),
  baseMs: fc.integer({ min: 1, max: 2000 }),
  capMs: fc.integer({ min: 10, max: 30000 }),
  maxAttempts: fc.integer({ min: 1, max: 8 }),
  obeyHints: fc.constantFrom(0, 1),
  headerStyle: fc.constantFrom(0, 1, 2),
  concurrency: fc.integer({ min: 1, max: 40 }),
  serviceMs: fc.integer({ min: 1, max: 1000 }),
  timeoutMs: fc.integer({ min: 1, max: 100 }).map((x) => x * 100),
  stallAtSec: fc.integer({ min: 0, max: 20 }),
  stallSec: fc.integer({ min: 0, max: 8 }),
  shedding: fc.constantFrom(0, 1),
  shedQueueMax: fc.integer({ min: 0, max: 100 }),
  writePct: fc.constantFrom(0, 50, 100),
  idempotencyKeys: fc.constantFrom(0, 1),
  durationSec: fc.constantFrom(10, 20, 30),
});

describe('token-bucket model: invariants', () => {
  test('outcome series sum to the ledgers’ totals, open attempts belong to open requests and are younger than the time-out, and the counts agree with each other', () => {
    fc.assert(
      fc.property(params, fc.integer({ min: 0, max: 1000 }), (over, seed) => {
        const p = { ...defaults, ...over };
        const t = runTokenBucket(p, seed);
        const s = t.summary;
        for (const o of [...ATTEMPT_OUTCOMES, ...REQUEST_OUTCOMES]) expect(sum(t, o)).toBe(s[o]);
        expect(sum(t, 'attempts')).toBe(s.attempts);
        expect(sum(t, 'requests')).toBe(s.requests);
        // A request with an attempt still open has not ended; an attempt sent a time-out before the end has had its time-out.
        expect(s.pendingAttempts).toBeLessThanOrEqual(s.pendingRequests!);
        const firstSample = Math.max(0, Math.floor((t.durationMs - p.timeoutMs) / 1000));
        expect(s.pendingAttempts).toBeLessThanOrEqual(t.series.attempts!.slice(firstSample).reduce((a, b) => a + b, 0));
        // Each logical request makes at most maxAttempts attempts; retries are attempts beyond the first.
        expect(s.attempts).toBeLessThanOrEqual(s.requests! * p.maxAttempts);
        const firstAttempts = s.attempts! - s.retries!;
        expect(firstAttempts).toBeLessThanOrEqual(s.requests!);
        expect(firstAttempts).toBeGreaterThanOrEqual(s.requests! - s.pendingRequests!);
        // Successes after k retries, summed over k, are the successes after retries; k < maxAttempts.
        const byRetries = Object.entries(s).filter(([k]) => k.startsWith('succeededAfter'));
        expect(byRetries.reduce((a, [, v]) => a + v, 0)).toBe(s.succeededRetried);
        for (const [k] of byRetries) expect(Number(k.slice('succeededAfter'.length))).toBeLessThan(p.maxAttempts);
        // The machine's final states were entered exactly as often as the outcomes say.
        expect(sum(t, 'st_succeeded')).toBe(s.succeededFirst! + s.succeededRetried!);
        expect(sum(t, 'st_gaveUp')).toBe(s.gaveUp);
        // Each client's bucket never lets through more than burst + rate × time.
        for (let c = 0; c < MAX_CLIENTS; c++) {
          expect(s[`admitted_c${c}`]).toBeLessThanOrEqual(p.burst + Math.ceil((p.limitPerMin * p.durationSec) / 60));
        }
        // With shedding on, the line never holds more than its cap; workers never exceed concurrency.
        if (p.shedding === 1) expect(s.peakBackendQueue).toBeLessThanOrEqual(p.shedQueueMax);
        expect(Math.max(...t.series.backendBusy!)).toBeLessThanOrEqual(p.concurrency);
        // Only writes run side effects, and a key store prevents running one twice.
        expect(s.executions).toBeLessThanOrEqual(s.writes! * p.maxAttempts);
        if (p.idempotencyKeys === 1) expect(s.doubleCharged).toBe(0);
        if (p.writePct === 0) expect(s.executions).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  test('same seed, same trace hash; another seed, another trace', () => {
    for (const sc of tokenBucketScenarios) {
      expect(runScenario(sc.id).hash).toBe(runScenario(sc.id).hash);
      expect(runScenario(sc.id, {}, sc.seed + 1).hash).not.toBe(runScenario(sc.id).hash);
    }
  });
});

describe('token-bucket model: the ledgers', () => {
  test('a backend reply that comes after the attempt timed out reaches nobody: with every job slower than the time-out, nothing succeeds, yet writes still run', () => {
    // Jobs take 1.8-2.2 s and clients give up after 1 s: each attempt times out before its job ends.
    for (const seed of [1, 2, 3]) {
      const s = runTokenBucket({ ...defaults, serviceMs: 2000, timeoutMs: 1000, writePct: 100, clientPerMin: 120, concurrency: 50, durationSec: 30 }, seed).summary;
      expect(s.ok).toBe(0);
      expect(s.succeededFirst! + s.succeededRetried!).toBe(0);
      expect(s.timeout).toBeGreaterThan(100);
      // The side effects happen all the same: a job per attempt that reached the backend and finished.
      expect(s.executions).toBeGreaterThan(s.timeout! / 2);
    }
  });

  test('an attempt that ends twice throws, and a request counts its latency only when it succeeds', () => {
    const rec = new SeriesRecorder(SERIES_KEYS, 3000, 1000);
    const attempts = attemptLedger(rec);
    const a = attempts.open();
    attempts.end(a, ATTEMPT_OUTCOMES.indexOf('timeout'), 1500);
    expect(() => attempts.end(a, ATTEMPT_OUTCOMES.indexOf('ok'), 2500)).toThrow(/ended twice \(timeout, then ok\)/);
    expect(Array.from(rec.get('timeout'))).toEqual([0, 1, 0]);
    expect(Array.from(rec.get('ok'))).toEqual([0, 0, 0]);

    const req = new Columns(['startMs'] as const);
    const latencies = new SampleLatencies(rec.count);
    const requests = requestLedger(rec, req, latencies);
    const won = requests.open();
    req.col.startMs[req.add()] = 200;
    const lost = requests.open();
    req.col.startMs[req.add()] = 300;
    requests.end(won, REQUEST_OUTCOMES.indexOf('succeededRetried'), 2450);
    requests.end(lost, REQUEST_OUTCOMES.indexOf('gaveUp'), 2900);
    expect(Array.from(rec.get('succeededRetried'))).toEqual([0, 0, 1]);
    expect(Array.from(rec.get('gaveUp'))).toEqual([0, 0, 1]);
    expect(Array.from(latencies.finish([0.5], [new Float64Array(3)]))).toEqual([2.25]);
  });

  test('the request states the series are named after are the request machine’s, in its order', () => {
    expect(REQUEST_STATES).toEqual(Object.keys(requestMachine.config.states!));
  });
});

describe('token-bucket model: fidelity', () => {
  test('the runaway client gets the burst plus the refill: about 100 + 100 in its first minute', () => {
    const t = runScenario('runaway');
    // Poisson arrivals at 10,000 a minute take each token within milliseconds of its completion.
    expect(t.summary.admitted_c4).toBeGreaterThanOrEqual(198);
    expect(t.summary.admitted_c4).toBeLessThanOrEqual(200);
    // Its bucket empties in the first second and stays near zero.
    expect(t.series.bucket_c4![0]).toBe(100);
    expect(Math.max(...t.series.bucket_c4!.slice(2))).toBeLessThan(1);
    // The well-behaved clients never see a 429.
    for (let c = 0; c < 3; c++) expect(t.summary[`rejected_c${c}`]).toBe(0);
  });

  test('each logged 429 carries fields that agree with the bucket, and the quota-exceeded problem details as its body', () => {
    const t = runScenario('runaway');
    const refusals = t.log.filter((l) => l.kind === '429');
    expect(refusals.length).toBeGreaterThan(50);
    for (const line of refusals) {
      const [head, body] = line.detail!.split('\n\n');
      const headers = head!.split('\n');
      expect(headers[0]).toBe('HTTP/1.1 429 Too Many Requests');
      const parsed = parseRateLimit(/^RateLimit: (\S+)$/m.exec(head!)![1]!)!;
      // A token every 0.6 s: the next one is never more than a second away, and within that second one or two grow.
      expect(parsed.windowSec).toBe(1);
      expect([1, 2]).toContain(parsed.available);
      expect(headers).toContain('Retry-After: 1');
      // 100 a minute is 5 every 3 seconds.
      expect(headers).toContain('RateLimit-Policy: "default";q=5;w=3');
      expect(headers).toContain('Content-Type: application/problem+json');
      expect(JSON.parse(body!)).toMatchObject({ type: 'https://iana.org/assignments/http-problem-types#quota-exceeded', status: 429, 'violated-policies': ['default'] });
    }
    const legacy = runScenario('runaway', { headerStyle: 1 });
    const legacyRefusal = legacy.log.find((l) => l.kind === '429')!;
    expect(legacyRefusal.detail!.split('\n\n')[0]!.split('\n').slice(1)).toEqual([
      'RateLimit-Limit: 100',
      'RateLimit-Remaining: 0',
      'RateLimit-Reset: 60',
      'Retry-After: 1',
      'Content-Type: application/problem+json',
    ]);
  });

  test('every response’s fields agree with the bucket it was computed from', () => {
    fc.assert(
      fc.property(params, fc.integer({ min: 0, max: 1000 }), fc.constantFrom(0, 1), (over, seed, headerStyle) => {
        const p = { ...defaults, ...over, headerStyle, durationSec: 10 };
        const ratePerMs = p.limitPerMin / 60_000;
        // The policy: the limit a minute as the fewest whole requests per whole seconds.
        const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
        const windowSec = 60 / gcd(p.limitPerMin, 60);
        const quota = (p.limitPerMin * windowSec) / 60;
        let responses = 0;
        const trace = runTokenBucket(p, seed, ({ tokens, lines, body }) => {
          responses++;
          const whole = Math.floor(tokens + 1e-9);
          const field = (name: string) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
          // Whole seconds, rounded up, until the level reaches a given number of tokens.
          const secondsUntil = (target: number) => (target - tokens <= 1e-9 ? 0 : Math.ceil((target - tokens) / ratePerMs / 1000 - 1e-9));
          if (headerStyle === 0) {
            const full = tokens >= p.burst - 1e-9;
            const t = full ? windowSec : Math.max(1, secondsUntil(whole + 1));
            expect(field('RateLimit-Policy')).toBe(`"default";q=${quota};w=${windowSec}`);
            expect(field('RateLimit')).toBe(`"default";r=${Math.floor(tokens + t * 1000 * ratePerMs + 1e-9)};t=${t}`);
          } else {
            expect(field('RateLimit-Limit')).toBe(String(p.burst));
            expect(field('RateLimit-Remaining')).toBe(String(whole));
            expect(field('RateLimit-Reset')).toBe(String(secondsUntil(p.burst)));
          }
          // Only a refusal, with less than a whole token, carries the problem details.
          expect(body !== null).toBe(field('Content-Type') === 'application/problem+json');
          if (body !== null) expect(whole).toBe(0);
        });
        // Every 429, 503 and backend 200 carried fields (a 409 and a replay carry only the key).
        expect(responses).toBe(trace.summary.rejected429! + trace.summary.shed503! + trace.summary.ok!);
      }),
      { numRuns: 40 },
    );
  });

  test('clients that spread their requests as RateLimit says collect almost no 429s for the same work', () => {
    const ignore = runScenario('ignore-headers').summary;
    const obey = runScenario('obey-headers').summary;
    expect(obey.rejected429).toBeLessThan(ignore.rejected429! / 20);
    expect(Math.abs(obey.ok! - ignore.ok!)).toBeLessThan(0.1 * ignore.ok!);
  });

  test('load shedding keeps the line short and answers instead of timing out', () => {
    const shed = runScenario('stall-shedding').summary;
    const plain = runScenario('stall-full-jitter').summary;
    expect(shed.peakBackendQueue).toBeLessThanOrEqual(20);
    expect(shed.shed503).toBeGreaterThan(0);
    expect(shed.timeout).toBeLessThan(plain.timeout! / 10);
    expect(shed.ok).toBeGreaterThan(plain.ok!);
  });

  test('retried writes after timeouts double charge without keys, never with them', () => {
    const off = runScenario('double-charge').summary;
    const on = runScenario('idempotency-keys').summary;
    expect(off.doubleCharged).toBeGreaterThan(0);
    expect(off.duplicates).toBeGreaterThanOrEqual(off.doubleCharged!);
    expect(on.doubleCharged).toBe(0);
    expect(on.replayed).toBeGreaterThan(0);
    expect(on.conflict409).toBeGreaterThan(0);
  });

  test('the stall turns into a retry storm: attempts per second rise well above the offered load', () => {
    const t = runScenario('stall-no-jitter');
    const before = t.series.attempts!.slice(5, 19);
    const after = t.series.attempts!.slice(22, 35);
    const mean = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(after)).toBeGreaterThan(1.5 * mean(before));
    expect(t.summary.timeout).toBeGreaterThan(0);
  });
});
