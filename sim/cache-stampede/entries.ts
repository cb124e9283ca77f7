/**
 * The shared cache's entries: one per key, each stepping through the
 * cacheEntry machine, with its expiry times, the XFetch delta of its last
 * rebuild and the fleet lock (SET lock:key NX EX). Each sample counts the keys
 * that were in each state during it, so a key that passes through a state
 * between two samples is still seen there.
 */
import { compileMachine, type SeriesRecorder } from '../core/index.ts';
import { ENTRY_STATES, type EntryState, type SeriesKey } from './keys.ts';
import { cacheEntryMachine, entryGuards, type EntryView } from './machine.ts';

const machine = compileMachine<EntryView>(cacheEntryMachine, entryGuards);
if (machine.info.states.map((s) => s.id).join() !== ENTRY_STATES.join()) {
  throw new Error('cache-stampede: ENTRY_STATES must list the cacheEntry machine’s states in its order');
}
export const S = machine.stateIndex as Record<EntryState, number>;
export const EV = machine.eventIndex as Record<'REQUEST' | 'EXPIRE' | 'WRITE' | 'DROP' | 'LOCK_EXPIRE', number>;

export class CacheEntries {
  readonly state: Uint8Array;
  readonly freshUntil: Float64Array;
  readonly keepUntil: Float64Array;
  /** How long the last rebuild took, queue included: XFetch's delta. */
  readonly deltaMs: Float64Array;
  readonly lockUntil: Float64Array;
  readonly lockToken: Float64Array;
  /** What the machine's guards read; the read path fills it before each REQUEST. */
  readonly view: EntryView;
  private readonly rec: SeriesRecorder<SeriesKey>;
  private readonly stateSeries: Float64Array[];
  /** Per state and key, the last sample the key was counted in that state. */
  private readonly lastCounted: Int32Array[];

  constructor(keys: number, rec: SeriesRecorder<SeriesKey>, view: EntryView) {
    this.state = new Uint8Array(keys);
    this.freshUntil = new Float64Array(keys);
    this.keepUntil = new Float64Array(keys);
    this.deltaMs = new Float64Array(keys);
    this.lockUntil = new Float64Array(keys);
    this.lockToken = new Float64Array(keys);
    this.view = view;
    this.rec = rec;
    this.stateSeries = ENTRY_STATES.map((s) => rec.get(`st_${s}`));
    this.lastCounted = ENTRY_STATES.map(() => new Int32Array(keys).fill(-1));
  }

  /** Counts key k in state s in the sample of tMs, once per sample. */
  count(k: number, s: number, tMs: number): void {
    const i = this.rec.index(tMs);
    if (this.lastCounted[s]![k] !== i) {
      this.lastCounted[s]![k] = i;
      this.stateSeries[s]![i]!++;
    }
  }

  /** Steps key k's entry by `event` with the current view and returns its new state. */
  step(k: number, event: number, tMs: number): number {
    const next = machine.step(this.state[k]!, event, this.view);
    if (this.state[k] !== next) {
      this.state[k] = next;
      this.count(k, next, tMs);
    }
    return next;
  }

  /** At each sample: every key counts in the state it starts the sample in. */
  countAll(tMs: number): void {
    for (let k = 0; k < this.state.length; k++) this.count(k, this.state[k]!, tMs);
  }
}
