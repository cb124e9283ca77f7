/**
 * Where one scenario's run spends its time and what it allocates, for someone making it faster:
 *   node scripts/profile-scenario.ts <sim-id> <scenario> [runs]
 * After a warm-up, `runs` runs (default 50) under the inspector's CPU profiler, then again under its
 * sampling heap profiler with collected objects included (a run's garbage is the point: numbers
 * boxed at calls that are not inlined, strings joined and dropped). Prints the functions with the
 * most self time and the places that allocate the most per run. Speed itself is `npm run bench`'s.
 */
import { Session } from 'node:inspector/promises';
import { scenarioState } from '../sim/core/index.ts';
import { simulationLoaders } from '../sim/loaders.ts';

interface ProfileNode {
  id?: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[] | ProfileNode[];
  selfSize?: number;
}

const [simId, scenarioId, runsArg] = process.argv.slice(2);
const load = simulationLoaders[simId ?? ''];
const runs = Number(runsArg ?? 50);
if (load === undefined || scenarioId === undefined || !(runs >= 1)) {
  console.error('usage: node scripts/profile-scenario.ts <sim-id> <scenario> [runs]');
  process.exit(2);
}
const sim = await load();
const state = scenarioState(sim, scenarioId);
const run = () => sim.run(state.params, state.seed);
for (let i = 0; i < 30; i++) run();

/** "name file:line", the file as its folder and name. */
const where = (f: ProfileNode['callFrame']) => `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
const top = (totals: Map<string, number>, n: number) => [...totals].sort((a, b) => b[1] - a[1]).slice(0, n);

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
const startMs = performance.now();
for (let i = 0; i < runs; i++) run();
const msPerRun = (performance.now() - startMs) / runs;
const { profile } = await session.post('Profiler.stop');
const ticks = new Map<number, number>();
for (const id of profile.samples ?? []) ticks.set(id, (ticks.get(id) ?? 0) + 1);
const selfTicks = new Map<string, number>();
for (const node of profile.nodes) selfTicks.set(where(node.callFrame), (selfTicks.get(where(node.callFrame)) ?? 0) + (ticks.get(node.id!) ?? 0));
const allTicks = profile.samples?.length ?? 1;
console.log(`${sim.id} / ${scenarioId}: ${msPerRun.toFixed(2)} ms per run under the profiler, ${runs} runs\n\nself time`);
for (const [name, n] of top(selfTicks, 25)) console.log(`${((100 * n) / allTicks).toFixed(1).padStart(6)} %  ${name}`);

await session.post('HeapProfiler.enable');
// Collected objects included: a sampling profile otherwise keeps only what is still alive at the end.
await session.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
for (let i = 0; i < runs; i++) run();
const { profile: heap } = await session.post('HeapProfiler.stopSampling');
const bytes = new Map<string, number>();
const walk = (node: ProfileNode) => {
  bytes.set(where(node.callFrame), (bytes.get(where(node.callFrame)) ?? 0) + (node.selfSize ?? 0));
  for (const child of (node.children ?? []) as ProfileNode[]) walk(child);
};
walk(heap.head as ProfileNode);
const total = [...bytes.values()].reduce((a, b) => a + b, 0);
console.log(`\nallocated, about ${(total / runs / 1e6).toFixed(2)} MB per run (sampled)`);
for (const [name, n] of top(bytes, 15)) console.log(`${(n / runs / 1e6).toFixed(2).padStart(6)} MB  ${name}`);
session.disconnect();
