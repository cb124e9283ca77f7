/**
 * The fleet, the shared cache and the database as a picture (a Scene,
 * sim/core/scene.ts): one frame per sample, made of the model's own state.
 *
 * A frame is one second of the run. What is a state is taken where the model
 * samples (E_SAMPLE, the start of the second, where the diagram's counts start
 * too): the hot key's entry, its TTL left, XFetch's chance per read. What
 * happens during the second is counted as the model does it: the queries each
 * server started (the arrows), the fleet lock's latest holding, and the
 * database's busy slots and waiting line, which are the series' per-second
 * peaks, the same numbers as the database chart.
 *
 * With many keys the picture cannot draw each one. The frame then counts
 * every key by the state its entry starts the second in, in three groups:
 * fresh (fresh, or refreshing early: reads are hits), expired (empty, or a
 * stale copy kept with no load running) and loading (a query runs after expiry:
 * loading, loading under the lock, revalidating).
 */
import type { Scene, SeriesRecorder } from '../core/index.ts';
import type { CacheEntries } from './entries.ts';
import { ENTRY_STATES, type EntryState, type SeriesKey } from './keys.ts';
import { keyName } from './log-lines.ts';
import type { CacheStampedeParams } from './params.ts';
import { xfetchRecomputes } from './xfetch.ts';

export type KeyGroup = 'fresh' | 'expired' | 'loading';
export const KEY_GROUP: Record<EntryState, KeyGroup> = {
  empty: 'expired',
  loading: 'loading',
  loadingLocked: 'loading',
  fresh: 'fresh',
  refreshing: 'fresh',
  stale: 'expired',
  revalidating: 'loading',
};

/**
 * KEY_GROUP by state index, as 0 fresh, 1 expired, 2 loading: a frame counts a thousand keys, and
 * two lookups by name per key were a tenth of such a run.
 */
const GROUP_OF_STATE = Uint8Array.from(ENTRY_STATES, (s) => ['fresh', 'expired', 'loading'].indexOf(KEY_GROUP[s]));

/** One holding of the hot key's fleet lock (SET lock:key NX EX). */
export interface LockHolding {
  /** The app server that won SET NX (0-based). */
  app: number;
  fromMs: number;
  /** When its lease (EX or PX) frees it unless released first. */
  untilMs: number;
  /** When it ended, or null if still held when the run ended. */
  endMs: number | null;
  end: 'released' | 'expired' | null;
}

export interface CacheFrame {
  /** The hot key's entry state at the start of the second. */
  hot: EntryState;
  /** Its TTL left then, in ms (0 or less once expired). */
  ttlLeftMs: number;
  /** When its TTL ran out during the second, if it did (a key rewritten off the second's grid expires inside one). */
  expiredMs: number | null;
  /** How much longer an expired copy is kept (ms), when one is. */
  staleLeftMs: number;
  /** XFetch's chance (0 to 1, three significant digits) that one read recomputes early, while the key is fresh and XFetch is on. */
  earlyChance: number | null;
  /** The lock's latest holding that overlaps the second (null: free all second, or no lock). */
  lock: LockHolding | null;
  /** Most queries the database ran at once in the second (the dbInFlight series). */
  busy: number;
  /** Most queries waiting in its line in the second (the dbQueue series). */
  waiting: number;
  /** [app server, queries it started in the second], for each server that started any (the arrows). */
  sent: [number, number][];
  /** Of those, queries for the hot key (the queriesHot series). */
  hotQueries: number;
  /** Every key counted by group at the start of the second, when there is more than the hot key. */
  keys: Record<KeyGroup, number> | null;
}

export interface CacheScene extends Scene<CacheFrame> {
  hotKey: string;
  servers: number;
  dbSlots: number;
  ttlMs: number;
  /** All keys in the cache, the hot one included. */
  keyCount: number;
  fleetLock: boolean;
  xfetchBeta: number;
  frames: CacheFrame[];
}

const HOT = 0;
const PRECISION_STEPS = 40;

/**
 * XFetch's chance that one read recomputes: the largest u for which the model's own rule
 * (xfetchRecomputes) fires, found by bisection, since the rule holds for every u below it.
 */
export function earlyChance(tMs: number, expiryMs: number, deltaMs: number, beta: number): number {
  if (xfetchRecomputes(tMs, expiryMs, deltaMs, beta, 1)) return 1;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < PRECISION_STEPS; i++) {
    const mid = (lo + hi) / 2;
    if (mid > 0 && xfetchRecomputes(tMs, expiryMs, deltaMs, beta, mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

type Snapshot = Pick<CacheFrame, 'hot' | 'ttlLeftMs' | 'staleLeftMs' | 'earlyChance' | 'keys'>;

/** Fed by the model as it runs; `scene()` assembles the frames once the run is over. */
export class CacheSceneRecorder {
  private readonly entries: CacheEntries;
  private readonly rec: SeriesRecorder<SeriesKey>;
  private readonly p: CacheStampedeParams;
  private readonly snapshots: (Snapshot | undefined)[];
  /** Queries started, by sample × servers + server. */
  private readonly sentBySample: Int32Array;
  private readonly holdings: LockHolding[] = [];
  /** When the hot key expired, by sample (-1: it did not). */
  private readonly expiredBySample: Float64Array;

  constructor(entries: CacheEntries, rec: SeriesRecorder<SeriesKey>, p: CacheStampedeParams) {
    this.entries = entries;
    this.rec = rec;
    this.p = p;
    this.snapshots = new Array<Snapshot | undefined>(rec.count);
    this.sentBySample = new Int32Array(rec.count * p.servers);
    this.expiredBySample = new Float64Array(rec.count).fill(-1);
  }

  queryStarted(server: number, tMs: number): void {
    this.sentBySample[this.rec.index(tMs) * this.p.servers + server]!++;
  }

  /** Times in the picture are whole milliseconds, rounded down so a holding stays in the second it began or ended in. */
  lockTaken(k: number, server: number, tMs: number, untilMs: number): void {
    if (k !== HOT) return;
    // SET NX succeeds only on a free lock: a holding still open here ran out at its EX (a read at
    // that very moment took the lock before the expiry event was handled).
    const last = this.holdings.at(-1);
    if (last && last.endMs === null) {
      last.endMs = last.untilMs;
      last.end = 'expired';
    }
    this.holdings.push({ app: server, fromMs: Math.floor(tMs), untilMs: Math.floor(untilMs), endMs: null, end: null });
  }

  lockEnded(k: number, tMs: number, end: 'released' | 'expired'): void {
    const last = this.holdings.at(-1);
    if (k === HOT && last && last.endMs === null) {
      last.endMs = Math.floor(tMs);
      last.end = end;
    }
  }

  /** A key's TTL ran out (its EXPIRE event stepped the entry). */
  expired(k: number, tMs: number): void {
    if (k === HOT) this.expiredBySample[this.rec.index(tMs)] = Math.floor(tMs);
  }

  /** The state at the start of a sample (E_SAMPLE). */
  sample(tMs: number): void {
    this.snapshots[this.rec.index(tMs)] = this.snapshot(tMs);
  }

  private snapshot(tMs: number): Snapshot {
    const e = this.entries;
    const hot = ENTRY_STATES[e.state[HOT]!]!;
    const isFresh = KEY_GROUP[hot] === 'fresh';
    let keys: Record<KeyGroup, number> | null = null;
    if (e.state.length > 1) {
      const byGroup = [0, 0, 0];
      for (let k = 0; k < e.state.length; k++) byGroup[GROUP_OF_STATE[e.state[k]!]!]!++;
      keys = { fresh: byGroup[0]!, expired: byGroup[1]!, loading: byGroup[2]! };
    }
    const early = isFresh && this.p.xfetchBeta > 0 ? earlyChance(tMs, e.freshUntil[HOT]!, e.deltaMs[HOT]!, this.p.xfetchBeta) : null;
    return {
      hot,
      ttlLeftMs: Math.round(e.freshUntil[HOT]! - tMs),
      staleLeftMs: hot === 'stale' || hot === 'revalidating' ? Math.max(0, Math.round(e.keepUntil[HOT]! - tMs)) : 0,
      earlyChance: early === null ? null : Number(early.toPrecision(3)),
      keys,
    };
  }

  /** One frame per sample. A sample the run never reached (its event budget ran out) shows the state it stopped in. */
  scene(endMs: number): CacheScene {
    const busy = this.rec.get('dbInFlight');
    const waiting = this.rec.get('dbQueue');
    const hot = this.rec.get('queriesHot');
    const servers = this.p.servers;
    const frames: CacheFrame[] = [];
    let stopped: Snapshot | undefined;
    let h = 0;
    for (let i = 0; i < this.rec.count; i++) {
      const fromMs = i * this.rec.sampleMs;
      const toMs = fromMs + this.rec.sampleMs;
      const snap = this.snapshots[i] ?? (stopped ??= this.snapshot(endMs));
      const sent: [number, number][] = [];
      for (let s = 0; s < servers; s++) {
        const n = this.sentBySample[i * servers + s]!;
        if (n > 0) sent.push([s, n]);
      }
      // The latest holding taken before the second ends that had not ended before it began.
      while (h + 1 < this.holdings.length && this.holdings[h + 1]!.fromMs < toMs) h++;
      const held = this.holdings[h];
      const lock = held && held.fromMs < toMs && (held.endMs === null || held.endMs >= fromMs) ? held : null;
      const expiredMs = this.expiredBySample[i]! >= 0 ? this.expiredBySample[i]! : null;
      frames.push({ ...snap, expiredMs, lock, busy: busy[i]!, waiting: waiting[i]!, sent, hotQueries: hot[i]! });
    }
    return {
      hotKey: keyName(HOT),
      servers,
      dbSlots: this.p.dbConcurrency,
      ttlMs: this.p.ttlSec * 1000,
      keyCount: this.entries.state.length,
      fleetLock: this.p.fleetLock === 1,
      xfetchBeta: this.p.xfetchBeta,
      frames,
    };
  }
}
