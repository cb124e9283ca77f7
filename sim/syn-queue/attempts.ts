/**
 * Every connection attempt of a run, one row per attempt in parallel typed
 * arrays (an attempt's index is also its id in the outcomes ledger): who it
 * is, the client's side and the server's side of its handshake. Typed columns
 * keep a run of a few hundred thousand attempts free of per-attempt objects.
 */

/** The client's side of an attempt. */
export const CLI_SYN_SENT = 0;
export const CLI_ESTABLISHED = 1;
export const CLI_DONE = 2;

const INITIAL_ROWS = 1024;

export class Attempts {
  n = 0;
  /** Class index (keys.ts CLASSES). */
  cls = new Uint8Array(INITIAL_ROWS);
  host = new Int32Array(INITIAL_ROWS);
  startMs = new Float64Array(INITIAL_ROWS);
  synsSent = new Uint8Array(INITIAL_ROWS);
  cli = new Uint8Array(INITIAL_ROWS);
  /** When the client's SYN timer is due; -1 for none. */
  cliTimerDueMs = new Float64Array(INITIAL_ROWS);
  /** The server's state index in the connection-request machine. */
  srv = new Uint8Array(INITIAL_ROWS);
  srvRetrans = new Uint8Array(INITIAL_ROWS);
  /** When the server's SYN-ACK timer is due; -1 for none. */
  srvTimerDueMs = new Float64Array(INITIAL_ROWS);
  /** The final ACK arrived and was dropped because the accept queue was full. */
  acked = new Uint8Array(INITIAL_ROWS);
  /** When the current request entered the SYN queue. */
  queuedAtMs = new Float64Array(INITIAL_ROWS);
  /** Whether the server's SYN-ACK timer for this request is in the event queue. */
  srvArmed = new Uint8Array(INITIAL_ROWS);
  viaCookie = new Uint8Array(INITIAL_ROWS);

  add(cls: number, host: number, startMs: number, listenState: number): number {
    if (this.n === this.cls.length) this.grow();
    const i = this.n++;
    this.cls[i] = cls;
    this.host[i] = host;
    this.startMs[i] = startMs;
    this.srv[i] = listenState;
    this.cliTimerDueMs[i] = -1;
    this.srvTimerDueMs[i] = -1;
    return i;
  }

  private grow(): void {
    for (const key of Object.keys(this) as (keyof this)[]) {
      const old = this[key];
      if (ArrayBuffer.isView(old)) {
        const column = old as unknown as Uint8Array;
        const Ctor = column.constructor as new (n: number) => Uint8Array;
        const next = new Ctor(column.length * 2);
        next.set(column);
        (this as Record<keyof this, unknown>)[key] = next;
      }
    }
  }
}
