/**
 * npm run sim -- <sim-id> [--scenario NAME] [--seed N] [--set key=value ...] [--json] [--trace]
 *   [--export gif [--from S --to S --fps N --speed X --width PX --panels picture,chart:ID --theme light|projector --out FILE]]
 *
 * Runs a simulation headless and prints its summary (JSON with --json, the
 * whole trace with --trace), or writes a stretch of it as an animated GIF
 * (--export gif: the page's "Export animation", see scripts/export-gif.ts). Any bad input (an unknown simulation, scenario or
 * parameter, or a value out of range) prints one line naming the valid choices
 * and exits with code 2. Unlike the page, the runner does not clamp: a script
 * should fail loudly rather than run something it did not ask for.
 */
import { parseArgs } from 'node:util';
import { findScenario, MAX_SEED, normalizeParam, parseSeed, scenarioState, type AnySimulation, type Trace } from '../sim/core/index.ts';
import { getSimulation, simulations } from '../sim/index.ts';
import type { AnimationRequest } from '../site/export/animation-options.ts';

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
        export: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        fps: { type: 'string' },
        speed: { type: 'string' },
        width: { type: 'string' },
        panels: { type: 'string' },
        theme: { type: 'string' },
        out: { type: 'string' },
      },
    });
  } catch (error) {
    fail(`${(error as Error).message}; usage: npm run sim -- <sim-id> [--scenario NAME] [--seed N] [--set key=value ...] [--json] [--trace]`);
  }
}

const { values, positionals } = parse();
const EXPORT_ONLY = ['from', 'to', 'fps', 'speed', 'width', 'panels', 'theme', 'out'] as const;
const ids = Object.keys(simulations).join(', ');
if (values.help || positionals.length === 0) {
  console.log(
    `usage: npm run sim -- <sim-id> [--scenario NAME] [--seed N] [--set key=value ...] [--json] [--trace]\n` +
      `       npm run sim -- <sim-id> [...] --export gif [--from S] [--to S] [--fps N] [--speed X] [--width PX] [--panels picture,chart:ID] [--theme light|projector] [--out FILE]\n` +
      `simulations: ${ids}`,
  );
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

if (values.export === undefined) {
  const stray = EXPORT_ONLY.filter((k) => values[k] !== undefined);
  if (stray.length > 0) fail(`--${stray[0]} goes with --export gif`);
} else {
  if (values.export !== 'gif') fail(`--export takes gif; got ${JSON.stringify(values.export)}`);
  await writeGif(trace);
  process.exit(0);
}

/** A number option, or the default when absent; anything else is a failure naming the option. */
function numberOption(name: (typeof EXPORT_ONLY)[number]): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) fail(`--${name} wants a number; got ${JSON.stringify(raw)}`);
  return n;
}

async function writeGif(trace: Trace): Promise<void> {
  const { animationRequest, frameTimes } = await import('../site/export/animation-options.ts');
  const { exportGif } = await import('./export-gif.ts');
  const { viewQuery } = await import('../site/player/sharing.ts');
  const { figureFileName } = await import('../site/panels/chart-export.ts');
  const theme = values.theme;
  if (theme !== undefined && theme !== 'light' && theme !== 'projector') fail(`--theme takes light or projector; got ${JSON.stringify(theme)}`);
  const asked: Partial<AnimationRequest> = {
    ...(values.panels !== undefined ? { panels: values.panels.split(',').map((p) => p.trim()).filter(Boolean) } : {}),
    ...(theme === 'light' || theme === 'projector' ? { theme } : {}),
  };
  const numbers = { fromSec: numberOption('from'), toSec: numberOption('to'), framesPerSec: numberOption('fps'), speed: numberOption('speed'), widthPx: numberOption('width') };
  for (const [k, v] of Object.entries(numbers)) if (v !== undefined) Object.assign(asked, { [k]: v });
  const { request, problems } = animationRequest(sim, trace.durationMs / 1000, asked);
  if (problems.length > 0) fail(problems.join('; '));
  // The caption: the article's workbench in this state at the export's first moment, as the page's "Copy link" writes it.
  const query = viewQuery(sim, { ...state, tSec: request.fromSec }, null);
  const link = `${(process.env.OPSLAB_SITE ?? '').replace(/\/$/, '')}/articles/${sim.id}/?${query}#sim`;
  const out = values.out ?? figureFileName(sim.id, state.scenario, request.fromSec, `to-${Math.round(request.toSec)}s`, 'gif');
  const total = frameTimes(request).length;
  let shown = -1;
  const bytes = await exportGif(sim, trace, findScenario(sim, state.scenario)!.title, request, link, (done) => {
    const pct = Math.floor((done / total) * 10) * 10;
    if (pct !== shown && process.stderr.isTTY) process.stderr.write(`\r${done}/${total} frames`);
    shown = pct;
  });
  const { writeFileSync } = await import('node:fs');
  const { createHash } = await import('node:crypto');
  writeFileSync(out, bytes);
  if (process.stderr.isTTY) process.stderr.write('\n');
  console.log(`${out}: ${total} frames, ${request.widthPx} px wide, ${bytes.length} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex')}`);
}

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
