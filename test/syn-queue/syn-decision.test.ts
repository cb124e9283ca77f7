/**
 * The remembered SYN decision (sim/syn-queue/syn-decision.ts) against the machine itself: over any
 * sequence of views one run could show (its constants fixed, the queues and the peer changing,
 * often staying the same from one SYN to the next, as in a flood), every answer and every reason
 * is the one a fresh step of the table gives.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { KERNELS, guardRules } from '../../sim/syn-queue/kernels.ts';
import { EV_SYN, S, machine } from '../../sim/syn-queue/machine-steps.ts';
import type { ListenerView } from '../../sim/syn-queue/machine.ts';
import { SynDecision } from '../../sim/syn-queue/syn-decision.ts';

const constants = fc.record({
  kernel: fc.constantFrom(...KERNELS),
  synQueueCap: fc.integer({ min: 1, max: 64 }),
  acceptQueueCap: fc.integer({ min: 0, max: 64 }),
  tcpMaxSynBacklog: fc.integer({ min: 1, max: 96 }),
  tcpSyncookies: fc.constantFrom(0, 1, 2),
  tcpAbortOnOverflow: fc.constantFrom(0, 1),
  effectiveBacklog: fc.integer({ min: 0, max: 64 }),
  tcpSynackRetries: fc.integer({ min: 0, max: 6 }),
});

// A walk: each SYN's view is the one before with one field changed (or none, as in a flood), so
// that a remembered answer is tried against a view that differs from its own in a single field.
const FIELDS = ['synQueueLen', 'acceptQueueLen', 'youngLen', 'peerProven', 'retransmits', 'acked', 'none'] as const;
const move = fc.record({ field: fc.constantFrom(...FIELDS), by: fc.integer({ min: -3, max: 3 }) });
const start = fc.record({
  synQueueLen: fc.integer({ min: 0, max: 70 }),
  acceptQueueLen: fc.integer({ min: 0, max: 70 }),
  youngLen: fc.integer({ min: 0, max: 70 }),
  peerProven: fc.boolean(),
  retransmits: fc.integer({ min: 0, max: 3 }),
  acked: fc.boolean(),
});

describe('the remembered SYN decision', () => {
  test('gives the state and the reason a fresh step of the machine gives, for every SYN of a sequence', () => {
    fc.assert(
      fc.property(constants, start, fc.array(move, { minLength: 1, maxLength: 60 }), (c, first, moves) => {
        const decision = new SynDecision();
        const changing = { ...first };
        for (const { field, by } of moves) {
          if (field === 'peerProven' || field === 'acked') changing[field] = !changing[field];
          else if (field !== 'none') changing[field] = Math.max(0, changing[field] + by);
          const view: ListenerView = {
            ...c,
            ...guardRules(c.kernel),
            ...changing,
            tcpSyncookies: c.tcpSyncookies as 0 | 1 | 2,
            tcpAbortOnOverflow: c.tcpAbortOnOverflow as 0 | 1,
          };
          const expected = machine.step(S.listen, EV_SYN, view);
          const why = machine.lastGuard;
          expect(decision.decide(view)).toBe(expected);
          expect(decision.why).toBe(why);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
