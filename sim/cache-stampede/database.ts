/**
 * The database: it runs `concurrency` queries at once and queues the rest in
 * one FIFO line, so its latency is an output. A query whose requester gave up
 * while it waited is skipped when its turn comes; a running one always
 * finishes (and its result is written).
 */
import { Columns } from '../core/columns.ts';
import { SampleLatencies, type EventQueue, type Rng, type SeriesRecorder } from '../core/index.ts';
import { E_QUERY_DONE } from './events.ts';
import type { SeriesKey } from './keys.ts';

export class Database {
  /**
   * One row per query: its key (negative for a missing id), the server that sent it, the request
   * waiting on it (-1 for a background refresh), the lock token it holds (0 for none), when it
   * entered the line and when it started (-1 while waiting).
   */
  readonly queries = new Columns(['key', 'server', 'enqueued', 'started', 'requester', 'cancelled', 'token', 'background'] as const);
  /** Query time, line included, by the sample it ended in (seconds). */
  readonly latencies: SampleLatencies;
  running = 0;
  private readonly line: number[] = [];
  private head = 0;
  private readonly concurrency: number;
  private readonly queryMs: number;
  private readonly rng: Rng;
  private readonly queue: EventQueue;
  private readonly rec: SeriesRecorder<SeriesKey>;
  private readonly inFlightPeak: Float64Array;
  private readonly waitingPeak: Float64Array;

  constructor(concurrency: number, queryMs: number, rng: Rng, queue: EventQueue, rec: SeriesRecorder<SeriesKey>) {
    this.concurrency = concurrency;
    this.queryMs = queryMs;
    this.rng = rng;
    this.queue = queue;
    this.rec = rec;
    this.latencies = new SampleLatencies(rec.count);
    this.inFlightPeak = rec.get('dbInFlight');
    this.waitingPeak = rec.get('dbQueue');
  }

  /** A new query row, not yet sent: `submit` sends it. */
  add(key: number, server: number, requester: number, tMs: number, background: boolean, token: number): number {
    const id = this.queries.add();
    const q = this.queries.col;
    q.key[id] = key;
    q.server[id] = server;
    q.enqueued[id] = tMs;
    q.requester[id] = requester;
    q.cancelled[id] = 0;
    q.token[id] = token;
    q.started[id] = -1;
    q.background[id] = background ? 1 : 0;
    return id;
  }

  /** Runs the query now if a slot is free, else puts it at the back of the line. */
  submit(id: number, tMs: number): void {
    if (this.running < this.concurrency) this.begin(id, tMs);
    else this.line.push(id);
    this.notePeaks(tMs);
  }

  /** A query finished: frees its slot and returns how long it took, its wait in line included. */
  complete(id: number, tMs: number): number {
    this.running--;
    const tookMs = tMs - this.queries.col.enqueued[id]!;
    this.latencies.add(this.rec.index(tMs), tookMs / 1000);
    return tookMs;
  }

  /** Starts the next queries in line while slots are free, skipping those whose requester gave up. */
  startWaiting(tMs: number): void {
    const cancelled = this.queries.col.cancelled;
    while (this.head < this.line.length && this.running < this.concurrency) {
      const next = this.line[this.head++]!;
      if (cancelled[next] === 1) continue;
      this.begin(next, tMs);
    }
    // Drop the consumed front now and then, so the line's array does not grow with the whole run.
    if (this.head > 4096 && this.head * 2 > this.line.length) {
      this.line.splice(0, this.head);
      this.head = 0;
    }
    this.notePeaks(tMs);
  }

  /** The requester gave up: its query is cancelled if it has not started. Returns whether it was. */
  cancelIfWaiting(id: number): boolean {
    if (this.queries.col.started[id] !== -1) return false;
    this.queries.col.cancelled[id] = 1;
    return true;
  }

  /** The most queries running and waiting in the sample of tMs. */
  notePeaks(tMs: number): void {
    const i = this.rec.index(tMs);
    if (this.running > this.inFlightPeak[i]!) this.inFlightPeak[i] = this.running;
    const waiting = this.line.length - this.head;
    if (waiting > this.waitingPeak[i]!) this.waitingPeak[i] = waiting;
  }

  private begin(id: number, tMs: number): void {
    this.running++;
    this.queries.col.started[id] = tMs;
    const serviceMs = this.queryMs * (0.9 + 0.2 * this.rng.next());
    this.queue.push(tMs + serviceMs, E_QUERY_DONE, id);
  }
}
