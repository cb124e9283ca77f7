/**
 * A checked figure's value in the words and units a participant reads. A parameter reads as the
 * player's control shows it (a choice by its option's label, a number with the control's unit); a
 * summary figure carries no unit of its own in the model, so the check says how it reads
 * (`reads`, `none`, `optionsOf`). Codes the model uses inside (-1 for "none", 1 for "yes", an
 * index into a list of hosts) never reach the page.
 */
import type { AnySimulation } from '../../sim/core/index.ts';
import { valueWords } from '../player/requests.ts';
import { FORMATS } from '../claims/formats.ts';

/** How a summary figure reads: a count (the default), a duration in milliseconds, a percentage, yes or no, or an identifier (a port, an exit status) that is never grouped. */
export type Reading = 'count' | 'ms' | 'percent' | 'yes-no' | 'id';

export interface FigureRef {
  of: 'param' | 'summary';
  key: string;
  reads?: Reading | undefined;
  /** What -1 means for this figure, in words ("none: ssh is still running"); the models use -1 for "did not happen". */
  none?: string | undefined;
  /** A choice parameter whose list of options the figure indexes (the host reached, as a place in the list of hosts). */
  optionsOf?: string | undefined;
}

const grouped = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const small = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
const plain = new Intl.NumberFormat('en', { useGrouping: false, maximumFractionDigits: 2 });
const msBelowSecond = new Intl.NumberFormat('en', { maximumSignificantDigits: 3 });

const plural = new Intl.PluralRules('en');

/** A unit that is a plural word ("rows", "tokens") for one of it; symbols ("s", "ms") stay as they are. */
function singular(unit: string): string {
  return /^[a-z]{3,}s$/.test(unit) ? unit.slice(0, -1) : unit;
}

function count(v: number): string {
  return (Math.abs(v) < 10 ? small : grouped).format(v);
}

/** Milliseconds as a person reads them: "0.45 ms", "176 ms", and from a second up "63.1 s" (the articles' sec1). */
export function durationWords(ms: number): string {
  // A whole number of seconds reads as "1 s", not "1.0 s".
  return Math.abs(ms) >= 1000 ? FORMATS.sec1.format(ms).replace(/\.0(?=\u00a0s$)/, '') : `${msBelowSecond.format(ms)}\u00a0ms`;
}

/**
 * A number parameter's unit after its value, as the control shows it: "4 h", "10%". A rate's unit
 * ("/s", "/min") is left out because a check's label says the rate in words ("reads per second").
 */
function withUnit(value: number, unit: string): string {
  if (unit === '' || unit.startsWith('/')) return count(value);
  if (unit === '%') return `${count(value)}%`;
  // The one rule for durations, so a timeout reads "1 s" in a goal as a measured time does.
  if (unit === 'ms') return durationWords(value);
  return `${count(value)}\u00a0${plural.select(value) === 'one' ? singular(unit) : unit}`;
}

function paramWords(sim: AnySimulation, key: string, value: number | string): string {
  const spec = sim.params[key];
  if (spec?.kind === 'number' && typeof value === 'number') return withUnit(value, spec.unit);
  if (spec?.kind === 'text') return `“${String(value)}”`;
  return valueWords(sim, key, value);
}

function summaryWords(sim: AnySimulation, ref: FigureRef, value: number): string {
  if (value === -1 && ref.none !== undefined) return ref.none;
  if (ref.optionsOf !== undefined) {
    const spec = sim.params[ref.optionsOf];
    const options = spec?.kind === 'choice' ? spec.options : [];
    return options[value]?.label ?? ref.none ?? 'none';
  }
  switch (ref.reads ?? 'count') {
    case 'ms':
      return durationWords(value);
    case 'percent':
      return FORMATS.pct1.format(value).replace('.0%', '%');
    case 'yes-no':
      return value === 1 ? 'yes' : value === 0 ? 'no' : count(value);
    case 'id':
      return plain.format(value);
    case 'count':
      return count(value);
  }
}

/** The figure's value in words; "missing" or "not measured" when the run has no such number. */
export function figureWords(sim: AnySimulation, ref: FigureRef, value: number | string | undefined): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'number' && !Number.isFinite(value)) return 'not measured';
  if (ref.of === 'param') return paramWords(sim, ref.key, value);
  return typeof value === 'string' ? value : summaryWords(sim, ref, value);
}

/** Whether the value reads as a word ("desktop1", "yes") rather than a quantity, so "exactly" would read oddly before it. */
export function readsAsWord(sim: AnySimulation, ref: FigureRef, value: number | string): boolean {
  if (ref.of === 'param' && sim.params[ref.key]?.kind === 'choice') return true;
  return !/^[\d-]/.test(figureWords(sim, ref, value));
}
