import { describe, expect, test } from 'vitest';
import { setup } from 'xstate';
import { compileTypedMachine } from '../../sim/core/machine-states.ts';
import { xstateGuards } from '../../sim/core/machine-table.ts';

type Ctx = { full: boolean };
const guards = { full: (c: Ctx) => c.full } as const;
const door = setup({ types: { context: {} as Ctx, events: {} as { type: 'KNOCK' } | { type: 'LEAVE' } }, guards: xstateGuards(guards) }).createMachine({
  id: 'door',
  context: { full: false },
  initial: 'outside',
  states: {
    outside: { on: { KNOCK: [{ guard: 'full', target: 'turnedAway' }, { target: 'inside' }] } },
    inside: { on: { LEAVE: { target: 'outside' } } },
    turnedAway: { type: 'final' },
  },
});

describe('a machine compiled with typed states', () => {
  const m = compileTypedMachine<Ctx, typeof door>(door, guards);

  test('numbers states in the definition’s order, names each state’s series after it, and steps by those numbers', () => {
    expect(m.states).toEqual(['outside', 'inside', 'turnedAway']);
    expect(m.stateSeries).toEqual(['st_outside', 'st_inside', 'st_turnedAway']);
    for (const s of m.states) expect(m.states[m.state[s]]).toBe(s);
    expect(m.table.step(m.state.outside, m.event.KNOCK, { full: false })).toBe(m.state.inside);
    expect(m.table.step(m.state.outside, m.event.KNOCK, { full: true })).toBe(m.state.turnedAway);
    expect(m.table.step(m.state.inside, m.event.LEAVE, { full: true })).toBe(m.state.outside);
    expect(m.event.KNOCK).not.toBe(m.event.LEAVE);
  });
});
