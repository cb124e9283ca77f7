/**
 * The skeleton every model runs on: one seeded PRNG, one event queue, one
 * series recorder with typed keys, one bounded log, an optional observer for
 * tests, and the outcomes ledger. A model is then a set of event handlers over
 * this skeleton plus the arithmetic of its own system; it ends with
 * `model.trace(summary)`.
 *
 *   const m = createModel({ simId: 'x', seed, params: p, durationMs, sampleMs: 1000, series: SERIES_KEYS, budget: 1e6 });
 *   const requests = new Ledger(['served', 'dropped'] as const);
 *   m.run((tMs, kind, arg) => { ... requests.end(id, 'served', tMs) ... });
 *   return m.trace({ ...requests.totals(), peak: 3 });
 *
 * What this does not do: decide anything about the system modelled. Entities,
 * their states and their arithmetic stay in the model's own files.
 *
 * A progressive run (`runUpTo`, run-stop.ts) stops every model's event loop at a moment; the model then ends as
 * it ends a run cut short by its budget, so its summary and scene say the state at that moment, and
 * the trace carries `computedToSec`. A lesson's run is one synchronous function, so a run cannot
 * be suspended there and resumed later: the rest comes from running again from the start, which
 * gives the one-shot trace bit for bit because the run is deterministic.
 */
import { doubled } from './typed-arrays.ts';
import { EventQueue, runEvents, type RunResult } from './event-queue.ts';
import type { ParamValues } from './params.ts';
import { createRng, type Rng } from './prng.ts';
import { requestedStopMs } from './run-stop.ts';
import type { Scene } from './scene.ts';
import { EventLog, SeriesRecorder, budgetOutcome, finishTrace, type LogLimits, type Trace } from './trace.ts';

export interface ModelSetup<K extends string> {
  simId: string;
  seed: number;
  params: ParamValues;
  durationMs: number;
  sampleMs: number;
  /** Every per-sample series the trace carries; the recorder accepts only these keys. */
  series: readonly K[];
  /** Events handled before the run stops with a visible message. */
  budget: number;
  log?: LogLimits;
  /** The event queue's initial heap size (it grows as needed; a bigger start only saves copies). */
  queueCapacity?: number;
}

export interface Model<K extends string> {
  readonly rng: Rng;
  readonly queue: EventQueue;
  readonly rec: SeriesRecorder<K>;
  readonly log: EventLog;
  readonly durationMs: number;
  /** The last moment whose events the run handles: the end, or a progressive run's stop (runUpTo). */
  readonly untilMs: number;
  /** Runs the event loop to the end of the run (or the budget); call once. */
  run(handle: (tMs: number, kind: number, arg: number) => void): RunResult;
  /**
   * Counts events a model handled without the queue (events whose handling changes nothing but the
   * count, which it left off the queue), so the trace's event count is the one the queue would give.
   * The model must have kept their times within `untilMs` and their total within the budget.
   */
  countEventsOffQueue(events: number): void;
  /** The finished trace: the recorder, the log, this summary, the run's outcome and the hash. */
  trace(summary: Record<string, number>, extra?: { scene?: Scene }): Trace;
}

/** The stop of a progressive run on a sample boundary, so each sample before it is whole; null when it reaches the end. */
function stopOf(requestedMs: number | null, durationMs: number, sampleMs: number): number | null {
  if (requestedMs === null) return null;
  const boundaryMs = Math.max(1, Math.ceil(requestedMs / sampleMs)) * sampleMs;
  return boundaryMs < durationMs ? boundaryMs : null;
}

export function createModel<K extends string>(setup: ModelSetup<K>): Model<K> {
  const stopMs = stopOf(requestedStopMs(), setup.durationMs, setup.sampleMs);
  const rng = createRng(setup.seed);
  const queue = setup.queueCapacity === undefined ? new EventQueue() : new EventQueue(setup.queueCapacity);
  const rec = new SeriesRecorder<K>(setup.series, setup.durationMs, setup.sampleMs);
  const log = new EventLog(setup.log, setup.durationMs);
  let result: RunResult | null = null;
  const untilMs = stopMs ?? setup.durationMs;
  return {
    rng,
    queue,
    rec,
    log,
    durationMs: setup.durationMs,
    untilMs,
    run(handle) {
      if (result) throw new Error(`${setup.simId}: the model ran twice`);
      result = runEvents(queue, untilMs, setup.budget, handle);
      return result;
    },
    countEventsOffQueue(events) {
      if (!result) throw new Error(`${setup.simId}: events counted before the run`);
      if (events === 0) return;
      if (result.truncated || result.events + events > setup.budget) throw new Error(`${setup.simId}: events off the queue passed the budget`);
      result = { ...result, events: result.events + events };
    },
    trace(summary, extra = {}) {
      // A model with no events (a walk computed in one pass) still gets a run outcome.
      const run = result ?? { events: 0, truncated: false, endMs: setup.durationMs };
      const partial = stopMs !== null && result !== null && !run.truncated;
      return finishTrace({
        simId: setup.simId,
        seed: setup.seed,
        params: { ...setup.params },
        durationMs: setup.durationMs,
        sampleMs: rec.sampleMs,
        series: rec.series,
        log: log.lines,
        logSuppressed: log.suppressed,
        summary,
        ...budgetOutcome(run, setup.budget),
        ...(extra.scene === undefined ? {} : { scene: extra.scene }),
        ...(partial ? { computedToSec: stopMs / 1000 } : {}),
      });
    },
  };
}

/**
 * Every entity (request, connection attempt, message) opened here ends in
 * exactly one named outcome. A second ending of the same entity is a bug in the
 * model and throws; a handler that may fire after the end (a time-out racing a
 * reply) asks `isOpen` first. Totals come from here, so the outcomes add up by
 * construction of the ledger, and tests check the ledger itself.
 */
export class Ledger<O extends string, C extends string = 'all'> {
  readonly outcomes: readonly O[];
  readonly classes: readonly C[];
  /** Called once per ending: where a model counts the ending in a per-sample series. */
  onEnd: ((id: number, outcome: number, cls: number, tMs: number) => void) | null = null;
  private outcomeOfId: Uint8Array;
  private classOfId: Uint8Array;
  private n = 0;
  private readonly counts: Float64Array;
  private readonly opened: Float64Array;

  /** `expected`: entities the run is likely to open; room for them from the start saves copies as it grows. */
  constructor(outcomes: readonly O[], classes: readonly C[] = ['all' as C], expected = 1024) {
    if (outcomes.length > 254) throw new Error('Ledger: at most 254 outcomes');
    this.outcomeOfId = new Uint8Array(Math.max(16, expected));
    this.classOfId = new Uint8Array(Math.max(16, expected));
    this.outcomes = outcomes;
    this.classes = classes;
    this.counts = new Float64Array(classes.length * outcomes.length);
    this.opened = new Float64Array(classes.length);
  }

  /** Opens an entity of class index `cls` and returns its id (0, 1, 2, ... in order). */
  open(cls = 0): number {
    if (this.n === this.outcomeOfId.length) {
      this.outcomeOfId = doubled(this.outcomeOfId);
      this.classOfId = doubled(this.classOfId);
    }
    this.classOfId[this.n] = cls;
    this.opened[cls]!++;
    return this.n++;
  }

  /** Ends entity `id` with outcome index `outcome` (an index into `outcomes`). */
  end(id: number, outcome: number, tMs: number): void {
    if (id < 0 || id >= this.n) throw new Error(`Ledger: no entity ${id}`);
    const prev = this.outcomeOfId[id]!;
    if (prev !== 0) {
      throw new Error(`Ledger: entity ${id} ended twice (${this.outcomes[prev - 1]}, then ${this.outcomes[outcome]})`);
    }
    const cls = this.classOfId[id]!;
    this.outcomeOfId[id] = outcome + 1;
    this.counts[cls * this.outcomes.length + outcome]!++;
    this.onEnd?.(id, outcome, cls, tMs);
  }

  isOpen(id: number): boolean {
    return this.outcomeOfId[id] === 0;
  }

  /** The outcome index of an ended entity, or -1 while it is open. */
  outcomeOf(id: number): number {
    return this.outcomeOfId[id]! - 1;
  }

  classOf(id: number): number {
    return this.classOfId[id]!;
  }

  /** Entities opened, in all or of one class. */
  attempts(cls?: number): number {
    if (cls !== undefined) return this.opened[cls]!;
    return this.n;
  }

  /** Entities that ended this way, in all or of one class. */
  count(outcome: number, cls?: number): number {
    const width = this.outcomes.length;
    if (cls !== undefined) return this.counts[cls * width + outcome]!;
    let total = 0;
    for (let c = 0; c < this.classes.length; c++) total += this.counts[c * width + outcome]!;
    return total;
  }

  /** Entities still open: attempts less every ending. */
  pending(cls?: number): number {
    let ended = 0;
    for (let o = 0; o < this.outcomes.length; o++) ended += this.count(o, cls);
    return this.attempts(cls) - ended;
  }

  get size(): number {
    return this.n;
  }

  /**
   * Every count under a name: `name(outcome, class)` for each pair, so a model keeps the summary keys
   * it always had (`legit_accepted`, or plain `accepted` for a ledger with one class).
   */
  totals(name: (outcome: O, cls: C) => string = (o) => o): Record<string, number> {
    const out: Record<string, number> = {};
    for (let c = 0; c < this.classes.length; c++) {
      for (let o = 0; o < this.outcomes.length; o++) {
        const key = name(this.outcomes[o]!, this.classes[c]!);
        out[key] = (out[key] ?? 0) + this.count(o, c);
      }
    }
    return out;
  }
}

/** A test's window on a model: it sees the events a model emits, and a run without one pays nothing. */
export type Observer<E> = ((event: E) => void) | undefined;
