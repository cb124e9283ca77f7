/**
 * Latencies grouped by the sample they ended in: per-sample percentiles for
 * the charts and the whole run's for the summary, computed one way for every
 * model (nearest rank, as `percentile` does).
 *
 * A busy run ends a few hundred thousand requests, so the values go into two
 * growing typed columns (sample, value) rather than an array per sample, and
 * quantiles are picked by selection (sim/core/stats.ts selectKth) rather than
 * by sorting. A latency is an age (end − start, ≥ 0, never −0 or NaN), so the
 * value at a rank is the one a sort by `(a, b) => a - b` puts there.
 */
import { doubled } from './typed-arrays.ts';
import { rankIndex, selectKth } from './stats.ts';

export class SampleLatencies {
  private readonly sampleCount: number;
  private sampleOf: Int32Array;
  private valueOf: Float64Array;
  private n = 0;

  /** `expected`: latencies the run is likely to add; room for them from the start saves copies as the columns grow. */
  constructor(sampleCount: number, expected = 1024) {
    this.sampleCount = sampleCount;
    this.sampleOf = new Int32Array(Math.max(16, expected));
    this.valueOf = new Float64Array(Math.max(16, expected));
  }

  add(sample: number, value: number): void {
    if (this.n === this.valueOf.length) {
      this.sampleOf = doubled(this.sampleOf);
      this.valueOf = doubled(this.valueOf);
    }
    this.sampleOf[this.n] = sample;
    this.valueOf[this.n] = value;
    this.n++;
  }

  /**
   * Writes each sample's q-quantiles into `series` (one array per entry of `qs`), each value divided by
   * `divisor` (1000 to chart milliseconds as seconds), and returns every latency of the run in ascending order.
   */
  finish(qs: readonly number[], series: readonly Float64Array[], divisor = 1): Float64Array {
    return this.perSample(qs, series, divisor).sort();
  }

  /**
   * As `finish`, but returns only the whole run's q-quantiles (undivided), one per entry of `qs`: what
   * a summary needs, found by selection instead of sorting every latency of the run (NaN for none).
   */
  finishQuantiles(qs: readonly number[], series: readonly Float64Array[], divisor = 1): number[] {
    const all = this.perSample(qs, series, divisor);
    return qs.map((q) => (all.length === 0 ? NaN : selectKth(all, rankIndex(all.length, q))));
  }

  /**
   * Fills the per-sample series and returns the run's values grouped by sample, in no useful order.
   * Each sample's quantiles are found by selection within its group: a sort per sample cost
   * O(n log n) where two selections cost O(n).
   */
  private perSample(qs: readonly number[], series: readonly Float64Array[], divisor: number): Float64Array {
    const n = this.n;
    // Group the values by sample (a counting sort): sample s holds grouped[start[s] .. start[s + 1]).
    const start = new Int32Array(this.sampleCount + 1);
    for (let i = 0; i < n; i++) start[this.sampleOf[i]! + 1]!++;
    for (let s = 0; s < this.sampleCount; s++) start[s + 1]! += start[s]!;
    const fill = start.slice(0, this.sampleCount);
    const grouped = new Float64Array(n);
    for (let i = 0; i < n; i++) grouped[fill[this.sampleOf[i]!]!++] = this.valueOf[i]!;
    for (let s = 0; s < this.sampleCount; s++) {
      const lo = start[s]!;
      const hi = start[s + 1]!;
      for (let k = 0; k < qs.length; k++) {
        series[k]![s] = hi === lo ? NaN : selectKth(grouped, lo + rankIndex(hi - lo, qs[k]!), lo, hi) / divisor;
      }
    }
    return grouped;
  }
}
