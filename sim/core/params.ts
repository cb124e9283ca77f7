/**
 * Parameter specifications: one description per knob that drives the sliders,
 * the URL codec, the command-line runner and validation alike.
 */

export interface NumberParamSpec {
  kind: 'number';
  label: string;
  /** Shown after the value; also the unit carried by the key's name where it has one. */
  unit: string;
  min: number;
  max: number;
  step: number;
  default: number;
  help: string;
  /** Shown on a logarithmic slider when the range spans orders of magnitude. */
  scale?: 'linear' | 'log';
}

export interface ChoiceParamSpec<V extends string | number = string | number> {
  kind: 'choice';
  label: string;
  options: readonly { value: V; label: string }[];
  default: V;
  help: string;
}

/** A switch, off by default: 0 and 1 keep URLs short and let a model test it as a number. */
export function onOffParam(label: string, help: string): ChoiceParamSpec<number> {
  return { kind: 'choice', label, options: [{ value: 0, label: 'off' }, { value: 1, label: 'on' }], default: 0, help };
}

/**
 * Free text, such as a command line the reader types. Any text is a valid
 * value (the simulation itself answers a bad command, as the real program
 * would); the codec only keeps it on one line and within a length.
 */
export interface TextParamSpec {
  kind: 'text';
  label: string;
  default: string;
  maxLength: number;
  help: string;
  /** Shown in the empty field. */
  placeholder?: string;
}

export type ParamSpec = NumberParamSpec | ChoiceParamSpec | TextParamSpec;
export type ParamValue = string | number;
export type ParamValues = Record<string, ParamValue>;
export type ParamSpecs<P extends ParamValues> = { [K in keyof P]: ParamSpec };

export interface Normalized<V> {
  value: V;
  /** Why the value differs from what was asked for, in words for the page; absent when it was taken as is. */
  problem?: string;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Digits after the point needed to show a step exactly (0.25 -> 2). */
export function stepDecimals(step: number): number {
  const text = String(step);
  const e = text.indexOf('e-');
  if (e >= 0) return Number(text.slice(e + 2));
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** Puts a number on the spec's grid (min + k * step) inside [min, max]. */
export function snapToStep(spec: NumberParamSpec, value: number): number {
  const clamped = Math.min(spec.max, Math.max(spec.min, value));
  const k = Math.round((clamped - spec.min) / spec.step);
  const snapped = Math.min(spec.max, spec.min + k * spec.step);
  return Number(snapped.toFixed(stepDecimals(spec.step)));
}

/**
 * Turns anything (a URL string, a CLI string, a number from a slider) into a
 * valid value. Never throws: bad input falls back to `fallback`, out-of-range
 * input is clamped, and `problem` says which happened.
 */
export function normalizeParam(
  key: string,
  spec: ParamSpec,
  raw: unknown,
  fallback: ParamValue,
): Normalized<ParamValue> {
  const shown = describeRaw(raw);
  if (spec.kind === 'text') return normalizeText(key, spec, raw);
  if (spec.kind === 'choice') {
    const match = spec.options.find((o) => String(o.value) === String(raw).trim());
    if (match) return { value: match.value };
    const valid = spec.options.map((o) => String(o.value)).join(', ');
    return { value: fallback, problem: `${key}=${shown} is not one of ${valid}; using ${fallback}` };
  }
  let n: number;
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'string' && DECIMAL.test(raw.trim())) n = Number(raw.trim());
  else n = NaN;
  if (!Number.isFinite(n)) {
    return { value: fallback, problem: `${key}=${shown} is not a number; using ${fallback}` };
  }
  const value = snapToStep(spec, n);
  if (n < spec.min || n > spec.max) {
    return { value, problem: `${key}=${shown} is outside ${spec.min}..${spec.max} ${spec.unit}; using ${value}`.replace(/ ;/, ';') };
  }
  if (value !== n) return { value, problem: `${key}=${shown} rounded to the step of ${spec.step}: ${value}` };
  return { value };
}

/** One line, no control characters (a pasted newline becomes a space), at most maxLength characters. */
function normalizeText(key: string, spec: TextParamSpec, raw: unknown): Normalized<string> {
  const text = (typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : String(raw)).replace(/[\u0000-\u001f\u007f]/g, ' ');
  if (text.length > spec.maxLength) {
    return { value: text.slice(0, spec.maxLength), problem: `${key} is longer than ${spec.maxLength} characters; the rest was cut` };
  }
  return { value: text };
}

export function defaultParams<P extends ParamValues>(specs: ParamSpecs<P>): P {
  const out: ParamValues = {};
  for (const key of Object.keys(specs)) out[key] = specs[key as keyof P].default;
  return out as P;
}

/** Validates a whole parameter object (e.g. a scenario), collecting every problem. */
export function normalizeParams<P extends ParamValues>(
  specs: ParamSpecs<P>,
  input: Partial<Record<string, unknown>>,
  base: P = defaultParams(specs),
): { params: P; problems: string[] } {
  const params: ParamValues = { ...base };
  const problems: string[] = [];
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(specs, key)) {
      problems.push(`unknown parameter ${key}`);
      continue;
    }
    const result = normalizeParam(key, specs[key as keyof P], input[key], base[key as keyof P] as ParamValue);
    params[key] = result.value;
    if (result.problem) problems.push(result.problem);
  }
  return { params: params as P, problems };
}

function describeRaw(raw: unknown): string {
  const text = typeof raw === 'string' ? raw : String(raw);
  const clipped = text.length > 24 ? `${text.slice(0, 24)}…` : text;
  return JSON.stringify(clipped);
}
