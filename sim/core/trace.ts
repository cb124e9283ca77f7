/**
 * A trace is everything a run produced, as plain data: time series sampled
 * once per `sampleMs`, a bounded event log, a summary of numbers, and a hash
 * over all of it. The page plays a cursor over a trace; tests compare hashes.
 */
import type { Scene } from './scene.ts';
import type { RunResult } from './event-queue.ts';
import { Hasher } from './hash.ts';
import { groupDigits } from './stats.ts';
import type { ParamValues } from './params.ts';

export interface LogLine {
  tMs: number;
  /** A short tag that groups similar lines (used for rate limiting and styling): 'drop', 'cookie', 'kernel'... */
  kind: string;
  text: string;
  /** Optional longer text shown when the reader picks this line (a response's exact header lines). */
  detail?: string;
}

export interface Trace {
  simId: string;
  seed: number;
  params: ParamValues;
  durationMs: number;
  sampleMs: number;
  /** One value per sample; every array has `sampleCount` entries. */
  series: Record<string, Float64Array>;
  log: LogLine[];
  /** Log lines not kept because of the per-window or total limits. */
  logSuppressed: number;
  summary: Record<string, number>;
  events: number;
  /** The event budget ran out: the trace stops at `durationMs` early, and `message` says so. */
  truncated: boolean;
  message?: string;
  /** For walks over a network: the hosts and what crosses between them at each sample. */
  scene?: Scene;
  /**
   * Only on a partial trace (a progressive run's first part, sim/core/model.ts runUpTo): the run
   * was computed up to here, in seconds. The samples before it equal the whole run's; the later
   * ones are zeros, and the summary and scene say the state at this moment. Hashed only when
   * present, so a whole run's hash is the one it always had.
   */
  computedToSec?: number;
  hash: string;
}

export function sampleCount(durationMs: number, sampleMs: number): number {
  return Math.max(1, Math.ceil(durationMs / sampleMs));
}

/**
 * Per-sample arrays with the three ways a model fills them. `K` is the model's
 * series keys, so a misspelt key fails to compile.
 */
export class SeriesRecorder<K extends string = string> {
  readonly series: Record<K, Float64Array> = {} as Record<K, Float64Array>;
  readonly count: number;
  readonly sampleMs: number;

  constructor(keys: readonly K[], durationMs: number, sampleMs: number) {
    this.sampleMs = sampleMs;
    this.count = sampleCount(durationMs, sampleMs);
    for (const key of keys) this.series[key] = new Float64Array(this.count);
  }

  /** The last time asked and its sample: an event asks for its own time several times, and a division each time added up. */
  private lastMs = NaN;
  private lastIndex = 0;

  index(tMs: number): number {
    if (tMs === this.lastMs) return this.lastIndex;
    const i = Math.floor(tMs / this.sampleMs);
    this.lastMs = tMs;
    this.lastIndex = i < 0 ? 0 : i >= this.count ? this.count - 1 : i;
    return this.lastIndex;
  }

  /** Counts something that happened at tMs (a rate once divided by the sample length). */
  add(key: K, tMs: number, amount = 1): void {
    this.series[key]![this.index(tMs)]! += amount;
  }

  /** Keeps the largest value seen in the sample (a queue's peak, not a lucky snapshot). */
  max(key: K, tMs: number, value: number): void {
    const arr = this.series[key]!;
    const i = this.index(tMs);
    if (value > arr[i]!) arr[i] = value;
  }

  get(key: K): Float64Array {
    return this.series[key]!;
  }
}

export interface LogLimits {
  /** Lines of one kind kept per window of simulated time (the kernel's net_ratelimit does the same per second). */
  perKindPerWindow: number;
  /** The window: a second unless given (a day-long mail run thins per five minutes). */
  windowMs?: number;
  /** Lines kept over the whole run, spread over it (see EventLog). */
  total: number;
}

/** The share of a log's total that its first window may take at once; the rest comes in evenly, window by window. */
const LOG_BURST_SHARE = 0.25;

/** One kind's lines in the current window: a busy run asks about a kind thousands of times a second. */
interface KindWindow {
  slot: number;
  count: number;
}

/**
 * A run's bounded log. Lines are thinned per kind and window, as real logs rate-limit, and the
 * total is spread over the run like a token bucket's tokens: a quarter of it at once, the rest
 * evenly, window by window (by the end of window w of W, at most total/4 + (w + 1) * (3/4 total) / W
 * lines). A busy start (a queue filling) therefore cannot use up the lines its end needs (clients
 * giving up): a log that fell silent minutes before the run ended would contradict the note saying
 * that repeated lines are only thinned. Without the run's length the total is simply a cap.
 */
export class EventLog {
  readonly lines: LogLine[] = [];
  suppressed = 0;
  private readonly windows = new Map<string, KindWindow>();
  private readonly limits: LogLimits;
  private readonly windowMs: number;
  /** Windows in the run, or 0 when its length is not known. */
  private readonly runWindows: number;

  constructor(limits: LogLimits = { perKindPerWindow: 4, total: 3000 }, runMs = Infinity) {
    this.limits = limits;
    this.windowMs = limits.windowMs ?? 1000;
    this.runWindows = Number.isFinite(runMs) ? Math.max(1, Math.ceil(runMs / this.windowMs)) : 0;
  }

  /** Lines the log may hold by the end of window `slot`. */
  private allowance(slot: number): number {
    const total = this.limits.total;
    if (this.runWindows === 0) return total;
    const burst = Math.floor(total * LOG_BURST_SHARE);
    return Math.min(total, burst + Math.floor(((total - burst) * (slot + 1)) / this.runWindows));
  }

  /**
   * The window of the time asked last, and the kind asked last with its record: a busy run asks about
   * one kind at one instant again and again (every SYN of a flood), and a Map lookup and a division
   * each time showed in its profile.
   */
  private lastMs = NaN;
  private lastSlot = -1;
  /** The allowance of the window of the time asked last. */
  private lastAllowance = 0;
  private lastKind = '';
  private lastWindow: KindWindow | undefined = undefined;

  private slotOf(tMs: number): number {
    if (tMs !== this.lastMs) {
      this.lastMs = tMs;
      const slot = Math.floor(tMs / this.windowMs);
      if (slot !== this.lastSlot) this.lastAllowance = this.allowance(slot);
      this.lastSlot = slot;
    }
    return this.lastSlot;
  }

  private windowOf(kind: string): KindWindow | undefined {
    if (kind !== this.lastKind) {
      this.lastKind = kind;
      this.lastWindow = this.windows.get(kind);
    }
    return this.lastWindow;
  }

  /** Whether a line of this kind would be kept now: lets a model skip formatting text that would be dropped. */
  wants(tMs: number, kind: string): boolean {
    const slot = this.slotOf(tMs);
    if (this.lines.length >= this.lastAllowance) return false;
    const w = this.windowOf(kind);
    const count = w !== undefined && w.slot === slot ? w.count : 0;
    return count < this.limits.perKindPerWindow;
  }

  write(tMs: number, kind: string, text: string, detail?: string): void {
    if (!this.wants(tMs, kind)) {
      this.suppressed++;
      return;
    }
    const slot = this.slotOf(tMs);
    const w = this.windowOf(kind);
    if (w === undefined) {
      this.lastWindow = { slot, count: 1 };
      this.windows.set(kind, this.lastWindow);
    } else if (w.slot !== slot) {
      w.slot = slot;
      w.count = 1;
    } else w.count++;
    this.lines.push(detail === undefined ? { tMs, kind, text } : { tMs, kind, text, detail });
  }

  /** Counts a line that was not even formatted because `wants` said no. */
  skip(): void {
    this.suppressed++;
  }
}

export function hashTrace(trace: Omit<Trace, 'hash'>): string {
  const h = new Hasher();
  h.string(trace.simId).number(trace.seed).number(trace.durationMs).number(trace.sampleMs);
  for (const key of Object.keys(trace.params).sort()) h.string(key).string(String(trace.params[key]));
  for (const key of Object.keys(trace.series).sort()) {
    h.string(key);
    // By index: iterating a typed array with for-of made an iterator result per value.
    const values = trace.series[key]!;
    for (let i = 0; i < values.length; i++) h.number(values[i]!);
  }
  h.number(trace.log.length).number(trace.logSuppressed);
  for (const line of trace.log) {
    h.number(line.tMs).string(line.kind).string(line.text);
    // Only lines with a detail hash it, so traces without details keep their hashes.
    if (line.detail !== undefined) h.string(line.detail);
  }
  for (const key of Object.keys(trace.summary).sort()) h.string(key).number(trace.summary[key]!);
  h.number(trace.events).number(trace.truncated ? 1 : 0).string(trace.message ?? '');
  // Only traces with a scene hash one, so the others keep their hashes.
  if (trace.scene !== undefined) h.json(trace.scene);
  if (trace.computedToSec !== undefined) h.string('computedTo').number(trace.computedToSec);
  return h.digest();
}

/** A trace's run fields from the run loop's result, with the message the page shows when the budget ran out. */
export function budgetOutcome(result: RunResult, budget: number): Pick<Trace, 'events' | 'truncated' | 'message'> {
  if (!result.truncated) return { events: result.events, truncated: false };
  return {
    events: result.events,
    truncated: true,
    message: `The run stopped at ${(result.endMs / 1000).toFixed(1)} s after ${groupDigits(budget)} events, to keep this page responsive. Lower the rates or the simulated time to see the whole run.`,
  };
}

export function finishTrace(trace: Omit<Trace, 'hash'>): Trace {
  return { ...trace, hash: hashTrace(trace) };
}

/**
 * The sample a cursor at t (seconds) shows: the one that ends at t or just after it, so that at a
 * whole number of samples the page shows what happened up to t and nothing after; the first sample
 * at 0, the last at the end of the run. The page, its log and the article's numbers all use this.
 */
export function sampleAt(trace: Pick<Trace, 'durationMs' | 'sampleMs'>, tSec: number): number {
  const n = sampleCount(trace.durationMs, trace.sampleMs);
  return Math.max(0, Math.min(n - 1, Math.ceil((tSec * 1000) / trace.sampleMs) - 1));
}

/** The value of a series as the cursor at tSec shows it (see sampleAt). */
export function valueAt(trace: Trace, key: string, tSec: number): number {
  const arr = trace.series[key];
  if (!arr || arr.length === 0) return NaN;
  return arr[Math.min(arr.length - 1, sampleAt(trace, tSec))]!;
}

/** The trace of a finished model run: its recorder, log and summary, with the run loop's outcome and the hash. */
export function traceOfRun(run: {
  simId: string;
  seed: number;
  params: ParamValues;
  durationMs: number;
  recorder: SeriesRecorder;
  log: EventLog;
  summary: Record<string, number>;
  result: RunResult;
  budget: number;
}): Trace {
  return finishTrace({
    simId: run.simId,
    seed: run.seed,
    params: { ...run.params },
    durationMs: run.durationMs,
    sampleMs: run.recorder.sampleMs,
    series: run.recorder.series,
    log: run.log.lines,
    logSuppressed: run.log.suppressed,
    summary: run.summary,
    ...budgetOutcome(run.result, run.budget),
  });
}
