/**
 * The life of one cache entry in the shared cache, as an xstate machine. The
 * page draws this definition and the model steps every key through it (via
 * compileMachine), so what the reader sees lit is what the simulation ran.
 *
 * Events: REQUEST (a read reaches the shared cache), EXPIRE (the entry's TTL
 * ends), WRITE (a load finished and wrote the value), DROP (the kept stale copy
 * is gone), LOCK_EXPIRE (the fleet lock's EX ran out before the rebuild ended).
 * The guards read an EntryView the model fills in before each step.
 */
import { setup } from 'xstate';
import { xstateGuards } from '../core/machine-table.ts';

export interface EntryView {
  /** SET lock:key NX EX succeeded for this request (the lock was free). Only meaningful with the fleet lock on. */
  lockAcquired: boolean;
  fleetLock: boolean;
  /** Stale-while-revalidate is on and the stale copy is still inside its window. */
  swrServes: boolean;
  /** This read decided, by XFetch's draw, to recompute before expiry. */
  earlyRecompute: boolean;
  /** Whether an expired value is kept at all (SWR window or the fleet lock, whose losers serve it). */
  keepsStale: boolean;
}

export type EntryEvent =
  | { type: 'REQUEST' }
  | { type: 'EXPIRE' }
  | { type: 'WRITE' }
  | { type: 'DROP' }
  | { type: 'LOCK_EXPIRE' };

export const entryGuards = {
  /** This request won SET NX: it rebuilds, everyone else waits or serves stale. */
  wonLock: (v: EntryView) => v.fleetLock && v.lockAcquired,
  /** The stale copy may be served: within the SWR window, or by lock losers while the winner rebuilds. */
  servesStale: (v: EntryView) => v.swrServes || (v.fleetLock && v.lockAcquired),
  earlyRecompute: (v: EntryView) => v.earlyRecompute,
  keepsStale: (v: EntryView) => v.keepsStale,
} as const;


export const cacheEntryMachine = setup({
  types: { context: {} as EntryView, events: {} as EntryEvent, input: {} as EntryView },
  guards: xstateGuards(entryGuards),
}).createMachine({
  id: 'cacheEntry',
  context: ({ input }) => input,
  initial: 'empty',
  states: {
    empty: {
      description: 'nothing in the shared cache',
      meta: { label: 'empty', col: 0, row: 0 },
      on: {
        REQUEST: [
          { guard: 'wonLock', target: 'loadingLocked', description: 'miss, SET NX won: rebuild' },
          { target: 'loading', description: 'miss: query the database' },
        ],
        WRITE: { target: 'fresh', description: 'a value written' },
      },
    },
    loading: {
      description: 'queries in flight, nothing to serve',
      meta: { label: 'loading', col: 1, row: 0, tone: 'bad' },
      on: {
        REQUEST: [
          { guard: 'wonLock', target: 'loadingLocked', description: 'lock free again: rebuild' },
          { description: 'another miss' },
        ],
        WRITE: { target: 'fresh', description: 'a load wrote the value' },
      },
    },
    loadingLocked: {
      description: 'one rebuild under the fleet lock; the others wait',
      meta: { label: 'loading, locked', col: 2, row: 0 },
      on: {
        REQUEST: { description: 'lock taken: wait' },
        WRITE: { target: 'fresh', description: 'rebuild wrote the value' },
        LOCK_EXPIRE: { target: 'loading', description: 'lock expired mid-rebuild' },
      },
    },
    fresh: {
      description: 'a fresh value: reads are hits',
      meta: { label: 'fresh', col: 1, row: 1, tone: 'good' },
      on: {
        REQUEST: [{ guard: 'earlyRecompute', target: 'refreshing', description: 'XFetch: recompute early' }, { description: 'hit' }],
        EXPIRE: [
          { guard: 'keepsStale', target: 'stale', description: 'TTL over, copy kept' },
          { target: 'empty', description: 'TTL over' },
        ],
        WRITE: { description: 'rewritten' },
      },
    },
    refreshing: {
      description: 'still fresh, an early recompute runs',
      meta: { label: 'refreshing', col: 2, row: 1, tone: 'good' },
      on: {
        // XFetch has no coordination: a reader does not know another has volunteered, and may too.
        REQUEST: [{ guard: 'earlyRecompute', description: 'another early recompute' }, { description: 'hit' }],
        WRITE: { target: 'fresh', description: 'recompute wrote' },
        EXPIRE: [
          { guard: 'keepsStale', target: 'revalidating', description: 'expired during the recompute' },
          { target: 'loading', description: 'expired during the recompute' },
        ],
      },
    },
    stale: {
      description: 'expired, the old value kept',
      meta: { label: 'stale', col: 0, row: 1 },
      on: {
        REQUEST: [
          { guard: 'servesStale', target: 'revalidating', description: 'serve stale, one refresh' },
          { target: 'loading', description: 'past the window: a miss' },
        ],
        DROP: { target: 'empty', description: 'stale copy gone' },
        WRITE: { target: 'fresh', description: 'rewritten' },
      },
    },
    revalidating: {
      description: 'stale value served while one refresh runs',
      meta: { label: 'revalidating', col: 0, row: 2 },
      on: {
        REQUEST: { description: 'serve stale' },
        WRITE: { target: 'fresh', description: 'refresh wrote the value' },
        DROP: { target: 'loading', description: 'stale copy gone' },
        LOCK_EXPIRE: { target: 'stale', description: 'lock expired mid-rebuild' },
      },
    },
  },
});
