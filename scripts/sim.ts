/**
 * npm run sim -- <sim-id> [--scenario NAME] [--seed N] [--set key=value ...] [--json] [--trace]
 *
 * Runs a simulation headless and prints its summary (JSON with --json, the
 * whole trace with --trace). Any bad input (an unknown simulation, scenario or
 * parameter, or a value out of range) prints one line naming the valid choices
 * and exits with code 2. Unlike the page, the runner does not clamp: a script
 * should fail loudly rather than run something it did not ask for.
 */
import { parseArgs } from 'node:util';
import { findScenario, MAX_SEED, normalizeParam, parseSeed, scenarioState, type AnySimulation, type Trace } from '../sim/core/index.ts';
import { getSimulation, simulations } from '../sim/index.ts';

function fail(message: string): never {
  console.error(`sim: ${message}`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        scenario: { type: 'string' },
        seed: { type: 'string' },
        set: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        trace: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    fail(`${(error as Error).message}; usage: npm run sim -- <sim-id> [--scenario NAME] [--seed N] [--set key=value ...] [--json] [--trace]`);
  }
}

const { values, positionals } = parse();
const ids = Object.keys(simulations).join(', ');
if (values.help || positionals.length === 0) {
  console.log(`usage: npm run sim -- <sim-id> [--scenario NAME] [--seed N] [--set key=value ...] [--json] [--trace]\nsimulations: ${ids}`);
  process.exit(positionals.length === 0 && !values.help ? 2 : 0);
}
if (positionals.length > 1) fail(`one simulation at a time; got ${positionals.join(' ')}`);

const sim: AnySimulation = getSimulation(positionals[0]!) ?? fail(`unknown simulation ${JSON.stringify(positionals[0])}; valid: ${ids}`);
const scenarioId = values.scenario ?? sim.scenarios[0]!.id;
if (!findScenario(sim, scenarioId)) {
  fail(`unknown scenario ${JSON.stringify(scenarioId)} for ${sim.id}; valid: ${sim.scenarios.map((s) => s.id).join(', ')}`);
}
const state = scenarioState(sim, scenarioId);

if (values.seed !== undefined) {
  state.seed = parseSeed(values.seed) ?? fail(`--seed must be a whole number from 0 to ${MAX_SEED}; got ${values.seed}`);
}

for (const assignment of values.set ?? []) {
  const eq = assignment.indexOf('=');
  if (eq <= 0) fail(`--set wants key=value; got ${JSON.stringify(assignment)}`);
  const key = assignment.slice(0, eq);
  const raw = assignment.slice(eq + 1);
  const spec = sim.params[key];
  if (!spec || !Object.hasOwn(sim.params, key)) fail(`unknown parameter ${JSON.stringify(key)} for ${sim.id}; valid: ${Object.keys(sim.params).join(', ')}`);
  const result = normalizeParam(key, spec, raw, state.params[key]!);
  if (result.problem) {
    const valid =
      spec.kind === 'choice'
        ? spec.options.map((o) => o.value).join(', ')
        : spec.kind === 'text'
          ? `one line of text, up to ${spec.maxLength} characters`
          : `${spec.min}..${spec.max} in steps of ${spec.step}`;
    fail(`bad value for ${key}: ${JSON.stringify(raw)}; valid: ${valid}`);
  }
  state.params[key] = result.value;
}

const trace = sim.run(state.params, state.seed);

function plainTrace(t: Trace) {
  return { ...t, series: Object.fromEntries(Object.entries(t.series).map(([k, v]) => [k, Array.from(v)])) };
}

// JSON has no NaN or Infinity: write them as null.
const json = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);

if (values.trace) {
  console.log(json({ scenario: state.scenario, ...plainTrace(trace) }));
} else if (values.json) {
  const { simId, seed, params, durationMs, events, truncated, message, hash, summary } = trace;
  console.log(json({ simId, scenario: state.scenario, seed, params, durationMs, events, truncated, message, hash, summary }));
} else {
  console.log(`${sim.title}: ${findScenario(sim, state.scenario)!.title} (seed ${state.seed})`);
  if (trace.message) console.log(`note: ${trace.message}`);
  const width = Math.max(...Object.keys(trace.summary).map((k) => k.length));
  for (const [key, value] of Object.entries(trace.summary)) {
    console.log(`  ${key.padEnd(width)}  ${Number.isFinite(value) ? Math.round(value * 1000) / 1000 : '–'}`);
  }
  console.log(`  ${'events'.padEnd(width)}  ${trace.events}\n  ${'hash'.padEnd(width)}  ${trace.hash}`);
}
