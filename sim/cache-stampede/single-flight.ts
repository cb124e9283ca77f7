/**
 * Single-flight, per app server: while one load of a key runs on a server,
 * that server's other misses for the key wait for it instead of querying too
 * (Go's singleflight, or a per-process promise cache). Servers do not share
 * their loads, so a fleet still sends one query per server.
 *
 * A load ends when its query answers or when it is cancelled in line (its
 * caller timed out): either way the server forgets it, so the next miss
 * starts a new load. That is Go's doCall, which deletes the call from the
 * group once fn returns, error or not, and hands the same result to every
 * duplicate (golang.org/x/sync singleflight/singleflight.go).
 */
export class SingleFlight {
  private readonly enabled: boolean;
  private readonly keys: number;
  /** The running load of each (server, key), by server × keys + key. */
  private readonly loads = new Map<number, number>();
  /** The requests waiting on each query. */
  private readonly waiting: number[][] = [];

  constructor(enabled: boolean, keys: number) {
    this.enabled = enabled;
    this.keys = keys;
  }

  /** The query this server is already running for key k, if single-flight is on and there is one. */
  loadOf(server: number, k: number): number | undefined {
    return this.enabled ? this.loads.get(server * this.keys + k) : undefined;
  }

  /** A new query: with single-flight on it becomes the server's load for its key. */
  started(id: number, server: number, k: number): void {
    this.waiting[id] = [];
    if (this.enabled && k >= 0) this.loads.set(server * this.keys + k, id);
  }

  wait(id: number, request: number): void {
    this.waiting[id]!.push(request);
  }

  /** The query answered or was cancelled: it stops being its server's load, and its waiters are handed back. */
  finished(id: number, server: number, k: number): readonly number[] {
    if (this.enabled && k >= 0 && this.loads.get(server * this.keys + k) === id) this.loads.delete(server * this.keys + k);
    const waiters = this.waiting[id]!;
    this.waiting[id] = [];
    return waiters;
  }
}
