/**
 * A compiled machine (machine-table.ts) with its states and events typed by
 * the xstate definition itself, and the series key each state is counted in.
 * A model that names a state or an event the machine does not have fails to
 * compile, and the per-state series keys are literal types a lesson's
 * SeriesKey can include.
 */
import type { AnyStateMachine, EventFromLogic, StateValueFrom } from 'xstate';
import { compileMachine, type CompiledMachine } from './machine-table.ts';

/** A flat machine's state names. */
export type StateNameOf<M extends AnyStateMachine> = StateValueFrom<M> & string;
export type EventNameOf<M extends AnyStateMachine> = EventFromLogic<M>['type'];

/** The per-sample series a state is counted in: `st_` and its name. */
export const stateSeriesKey = <S extends string>(state: S) => `st_${state}` as const;

export interface TypedMachine<C, M extends AnyStateMachine> {
  table: CompiledMachine<C>;
  /** Each state's index, by name. */
  state: Record<StateNameOf<M>, number>;
  /** Each event's number for `table.step`, by name. */
  event: Record<EventNameOf<M>, number>;
  /** The states in the definition's order: a state's index is its position here. */
  states: readonly StateNameOf<M>[];
  /** Each state's series key by state index, made once so that a step builds no string. */
  stateSeries: readonly `st_${StateNameOf<M>}`[];
}

export function compileTypedMachine<C, M extends AnyStateMachine>(machine: M, guards: Readonly<Record<string, (ctx: C) => boolean>>): TypedMachine<C, M> {
  const table = compileMachine<C>(machine, guards);
  const states = table.info.states.map((s) => s.id) as StateNameOf<M>[];
  return {
    table,
    state: table.stateIndex as Record<StateNameOf<M>, number>,
    event: table.eventIndex as Record<EventNameOf<M>, number>,
    states,
    stateSeries: states.map(stateSeriesKey),
  };
}
