/**
 * The kernel eras and the clients' SYN schedule against the Linux source they follow: each
 * expected number is worked by hand from the function the test names.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { normalizeParams, scenarioState } from '../../sim/core/index.ts';
import { decodeState } from '../../sim/core/url.ts';
import { synQueue, queueLimits, requestLifetimeMs, type SynQueueParams } from '../../sim/syn-queue/index.ts';
import { runSynQueue, type SynQueueRunEnd } from '../../sim/syn-queue/model.ts';
import { KERNELS, listenBacklog, type Kernel } from '../../sim/syn-queue/kernels.ts';
import { LEGIT, O_GAVE_UP } from '../../sim/syn-queue/keys.ts';
import { connectTimeoutMs, modelTimeoutMs, synRetransmitDelayMs } from '../../sim/syn-queue/syn-schedule.ts';
import type { SynQueueScene } from '../../sim/syn-queue/scene.ts';
import { backlogClamp } from '../../site/pictures/syn-queue-layout.ts';

const params = (overrides: Partial<SynQueueParams>, scenario = 'busy-hour') =>
  normalizeParams(synQueue.params, overrides, scenarioState(synQueue, scenario).params).params;

const EDGE_BACKLOGS = [0, 1, 7, 8, 511, 8192, -1] as const;

describe('what listen() leaves of the backlog (__sys_listen)', () => {
  test('the backlog is compared as unsigned with somaxconn: -1 and anything above somaxconn become somaxconn, 0 stays 0', () => {
    expect(EDGE_BACKLOGS.map((b) => listenBacklog(b, 4096))).toEqual([0, 1, 7, 8, 511, 4096, 4096]);
    expect(listenBacklog(-2_147_483_648, 128)).toBe(128);
  });

  test('backlog -1 runs exactly as backlog = somaxconn, in every era', () => {
    // Everything the run decided; the params and the picture's note of what listen() was given differ by design.
    const behaviour = (p: SynQueueParams) => {
      const { summary, series, log, events } = synQueue.run(p, 5);
      return { summary, series, log, events };
    };
    for (const kernel of KERNELS) {
      const base = { kernel, somaxconn: 64, clientsPerSec: 300, acceptPerSec: 250, durationSec: 20 } as const;
      expect(behaviour(params({ ...base, backlog: -1 })), kernel).toEqual(behaviour(params({ ...base, backlog: 64 })));
    }
  });
});

describe('old links', () => {
  test('a link made when there were two kernels decodes to the same kernel, with nothing dropped', () => {
    for (const kernel of ['modern', 'linux-2.4']) {
      const { state, notes } = decodeState(synQueue, `scenario=fastmail-on-modern&kernel=${kernel}&backlog=1024&tcp_syncookies=0`);
      expect(notes).toEqual([]);
      expect(state.params.kernel).toBe(kernel);
      expect(state.params.backlog).toBe(1024);
    }
  });
});

describe('each era’s queue limits at edge backlogs (somaxconn 4096, tcp_max_syn_backlog 1024)', () => {
  // [backlog 0, 1, 7, 8, 511, 8192, -1]
  const SYN_QUEUE: Record<Kernel, number[]> = {
    // inet_csk_reqsk_queue_is_full() with '>' (3479c7549fb1, Linux 6.13): backlog + 1 requests fit.
    modern: [1, 2, 8, 9, 512, 4097, 4097],
    // The same with '>=' (ef547f2ac16b "tcp: remove max_qlen_log", Linux 4.4): exactly backlog; listen(0) holds none.
    'linux-4.4': [0, 1, 7, 8, 511, 4096, 4096],
    // reqsk_queue_alloc(): roundup_pow_of_two(max(8, min(backlog, 1024)) + 1): 9 -> 16, 512 -> 512, 1025 -> 2048.
    'linux-3.1': [16, 16, 16, 16, 512, 2048, 2048],
    // tcp_listen_start() in 2.4: tcp_max_syn_backlog rounded up to a power of two; the backlog plays no part.
    'linux-2.4': [1024, 1024, 1024, 1024, 1024, 1024, 1024],
  };
  test.each(KERNELS)('%s', (kernel) => {
    const limits = EDGE_BACKLOGS.map((backlog) => queueLimits(params({ kernel, backlog, somaxconn: 4096, tcp_max_syn_backlog: 1024 })));
    expect(limits.map((l) => l.synQueueCap)).toEqual(SYN_QUEUE[kernel]);
    // sk_acceptq_is_full() is sk_ack_backlog > sk_max_ack_backlog in every era: backlog + 1 connections wait.
    expect(limits.map((l) => l.acceptQueueCap)).toEqual([1, 2, 8, 9, 512, 4097, 4097]);
  });

  test('the first retransmission timeout is TCP_TIMEOUT_INIT: 3 s on 2.4, 1 s from 3.1 (9ad7c049f0f7)', () => {
    expect(KERNELS.map((kernel) => queueLimits(params({ kernel })).initialRtoMs)).toEqual([1000, 1000, 1000, 3000]);
  });
});

describe('listen(0) with cookies off (3479c7549fb1 "tcp/dccp: allow a connection when sk_max_ack_backlog is zero")', () => {
  const run = (kernel: Kernel, tcp_syncookies: number) =>
    synQueue.run(params({ kernel, backlog: 0, tcp_syncookies, clientsPerSec: 5, acceptPerSec: 1000, durationSec: 60 }), 3).summary;

  test('before the fix (4.4 to 6.12) nobody gets in: every SYN meets a SYN queue that counts as full at zero', () => {
    const s = run('linux-4.4', 0);
    expect(s.attempts_legit).toBeGreaterThan(100);
    expect(s.legit_accepted! + s.legit_acceptedCookie!).toBe(0);
    expect(s.TCPReqQFullDrop).toBeGreaterThan(s.attempts_legit!);
  });

  test('after it (6.13 and the 2025 stable updates) the one slot lets clients in one at a time: nearly all, none by cookie', () => {
    const s = run('modern', 0);
    expect(s.legitSuccessPct).toBeGreaterThan(95);
    expect(s.legit_acceptedCookie).toBe(0);
  });

  test('with cookies on, the old kernels let listen(0) clients in through cookies', () => {
    const s = run('linux-4.4', 1);
    expect(s.legit_acceptedCookie).toBeGreaterThan(100);
    expect(s.legit_accepted).toBe(0);
  });
});

describe('the clients’ SYN schedule (tcp_retransmit_timer, tcp_write_timeout; ccce324dabfe, Linux 6.5)', () => {
  const waits = (linear: number) => Array.from({ length: 11 }, (_, n) => synRetransmitDelayMs(1000, linear, n) / 1000);

  test('ip-sysctl.rst, tcp_syn_linear_timeouts = 4: SYN timeouts of 1, 1, 1, 1, 1, 2, 4, ... s', () => {
    expect(waits(4)).toEqual([1, 1, 1, 1, 1, 2, 4, 8, 16, 32, 64]);
    expect(waits(0)).toEqual([1, 2, 4, 8, 16, 32, 64, 120, 120, 120, 120]);
  });

  test('tcp_model_timeout(): 6 retries from 1 s is 127 s; past ilog2(120) = 6 doublings each retry adds TCP_RTO_MAX', () => {
    expect(modelTimeoutMs(6, 1000)).toBe(127_000);
    expect(modelTimeoutMs(8, 1000)).toBe(127_000 + 2 * 120_000);
    expect(modelTimeoutMs(5, 3000)).toBe(189_000);
  });

  test('defaults 6 and 4: ten retransmissions, so connect() fails after 131 s instead of 127 s', () => {
    expect(connectTimeoutMs(6, 0, 1000)).toBe(127_000);
    expect(connectTimeoutMs(6, 4, 1000)).toBe(131_000);
  });

  test('retransmits_timed_out() can end it first: 2 retries and 4 linear give up at 7 s, after six SYNs, not at the seventh', () => {
    expect(connectTimeoutMs(2, 4, 1000)).toBe(7000);
  });

  test('for any retries and linear timeouts, connect() fails no sooner than the doubling schedule and at most linear x 1 s later', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 }), (retries, linear) => {
        const classic = requestLifetimeMs(1000, retries);
        expect(connectTimeoutMs(retries, 0, 1000)).toBe(classic);
        const t = connectTimeoutMs(retries, linear, 1000);
        expect(t).toBeGreaterThanOrEqual(classic);
        expect(t).toBeLessThanOrEqual(classic + linear * 1000);
      }),
    );
  });

  test('in the model, a client whose every SYN is dropped gives up when the schedule says, having sent the SYNs it says', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), (retries, linear) => {
        // listen(0) with cookies off on 4.4-6.12 drops every SYN: the clients' schedule runs to its end.
        const p = params({ kernel: 'linux-4.4', backlog: 0, tcp_syncookies: 0, clientsPerSec: 2, durationSec: 200, tcp_syn_retries: retries, tcp_syn_linear_timeouts: linear });
        let end: SynQueueRunEnd | undefined;
        const { summary } = runSynQueue(p, 11, (e) => (end = e));
        const expected = connectTimeoutMs(retries, linear, 1000);
        expect(summary.connectTimeoutMinMs).toBeCloseTo(expected, 6);
        expect(summary.connectTimeoutMaxMs).toBeCloseTo(expected, 6);
        let sent = 0;
        for (let tMs = 0, r = 0; tMs < expected; r++) {
          tMs += synRetransmitDelayMs(1000, linear, r);
          sent++;
        }
        const { attempts, ledger } = end!;
        for (let i = 0; i < attempts.n; i++) {
          if (attempts.cls[i] !== LEGIT || ledger.isOpen(i)) continue;
          expect(ledger.outcomeOf(i)).toBe(O_GAVE_UP);
          expect(attempts.synsSent[i]).toBe(sent);
        }
      }),
      { numRuns: 12 },
    );
  });
});

describe('the picture says when the kernel changed the backlog', () => {
  const scene = (backlog: number, somaxconn: number) => synQueue.run(params({ backlog, somaxconn, durationSec: 10 }), 1).scene as SynQueueScene;

  test('backlog 8192 with somaxconn 4096 reads "listen() backlog 8,192 → 4,096 (somaxconn)"', () => {
    expect(backlogClamp(scene(8192, 4096))).toBe('listen() backlog 8,192 → 4,096 (somaxconn)');
  });

  test('a negative backlog says why it became somaxconn; a backlog kept as given says nothing', () => {
    expect(backlogClamp(scene(-1, 128))).toBe('listen() backlog -1 → 128 (somaxconn: a negative backlog reads as a huge unsigned one)');
    expect(backlogClamp(scene(0, 128))).toBeNull();
    expect(backlogClamp(scene(511, 4096))).toBeNull();
  });
});
