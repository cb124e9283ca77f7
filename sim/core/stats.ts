/** Small numeric helpers shared by the models. Locale-free, so every engine prints the same. */
import { pad2 } from './calendar.ts';

/** The q-quantile of an ascending array (nearest rank); NaN for an empty one. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * A log line's timestamp: mm:ss.mmm from the start of the run or, when the run
 * starts at a wall-clock time of day, hh:mm:ss.mmm from there.
 */
export function logClock(tMs: number, startOfRunMs?: number): string {
  const total = (startOfRunMs ?? 0) + Math.round(tMs);
  const tail = `${pad2(Math.floor(total / 60_000) % 60)}:${pad2(Math.floor(total / 1000) % 60)}.${String(total % 1000).padStart(3, '0')}`;
  return startOfRunMs === undefined ? `${pad2(Math.floor(total / 60_000))}:${tail.slice(3)}` : `${pad2(Math.floor(total / 3_600_000))}:${tail}`;
}

/** 2000000 -> "2,000,000" without locale data, which engines may not share. */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * 2 to a whole power, by doubling or halving: exact. `2 ** n` gives the same in every engine in
 * use, but the spec leaves `**` to each engine's rounding, and traces must agree bit for bit.
 */
export function pow2(n: number): number {
  let v = 1;
  for (let i = 0; i < n; i++) v *= 2;
  for (let i = 0; i > n; i--) v /= 2;
  return v;
}
