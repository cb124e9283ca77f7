/**
 * Range inputs run from 0 to 1000; these map a position to a parameter value
 * and back. Logarithmic specs (backlog 1..4096) get a log scale so that both
 * 16 and 4096 are reachable by hand.
 */
import { snapToStep, type NumberParamSpec } from '../../sim/core/params.ts';

export const SLIDER_STEPS = 1000;

export function sliderValue(spec: NumberParamSpec, position: number): number {
  const f = Math.min(1, Math.max(0, position / SLIDER_STEPS));
  if (spec.scale === 'log' && spec.min > 0) {
    return snapToStep(spec, spec.min * (spec.max / spec.min) ** f);
  }
  return snapToStep(spec, spec.min + (spec.max - spec.min) * f);
}

export function sliderPosition(spec: NumberParamSpec, value: number): number {
  const v = Math.min(spec.max, Math.max(spec.min, value));
  const f =
    spec.scale === 'log' && spec.min > 0
      ? Math.log(v / spec.min) / Math.log(spec.max / spec.min)
      : (v - spec.min) / (spec.max - spec.min || 1);
  return Math.round(f * SLIDER_STEPS);
}
