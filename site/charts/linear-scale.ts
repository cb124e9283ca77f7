/**
 * The linear scale the charts need: a value to pixels and back, d3's ticks, and d3's nice domain.
 * It computes exactly what d3-scale's scaleLinear computes for a two-number domain and range
 * (test/charts/linear-scale.test.ts checks it against d3-scale), without the colour and
 * number-format code that scaleLinear brings to every page for the interpolators it never uses here.
 */
import { tickIncrement, ticks } from 'd3-array';

export interface LinearScale {
  (value: number): number;
  invert(px: number): number;
  ticks(count: number): number[];
  range(): [number, number];
}

/** d3-scale's normalize: where x sits between a and b, as a fraction; a domain of one point maps to its middle. */
function normalize(a: number, b: number): (x: number) => number {
  const width = b - a;
  return width ? (x) => (x - a) / width : () => (Number.isNaN(width) ? NaN : 0.5);
}

/** d3-interpolate's interpolateNumber. */
const lerp = (a: number, b: number) => (t: number) => a * (1 - t) + b * t;

/** d3-scale's bimap: from one pair to the other, either way round. */
function bimap([d0, d1]: readonly [number, number], [r0, r1]: readonly [number, number]): (x: number) => number {
  const [t, v] = d1 < d0 ? [normalize(d1, d0), lerp(r1, r0)] : [normalize(d0, d1), lerp(r0, r1)];
  return (x) => v(t(x));
}

export function linearScale(domain: readonly [number, number], range: readonly [number, number]): LinearScale {
  const d: [number, number] = [domain[0], domain[1]];
  const r: [number, number] = [range[0], range[1]];
  const forward = bimap(d, r);
  const backward = bimap(r, d);
  const scale = ((value: number) => forward(value)) as LinearScale;
  scale.invert = (px) => backward(px);
  scale.ticks = (count) => ticks(d[0], d[1], count);
  scale.range = () => [r[0], r[1]];
  return scale;
}

/** d3-scale's `nice(count)`: the domain widened to round tick steps at both ends. */
export function niceDomain(domain: readonly [number, number], count: number): [number, number] {
  let [start, stop] = domain;
  const reversed = stop < start;
  if (reversed) [start, stop] = [stop, start];
  let previous: number | undefined;
  for (let iterations = 0; iterations < 10; iterations++) {
    const step = tickIncrement(start, stop, count);
    if (step === previous) return reversed ? [stop, start] : [start, stop];
    if (step > 0) {
      start = Math.floor(start / step) * step;
      stop = Math.ceil(stop / step) * step;
    } else if (step < 0) {
      start = Math.ceil(start * step) / step;
      stop = Math.floor(stop * step) / step;
    } else break;
    previous = step;
  }
  return [...domain] as [number, number];
}
