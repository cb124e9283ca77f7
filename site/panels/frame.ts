/**
 * What every panel is given, and the trace look-ups they share. A panel kind is one module in this
 * folder (see registry.ts): `build` writes its first frame as HTML at build time, so the page reads
 * without JavaScript, and `mount` returns the view that redraws it in the browser.
 */
import { clockOf, sampleAt, sampleCount, type AnySimulation, type Trace } from '../../sim/core/index.ts';

/** Running totals of every series, so "how many up to the cursor" is one lookup per frame. */
export type Cumulative = Record<string, Float64Array>;

export function cumulate(trace: Trace): Cumulative {
  const out: Cumulative = {};
  for (const [key, values] of Object.entries(trace.series)) {
    const sums = new Float64Array(values.length);
    let total = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (Number.isFinite(v)) total += v;
      sums[i] = total;
    }
    out[key] = sums;
  }
  return out;
}

export function sumTo(cum: Cumulative, key: string, index: number): number {
  return cum[key]?.[index] ?? 0;
}

/** The sample the cursor at t (seconds) shows: sim/core's sampleAt. */
export function sampleIndex(trace: Trace, tSec: number): number {
  return sampleAt(trace, tSec);
}

/**
 * Index of the first log line the cursor at t does not show (binary search: the log is in time
 * order). The log shows every line of the samples the charts and the diagram show, so the newest
 * line and the lit state always belong to the same moment.
 */
export function logIndexAfter(trace: Trace, tSec: number): number {
  const sample = sampleAt(trace, tSec);
  // The last sample shows the end of the run, a line stamped at the very end included.
  const endMs = sample === sampleCount(trace.durationMs, trace.sampleMs) - 1 ? Infinity : (sample + 1) * trace.sampleMs;
  let lo = 0;
  let hi = trace.log.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (trace.log[mid]!.tMs < endMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The clock under the timeline: "12.5 s / 60 s", or "4.25 h / 24 h · Mon 22:15"
 * for a run with a wall clock; 'words' is the slider's spoken value.
 */
export function clockText(sim: AnySimulation, tSec: number, endSec: number, form: 'short' | 'words'): string {
  const clock = clockOf(sim);
  const units = tSec / clock.unitSec;
  // Two decimals keep quarter hours exact; seconds show tenths until they grow large.
  const shown = clock.unitSec === 1 ? (units >= 100 ? Math.round(units) : Math.round(units * 10) / 10) : Math.round(units * 100) / 100;
  const end = endSec / clock.unitSec;
  const wall = clock.wallClock ? ` · ${clock.wallClock(tSec)}` : '';
  return form === 'short'
    ? `${shown} ${unitFor(clock.unit, shown)} / ${end} ${unitFor(clock.unit, end)}${wall}`
    : `${shown} of ${end} ${unitFor(clock.words, end)}${wall.replace(' · ', ', ')}`;
}

/**
 * A unit agreeing with its number: "1 step", "2 steps". Symbols (s, h) never take a plural; a unit
 * written as a word (plural in the clock, "steps", "hours") drops its final s for exactly one.
 */
export function unitFor(unit: string, count: number): string {
  return count === 1 && /^[a-z]{3,}s$/.test(unit) ? unit.slice(0, -1) : unit;
}

export interface ChartSize { width: number; height: number }

/** One moment of one run: what a panel draws. */
export interface PanelFrame {
  sim: AnySimulation;
  /** Unique to this player within the page (several figures may show one lesson): element ids start with it. */
  domId: string;
  trace: Trace;
  cum: Cumulative;
  tSec: number;
  /** The sample at the cursor (sampleIndex). */
  index: number;
  chartSize: ChartSize;
  /** A narrow player: drawings stack their columns. */
  vertical: boolean;
  playing: boolean;
  reducedMotion: boolean;
}

export interface BuildFrame extends PanelFrame {
  /**
   * Whether the built page carries the panels' words and tables (data tables, outcomes, log,
   * inspector, the figures in words); without them the script fills them as it starts.
   */
  staticPanels: boolean;
  /** The ids of the view's charts this player draws (an inline figure shows one or two); all when absent. */
  charts?: readonly string[];
}

/** A mounted panel in the browser. */
export interface PanelView {
  /** A new trace or a new size: everything that depends on the whole run. */
  run?(frame: PanelFrame): void;
  /** The cursor moved (every animation frame while playing): keep it cheap. */
  cursor(frame: PanelFrame): void;
}

export interface PanelKind {
  /** Where in the player it sits: above the timeline, among the figures, in the accounts row, or after them. */
  slot: 'head' | 'figures' | 'accounts' | 'after';
  /** Whether this lesson's view asks for this panel. */
  present(sim: AnySimulation): boolean;
  /** A selector for the element its first frame always carries: the player mounts the panels the page built. */
  mark: string;
  /** The first frame, as HTML; may load a heavy renderer first. */
  build(frame: BuildFrame): string | Promise<string>;
  /** `root` is the whole player; the panel finds its own elements in it. */
  mount(root: HTMLElement, sim: AnySimulation): PanelView | Promise<PanelView>;
}

/**
 * A panel whose whole content is one table of running totals at the cursor's sample (outcomes,
 * counters): built into the page when asked, redrawn only when the cursor crosses into another sample.
 */
export function totalsPanel(role: string, present: PanelKind['present'], render: (sim: AnySimulation, cum: Cumulative, index: number) => string): PanelKind {
  return {
    slot: 'accounts',
    present,
    mark: `[data-role=${role}]`,
    build: ({ sim, cum, index, staticPanels }) => `<div data-role="${role}">${staticPanels ? render(sim, cum, index) : ''}</div>`,
    mount(root, sim) {
      const box = need(root, `[data-role=${role}]`);
      let last = -1;
      return {
        run: () => (last = -1),
        cursor(f) {
          if (f.index === last) return;
          last = f.index;
          box.innerHTML = render(sim, f.cum, f.index);
        },
      };
    },
  };
}

/** The first element matching `selector`, or a loud error naming what the page is missing. */
export function need<T extends Element = HTMLElement>(root: ParentNode, selector: string): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`ops-player: missing ${selector}`);
  return el;
}
