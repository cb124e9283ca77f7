/**
 * Which number of a run a <Num> or <Claim> names, written as text so that an article reads
 * it and a test can scan it: `summary.<key>`, `params.<key>` (the run's own input, so a
 * sentence that states a setting cannot disagree with the scenario), `series.<key>.max`,
 * `series.<key>.sum`, or `series.<key>@<t>` (the sample holding t seconds).
 */
import { valueAt, type Trace } from '../../sim/core/index.ts';

export type ValueSpec =
  | { from: 'summary'; key: string }
  | { from: 'params'; key: string }
  | { from: 'series'; key: string; reduce: 'max' | 'sum' }
  | { from: 'series'; key: string; atSec: number };

const FORMS = 'summary.<key>, params.<key>, series.<key>.max, series.<key>.sum or series.<key>@<seconds>';

export function parseValueSpec(text: string): ValueSpec {
  let m = /^(summary|params)\.([A-Za-z_]\w*)$/.exec(text);
  if (m) return { from: m[1] as 'summary' | 'params', key: m[2]! };
  m = /^series\.([A-Za-z_]\w*)\.(max|sum)$/.exec(text);
  if (m) return { from: 'series', key: m[1]!, reduce: m[2] as 'max' | 'sum' };
  m = /^series\.([A-Za-z_]\w*)@(\d+(?:\.\d+)?)$/.exec(text);
  if (m) return { from: 'series', key: m[1]!, atSec: Number(m[2]) };
  throw new Error(`value="${text}" is not one of ${FORMS}`);
}

/** The number a spec names in a trace; an unknown key or a time past the run throws, naming the valid ones. */
export function readValue(trace: Trace, spec: ValueSpec): number {
  if (spec.from === 'summary' || spec.from === 'params') {
    const table = spec.from === 'summary' ? trace.summary : trace.params;
    const value = Object.hasOwn(table, spec.key) ? table[spec.key] : undefined;
    if (typeof value !== 'number') {
      throw new Error(`${spec.from} has no number ${spec.key}; valid: ${Object.keys(table).filter((k) => typeof table[k] === 'number').join(', ')}`);
    }
    return value;
  }
  const series = Object.hasOwn(trace.series, spec.key) ? trace.series[spec.key] : undefined;
  if (!series) throw new Error(`series has no ${spec.key}; valid: ${Object.keys(trace.series).join(', ')}`);
  if ('atSec' in spec) {
    const durationSec = trace.durationMs / 1000;
    if (spec.atSec > durationSec) throw new Error(`series.${spec.key}@${spec.atSec} is past the end of the run (${durationSec} s)`);
    return valueAt(trace, spec.key, spec.atSec);
  }
  let out = spec.reduce === 'max' ? -Infinity : 0;
  for (const v of series) out = spec.reduce === 'max' ? Math.max(out, v) : out + v;
  return out;
}
