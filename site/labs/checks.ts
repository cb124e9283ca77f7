/**
 * A lab exercise's goal as data: checks on the reader's parameters and on the
 * run's summary, evaluated against what the simulation computed for their
 * current settings. Pure, so the page, the build and the tests share it.
 */
import type { AnySimulation } from '../../sim/core/index.ts';
import { figureWords, readsAsWord, type FigureRef } from './figure-words.ts';

export type Comparison = '==' | '!=' | '<' | '<=' | '>' | '>=';

export interface Check extends FigureRef {
  /** How the figure is named to the reader ("accept-queue overflows (ListenOverflows)"), without a unit: the value carries it. */
  label: string;
  is: Comparison;
  value: number | string;
}

export interface CheckResult {
  check: Check;
  actual: number | string | undefined;
  ok: boolean;
  /** In words, when it failed: which number missed, and what it should be. */
  message: string;
}

const WORDS: Record<Comparison, string> = {
  '==': 'exactly ',
  '!=': 'anything but ',
  '<': 'less than ',
  '<=': 'at most ',
  '>': 'more than ',
  '>=': 'at least ',
};

/** The goal in words: "at most 1 ms", "desktop1" (a name needs no "exactly"). */
function goalWords(sim: AnySimulation, check: Check): string {
  const comparison = check.is === '==' && readsAsWord(sim, check, check.value) ? '' : WORDS[check.is];
  return `${comparison}${figureWords(sim, check, check.value)}`;
}

export function describeCheck(sim: AnySimulation, check: Check): string {
  return `${check.label}: ${goalWords(sim, check)}`;
}

/** What a run that misses the check is told: the figure, its value in this run, and the goal. */
export function missMessage(sim: AnySimulation, check: Check, actual: number | string | undefined): string {
  return `${check.label}: ${figureWords(sim, check, actual)}; the goal is ${goalWords(sim, check)}.`;
}

function compare(actual: number | string | undefined, is: Comparison, value: number | string): boolean {
  if (actual === undefined) return false;
  if (typeof actual === 'string' || typeof value === 'string') {
    return is === '==' ? String(actual) === String(value) : is === '!=' ? String(actual) !== String(value) : false;
  }
  if (!Number.isFinite(actual)) return false;
  switch (is) {
    case '==': return actual === value;
    case '!=': return actual !== value;
    case '<': return actual < value;
    case '<=': return actual <= value;
    case '>': return actual > value;
    case '>=': return actual >= value;
  }
}

export function evaluate(
  sim: AnySimulation,
  checks: readonly Check[],
  params: Readonly<Record<string, number | string>>,
  summary: Readonly<Record<string, number>>,
): { pass: boolean; results: CheckResult[] } {
  const results = checks.map((check) => {
    const actual = check.of === 'param' ? params[check.key] : summary[check.key];
    const ok = compare(actual, check.is, check.value);
    return { check, actual, ok, message: ok ? '' : missMessage(sim, check, actual) };
  });
  return { pass: results.every((r) => r.ok), results };
}
