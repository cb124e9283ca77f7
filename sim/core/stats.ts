/** Small numeric helpers shared by the models. Locale-free, so every engine prints the same. */

/** The q-quantile of an ascending array (nearest rank); NaN for an empty one. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** 2000000 -> "2,000,000" without locale data, which engines may not share. */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
