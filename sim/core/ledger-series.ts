/**
 * A ledger wired to the trace, the same way in every model that charts its
 * outcomes: each ending counts once in its outcome's per-sample series, in the
 * sample it ended in, and (optionally) every ending but one outcome adds the
 * entity's age to that sample's latencies.
 */
import type { SampleLatencies } from './latency.ts';
import type { Ledger } from './model.ts';
import type { SeriesRecorder } from './trace.ts';

export interface EndingLatency {
  latencies: SampleLatencies;
  /** When entity `id` started; read at its ending, so a growing table can back it. */
  startMs: (id: number) => number;
  /** The outcome index that has no latency (a time-out, a give-up). */
  without: number;
  /** Latencies are (end − start) / divisor: 1000 to keep them in seconds. */
  divisor: number;
}

/** Sets `ledger.onEnd`; `series[o]` is the series of outcome index o. */
export function countEndings<O extends string, C extends string, K extends string>(
  ledger: Ledger<O, C>,
  rec: SeriesRecorder<K>,
  series: readonly K[],
  latency?: EndingLatency,
): void {
  const counts = series.map((key) => rec.get(key));
  if (series.length !== ledger.outcomes.length) throw new Error('countEndings: one series per outcome');
  ledger.onEnd = latency
    ? (id, outcome, _cls, tMs) => {
        const i = rec.index(tMs);
        counts[outcome]![i]!++;
        if (outcome !== latency.without) latency.latencies.add(i, (tMs - latency.startMs(id)) / latency.divisor);
      }
    : (_id, outcome, _cls, tMs) => {
        counts[outcome]![rec.index(tMs)]!++;
      };
}
