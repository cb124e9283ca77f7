/**
 * The SYN-queue model against its invariants (fast-check over random
 * parameters) and against the kernel (numbers from the source, cited inline).
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { normalizeParams, scenarioState } from '../../sim/core/index.ts';
import { synQueue, queueLimits, requestLifetimeMs, type SynQueueParams } from '../../sim/syn-queue/index.ts';
import { OUTCOMES } from '../../sim/syn-queue/model.ts';
import { synackRetryLimit, type ListenerView } from '../../sim/syn-queue/machine.ts';

const params = (overrides: Partial<SynQueueParams>, scenario = 'busy-hour') =>
  normalizeParams(synQueue.params, overrides, scenarioState(synQueue, scenario).params).params;

/** Random but bounded parameters: every knob, small enough that hundreds of runs stay fast. */
const arbParams = fc
  .record({
    kernel: fc.constantFrom('modern', 'linux-2.4'),
    backlog: fc.integer({ min: 1, max: 300 }),
    somaxconn: fc.integer({ min: 1, max: 4096 }),
    tcp_max_syn_backlog: fc.integer({ min: 16, max: 600 }),
    tcp_synack_retries: fc.integer({ min: 0, max: 6 }),
    tcp_syn_retries: fc.integer({ min: 0, max: 6 }),
    tcp_syncookies: fc.constantFrom(0, 1, 2),
    tcp_abort_on_overflow: fc.constantFrom(0, 1),
    rttMs: fc.integer({ min: 1, max: 1000 }),
    clientsPerSec: fc.integer({ min: 0, max: 200 }),
    brokenPerSec: fc.integer({ min: 0, max: 40 }).map((n) => n / 2),
    floodPerSec: fc.integer({ min: 0, max: 30 }).map((n) => n * 10),
    floodStartSec: fc.integer({ min: 0, max: 60 }),
    floodDurationSec: fc.integer({ min: 0, max: 60 }),
    acceptPerSec: fc.integer({ min: 1, max: 400 }),
    durationSec: fc.constantFrom(10, 20, 30, 60),
  })
  .map((p) => normalizeParams(synQueue.params, p).params);

describe('invariants over random parameters', () => {
  test('every attempt of every kind ends in exactly one outcome (or is still pending), and the counts add up', () => {
    fc.assert(
      fc.property(arbParams, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (p, seed) => {
        const { summary, series } = synQueue.run(p, seed);
        for (const [cls, outcomes] of Object.entries(OUTCOMES)) {
          const ended = outcomes.reduce((sum, o) => sum + summary[`${cls}_${o}`]!, 0);
          expect(ended).toBe(summary[`attempts_${cls}`]);
          // The per-second outcome series (what the page shows at the cursor) agree with the totals.
          const attempts = series[`attempts_${cls}`]!.reduce((x, y) => x + y, 0);
          expect(attempts).toBe(summary[`attempts_${cls}`]);
          const perSecond = outcomes
            .filter((o) => o !== 'pending')
            .reduce((sum, o) => sum + series[`${cls}_${o}`]!.reduce((x, y) => x + y, 0), 0);
          expect(perSecond + summary[`${cls}_pending`]!).toBe(attempts);
        }
      }),
      { numRuns: 120 },
    );
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
  const view = (over: Partial<ListenerView>): ListenerView => ({
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
        const rto = p.kernel === 'modern' ? 1000 : 3000;
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

  test('ip-sysctl.rst: a client with tcp_syn_retries 6 gives up after 127 s when every SYN is dropped', () => {
    const p = params({ tcp_syncookies: 0, backlog: 8, tcp_max_syn_backlog: 8192, floodPerSec: 2000, floodStartSec: 0, floodDurationSec: 600, clientsPerSec: 5, durationSec: 300, tcp_syn_retries: 6 }, 'syn-flood');
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
