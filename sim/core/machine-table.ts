/**
 * Reads an xstate v5 machine definition as plain data (for drawing it) and
 * compiles it into a transition table (for running it a million times).
 *
 * Starting an actor per simulated connection would cost far more than the
 * simulation's time budget, so the model steps a small integer state through
 * this table instead. The table is built from the same definition the page
 * draws, with the same guard functions, and a test checks it against xstate's
 * own `transition()` (test/core/machine-table.test.ts).
 *
 * Supported: flat machines with string targets, `on` and eventless `always`
 * transitions, named guards, targetless transitions. Anything else throws at
 * compile time rather than running wrongly.
 */
import type { AnyStateMachine } from 'xstate';

export interface StateInfo {
  id: string;
  label: string;
  description: string;
  final: boolean;
  meta: Record<string, unknown>;
}

export interface EdgeInfo {
  from: string;
  /** Same as `from` for a targetless transition. */
  to: string;
  /** The event name, or '' for an eventless (`always`) transition. */
  event: string;
  guard: string | null;
  description: string;
}

export interface MachineInfo {
  id: string;
  initial: string;
  states: StateInfo[];
  edges: EdgeInfo[];
}

type RawTransition = { target?: string | string[]; guard?: unknown; description?: string; actions?: unknown };

function asList(value: unknown): RawTransition[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((t) => (typeof t === 'string' ? { target: t } : (t as RawTransition)));
}

export function describeMachine(machine: AnyStateMachine): MachineInfo {
  const config = machine.config as {
    id?: string;
    initial?: string;
    states?: Record<string, Record<string, unknown>>;
  };
  const rawStates = config.states ?? {};
  const states: StateInfo[] = [];
  const edges: EdgeInfo[] = [];
  for (const [id, raw] of Object.entries(rawStates)) {
    if (raw.states) throw new Error(`compileMachine: nested states in ${id} are not supported`);
    const meta = (raw.meta ?? {}) as Record<string, unknown>;
    states.push({
      id,
      label: typeof meta.label === 'string' ? meta.label : id,
      description: typeof raw.description === 'string' ? raw.description : '',
      final: raw.type === 'final',
      meta,
    });
    const on = (raw.on ?? {}) as Record<string, unknown>;
    const groups: [string, unknown][] = [...Object.entries(on), ['', raw.always]];
    for (const [event, value] of groups) {
      for (const t of asList(value)) {
        if (t.actions !== undefined) throw new Error(`compileMachine: actions on ${id} are not supported`);
        if (t.guard !== undefined && typeof t.guard !== 'string') {
          throw new Error(`compileMachine: guard on ${id} must be a name`);
        }
        if (Array.isArray(t.target)) throw new Error(`compileMachine: multiple targets on ${id}`);
        const to = t.target ? t.target.replace(/^\./, '') : id;
        if (!Object.hasOwn(rawStates, to)) throw new Error(`compileMachine: unknown target ${to} from ${id}`);
        edges.push({ from: id, to, event, guard: (t.guard as string | undefined) ?? null, description: t.description ?? '' });
      }
    }
  }
  return { id: config.id ?? 'machine', initial: config.initial ?? states[0]!.id, states, edges };
}

export interface CompiledMachine<C> {
  info: MachineInfo;
  stateIndex: Record<string, number>;
  /** Event names to the integers `step` takes; '' is the eventless transition. */
  eventIndex: Record<string, number>;
  /**
   * Applies an event from a state and follows eventless transitions to rest.
   * Returns the new state index (the same index when the event is not handled,
   * as xstate leaves the snapshot unchanged).
   */
  step(state: number, event: number, ctx: C): number;
  /** The guard of the last guarded transition the previous `step` took, or null: tells the model why. */
  lastGuard: string | null;
}

export function compileMachine<C>(
  machine: AnyStateMachine,
  guards: Readonly<Record<string, (ctx: C) => boolean>>,
): CompiledMachine<C> {
  const info = describeMachine(machine);
  const stateIndex: Record<string, number> = {};
  info.states.forEach((s, i) => (stateIndex[s.id] = i));
  const eventIndex: Record<string, number> = { '': 0 };
  for (const e of info.edges) if (!Object.hasOwn(eventIndex, e.event)) eventIndex[e.event] = Object.keys(eventIndex).length;
  const stateCount = info.states.length;
  const eventCount = Object.keys(eventIndex).length;
  // The candidate transitions of each (state, event) cell in document order, flattened: cell c holds
  // rows cellStart[c] .. cellStart[c + 1] of the row columns. A step reads a few typed arrays rather
  // than walking nested arrays of row objects, and a state with no eventless row costs one comparison.
  const cells: { to: number; guard: ((ctx: C) => boolean) | null; guardName: string | null }[][] = Array.from(
    { length: stateCount * eventCount },
    () => [],
  );
  for (const e of info.edges) {
    if (e.guard !== null && !Object.hasOwn(guards, e.guard)) throw new Error(`compileMachine: no guard named ${e.guard}`);
    cells[stateIndex[e.from]! * eventCount + eventIndex[e.event]!]!.push({
      to: stateIndex[e.to]!,
      guard: e.guard ? guards[e.guard]! : null,
      guardName: e.guard,
    });
  }
  const rows = cells.flat();
  const cellStart = new Int32Array(cells.length + 1);
  cells.forEach((cell, c) => (cellStart[c + 1] = cellStart[c]! + cell.length));
  const rowTo = Int32Array.from(rows, (r) => r.to);
  const rowGuard = rows.map((r) => r.guard);
  const rowGuardName = rows.map((r) => r.guardName);

  /** The first row of cell c whose guard passes (or that has none), or -1. */
  function pick(c: number, ctx: C): number {
    const end = cellStart[c + 1]!;
    for (let r = cellStart[c]!; r < end; r++) {
      const guard = rowGuard[r]!;
      if (guard === null || guard(ctx)) return r;
    }
    return -1;
  }

  /**
   * Where a step from cell c ends when no guard is consulted on the way (the cell's first row and
   * every eventless row it then follows have none), or -1 when one is: such a step does not depend
   * on the context (an ACCEPT always takes a queued connection to accepted), so it is a lookup.
   * The same walk as `step`, asking at each row only whether a guard sits there.
   */
  function fixedEnd(c: number): number {
    let current = Math.floor(c / eventCount);
    if (c % eventCount !== 0 && cellStart[c]! < cellStart[c + 1]!) {
      if (rowGuard[cellStart[c]!] !== null) return -1;
      current = rowTo[cellStart[c]!]!;
    }
    for (let hops = 0; hops <= stateCount; hops++) {
      const first = cellStart[current * eventCount]!;
      if (first === cellStart[current * eventCount + 1]) return current;
      if (rowGuard[first] !== null) return -1;
      if (rowTo[first] === current) return current;
      current = rowTo[first]!;
    }
    return -1;
  }
  const fixedTo = Int32Array.from({ length: cells.length }, (_, c) => fixedEnd(c));

  const compiled: CompiledMachine<C> = {
    info,
    stateIndex,
    eventIndex,
    lastGuard: null,
    step(state, event, ctx) {
      if (event >= 0 && event < eventCount) {
        const fixed = fixedTo[state * eventCount + event]!;
        if (fixed >= 0) {
          compiled.lastGuard = null;
          return fixed;
        }
      }
      let lastGuard: string | null = null;
      let current = state;
      // An event the machine does not know (outside 1 .. eventCount - 1) is not handled, as in xstate.
      const taken = event > 0 && event < eventCount ? pick(current * eventCount + event, ctx) : -1;
      if (taken >= 0) {
        if (rowGuardName[taken] !== null) lastGuard = rowGuardName[taken]!;
        current = rowTo[taken]!;
      }
      // As in xstate, eventless transitions run after every event, handled or not. A chain longer
      // than the number of states would be a cycle.
      for (let hops = 0; hops <= stateCount; hops++) {
        const c = current * eventCount;
        if (cellStart[c] === cellStart[c + 1]) break;
        const next = pick(c, ctx);
        if (next < 0 || rowTo[next] === current) break;
        if (rowGuardName[next] !== null) lastGuard = rowGuardName[next]!;
        current = rowTo[next]!;
      }
      compiled.lastGuard = lastGuard;
      return current;
    },
  };
  return compiled;
}

/**
 * The xstate guards of a machine, made from the plain guard functions over
 * its context: the very functions compileMachine runs, so the machine the
 * page draws and the table the model steps cannot disagree.
 */
export function xstateGuards<C, K extends string>(guards: Readonly<Record<K, (ctx: C) => boolean>>): Record<K, (args: { context: C }) => boolean> {
  const out = {} as Record<K, (args: { context: C }) => boolean>;
  for (const key of Object.keys(guards) as K[]) out[key] = ({ context }) => guards[key](context);
  return out;
}
