import { expect, test } from 'vitest';
import { finishTrace } from '../../sim/core/index.ts';
import { chartValues } from '../../site/panels/chart.ts';

test('a chart series can draw the running total of a per-sample count, skipping gaps', () => {
  const trace = finishTrace({
    simId: 't', seed: 1, params: {}, durationMs: 4000, sampleMs: 1000,
    series: { n: new Float64Array([1, 2, NaN, 3]) },
    log: [], logSuppressed: 0, summary: {}, events: 0, truncated: false,
  });
  expect([...chartValues(trace, { key: 'n', label: 'n' })]).toEqual([1, 2, NaN, 3]);
  expect([...chartValues(trace, { key: 'n', label: 'n', runningTotal: true })]).toEqual([1, 3, 3, 6]);
});
