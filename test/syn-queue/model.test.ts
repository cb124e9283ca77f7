/**
 * The SYN-queue model against its invariants (fast-check over random
 * parameters) and against the kernel (numbers from the source, cited inline).
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Ledger, SampleLatencies, SeriesRecorder, normalizeParams, scenarioState, type ChartSpec } from '../../sim/core/index.ts';
import { synQueue, queueLimits, requestLifetimeMs, type SynQueueParams } from '../../sim/syn-queue/index.ts';
import { runSynQueue, type SynQueueRunEnd } from '../../sim/syn-queue/model.ts';
import { Attempts, CLI_DONE } from '../../sim/syn-queue/attempts.ts';
import { BROKEN, CLASSES, CLASS_OUTCOMES, LEGIT, OUTCOMES, O_ACCEPTED, O_GAVE_UP, SERIES_KEYS, SPOOFED, type SeriesKey, type SummaryKey } from '../../sim/syn-queue/keys.ts';
import { S } from '../../sim/syn-queue/machine-steps.ts';
import { countEndingsPerSample } from '../../sim/syn-queue/summary.ts';
import { synackRetryLimit, type ListenerView } from '../../sim/syn-queue/machine.ts';
import { KERNEL_RULES, guardRules } from '../../sim/syn-queue/kernels.ts';
import { arbitraryParams } from './arbitrary-params.ts';

const params = (overrides: Partial<SynQueueParams>, scenario = 'busy-hour') =>
  normalizeParams(synQueue.params, overrides, scenarioState(synQueue, scenario).params).params;

/** Random but bounded parameters: every knob, small enough that hundreds of runs stay fast. */
const arbParams = arbitraryParams({ brokenHalvesMax: 40, floodTensMax: 30, floodStartMaxSec: 60, durationsSec: [10, 20, 30, 60] });

describe('invariants over random parameters', () => {
  /** Runs with the observer on, so a test sees the attempt store and the ledger the run ended with. */
  const runSeen = (p: SynQueueParams, seed: number) => {
    let end: SynQueueRunEnd | undefined;
    const trace = runSynQueue(p, seed, (e) => (end = e));
    return { ...trace, end: end! };
  };

  test('each per-second outcome series sums to the ledger’s total for that outcome, and the summary reports the same total', () => {
    fc.assert(
      fc.property(arbParams, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (p, seed) => {
        const { summary, series, end } = runSeen(p, seed);
        CLASSES.forEach((cls, c) => {
          const attempts = series[`attempts_${cls}`]!.reduce((x, y) => x + y, 0);
          expect(attempts).toBe(end.ledger.attempts(c));
          expect(summary[`attempts_${cls}`]).toBe(end.ledger.attempts(c));
          OUTCOMES.forEach((outcome, o) => {
            const key = `${cls}_${outcome}`;
            const reachable = (CLASS_OUTCOMES[cls] as readonly string[]).includes(outcome);
            if (!reachable) {
              expect(end.ledger.count(o, c), key).toBe(0);
              return;
            }
            expect(series[key]!.reduce((x, y) => x + y, 0), key).toBe(end.ledger.count(o, c));
            expect(summary[key], key).toBe(end.ledger.count(o, c));
          });
        });
      }),
      { numRuns: 120 },
    );
  });

  test('attempts pending at the end are exactly those the run still holds: clients still waiting, spoofed SYNs in flight or in the SYN queue', () => {
    const inSynQueue = (srv: number) => srv === S.synAckSent || srv === S.retransmitting;
    fc.assert(
      fc.property(arbParams, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (p, seed) => {
        const { summary, end } = runSeen(p, seed);
        const a = end.attempts;
        const held = [0, 0, 0];
        let synQueue = 0;
        let acceptQueue = 0;
        for (let i = 0; i < a.n; i++) {
          const srv = a.srv[i]!;
          if (inSynQueue(srv)) synQueue++;
          if (srv === S.queuedForAccept) acceptQueue++;
          // A spoofed source has no client state: its attempt lives only on the server's side.
          const open = a.cls[i] === SPOOFED ? srv === S.listen || inSynQueue(srv) : a.cli[i] !== CLI_DONE;
          if (open) held[a.cls[i]!]!++;
        }
        CLASSES.forEach((cls, c) => expect(summary[`${cls}_pending`], cls).toBe(held[c]));
        expect(summary.synQueueAtEnd).toBe(synQueue);
        expect(summary.acceptQueueAtEnd).toBe(acceptQueue);
      }),
      { numRuns: 120 },
    );
  });

  test('ending an attempt the run already ended throws, naming both endings', () => {
    const { end } = runSeen(params({}), 1);
    const accepted = Array.from({ length: end.attempts.n }, (_, i) => i).find((i) => end.ledger.outcomeOf(i) === O_ACCEPTED);
    expect(accepted).toBeDefined();
    expect(() => end.ledger.end(accepted!, O_GAVE_UP, 0)).toThrow(/ended twice \(accepted, then gaveUp\)/);
  });

  test('an ending a class cannot reach (a spoofed source accepted) throws instead of being counted nowhere', () => {
    const rec = new SeriesRecorder(SERIES_KEYS, 10_000, 1000);
    const ledger = new Ledger(OUTCOMES, CLASSES);
    const attempts = new Attempts();
    countEndingsPerSample(ledger, rec, attempts, new SampleLatencies(rec.count));
    const spoofed = ledger.open(SPOOFED);
    attempts.add(SPOOFED, 1, 0, S.listen);
    expect(() => ledger.end(spoofed, O_ACCEPTED, 500)).toThrow(/a spoofed attempt cannot end accepted/);
    const legit = ledger.open(LEGIT);
    attempts.add(LEGIT, 1, 2000, S.listen);
    ledger.end(legit, O_ACCEPTED, 3500);
    expect(Array.from(rec.get('legit_accepted'))).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  });

  test('an attempt table started small keeps every row of every column as it grows past its first size', () => {
    const attempts = new Attempts(16);
    const rows = 300;
    for (let i = 0; i < rows; i++) {
      const row = attempts.add(i % 3, 1000 + i, i * 1.5, S.listen);
      attempts.synsSent[row] = i % 7;
      attempts.queuedAtMs[row] = i * 2.5;
      attempts.viaCookie[row] = i % 2;
    }
    expect(attempts.n).toBe(rows);
    for (let i = 0; i < rows; i++) {
      expect([attempts.cls[i], attempts.host[i], attempts.startMs[i], attempts.srv[i]]).toEqual([i % 3, 1000 + i, i * 1.5, S.listen]);
      expect([attempts.synsSent[i], attempts.queuedAtMs[i], attempts.viaCookie[i]]).toEqual([i % 7, i * 2.5, i % 2]);
      expect([attempts.cliTimerDueMs[i], attempts.srvTimerDueMs[i], attempts.cli[i], attempts.acked[i]]).toEqual([-1, -1, 0, 0]);
    }
  });

  test('a run sizes its attempt table for the attempts it makes: the busiest scenario fills it without growing it', () => {
    const p = scenarioState(synQueue, 'syn-flood').params;
    let end: SynQueueRunEnd | undefined;
    runSynQueue(p, scenarioState(synQueue, 'syn-flood').seed, (e) => (end = e));
    const made = end!.attempts.n;
    const room = end!.attempts.cls.length;
    expect(made).toBeLessThanOrEqual(room);
    // Room for the Poisson mean and four deviations, not a doubling's worth of spare rows.
    expect(room).toBeLessThan(made * 1.1);
  });

  test('neither queue ever holds more than its limit', () => {
    fc.assert(
      fc.property(arbParams, fc.integer({ min: 0, max: 1000 }), (p, seed) => {
        const { summary, series } = synQueue.run(p, seed);
        expect(summary.peakSynQueue).toBeLessThanOrEqual(summary.synQueueCap!);
        expect(summary.peakAcceptQueue).toBeLessThanOrEqual(summary.acceptQueueCap!);
        expect(Math.max(...series.synQueue!)).toBeLessThanOrEqual(summary.synQueueCap!);
        expect(Math.max(...series.acceptQueue!)).toBeLessThanOrEqual(summary.acceptQueueCap!);
        expect(summary.synQueueAtEnd).toBeGreaterThanOrEqual(0);
        expect(summary.acceptQueueAtEnd).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 120 },
    );
  });

  test('a request never answered leaves the SYN queue exactly when the retransmission schedule says', () => {
    fc.assert(
      fc.property(fc.constantFrom('modern', 'linux-2.4'), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 99 }), (kernel, retries, seed) => {
        // Only broken clients, sparse enough that the queue never fills.
        const p = params({ kernel, tcp_synack_retries: retries, clientsPerSec: 0, brokenPerSec: 0.5, durationSec: 600, backlog: 4096 });
        const { summary } = synQueue.run(p, seed);
        const expected = requestLifetimeMs(kernel === 'modern' ? 1000 : 3000, retries);
        // Event times are sums of doubles: equal to the microsecond, not to the last bit.
        expect(summary.expiredHeldMinMs).toBeCloseTo(expected, 3);
        expect(summary.expiredHeldMaxMs).toBeCloseTo(expected, 3);
      }),
      { numRuns: 40 },
    );
  });

  test('with cookies off, a full SYN queue drops new SYNs and sends no cookie', () => {
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 200 }), fc.integer({ min: 0, max: 99 }), (backlog, seed) => {
        const p = params({ backlog, tcp_syncookies: 0, tcp_max_syn_backlog: 8192, floodPerSec: 500, floodStartSec: 5, floodDurationSec: 20, durationSec: 30 }, 'syn-flood');
        const { summary } = synQueue.run(p, seed);
        expect(summary.peakSynQueue).toBe(summary.synQueueCap);
        expect(summary.TCPReqQFullDrop).toBeGreaterThan(0);
        expect(summary.spoofed_dropped).toBeGreaterThan(0);
        expect(summary.SyncookiesSent).toBe(0);
        expect(summary.spoofed_cookie).toBe(0);
      }),
      { numRuns: 25 },
    );
  });

  test('with cookies on, legitimate success under a spoofed flood stays within 2 points of the no-flood level', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 2000 }), fc.integer({ min: 0, max: 99 }), (floodPerSec, seed) => {
        const base = { tcp_syncookies: 1, floodStartSec: 5, floodDurationSec: 40, durationSec: 60, clientsPerSec: 100 };
        const flooded = synQueue.run(params({ ...base, floodPerSec }, 'syn-flood'), seed).summary;
        const calm = synQueue.run(params({ ...base, floodPerSec: 0 }, 'syn-flood'), seed).summary;
        expect(flooded.spoofed_cookie).toBeGreaterThan(0);
        expect(Math.abs(flooded.legitSuccessPct! - calm.legitSuccessPct!)).toBeLessThan(2);
      }),
      { numRuns: 15 },
    );
  });
});

describe('pruning (reqsk_timer_handler, and tcp_synack_timer on 2.4)', () => {
  // The era's flags follow the kernel named in `over`, as the listener fills them.
  const view = (over: Partial<ListenerView>): ListenerView => ({
    ...guardRules(over.kernel ?? 'modern'),
    kernel: 'modern', synQueueLen: 0, synQueueCap: 129, acceptQueueLen: 0, acceptQueueCap: 129, youngLen: 0,
    tcpMaxSynBacklog: 1024, tcpSyncookies: 1, tcpAbortOnOverflow: 0, peerProven: false, retransmits: 0,
    acked: false, effectiveBacklog: 128, tcpSynackRetries: 5, ...over,
  });
  // Worked by hand from the kernel's loop: young doubles while qlen >= young, each time one retry less, never below 2.
  test.each([
    ['modern, queue not crowded (2 x 60 <= 128)', { synQueueLen: 60, youngLen: 1 }, 5],
    ['modern, crowded, many young requests', { synQueueLen: 100, youngLen: 60 }, 5],
    ['modern, crowded, some young requests', { synQueueLen: 100, youngLen: 30 }, 4],
    ['modern, crowded, few young requests', { synQueueLen: 100, youngLen: 10 }, 2],
    ['modern, crowded, no young request: floor of 2', { synQueueLen: 128, youngLen: 0 }, 2],
    ['modern, small backlog uses max(8, backlog)', { synQueueLen: 4, effectiveBacklog: 2, youngLen: 0 }, 5],
    ['modern, retries already below 2 stay', { synQueueLen: 128, tcpSynackRetries: 1 }, 1],
    ['modern, an acked request is pruned like any other', { synQueueLen: 128, acked: true }, 2],
    ['2.4, below half the table', { kernel: 'linux-2.4', synQueueCap: 1024, synQueueLen: 511 }, 5],
    ['2.4, at half the table, no young', { kernel: 'linux-2.4', synQueueCap: 1024, synQueueLen: 512 }, 2],
    ['2.4, an acked request keeps its full count', { kernel: 'linux-2.4', synQueueCap: 1024, synQueueLen: 700, acked: true }, 5],
  ] as const)('%s: %o -> %i retries', (_name, over, expected) => {
    expect(synackRetryLimit(view(over as Partial<ListenerView>))).toBe(expected);
  });

  test('every expired request lived at least the two-retry schedule and at most the full one', () => {
    fc.assert(
      fc.property(arbParams, fc.integer({ min: 0, max: 99 }), (p, seed) => {
        const { summary } = synQueue.run(p, seed);
        if (!Number.isFinite(summary.expiredHeldMinMs!)) return;
        const rto = KERNEL_RULES[p.kernel].initialRtoMs;
        expect(summary.expiredHeldMinMs!).toBeGreaterThanOrEqual(requestLifetimeMs(rto, Math.min(2, p.tcp_synack_retries)) - 1e-6);
        expect(summary.expiredHeldMaxMs!).toBeLessThanOrEqual(requestLifetimeMs(rto, p.tcp_synack_retries) + 1e-6);
      }),
      { numRuns: 80 },
    );
  });
});

describe('fidelity to the kernel', () => {
  // tcp_listen_start() in Linux 2.4: max_qlen_log starts at 6 and grows until 1 << log >= tcp_max_syn_backlog.
  test.each([
    [10, 64], [64, 64], [100, 128], [1000, 1024], [1024, 1024], [1025, 2048], [2048, 2048],
  ])('Linux 2.4: tcp_max_syn_backlog %i gives a SYN queue of %i, whatever the listen backlog', (maxSynBacklog, cap) => {
    for (const backlog of [5, 128, 4096]) {
      expect(queueLimits(params({ kernel: 'linux-2.4', tcp_max_syn_backlog: maxSynBacklog, backlog })).synQueueCap).toBe(cap);
    }
  });

  // __sys_listen() caps the backlog at somaxconn; sk_acceptq_is_full() and (since 6.13) inet_csk_reqsk_queue_is_full() use '>'.
  test.each([
    [128, 4096, 129], [511, 4096, 512], [4096, 128, 129], [1, 4096, 2],
  ])('modern: backlog %i with somaxconn %i lets each queue hold %i', (backlog, somaxconn, cap) => {
    const limits = queueLimits(params({ kernel: 'modern', backlog, somaxconn, tcp_max_syn_backlog: 8192 }));
    expect(limits.synQueueCap).toBe(cap);
    expect(limits.acceptQueueCap).toBe(cap);
    expect(limits.effectiveBacklog).toBe(cap - 1);
  });

  test('ip-sysctl.rst: tcp_synack_retries 5 means 63 s on a modern kernel; 2.4’s 3 s start makes it 189 s (FastMail’s case)', () => {
    expect(requestLifetimeMs(1000, 5)).toBe(63_000);
    expect(requestLifetimeMs(3000, 5)).toBe(189_000);
    expect(requestLifetimeMs(3000, 2)).toBe(21_000);
  });

  test('each kind of client keeps its own SYN retries: a broken client that gives up sent brokenSynRetries + 1 SYNs, whatever tcp_syn_retries is', () => {
    fc.assert(
      // Up to four retries: on 2.4 (a 3 s first timeout) the last gives up 93 s after the first SYN, inside the run.
      fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (legitRetries, brokenRetries, seed) => {
        const p = params({ tcp_syn_retries: legitRetries, brokenSynRetries: brokenRetries, durationSec: 150 }, 'fastmail-2002');
        let end: SynQueueRunEnd | undefined;
        runSynQueue(p, seed, (e) => (end = e));
        const { attempts, ledger } = end!;
        let gaveUp = 0;
        for (let i = 0; i < attempts.n; i++) {
          if (attempts.cls[i] !== BROKEN || ledger.isOpen(i)) continue;
          expect(ledger.outcomeOf(i)).toBe(O_GAVE_UP);
          expect(attempts.synsSent[i]).toBe(brokenRetries + 1);
          gaveUp++;
        }
        expect(gaveUp).toBeGreaterThan(0);
      }),
      { numRuns: 8 },
    );
  });

  test('with no broken clients brokenSynRetries changes nothing; with no legitimate clients tcp_syn_retries changes nothing', () => {
    const withoutParams = (p: SynQueueParams, seed: number) => {
      const { params: _, hash: __, ...rest } = synQueue.run(p, seed);
      return rest;
    };
    fc.assert(
      fc.property(arbParams, fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (p, other, seed) => {
        const noBroken = { ...p, brokenPerSec: 0 };
        expect(withoutParams({ ...noBroken, brokenSynRetries: other }, seed)).toEqual(withoutParams(noBroken, seed));
        const noLegit = { ...p, clientsPerSec: 0 };
        expect(withoutParams({ ...noLegit, tcp_syn_retries: other }, seed)).toEqual(withoutParams(noLegit, seed));
      }),
      { numRuns: 15 },
    );
  });

  test('ip-sysctl.rst: a client with tcp_syn_retries 6 and no linear timeouts gives up after 127 s when every SYN is dropped', () => {
    const p = params({ tcp_syncookies: 0, backlog: 8, tcp_max_syn_backlog: 8192, floodPerSec: 2000, floodStartSec: 0, floodDurationSec: 600, clientsPerSec: 5, durationSec: 300, tcp_syn_retries: 6, tcp_syn_linear_timeouts: 0 }, 'syn-flood');
    const { summary } = synQueue.run(p, 1);
    expect(summary.connectTimeoutMinMs).toBeCloseTo(127_000, 3);
    expect(summary.connectTimeoutMaxMs).toBeCloseTo(127_000, 3);
  });

  test('tcp_conn_request(): with cookies off the queue stops at three quarters of tcp_max_syn_backlog for unproven peers (769 of 1024 on 2.4)', () => {
    const { summary } = synQueue.run(scenarioState(synQueue, 'fastmail-2002').params, 2002);
    expect(summary.synQueueCap).toBe(1024);
    expect(summary.peakSynQueue).toBe(1024 - (1024 >> 2) + 1);
  });

  test('tcp_abort_on_overflow=1 turns accept-queue overflows into resets; 0 turns them into retries', () => {
    const withAbort = synQueue.run(params({ tcp_abort_on_overflow: 1 }, 'slow-app'), 3).summary;
    const without = synQueue.run(params({ tcp_abort_on_overflow: 0 }, 'slow-app'), 3).summary;
    expect(withAbort.legit_reset).toBeGreaterThan(0);
    expect(without.legit_reset).toBe(0);
    expect(without.ListenOverflows).toBeGreaterThan(0);
    expect(without.SynAckRetransmits).toBeGreaterThan(withAbort.SynAckRetransmits!);
  });

  test('tcp_syncookies=2 answers every SYN with a cookie and queues nothing', () => {
    const { summary } = synQueue.run(params({ tcp_syncookies: 2 }), 1);
    expect(summary.peakSynQueue).toBe(0);
    expect(summary.legit_acceptedCookie).toBeGreaterThan(0);
    expect(summary.legit_accepted).toBe(0);
  });
});

describe('the article’s scenarios tell their stories', () => {
  const run = (id: string) => {
    const s = scenarioState(synQueue, id);
    return synQueue.run(s.params, s.seed);
  };
  const acceptedBetween = (trace: ReturnType<typeof run>, fromSec: number, toSec: number) =>
    trace.series.legitAccepted!.slice(fromSec, toSec).reduce((x, y) => x + y, 0);

  test('busy hour: nearly every connection is accepted and the queues stay far from their limits', () => {
    const { summary } = run('busy-hour');
    expect(summary.legitSuccessPct).toBeGreaterThan(99);
    expect(summary.peakSynQueue!).toBeLessThan(summary.synQueueCap! / 4);
  });

  test('FastMail 2002: once broken clients pin the queue, a fifth of legitimate attempts fail and the median wait is a SYN retransmission (3 s on 2.4)', () => {
    const trace = run('fastmail-2002');
    expect(trace.summary.peakSynQueue).toBe(769);
    expect(trace.summary.legitSuccessPct).toBeLessThan(85);
    expect(trace.summary.legit_gaveUp).toBeGreaterThan(0);
    expect(trace.summary.latencyP50Ms).toBeGreaterThanOrEqual(3000);
    // Pruning is at work: requests expire before their full five retries.
    expect(trace.series.pruned!.reduce((x, y) => x + y, 0)).toBeGreaterThan(0);
    // Before the queue fills, everyone gets in on the first try.
    expect(Math.max(...trace.series.latencyP99Sec!.slice(0, 15).filter(Number.isFinite))).toBeLessThan(1);
  });

  test('FastMail’s fix: the same load, and almost every attempt succeeds at the first SYN', () => {
    const { summary } = run('fastmail-fix');
    expect(summary.legitSuccessPct).toBeGreaterThan(99);
    expect(summary.latencyP50Ms).toBeLessThan(1000);
    expect(summary.legit_gaveUp).toBe(0);
  });

  test('the same change on a modern kernel: the queue is bounded by the backlog, and cookies take the overflow', () => {
    const { summary } = run('fastmail-on-modern');
    expect(summary.synQueueCap).toBe(129);
    expect(summary.legitSuccessPct).toBeGreaterThan(99);
  });

  test('slow application: the accept queue fills and ListenOverflows counts it', () => {
    const { summary } = run('slow-app');
    expect(summary.peakAcceptQueue).toBe(summary.acceptQueueCap);
    expect(summary.ListenOverflows).toBeGreaterThan(0);
  });
});

describe('determinism', () => {
  test('the same seed gives the same trace hash; a different seed a different one', () => {
    for (const scenario of synQueue.scenarios) {
      const s = scenarioState(synQueue, scenario.id);
      const a = synQueue.run(s.params, s.seed);
      const b = synQueue.run(s.params, s.seed);
      const c = synQueue.run(s.params, s.seed + 1);
      expect(b.hash).toBe(a.hash);
      expect(c.hash).not.toBe(a.hash);
    }
  });

  test('extreme parameters stop at the event budget with a message instead of hanging', () => {
    const p = params({ clientsPerSec: 1000, floodPerSec: 5000, floodStartSec: 0, floodDurationSec: 600, durationSec: 600, tcp_syncookies: 0 }, 'syn-flood');
    const trace = synQueue.run(p, 1);
    expect(trace.truncated).toBe(true);
    expect(trace.message).toMatch(/stopped at .* after 2,000,000 events/);
  });
});

describe('typed keys (checked by tsc, which npm test runs first)', () => {
  const chart = (spec: ChartSpec<SeriesKey, SummaryKey>) => spec;
  const base = { id: 'queues', title: 'Queues', unit: 'entries', describe: 'The queues.' };

  test('a chart over this trace compiles only with series and summary keys the model declares', () => {
    // @ts-expect-error 'synQeue' is not a series of this trace.
    chart({ ...base, series: [{ key: 'synQeue', label: 'SYN queue' }] });
    // @ts-expect-error 'synQueueCapacity' is not a summary key of this trace.
    chart({ ...base, series: [], limits: [{ summaryKey: 'synQueueCapacity', label: 'limit' }] });
    const ok = chart({ ...base, series: [{ key: 'synQueue', label: 'SYN queue' }], limits: [{ summaryKey: 'synQueueCap', label: 'limit' }] });
    const { series, summary } = synQueue.run(params({ durationSec: 10 }), 1);
    expect(series[ok.series[0]!.key]).toBeInstanceOf(Float64Array);
    expect(summary[ok.limits![0]!.summaryKey]).toBeGreaterThan(0);
  });
});
