/**
 * The compiled transition table (sim/core/machine-table.ts) must step exactly
 * as xstate's own `transition()` does, for every machine of every registered
 * simulation, with the guards that lesson's model compiles it with. A new
 * lesson is covered by registering it: its machine.ts must export its guards
 * as a record keyed by the guard names the machine uses (as every lesson does
 * for its model), and this file finds that record.
 */
import { describe, expect, test } from 'vitest';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { createMachine, transition, type AnyStateMachine } from 'xstate';
import { compileMachine, describeMachine, xstateGuards } from '../../sim/core/machine-table.ts';
import { simulations } from '../../sim/index.ts';
import { connectionRequestMachine, listenerGuards, type ListenerView } from '../../sim/syn-queue/machine.ts';
import { KERNELS } from '../../sim/syn-queue/kernels.ts';

type Guards = Readonly<Record<string, (ctx: never) => boolean>>;

/** Every sim/<lesson>/machine.ts, loaded: where each lesson defines its machines and their guards. */
const machineModules: [string, Record<string, unknown>][] = await Promise.all(
  readdirSync('sim')
    .filter((dir) => existsSync(join('sim', dir, 'machine.ts')))
    .map(async (dir) => [`sim/${dir}/machine.ts`, (await import(`../../sim/${dir}/machine.ts`)) as Record<string, unknown>] as const),
);

const isGuardRecord = (value: unknown): value is Guards =>
  typeof value === 'object' && value !== null && Object.values(value).every((f) => typeof f === 'function');

/**
 * The guards a lesson compiles `machine` with: the record exported beside it whose keys are
 * exactly the guard names the machine uses ({} for a machine without guards).
 */
function lessonGuards(machine: AnyStateMachine): { file: string; guards: Guards } | { problem: string } {
  const home = machineModules.find(([, mod]) => Object.values(mod).includes(machine));
  if (!home) return { problem: `no sim/*/machine.ts exports the machine ${machine.id}` };
  const [file, mod] = home;
  const used = [...new Set(describeMachine(machine).edges.flatMap((e) => (e.guard ? [e.guard] : [])))].sort();
  if (used.length === 0) return { file, guards: {} };
  const matches = Object.values(mod).filter((v) => isGuardRecord(v) && Object.keys(v).sort().join() === used.join());
  if (matches.length !== 1) {
    return { problem: `${file} must export exactly one record of the guards ${used.join(', ')} (found ${matches.length})` };
  }
  return { file, guards: matches[0] as Guards };
}

const machines = Object.values(simulations).flatMap((sim) =>
  Object.entries(sim.machines).map(([key, machine]) => [`${sim.id}: ${key}`, machine] as const),
);

/** String literals a guard compares against (a kernel's name), so generated views can hit both sides of the test. */
function literalsIn(guards: Guards): string[] {
  const found = Object.values(guards).flatMap((g) => [...String(g).matchAll(/(['"])([^'"\\]*)\1/g)].map((m) => m[2]!));
  return [...new Set(found)];
}

/**
 * A view the guards read, made up field by field as they read it: the lesson's view type is not
 * known here, so each field is drawn from values of every type a view holds (flags, small counts
 * with the boundary values 0, 1 and 2 made common, and the strings the guards compare with).
 * Drawn through fc.gen, so a failure still shrinks and replays.
 */
function lazyView(literals: string[]) {
  const value = fc.oneof(
    fc.boolean(),
    fc.constantFrom(0, 1, 2),
    fc.integer({ min: 0, max: 130 }),
    ...(literals.length > 0 ? [fc.constantFrom(...literals)] : []),
  );
  return fc.gen().map((draw) => {
    const fields = new Map<PropertyKey, unknown>();
    return new Proxy({} as Record<string, unknown>, {
      get(_target, key) {
        if (typeof key === 'symbol' || key === 'then' || key === 'toJSON') return undefined;
        if (!fields.has(key)) fields.set(key, draw(() => value));
        return fields.get(key);
      },
    });
  });
}

/** Steps `machine` from `state` on `event` with xstate and with the compiled table, returning both state ids. */
const compiledCache = new WeakMap<AnyStateMachine, WeakMap<Guards, ReturnType<typeof compileMachine<unknown>>>>();

function compiledFor(machine: AnyStateMachine, guards: Guards) {
  const byGuards = compiledCache.get(machine) ?? new WeakMap();
  compiledCache.set(machine, byGuards);
  const compiled = byGuards.get(guards) ?? compileMachine<unknown>(machine, guards as Record<string, (ctx: unknown) => boolean>);
  byGuards.set(guards, compiled);
  return compiled;
}

function bothSteps(machine: AnyStateMachine, guards: Guards, state: string, event: string, ctx: unknown) {
  const compiled = compiledFor(machine, guards);
  const info = compiled.info;
  const snapshot = machine.resolveState({ value: state, context: ctx as never });
  const [next] = transition(machine, snapshot, { type: event } as never);
  const ours = compiled.step(compiled.stateIndex[state]!, compiled.eventIndex[event] ?? -1, ctx);
  return { xstate: next.value as string, compiled: info.states[ours]!.id };
}

describe.each(machines)('the compiled table of %s', (_name, machine) => {
  const info = describeMachine(machine);
  const found = lessonGuards(machine);
  const guards = 'guards' in found ? found.guards : {};
  const live = info.states.filter((s) => !s.final).map((s) => s.id);
  // Every event the machine names, and one it does not (which both must ignore).
  const events = [...new Set(info.edges.map((e) => e.event).filter((e) => e !== '')), 'NOT_AN_EVENT'];

  test('its guards are exported beside it, and they are the guards xstate was given', () => {
    expect('problem' in found ? found.problem : '').toBe('');
    const given = Object.keys((machine.implementations.guards ?? {}) as object).sort();
    expect(given).toEqual(Object.keys(guards).sort());
  });

  test('agrees with xstate’s own transition() for every state and event, with the lesson’s guards over generated views', () => {
    const literals = literalsIn(guards);
    fc.assert(
      fc.property(fc.constantFrom(...live), fc.constantFrom(...events), lazyView(literals), (state, event, view) => {
        const { xstate, compiled } = bothSteps(machine, guards, state, event, view);
        expect(compiled).toBe(xstate);
      }),
      { numRuns: 1500 },
    );
  });

  test.runIf(Object.keys(guards).length > 0)('the generated views reach every guard: a guard the table runs negated is caught', () => {
    const literals = literalsIn(guards);
    for (const name of Object.keys(guards)) {
      const negated = { ...guards, [name]: (ctx: never) => !guards[name]!(ctx) };
      const result = fc.check(
        fc.property(fc.constantFrom(...live), fc.constantFrom(...events), lazyView(literals), (state, event, view) => {
          const machineSide = bothSteps(machine, guards, state, event, view).xstate;
          return bothSteps(machine, negated, state, event, view).compiled === machineSide;
        }),
        { numRuns: 1500, endOnFailure: true },
      );
      expect(result.failed, `negating ${name} went unnoticed`).toBe(true);
    }
  });

  test('agrees with xstate’s own transition() for every state, event and combination of guard outcomes', () => {
    // Guards that return what the test says: every combination is reached, including those a
    // lesson's views make rare (a full queue with cookies forced on).
    const names = Object.keys(guards);
    const outcomeGuards = Object.fromEntries(names.map((n) => [n, (ctx: Record<string, boolean>) => ctx[n]!]));
    const withOutcomes = machine.provide({ guards: xstateGuards(outcomeGuards) as never });
    const outcomes = fc.record(Object.fromEntries(names.map((n) => [n, fc.boolean()])) as Record<string, fc.Arbitrary<boolean>>);
    fc.assert(
      fc.property(fc.constantFrom(...live), fc.constantFrom(...events), outcomes, (state, event, ctx) => {
        const { xstate, compiled } = bothSteps(withOutcomes, outcomeGuards, state, event, ctx);
        expect(compiled).toBe(xstate);
      }),
      { numRuns: 1500 },
    );
  });

  test('a final state ignores every event, as xstate does', () => {
    const compiled = compileMachine(machine, guards as Record<string, (ctx: unknown) => boolean>);
    for (const s of info.states.filter((x) => x.final)) {
      const i = compiled.stateIndex[s.id]!;
      for (const e of events) expect(compiled.step(i, compiled.eventIndex[e] ?? -1, {}), `${s.id} on ${e}`).toBe(i);
    }
  });

  test('every state has its own place on the diagram grid and a label', () => {
    for (const s of info.states) {
      expect(typeof s.meta.col, s.id).toBe('number');
      expect(typeof s.meta.row, s.id).toBe('number');
      expect(s.label.length, s.id).toBeGreaterThan(0);
    }
    const cells = info.states.map((s) => `${s.meta.col},${s.meta.row}`);
    expect(new Set(cells).size).toBe(cells.length);
  });
});

describe('the machine list', () => {
  test('covers every machine of every registered simulation, at least one per lesson', () => {
    for (const sim of Object.values(simulations)) expect(Object.keys(sim.machines).length, sim.id).toBeGreaterThan(0);
    expect(machines.length).toBe(Object.values(simulations).reduce((n, s) => n + Object.keys(s.machines).length, 0));
  });

  test('the guard finder reports a machine whose guards are not exported', () => {
    const orphan = createMachine({ id: 'orphan', initial: 'a', states: { a: { on: { GO: { target: 'b', guard: 'g' } } }, b: {} } });
    expect(lessonGuards(orphan)).toEqual({ problem: 'no sim/*/machine.ts exports the machine orphan' });
    const found = lessonGuards(connectionRequestMachine);
    expect('guards' in found && found.guards).toBe(listenerGuards);
  });
});

// Views as the SYN queue's model fills them in: realistic ranges make the kernel's rarer
// decisions (the last quarter, pruned retries) common enough to check.
const listenerView = fc.record<ListenerView>({
  kernel: fc.constantFrom(...KERNELS),
  prunesAboveHalfBacklog: fc.boolean(),
  overflowDropNeedsYoung: fc.boolean(),
  hasAlwaysCookies: fc.boolean(),
  ackedKeepsAllRetries: fc.boolean(),
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

describe('compileMachine', () => {
  test('agrees with xstate on the SYN queue’s machine for listener views in the model’s own ranges', () => {
    const info = describeMachine(connectionRequestMachine);
    fc.assert(
      fc.property(
        fc.constantFrom(...info.states.filter((s) => !s.final).map((s) => s.id)),
        fc.constantFrom('SYN', 'ACK', 'TIMEOUT', 'ACCEPT'),
        listenerView,
        (state, event, ctx) => {
          const { xstate, compiled } = bothSteps(connectionRequestMachine, listenerGuards, state, event, ctx);
          expect(compiled).toBe(xstate);
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('refuses a machine it cannot run faithfully', () => {
    const nested = createMachine({ initial: 'a', states: { a: { initial: 'x', states: { x: {} } } } });
    expect(() => compileMachine(nested, {})).toThrow(/nested/);
    const unknownGuard = createMachine({ initial: 'a', states: { a: { on: { GO: { target: 'b', guard: 'nope' } } }, b: {} } });
    expect(() => compileMachine(unknownGuard, {})).toThrow(/no guard named nope/);
  });
});
