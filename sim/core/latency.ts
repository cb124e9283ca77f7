/**
 * Latencies grouped by the sample they ended in: per-sample percentiles for
 * the charts and the whole run's for the summary, computed one way for every
 * model (nearest rank, as `percentile` does).
 */
import { percentile } from './stats.ts';

export class SampleLatencies {
  private readonly bySample: number[][];

  constructor(sampleCount: number) {
    this.bySample = Array.from({ length: sampleCount }, () => []);
  }

  add(sample: number, value: number): void {
    this.bySample[sample]!.push(value);
  }

  /**
   * Writes each sample's q-quantiles into `series` (one array per entry of `qs`), each value divided by
   * `divisor` (1000 to chart milliseconds as seconds), and returns every latency of the run in ascending order.
   */
  finish(qs: readonly number[], series: readonly Float64Array[], divisor = 1): number[] {
    const all: number[] = [];
    for (let i = 0; i < this.bySample.length; i++) {
      const sorted = this.bySample[i]!.sort((a, b) => a - b);
      for (let k = 0; k < qs.length; k++) series[k]![i] = percentile(sorted, qs[k]!) / divisor;
      for (const v of sorted) all.push(v);
    }
    return all.sort((a, b) => a - b);
  }
}
