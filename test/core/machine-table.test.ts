import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { transition } from 'xstate';
import { compileMachine, describeMachine } from '../../sim/core/machine-table.ts';
import { connectionRequestMachine, listenerGuards, type ListenerView } from '../../sim/syn-queue/machine.ts';

const view = fc.record<ListenerView>({
  kernel: fc.constantFrom('modern', 'linux-2.4'),
  synQueueLen: fc.integer({ min: 0, max: 80 }),
  synQueueCap: fc.integer({ min: 1, max: 64 }),
  acceptQueueLen: fc.integer({ min: 0, max: 70 }),
  acceptQueueCap: fc.integer({ min: 1, max: 64 }),
  youngLen: fc.integer({ min: 0, max: 5 }),
  tcpMaxSynBacklog: fc.integer({ min: 16, max: 128 }),
  tcpSyncookies: fc.constantFrom(0, 1, 2),
  tcpAbortOnOverflow: fc.constantFrom(0, 1),
  peerProven: fc.boolean(),
  retransmits: fc.integer({ min: 0, max: 6 }),
  acked: fc.boolean(),
  effectiveBacklog: fc.integer({ min: 1, max: 64 }),
  tcpSynackRetries: fc.integer({ min: 0, max: 6 }),
});

describe('compiled transition table', () => {
  const compiled = compileMachine(connectionRequestMachine, listenerGuards);
  const info = describeMachine(connectionRequestMachine);

  test('agrees with xstate’s own transition() for every state, event and listener view', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...info.states.filter((s) => !s.final).map((s) => s.id)),
        fc.constantFrom('SYN', 'ACK', 'TIMEOUT', 'ACCEPT'),
        view,
        (state, event, ctx) => {
          const snapshot = connectionRequestMachine.resolveState({ value: state, context: ctx });
          const [next] = transition(connectionRequestMachine, snapshot, { type: event } as never);
          const ours = compiled.step(compiled.stateIndex[state]!, compiled.eventIndex[event] ?? -1, ctx);
          expect(info.states[ours]!.id).toBe(next.value);
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('a final state ignores every event, as xstate does', () => {
    for (const s of info.states.filter((x) => x.final)) {
      for (const e of ['SYN', 'ACK', 'TIMEOUT', 'ACCEPT']) {
        const i = compiled.stateIndex[s.id]!;
        expect(compiled.step(i, compiled.eventIndex[e]!, {} as ListenerView)).toBe(i);
      }
    }
  });

  test('every state has a place on the diagram grid and a label', () => {
    for (const s of info.states) {
      expect(typeof s.meta.col).toBe('number');
      expect(typeof s.meta.row).toBe('number');
      expect(s.label.length).toBeGreaterThan(0);
    }
    const cells = info.states.map((s) => `${s.meta.col},${s.meta.row}`);
    expect(new Set(cells).size).toBe(cells.length);
  });

  test('refuses a machine it cannot run faithfully', async () => {
    const { createMachine } = await import('xstate');
    const nested = createMachine({ initial: 'a', states: { a: { initial: 'x', states: { x: {} } } } });
    expect(() => compileMachine(nested, {})).toThrow(/nested/);
    const unknownGuard = createMachine({ initial: 'a', states: { a: { on: { GO: { target: 'b', guard: 'nope' } } }, b: {} } });
    expect(() => compileMachine(unknownGuard, {})).toThrow(/no guard named nope/);
  });
});
