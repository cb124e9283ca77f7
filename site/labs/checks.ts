/**
 * A lab exercise's goal as data: checks on the reader's parameters and on the
 * run's summary, evaluated against what the simulation computed for their
 * current settings. Pure, so the page, the build and the tests share it.
 */

export type Comparison = '==' | '!=' | '<' | '<=' | '>' | '>=';

export interface Check {
  of: 'param' | 'summary';
  key: string;
  /** How the figure is named to the reader ("accept-queue overflows (ListenOverflows)"). */
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
  '==': 'exactly',
  '!=': 'anything but',
  '<': 'less than',
  '<=': 'at most',
  '>': 'more than',
  '>=': 'at least',
};

export function describeCheck(check: Check): string {
  return `${check.label}: ${WORDS[check.is]} ${show(check.value)}`;
}

function show(v: number | string | undefined): string {
  if (v === undefined) return 'missing';
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return 'not measured';
  return Number.isInteger(v) ? String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : v.toFixed(v < 10 ? 2 : 1);
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
  checks: readonly Check[],
  params: Readonly<Record<string, number | string>>,
  summary: Readonly<Record<string, number>>,
): { pass: boolean; results: CheckResult[] } {
  const results = checks.map((check) => {
    const actual = check.of === 'param' ? params[check.key] : summary[check.key];
    const ok = compare(actual, check.is, check.value);
    const message = ok ? '' : `${check.label} is ${show(actual)}; the goal is ${WORDS[check.is]} ${show(check.value)}.`;
    return { check, actual, ok, message };
  });
  return { pass: results.every((r) => r.ok), results };
}
