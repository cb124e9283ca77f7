/**
 * What <Num> and <Claim> compute, with no Astro in it: the same functions run in the build
 * (the components) and in the tests (which read the MDX as text), so both agree on every number.
 */
import { formatNumber } from './formats.ts';
import { traceOf, type SimLookup, type StateRef } from './runs.ts';
import { parseValueSpec, readValue } from './value-spec.ts';

export interface NumProps extends StateRef {
  value: string;
  format?: string;
  round?: 'about';
}

export const COMPARISONS = ['<', '<=', '>', '>=', '==', 'between'] as const;
export type Comparison = (typeof COMPARISONS)[number];

export interface ClaimProps extends NumProps {
  is: Comparison;
  than?: number;
  min?: number;
  max?: number;
}

/** Where a <Num> or <Claim> sits, for messages: `content/articles/x.mdx:57`. */
export interface SourceLine {
  file: string;
  line: number;
}

/** The source's name in data attributes and messages: `cache-stampede/herd{singleFlight:1}:summary.dbQueries`. */
export function sourceName(props: NumProps): string {
  const set = props.set && Object.keys(props.set).length > 0
    ? `{${Object.entries(props.set).map(([k, v]) => `${k}:${v}`).join(',')}}`
    : '';
  return `${props.sim}/${props.scenario}${set}:${props.value}`;
}

export function numValue(lookup: SimLookup, props: NumProps): number {
  return readValue(traceOf(lookup, props), parseValueSpec(props.value));
}

export function renderNum(lookup: SimLookup, props: NumProps): { value: number; text: string } {
  const value = numValue(lookup, props);
  return { value, text: formatNumber(value, props.format, props.round) };
}

/** The expectation in words, as the error shows it: `> 100`, `between 1 and 2`. */
export function expectation(claim: Pick<ClaimProps, 'is' | 'than' | 'min' | 'max'>): string {
  return claim.is === 'between' ? `between ${claim.min} and ${claim.max}` : `${claim.is} ${claim.than}`;
}

export function holds(value: number, claim: Pick<ClaimProps, 'is' | 'than' | 'min' | 'max'>): boolean {
  if (!(COMPARISONS as readonly string[]).includes(claim.is)) {
    throw new Error(`is="${claim.is}" is not one of ${COMPARISONS.join(' ')}`);
  }
  if (claim.is === 'between') {
    if (typeof claim.min !== 'number' || typeof claim.max !== 'number') throw new Error('is="between" needs min={...} and max={...}');
    return value >= claim.min && value <= claim.max;
  }
  const than = claim.than;
  if (typeof than !== 'number') throw new Error(`is="${claim.is}" needs than={...}`);
  switch (claim.is) {
    case '<': return value < than;
    case '<=': return value <= than;
    case '>': return value > than;
    case '>=': return value >= than;
    case '==': return value === than;
  }
}

/** The value a claim is about and whether the claim holds; a claim that cannot be evaluated throws. */
export function evaluateClaim(lookup: SimLookup, claim: ClaimProps): { value: number; holds: boolean } {
  const value = numValue(lookup, claim);
  return { value, holds: holds(value, claim) };
}

export function places(where: readonly SourceLine[]): string {
  return where.length > 0 ? where.map((w) => `${w.file}:${w.line}`).join(', ') : 'an unknown place (no such tag under content/)';
}

/** The build error for a false claim: where it is written, the value found, what was expected. */
export function falseClaimMessage(claim: ClaimProps, value: number, where: readonly SourceLine[]): string {
  return `False claim at ${places(where)}: ${sourceName(claim)} is ${value}, expected ${expectation(claim)}`;
}
