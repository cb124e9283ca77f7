/**
 * The contract every simulation meets (DESIGN.md, "The simulation contract"),
 * plus a description of what to draw. The description is data: `site/` turns
 * it into charts, tables and a diagram, and `sim/` never imports from `site/`.
 */
import type { AnyStateMachine } from 'xstate';
import type { ParamSpecs, ParamValues } from './params.ts';
import type { Trace } from './trace.ts';

export interface Scenario<P extends ParamValues> {
  /** The URL slug: `?scenario=<id>`. */
  id: string;
  title: string;
  /** One or two sentences: what to look for. */
  summary: string;
  /** Overrides on top of the parameter defaults. */
  params: Partial<P>;
  seed: number;
}

/**
 * `S` is the model's series keys and `M` its summary keys: a lesson that names them
 * (`Simulation<Params, SeriesKey, SummaryKey>`) gets a compile error for a misspelt key.
 */
export interface ChartSeriesSpec<S extends string = string> {
  key: S;
  label: string;
  /** `runningTotal` draws the sum up to each sample of a per-sample count, so a model stores counts once. */
  runningTotal?: boolean;
  /**
   * Whether a run with these parameters has this series at all (a fourth client only when there are
   * four): a run without it leaves it out of the chart, its legend and its table. Absent: always.
   */
  shownWhen?: (params: ParamValues) => boolean;
}

export interface ChartSpec<S extends string = string, M extends string = string> {
  id: string;
  title: string;
  unit: string;
  series: readonly ChartSeriesSpec<S>[];
  /** Dashed horizontal lines taken from the trace summary, such as a queue's capacity. */
  limits?: readonly { summaryKey: M; label: string }[];
  /** Shaded spans of time where a per-sample series is above zero, such as "primary down". */
  bands?: readonly { key: S; label: string }[];
  /** A fixed top of the y axis (percentages); otherwise it fits the data and limits. */
  yMax?: number;
  /** One sentence for the text alternative: what the chart shows. */
  describe: string;
}

export interface OutcomeSpec<S extends string = string> {
  key: string;
  label: string;
  /** A per-sample count series in the trace: how many ended this way in that sample. */
  series: S;
  tone: 'good' | 'bad' | 'neutral';
}

export interface DiagramSpec<S extends string = string> {
  /** Key into `machines`. */
  machine: string;
  /** The figure's heading, and a line under it saying what the counts in the boxes are. */
  title: string;
  caption: string;
  /** What the counts count, for the text alternative ("requests", "keys"). */
  counting: string;
  /** For each state of the machine, the per-sample series holding how many entities were in it (or entered it). */
  stateSeries: Record<string, S>;
}

/** A panel that shows the full detail of one log line the reader picks from those up to the cursor. */
export interface InspectorSpec {
  title: string;
  /** One sentence under the title: what the lines are and what standard they follow. */
  caption: string;
  /** Log kinds whose lines can be picked; they should carry a `detail`. */
  kinds: readonly string[];
  /** Label of the picker ("Response"). */
  pickLabel: string;
}

export interface SimulationView<S extends string = string, M extends string = string> {
  charts: readonly ChartSpec<S, M>[];
  /**
   * Outcome groups, each closed: every entity counted in `attempts` (a per-sample series of
   * arrivals) ends in exactly one of `outcomes`, or is still pending.
   */
  outcomeGroups: readonly { title: string; attempts: S; outcomes: readonly OutcomeSpec<S>[] }[];
  /** Counters under the real system's own names (nstat, exim -bp...): per-sample series, shown summed to the cursor. */
  counters: readonly { series: S; label: string }[];
  /** The heading over the counters ("Kernel counters so far"). */
  countersTitle: string;
  /** A line under the counters: where the names come from, and any caveat. */
  countersNote?: string;
  diagram?: DiagramSpec<S>;
  /**
   * The picture of the mechanism the trace's scene holds (sim/core/scene.ts), drawn by the site's
   * renderer of that name (site/pictures/registry.ts).
   */
  picture?: { renderer: string; title: string; caption: string };
  inspector?: InspectorSpec;
  /** The window the log is thinned over, in words ("5 minutes"); a second when absent. */
  logWindow?: string;
}

/**
 * How the player shows time for a simulation. Traces and URLs stay in
 * seconds; only the labels, the steps and the speeds change, so a mail outage
 * that lasts a day reads in hours while a SYN flood reads in seconds.
 */
export interface SimClock {
  /** Seconds per displayed unit: 1 for seconds, 3600 for hours. */
  unitSec: number;
  /** The unit after numbers: "s", "h". */
  unit: string;
  /** The unit in words, plural: "seconds", "hours". */
  words: string;
  /** One press of an arrow key, in seconds, and in words for the buttons and the hint. */
  stepSec: number;
  stepWords: string;
  /** Shift with an arrow: ten steps, in words. */
  bigStepWords: string;
  /** Playback speeds offered, in simulated seconds per real second; the default among them. */
  speeds: readonly number[];
  defaultSpeed: number;
  /** The time of day (and weekday) at a point in the run, for runs that start at a wall-clock time. */
  wallClock?: (tSec: number) => string;
}

export const SECONDS_CLOCK: SimClock = {
  unitSec: 1,
  unit: 's',
  words: 'seconds',
  stepSec: 1,
  stepWords: 'one second',
  bigStepWords: 'ten',
  speeds: [0.5, 1, 2, 5, 10, 30],
  defaultSpeed: 10,
};

/** A speed as the player's menu shows it: 10× for a seconds clock, 0.5 h/s for an hours clock. */
export function speedLabel(clock: SimClock, simSecPerSec: number): string {
  return clock.unitSec === 1 ? `${simSecPerSec}×` : `${simSecPerSec / clock.unitSec} ${clock.unit}/s`;
}

export interface Simulation<P extends ParamValues = ParamValues, S extends string = string, M extends string = string> {
  id: string;
  title: string;
  summary: string;
  params: ParamSpecs<P>;
  /**
   * Slider groups in display order; every parameter appears in exactly one. A `terminal` group is
   * drawn above the charts as command lines: each host choice followed by the text typed on it.
   */
  paramGroups: readonly { label: string; keys: readonly (keyof P & string)[]; placement?: 'terminal' }[];
  scenarios: readonly Scenario<P>[];
  /** Parameter keys renamed since links were shared, old key to new: an old link's value decodes under the new key. */
  formerParamKeys?: Readonly<Record<string, keyof P & string>>;
  /** Simulated length of a run with these parameters, in seconds. */
  durationSec(params: P): number;
  /** Pure and deterministic: the same (params, seed) gives the same trace, bit for bit. */
  run(params: P, seed: number): Trace;
  machines: Record<string, AnyStateMachine>;
  view: SimulationView<S, M>;
  /** How to show time; seconds when absent. */
  clock?: SimClock;
}

export function clockOf(sim: Pick<Simulation, 'clock'>): SimClock {
  return sim.clock ?? SECONDS_CLOCK;
}

/** Erases the parameter type for registries and generic UI code. */
export type AnySimulation = Simulation<any, any, any>;
