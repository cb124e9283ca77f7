/**
 * The contention experiment's event queue. Each client there has exactly one
 * message in flight at any moment, so the queue is a tournament over the
 * clients (a winner tree): a leaf per client holding its pending event, and in
 * each inner node the client whose event comes first in that subtree. Handling
 * the earliest event overwrites that client's leaf with its next event and
 * replays the matches on its path to the root: always the same number of
 * steps, each a comparison turned into arithmetic rather than a branch. A
 * binary heap sifts a new event down a path chosen by coin-toss comparisons the
 * CPU mispredicts at nearly every level; this was the sweep's largest cost
 * after the normal draws.
 *
 * The order is core's EventQueue's (time, then the order scheduled: SimPy's
 * rule), with the sequence numbers counted the same way, so a run handles its
 * events in exactly the order core's queue gives (the tests compare the two).
 */
export class ClientEventQueue {
  /** Per leaf (client), its pending event's time and sequence number; Infinity for none. */
  private readonly timeMs: Float64Array;
  private readonly seq: Float64Array;
  private readonly kindOf: Uint8Array;
  /** winner[node] for the inner nodes 1 … leaves − 1; node i's children are 2i and 2i + 1, leaf c is node leaves + c. */
  private readonly winner: Int32Array;
  private readonly leaves: number;
  private nextSeq = 0;
  /** Clients with an event pending. */
  size = 0;

  constructor(clients: number) {
    let leaves = 2;
    while (leaves < clients) leaves *= 2;
    this.leaves = leaves;
    this.timeMs = new Float64Array(leaves).fill(Infinity);
    this.seq = new Float64Array(leaves).fill(Infinity);
    this.kindOf = new Uint8Array(leaves);
    // Every leaf is empty, so each subtree's winner may be any client in it: its leftmost.
    this.winner = new Int32Array(leaves);
    for (let node = leaves - 1; node >= 1; node--) {
      const left = 2 * node;
      this.winner[node] = left >= leaves ? left - leaves : this.winner[left]!;
    }
  }

  topClient(): number {
    return this.winner[1]!;
  }

  topTimeMs(): number {
    return this.timeMs[this.winner[1]!]!;
  }

  topKind(): number {
    return this.kindOf[this.winner[1]!]!;
  }

  /** Schedules a client that has nothing pending yet (the first message of each client). */
  schedule(client: number, timeMs: number, kind: number): void {
    checkTime(timeMs);
    this.size++;
    this.replay(client, timeMs, this.nextSeq++, kind);
  }

  /** The top client's next event. */
  rescheduleTop(timeMs: number, kind: number): void {
    checkTime(timeMs);
    this.replay(this.winner[1]!, timeMs, this.nextSeq++, kind);
  }

  /** The top client is done. */
  removeTop(): void {
    this.size--;
    this.replay(this.winner[1]!, Infinity, Infinity, 0);
  }

  /** Sets a client's pending event and replays every match from its leaf to the root. */
  private replay(client: number, timeMs: number, seq: number, kind: number): void {
    const times = this.timeMs;
    const seqs = this.seq;
    const winner = this.winner;
    times[client] = timeMs;
    seqs[client] = seq;
    this.kindOf[client] = kind;
    let w = client;
    let wt = timeMs;
    let wq = seq;
    // The first match is against the neighbouring leaf; each later one against the winner of the sibling subtree.
    let rival = client ^ 1;
    let node = this.leaves + client;
    for (;;) {
      const rt = times[rival]!;
      const rq = seqs[rival]!;
      // 1 if the rival's event comes first, else 0; then w becomes rival or stays, with no branch.
      const rivalFirst = +(rt < wt) | (+(rt === wt) & +(rq < wq));
      w ^= (w ^ rival) & -rivalFirst;
      node >>= 1;
      winner[node] = w;
      if (node === 1) return;
      wt = times[w]!;
      wq = seqs[w]!;
      rival = winner[node ^ 1]!;
    }
  }
}

/** The same guard as core's EventQueue.push: a NaN or infinite time is a bug upstream, not an event. */
function checkTime(timeMs: number): void {
  if (!(timeMs >= 0) || timeMs === Infinity) {
    throw new RangeError(`event time must be a finite, non-negative number of ms, got ${timeMs}`);
  }
}
