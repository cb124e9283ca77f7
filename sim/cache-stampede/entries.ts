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

const EVENTS = Object.keys(machine.eventIndex).length;
/** The view's five flags as five bits: every guard reads the view and nothing else. */
const viewBits = (v: EntryView) =>
  (v.lockAcquired ? 1 : 0) | (v.fleetLock ? 2 : 0) | (v.swrServes ? 4 : 0) | (v.earlyRecompute ? 8 : 0) | (v.keepsStale ? 16 : 0);

/**
 * The compiled machine's answers, remembered by (state, event, view): its guards are pure functions
 * of the view, so the same question always has the same answer, and a run asks the same few
 * (a fresh key's REQUEST, tens of thousands of times) over and over. Each answer is the machine's
 * own, asked the first time; -1 is not yet asked.
 */
class StepMemo {
  private readonly next = new Int8Array(machine.info.states.length * EVENTS * 32).fill(-1);

  step(state: number, event: number, view: EntryView): number {
    const at = (state * EVENTS + event) * 32 + viewBits(view);
    let to = this.next[at]!;
    if (to < 0) this.next[at] = to = machine.step(state, event, view);
    return to;
  }
}
const memo = new StepMemo();
/** One step of a key's entry, as the compiled machine takes it (remembered: StepMemo). */
export const stepEntry = (state: number, event: number, view: EntryView): number => memo.step(state, event, view);

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
    const next = stepEntry(this.state[k]!, event, this.view);
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
