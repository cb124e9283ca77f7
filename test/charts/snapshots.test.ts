/**
 * What the chart renderers draw, as files to review: hand-made series for the
 * time chart, every machine of every lesson for the state diagram, and a real
 * SSH scenario's scene for the network map. A change to a drawing fails here
 * and leaves `<name>-changed.svg` beside the committed file (see snapshot.ts).
 */
import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeMachine, scenarioState } from '../../sim/core/index.ts';
import { simulations } from '../../sim/index.ts';
import { sshForwarding } from '../../sim/ssh-forwarding/index.ts';
import { renderTimeChart, type TimeChartOptions } from '../../site/charts/time-chart.ts';
import { renderStateDiagram } from '../../site/charts/state-diagram.ts';
import { networkMap } from '../../site/pictures/network-map.ts';
import { expectSnapshot, normaliseIds } from './snapshot.ts';

/** 60 one-second samples: a queue that fills to a limit, holds, and drains; arrivals in bursts; a gap where nothing was measured. */
const sampleSec = 1;
const queue = Array.from({ length: 60 }, (_, i) => (i < 20 ? i * 3 : i < 40 ? 60 : Math.max(0, 60 - (i - 40) * 4)));
const arrivals = Array.from({ length: 60 }, (_, i) => (i % 10 < 3 ? 45 : 12) + (i % 7));
const latencyMs = Array.from({ length: 60 }, (_, i) => (i >= 25 && i < 30 ? Number.NaN : 20 + (i % 5) * 6));
const outage = Array.from({ length: 60 }, (_, i) => (i >= 15 && i < 27 ? 1 : i >= 50 && i < 54 ? 1 : 0));

const base: TimeChartOptions = {
  width: 600,
  height: 220,
  sampleSec,
  durationSec: 60,
  cursorSec: 33,
  unit: 'requests',
  id: 'tc',
  title: 'Queue and arrivals',
  description: 'The queue fills to its limit, holds while arrivals come in bursts, then drains.',
};

describe('time chart snapshots', () => {
  test('two series with a limit and outage bands, the cursor mid-run', () => {
    const svg = renderTimeChart(
      [{ label: 'queue', values: queue }, { label: 'arrivals/s', values: arrivals }],
      { ...base, limits: [{ value: 60, label: 'backlog' }, { value: 60, label: 'somaxconn' }], bands: [{ label: 'primary down', values: outage }] },
    );
    expectSnapshot('time-chart-limit-bands', svg);
  });

  test('a series with a gap, as built (static frame, cursor at the end, hours on the x axis)', () => {
    const svg = renderTimeChart([{ label: 'latency', values: latencyMs }], { ...base, unit: 'ms', cursorSec: 60, staticFrame: true, timeUnit: 'h' });
    expectSnapshot('time-chart-gap-static', svg);
  });

  test('a short chart with a fixed top and fractions on the y axis', () => {
    const fractions = queue.map((v) => v / 600);
    const svg = renderTimeChart(
      [{ label: 'a', values: fractions }, { label: 'b', values: fractions.map((v) => v / 2) }, { label: 'c', values: fractions.map((v) => v / 3) }, { label: 'd', values: fractions.map((v) => v / 4) }, { label: 'e', values: fractions.map((v) => v / 5) }, { label: 'f', values: fractions.map((v) => v / 6) }],
      { ...base, height: 120, width: 320, yMax: 0.12, unit: 'fraction', cursorSec: 0 },
    );
    expectSnapshot('time-chart-short-fractions', svg);
  });
});

const machines = Object.values(simulations).flatMap((sim) =>
  Object.entries(sim.machines).map(([key, machine]) => [`${sim.id}-${key}`, describeMachine(machine)] as const),
);

const layouts = [['wide', false], ['narrow', true]] as const;
const diagramCases = machines.flatMap(([name, info]) => layouts.map(([layout, vertical]) => [name, layout, info, vertical] as const));

describe('state diagram snapshots: every machine of every lesson', () => {
  test.each(diagramCases)('%s, %s, some states lit', (name, layout, info, vertical) => {
    // Every third state empty, so lit and unlit boxes and edges both show.
    const counts = Object.fromEntries(info.states.map((s, i) => [s.id, i % 3 === 2 ? 0 : (i + 1) * 7]));
    const svg = renderStateDiagram(info, { id: `diagram-${name}`, title: info.id, vertical, counts });
    expectSnapshot(`state-diagram-${name}${vertical ? '-narrow' : ''}`, svg);
  });
});

/** A real scene at a step found by what it logged (the scene has a frame per log line), not by its number. */
function sceneAt(scenario: string, kind: string) {
  const state = scenarioState(sshForwarding, scenario);
  const trace = sshForwarding.run(state.params, state.seed);
  return { trace, index: trace.log.findIndex((l) => l.kind === kind) };
}

const mapCases = [
  ['vnc-desktop2-via-desktop1', 'relay'],
  ['destination-refused', 'open-failed'],
] as const;

describe('network map snapshots: real SSH scenes', () => {
  test.each(mapCases.flatMap(([scenario, kind]) => layouts.map(([layout, vertical]) => [scenario, kind, layout, vertical] as const)))(
    '%s at its %s step, %s',
    (scenario, kind, _layout, vertical) => {
      const { trace, index } = sceneAt(scenario, kind);
      expect(index, `${scenario} logs ${kind}`).toBeGreaterThan(0);
      expectSnapshot(`network-map-${scenario}${vertical ? '-narrow' : ''}`, networkMap.render(trace, index, { id: 'picture-ssh-forwarding', title: sshForwarding.view.picture!.title, vertical }));
    },
  );

  test.each(mapCases)('%s at its %s step, in words', (scenario, kind) => {
    const { trace, index } = sceneAt(scenario, kind);
    expect(index, `${scenario} logs ${kind}`).toBeGreaterThan(0);
    expectSnapshot(`network-map-${scenario}-words`, `<p>${networkMap.words(trace, index)}</p>`, 'html');
  });
});

describe('the snapshot check itself', () => {
  test('a changed drawing fails, naming both files, and leaves the -changed file beside the committed one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'opslab-snapshot-'));
    expect(() => expectSnapshot('probe', '<svg><rect width="1"/></svg>', 'svg', dir)).toThrow(/no snapshot .*probe\.svg yet/);
    expect(() => expectSnapshot('probe', '<svg><rect width="1"/></svg>', 'svg', dir)).not.toThrow();
    expect(() => expectSnapshot('probe', '<svg><rect width="2"/></svg>', 'svg', dir)).toThrow(
      `probe.svg changed: compare ${join(dir, 'probe.svg')} (committed) with ${join(dir, 'probe-changed.svg')} (this run)`,
    );
    expect(readFileSync(join(dir, 'probe-changed.svg'), 'utf8')).toContain('width="2"');
    // Once the drawing matches again, the stale -changed file goes.
    expectSnapshot('probe', '<svg><rect width="1"/></svg>', 'svg', dir);
    expect(existsSync(join(dir, 'probe-changed.svg'))).toBe(false);
  });

  test('ids are renumbered everywhere they are referred to, and nothing else is touched', () => {
    const svg = '<svg aria-labelledby="m-title m-desc"><title id="m-title">m</title><desc id="m-desc">the m map</desc><marker id="m"/><path marker-end="url(#m)"/></svg>';
    expect(normaliseIds(svg)).toBe(
      '<svg aria-labelledby="chart-0 chart-1"><title id="chart-0">m</title><desc id="chart-1">the m map</desc><marker id="chart-2"/><path marker-end="url(#chart-2)"/></svg>',
    );
  });

  test('every -changed file is ignored by git', () => {
    const ignored = (path: string) => spawnSync('git', ['check-ignore', '-q', path]).status === 0;
    expect(ignored('test/charts/output/state-diagram-syn-queue-connectionRequest-changed.svg')).toBe(true);
    expect(ignored('test/charts/output/network-map-port-in-use-words-changed.html')).toBe(true);
    expect(ignored('test/charts/output/state-diagram-syn-queue-connectionRequest.svg')).toBe(false);
  });
});
