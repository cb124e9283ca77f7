/**
 * A player may start from the run the build recorded in its page (site/player/recorded-run.ts):
 * read back, it must be the very run the model gives, and the simulation described there must
 * describe the lesson as the model does; any other state is run on the model, never on the record.
 */
import { expect, test } from 'vitest';
import { decodeState, encodeState, scenarioState, type AnySimulation, type Trace } from '../../sim/core/index.ts';
import { backupMx } from '../../sim/backup-mx/index.ts';
import { simulations } from '../../sim/index.ts';
import { sshForwarding } from '../../sim/ssh-forwarding/index.ts';
import { synQueue } from '../../sim/syn-queue/index.ts';
import { machineInfo } from '../../site/panels/diagram.ts';
import { describedSimulation, parseRecordedTrace, recordedRunHtml, recordSimulation, recordTrace } from '../../site/player/recorded-run.ts';
import { rememberRun, SimRunner } from '../../site/player/runner.ts';

const run = (sim: AnySimulation, index = 0) => {
  const state = scenarioState(sim, sim.scenarios[index]!.id);
  return { state, trace: sim.run(state.params, state.seed) };
};
const recorded = (sim: AnySimulation, traces: Trace[]) => {
  const known = traces.map((t) => parseRecordedTrace(recordTrace(t)!));
  return { sim: describedSimulation(recordSimulation(sim)!, known), known };
};

test('the SSH walk\'s first run, recorded and read back, is the model\'s run to the last sample, with the same description and diagram', () => {
  const { state, trace } = run(sshForwarding);
  const { sim, known } = recorded(sshForwarding, [trace]);
  expect(known[0]).toEqual(trace);
  expect(Object.values(known[0]!.series).every((s) => s instanceof Float64Array)).toBe(true);
  expect(sim.run(state.params, state.seed)).toBe(known[0]);
  expect(sim.durationSec(state.params)).toBe(sshForwarding.durationSec(state.params));
  const { run: _r, durationSec: _d, machines: _m, ...description } = sshForwarding;
  expect(sim).toMatchObject(JSON.parse(JSON.stringify(description)));
  expect(machineInfo(sim)).toEqual(machineInfo(sshForwarding));
  // The URL codec reads and writes states the same through either.
  expect(encodeState(sim, state)).toBe(encodeState(sshForwarding, state));
  expect(decodeState(sim, '?scenario=port-in-use&laptopVnc=1')).toEqual(decodeState(sshForwarding, '?scenario=port-in-use&laptopVnc=1'));
});

test('a state the page did not record is refused by the description, not answered wrongly', () => {
  const { state, trace } = run(sshForwarding);
  const { sim } = recorded(sshForwarding, [trace]);
  const other = run(sshForwarding, 1).state;
  expect(() => sim.run(other.params, other.seed)).toThrow(/only the runs recorded in this page/);
  expect(() => sim.run(state.params, state.seed + 1)).toThrow(/only the runs recorded in this page/);
  expect(() => sim.durationSec(other.params)).toThrow(/only the runs recorded in this page/);
});

test('a lesson JSON cannot carry (backup MX\'s wall clock is a function) and a long run (syn-queue\'s first) are not recorded', () => {
  expect(recordSimulation(backupMx)).toBeNull();
  expect(recordedRunHtml(backupMx, run(backupMx).trace, {})).toBe('');
  expect(recordTrace(run(synQueue).trace)).toBeNull();
  expect(recordedRunHtml(synQueue, run(synQueue).trace, {})).toBe('');
});

test('a page carries the description once, with its first recorded run, and a trace beside every player', () => {
  const page = {};
  const first = recordedRunHtml(sshForwarding, run(sshForwarding).trace, page);
  const second = recordedRunHtml(sshForwarding, run(sshForwarding, 1).trace, page);
  expect(first.match(/data-role="recorded-simulation"/g)).toHaveLength(1);
  expect(second).not.toContain('recorded-simulation');
  expect(second.match(/data-role="recorded-run"/g)).toHaveLength(1);
  expect(recordedRunHtml(sshForwarding, run(sshForwarding).trace, {})).toContain('recorded-simulation');
});

test('no recorded JSON holds a "<", so no text in a run can close its <script> element', () => {
  for (const sim of Object.values(simulations)) {
    for (const json of [recordSimulation(sim), recordTrace(run(sim).trace)]) if (json) expect(json).not.toContain('<');
  }
});

test('a runner starting from a record answers the recorded state without loading the model, and loads it once for other states', async () => {
  const { state, trace } = run(sshForwarding);
  const { sim, known } = recorded(sshForwarding, [trace]);
  let loads = 0;
  const runner = new SimRunner(sim, () => {}, async () => (loads++, sshForwarding));
  rememberRun(sim.id, known[0]!);
  const first = await runner.run({ scenario: state.scenario, seed: state.seed, params: state.params });
  expect(first!.trace).toBe(known[0]);
  expect(loads).toBe(0);
  const other = run(sshForwarding, 1).state;
  const second = await runner.run({ scenario: other.scenario, seed: other.seed, params: other.params });
  expect(second!.trace.hash).toBe(sshForwarding.run(other.params, other.seed).hash);
  await runner.run({ scenario: other.scenario, seed: other.seed + 1, params: other.params });
  expect(loads).toBe(1);
});
