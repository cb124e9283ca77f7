import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { transition } from 'xstate';
import { compileMachine, describeMachine } from '../../sim/core/machine-table.ts';
import { pageGuards, readerMachine, type PageView } from '../../sim/pagination/machine.ts';

const EVENTS = ['FETCH', 'SCAN', 'RECEIVE', 'REMEMBER', 'NEXT'] as const;
const view = fc.record<PageView>({ discards: fc.boolean(), shortPage: fc.boolean() });

describe('the reader machine', () => {
  const compiled = compileMachine(readerMachine, pageGuards);
  const info = describeMachine(readerMachine);
  const id = (state: number) => info.states[state]!.id;

  test('the compiled table agrees with xstate’s own transition()', () => {
    fc.assert(
      fc.property(fc.constantFrom(...info.states.filter((s) => !s.final).map((s) => s.id)), fc.constantFrom(...EVENTS), view, (state, event, ctx) => {
        const snapshot = readerMachine.resolveState({ value: state, context: ctx });
        const [next] = transition(readerMachine, snapshot, { type: event });
        expect(id(compiled.step(compiled.stateIndex[state]!, compiled.eventIndex[event]!, ctx))).toBe(next.value);
      }),
      { numRuns: 500 },
    );
  });

  test('one fetch walks the loop: OFFSET through discarding, keyset straight to the page; a short page ends it', () => {
    const walk = (ctx: PageView) => {
      const path: string[] = [];
      let s = compiled.stateIndex.ready!;
      for (const e of ['FETCH', 'SCAN', 'SCAN', 'RECEIVE', 'REMEMBER', 'NEXT'] as const) {
        const next = compiled.step(s, compiled.eventIndex[e]!, ctx);
        if (next !== s) path.push(id(next));
        s = next;
      }
      return path;
    };
    expect(walk({ discards: true, shortPage: false })).toEqual(['requesting', 'discarding', 'scanning', 'received', 'cursorSaved', 'ready']);
    expect(walk({ discards: false, shortPage: false })).toEqual(['requesting', 'scanning', 'received', 'cursorSaved', 'ready']);
    expect(walk({ discards: false, shortPage: true })).toEqual(['requesting', 'scanning', 'received', 'done']);
  });

  test('the only end is the end of the table, and every state has its own place on a grid at most five columns wide', () => {
    expect(info.states.filter((s) => s.final).map((s) => s.id)).toEqual(['done']);
    const reached = new Set([info.initial, ...info.edges.map((e) => e.to)]);
    expect([...reached].sort()).toEqual(info.states.map((s) => s.id).sort());
    const cells = info.states.map((s) => `${s.meta.col},${s.meta.row}`);
    expect(new Set(cells).size).toBe(cells.length);
    for (const s of info.states) expect(s.meta.col as number).toBeLessThan(5);
  });
});
