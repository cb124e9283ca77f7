/**
 * A player's first run, recorded in the page by the build. A page whose reader has touched
 * nothing then needs none of its lesson's model code (for ssh-forwarding, 26 kB of the 79 kB of
 * JavaScript its lab loaded before interaction): the build writes the simulation's description
 * (everything but its code) once per page, and beside each player the trace of the state it drew;
 * the player starts from them. The model is loaded when a run is asked that the page did not
 * record: in the worker, which the player starts on the reader's first interaction (runner.ts), or
 * in the page before the worker is ready.
 *
 * Only what JSON carries exactly is recorded (finite numbers, no functions but the model's own),
 * and only short runs: a long trace costs the page more bytes than its model's code, so those
 * pages load the model as before.
 */
import { createMachine, type AnyStateMachine } from 'xstate';
import type { AnySimulation, ParamValues, Trace } from '../../sim/core/index.ts';

/** A trace longer than this, as JSON, is not recorded (ssh-forwarding's runs are 7,000 to 14,300 characters; syn-queue's first 36,000). */
export const RECORDED_TRACE_MAX_CHARS = 16_000;

/** The simulation without `run` and `durationSec`, each machine as its config. */
type RecordedSimulation = Omit<AnySimulation, 'run' | 'durationSec' | 'machines'> & { machines: Record<string, unknown> };
type RecordedTrace = Omit<Trace, 'series'> & { series: Record<string, number[]> };

/** Whether JSON carries this value exactly: finite numbers other than -0, no functions, no typed arrays, no undefined in arrays. */
function exactInJson(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (typeof value === 'function' || typeof value === 'bigint' || typeof value === 'symbol') return false;
  if (value === null || typeof value !== 'object') return true;
  if (ArrayBuffer.isView(value)) return false;
  if (Array.isArray(value)) return value.every((v) => v !== undefined && exactInJson(v));
  return Object.values(value).every((v) => v === undefined || exactInJson(v));
}

/** JSON safe inside a <script> element: no `<`, so no text can close it. */
const scriptSafe = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** At build time: the simulation's description as JSON, or null when JSON would not carry it exactly. */
export function recordSimulation(sim: AnySimulation): string | null {
  const { run: _run, durationSec: _durationSec, machines, ...rest } = sim;
  const recorded: RecordedSimulation = { ...rest, machines: Object.fromEntries(Object.entries(machines).map(([name, machine]) => [name, machine.config])) };
  return exactInJson(recorded) ? scriptSafe(recorded) : null;
}

/** At build time: the trace as JSON, or null when it is too long to be worth it or JSON would not carry it exactly. */
export function recordTrace(trace: Trace): string | null {
  const recorded: RecordedTrace = { ...trace, series: Object.fromEntries(Object.entries(trace.series).map(([key, values]) => [key, Array.from(values)])) };
  if (!exactInJson(recorded)) return null;
  const json = scriptSafe(recorded);
  return json.length > RECORDED_TRACE_MAX_CHARS ? null : json;
}

/** Per page being built (Astro.request): the lessons whose description it already carries. */
const describedPages = new WeakMap<object, Set<string>>();

/**
 * The elements that carry a player's recorded run: the trace, and the simulation's description
 * with the first recorded run of its lesson on the `page`. Data, never run (so they need no
 * Content-Security-Policy hash either); written here rather than in Player.astro, whose own
 * <script> elements are its code. Empty when the run is not recorded.
 */
export function recordedRunHtml(sim: AnySimulation, trace: Trace, page: object): string {
  const described = describedPages.get(page) ?? new Set<string>();
  describedPages.set(page, described);
  const description = described.has(sim.id) ? '' : recordSimulation(sim);
  const run = recordTrace(trace);
  if (description === null || run === null) return '';
  described.add(sim.id);
  return `${description ? `<script type="application/json" data-role="recorded-simulation" data-sim="${sim.id}">${description}</script>` : ''}` +
    `<script type="application/json" data-role="recorded-run">${run}</script>`;
}

const sameParams = (a: ParamValues, b: ParamValues) => Object.keys({ ...a, ...b }).every((k) => a[k] === b[k]);

/**
 * A simulation from its recorded description, knowing only the runs recorded in the page
 * (`known`): `run` and `durationSec` answer those states alone and throw for any other, naming
 * why. The player runs other states on the model it loads (runner.ts), never on this.
 */
export function describedSimulation(json: string, known: Trace[]): AnySimulation {
  const recorded = JSON.parse(json) as RecordedSimulation;
  const machines: Record<string, AnyStateMachine> = Object.fromEntries(
    Object.entries(recorded.machines).map(([name, config]) => [name, createMachine(config as Parameters<typeof createMachine>[0])]),
  );
  const find = (params: ParamValues, seed?: number) => {
    const trace = known.find((t) => (seed === undefined || t.seed === seed) && sameParams(params, t.params));
    if (!trace) throw new Error(`${recorded.id}: only the runs recorded in this page are known here; load the model for any other`);
    return trace;
  };
  return { ...recorded, machines, durationSec: (params) => find(params).durationMs / 1000, run: (params, seed) => find(params, seed) };
}

/** A recorded trace back from its JSON. */
export function parseRecordedTrace(json: string): Trace {
  const recorded = JSON.parse(json) as RecordedTrace;
  return { ...recorded, series: Object.fromEntries(Object.entries(recorded.series).map(([key, values]) => [key, Float64Array.from(values)])) };
}

/** Per page: each lesson's described simulation, read once and shared by its players, with the runs read so far. */
const described = new Map<string, { sim: AnySimulation; known: Trace[] }>();

/** In the page: the run the build recorded inside this player, with the simulation it came from; null if none. */
export function readRecordedRun(root: HTMLElement, simId: string): { sim: AnySimulation; trace: Trace } | null {
  const run = root.querySelector<HTMLScriptElement>('script[data-role=recorded-run]')?.textContent;
  if (!run) return null;
  let entry = described.get(simId);
  if (!entry) {
    const description = document.querySelector<HTMLScriptElement>(`script[data-role=recorded-simulation][data-sim="${CSS.escape(simId)}"]`)?.textContent;
    if (!description) return null;
    const known: Trace[] = [];
    entry = { sim: describedSimulation(description, known), known };
    described.set(simId, entry);
  }
  const trace = parseRecordedTrace(run);
  entry.known.push(trace);
  return { sim: entry.sim, trace };
}
