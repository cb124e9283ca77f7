/**
 * Range inputs run from 0 to 1000; these map a position to a parameter value
 * and back. Logarithmic specs (backlog -1..65535) get a log scale so that both
 * 16 and 4096 are reachable by hand. A range that starts below zero (listen()
 * takes -1) is shifted to start at 1 first, log(v - min + 1), so -1 and 0 sit at
 * the left end and the rest keeps its log scale. A range from exactly 0 stays
 * linear, as it always has (backup-mx's rates), so no existing slider moves.
 */
import { snapToStep, type NumberParamSpec } from '../../sim/core/params.ts';

export const SLIDER_STEPS = 1000;

/** How far a log scale moves the range so that it starts at 1: only ranges below zero move. */
const logShift = (spec: NumberParamSpec) => (spec.min < 0 ? 1 - spec.min : 0);
const isLog = (spec: NumberParamSpec) => spec.scale === 'log' && spec.min + logShift(spec) > 0;

export function sliderValue(spec: NumberParamSpec, position: number): number {
  const f = Math.min(1, Math.max(0, position / SLIDER_STEPS));
  if (isLog(spec)) {
    const shift = logShift(spec);
    const lo = spec.min + shift;
    return snapToStep(spec, lo * ((spec.max + shift) / lo) ** f - shift);
  }
  return snapToStep(spec, spec.min + (spec.max - spec.min) * f);
}

export function sliderPosition(spec: NumberParamSpec, value: number): number {
  const v = Math.min(spec.max, Math.max(spec.min, value));
  const shift = logShift(spec);
  const f =
    isLog(spec)
      ? Math.log((v + shift) / (spec.min + shift)) / Math.log((spec.max + shift) / (spec.min + shift))
      : (v - spec.min) / (spec.max - spec.min || 1);
  return Math.round(f * SLIDER_STEPS);
}
