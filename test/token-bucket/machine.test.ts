import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { transition } from 'xstate';
import { compileMachine, describeMachine } from '../../sim/core/machine-table.ts';
import { attemptGuards, requestMachine, type AttemptView } from '../../sim/token-bucket/machine.ts';

const EVENTS = ['ARRIVE', 'REPLY', 'CONFLICT', 'TIMEOUT', 'FAIL', 'TIMER'] as const;
const view = fc.record<AttemptView>({ tokenAvailable: fc.boolean(), shedding: fc.boolean(), mayRetry: fc.boolean() });

describe('the request machine', () => {
  const compiled = compileMachine(requestMachine, attemptGuards);
  const info = describeMachine(requestMachine);

  test('the compiled table agrees with xstate’s own transition()', () => {
    fc.assert(
      fc.property(fc.constantFrom(...info.states.filter((s) => !s.final).map((s) => s.id)), fc.constantFrom(...EVENTS), view, (state, event, ctx) => {
        const snapshot = requestMachine.resolveState({ value: state, context: ctx });
        const [next] = transition(requestMachine, snapshot, { type: event });
        expect(info.states[compiled.step(compiled.stateIndex[state]!, compiled.eventIndex[event]!, ctx)]!.id).toBe(next.value);
      }),
      { numRuns: 1000 },
    );
  });

  test('the edge refuses before it sheds: a client without a token gets 429 even when the backend is full', () => {
    const next = compiled.step(compiled.stateIndex.sending!, compiled.eventIndex.ARRIVE!, { tokenAvailable: false, shedding: true, mayRetry: true });
    expect(info.states[next]!.id).toBe('rejected');
  });

  test('the only ends are succeeded and gave up; neither is ever left, and a retry needs the policy’s consent', () => {
    expect(info.states.filter((s) => s.final).map((s) => s.id).sort()).toEqual(['gaveUp', 'succeeded']);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...EVENTS), view), { maxLength: 60 }), (walk) => {
        let state = compiled.stateIndex.sending!;
        for (const [event, ctx] of walk) {
          const from = info.states[state]!;
          state = compiled.step(state, compiled.eventIndex[event]!, ctx);
          const to = info.states[state]!;
          if (from.final) expect(to.id).toBe(from.id);
          if (to.id !== from.id && to.id === 'backingOff') expect(ctx.mayRetry).toBe(true);
          if (to.id !== from.id && to.id === 'gaveUp') expect(ctx.mayRetry).toBe(false);
        }
      }),
    );
  });

  test('every state is reachable and has a place on the diagram grid', () => {
    const reached = new Set(['sending']);
    for (const e of info.edges) reached.add(e.to);
    expect([...reached].sort()).toEqual(info.states.map((s) => s.id).sort());
    const cells = info.states.map((s) => `${s.meta.col},${s.meta.row}`);
    expect(new Set(cells).size).toBe(cells.length);
  });
});
