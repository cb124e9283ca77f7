/** Small numeric helpers shared by the models. Locale-free, so every engine prints the same. */
import { pad2 } from './calendar.ts';

/** Where the q-quantile (nearest rank) sits in an ascending array of n values. */
export function rankIndex(n: number, q: number): number {
  return Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
}

/** The q-quantile of an ascending array (nearest rank); NaN for an empty one. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[rankIndex(sorted.length, q)]!;
}

/** Below this many values a selection finishes by insertion sort. */
const SMALL_RANGE = 16;

/**
 * The value at index k of a[lo..hi) once sorted ascending, found without sorting it all
 * (quickselect, median-of-three pivot, Hoare partition); a[lo..hi) is left reordered. A range that
 * refuses to shrink (an adversarial order) is sorted instead, so the cost stays O(n log n) at worst.
 * The values must have a total order under < (no NaN, no -0 beside 0), as latencies do.
 */
export function selectKth(a: Float64Array, k: number, lo = 0, hi = a.length): number {
  if (!(lo <= k && k < hi)) throw new RangeError(`selectKth: index ${k} is outside [${lo}, ${hi})`);
  let l = lo;
  let r = hi - 1;
  // About twice the halvings a range of this size can take.
  let rounds = 2 * (32 - Math.clz32(hi - lo)) + 8;
  while (r - l >= SMALL_RANGE) {
    if (rounds-- === 0) {
      a.subarray(l, r + 1).sort();
      return a[k]!;
    }
    const m = (l + r) >> 1;
    // Order a[l], a[m], a[r]: the median becomes the pivot and the ends stop the scans below.
    if (a[m]! < a[l]!) swap(a, m, l);
    if (a[r]! < a[l]!) swap(a, r, l);
    if (a[r]! < a[m]!) swap(a, r, m);
    const pivot = a[m]!;
    let i = l;
    let j = r;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    // Now a[l..j] <= pivot <= a[i..r], and anything between equals the pivot.
    if (k <= j) r = j;
    else if (k >= i) l = i;
    else return a[k]!;
  }
  for (let x = l + 1; x <= r; x++) {
    const v = a[x]!;
    let y = x - 1;
    while (y >= l && a[y]! > v) {
      a[y + 1] = a[y]!;
      y--;
    }
    a[y + 1] = v;
  }
  return a[k]!;
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
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
