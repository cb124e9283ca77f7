import { describe, expect, test } from 'vitest';
import { countEndings } from '../../sim/core/ledger-series.ts';
import { Ledger, SampleLatencies, SeriesRecorder } from '../../sim/core/index.ts';

describe('a ledger wired to the trace', () => {
  test('each ending counts in its outcome’s series in the sample it ended in, and adds its age unless it is the outcome without one', () => {
    const rec = new SeriesRecorder(['won', 'lost'] as const, 3000, 1000);
    const ledger = new Ledger(['won', 'lost'] as const);
    const latencies = new SampleLatencies(rec.count);
    const startMs = [100, 400, 900];
    countEndings(ledger, rec, ['won', 'lost'], { latencies, startMs: (id) => startMs[id]!, without: 1, divisor: 1000 });
    for (let i = 0; i < 3; i++) ledger.open();
    ledger.end(2, 0, 2100);
    ledger.end(0, 1, 2500);
    ledger.end(1, 0, 1400);
    expect(Array.from(rec.get('won'))).toEqual([0, 1, 1]);
    expect(Array.from(rec.get('lost'))).toEqual([0, 0, 1]);
    expect(Array.from(latencies.finish([0.5], [new Float64Array(3)]))).toEqual([1, 1.2]);
  });

  test('a series list that does not match the outcomes is refused', () => {
    const rec = new SeriesRecorder(['a'] as const, 1000, 1000);
    expect(() => countEndings(new Ledger(['a', 'b'] as const), rec, ['a'])).toThrow(/one series per outcome/);
  });
});
