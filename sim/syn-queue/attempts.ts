/**
 * Every connection attempt of a run, one row per attempt in parallel typed
 * arrays (an attempt's index is also its id in the outcomes ledger): who it
 * is, the client's side and the server's side of its handshake. Typed columns
 * keep a run of a few hundred thousand attempts free of per-attempt objects.
 */

import { doubled } from '../core/typed-arrays.ts';

/** The client's side of an attempt. */
export const CLI_SYN_SENT = 0;
export const CLI_ESTABLISHED = 1;
export const CLI_DONE = 2;

export class Attempts {
  n = 0;
  /** Class index (keys.ts CLASSES). */
  cls: Uint8Array;
  host: Int32Array;
  startMs: Float64Array;
  synsSent: Uint8Array;
  cli: Uint8Array;
  /** When the client's SYN timer is due; -1 for none. */
  cliTimerDueMs: Float64Array;
  /** The server's state index in the connection-request machine. */
  srv: Uint8Array;
  srvRetrans: Uint8Array;
  /** When the server's SYN-ACK timer is due; -1 for none. */
  srvTimerDueMs: Float64Array;
  /** The final ACK arrived and was dropped because the accept queue was full. */
  acked: Uint8Array;
  /** When the current request entered the SYN queue. */
  queuedAtMs: Float64Array;
  /** Whether the server's SYN-ACK timer for this request is in the event queue. */
  srvArmed: Uint8Array;
  viaCookie: Uint8Array;

  /**
   * `expectedRows`: attempts the run is likely to make. A busy run makes a few hundred thousand, and
   * growing there by doubling copied every column seven times and left the garbage collector
   * megabytes of outgrown columns per run.
   */
  constructor(expectedRows = 1024) {
    const rows = Math.max(16, Math.ceil(expectedRows));
    this.cls = new Uint8Array(rows);
    this.host = new Int32Array(rows);
    this.startMs = new Float64Array(rows);
    this.synsSent = new Uint8Array(rows);
    this.cli = new Uint8Array(rows);
    this.cliTimerDueMs = new Float64Array(rows);
    this.srv = new Uint8Array(rows);
    this.srvRetrans = new Uint8Array(rows);
    this.srvTimerDueMs = new Float64Array(rows);
    this.acked = new Uint8Array(rows);
    this.queuedAtMs = new Float64Array(rows);
    this.srvArmed = new Uint8Array(rows);
    this.viaCookie = new Uint8Array(rows);
  }

  /** A new row with every column written: a store reused from an earlier run (reusedAttempts) holds its rows. */
  add(cls: number, host: number, startMs: number, listenState: number): number {
    if (this.n === this.cls.length) this.grow();
    const i = this.n++;
    this.cls[i] = cls;
    this.host[i] = host;
    this.startMs[i] = startMs;
    this.synsSent[i] = 0;
    this.cli[i] = CLI_SYN_SENT;
    this.cliTimerDueMs[i] = -1;
    this.srv[i] = listenState;
    this.srvRetrans[i] = 0;
    this.srvTimerDueMs[i] = -1;
    this.acked[i] = 0;
    this.queuedAtMs[i] = 0;
    this.srvArmed[i] = 0;
    this.viaCookie[i] = 0;
    return i;
  }

  /** Every column twice as long, found by reflection so that a column added later cannot be missed. */
  private grow(): void {
    for (const key of Object.keys(this) as (keyof this)[]) {
      const column = this[key];
      if (ArrayBuffer.isView(column)) (this as Record<keyof this, unknown>)[key] = doubled(column as unknown as Uint8Array);
    }
  }
}

/**
 * The store of the last run nobody observed, kept for the next. A fresh store of a busy run's
 * size (some 3.5 MB for syn-flood's 80,000 rows) is new memory, and writing it took 2-6 ms a run in
 * page faults against about 1 ms for a store already touched (measured in Node 24 on 80,000 rows).
 * Runs are synchronous, so a store is in one run at a time; a run a test observes gets a store of
 * its own, which the test may keep.
 */
let spare: Attempts | null = null;

/** An empty store with room for `expectedRows`: the spare one when it is big enough. */
export function reusedAttempts(expectedRows: number): Attempts {
  const a = spare;
  if (a === null || a.cls.length < expectedRows) return new Attempts(expectedRows);
  spare = null;
  a.n = 0;
  return a;
}

/**
 * Rows beyond which a finished run's store is left to the garbage collector: every scenario fits
 * (syn-flood, the largest, makes some 80,000 attempts), and a run at the event budget's two million
 * would otherwise keep some 90 MB alive in the page's worker after it ends.
 */
const KEPT_ROWS_MAX = 250_000;

/** Keeps a finished run's store for the next run (the larger of it and the one kept, up to KEPT_ROWS_MAX rows). */
export function keepForReuse(a: Attempts): void {
  if (a.cls.length > KEPT_ROWS_MAX) return;
  if (spare === null || spare.cls.length < a.cls.length) spare = a;
}
