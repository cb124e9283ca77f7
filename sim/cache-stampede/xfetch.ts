import { ln } from '../core/index.ts';

/**
 * XFetch (Vattani, Chierichetti, Lowenstein, VLDB 2015): recompute when
 * now − delta·beta·ln(u) ≥ expiry, u uniform in (0, 1]. With gap = expiry − now,
 * the chance is exp(−gap / (delta·beta)).
 */
export function xfetchRecomputes(nowMs: number, expiryMs: number, deltaMs: number, beta: number, u: number): boolean {
  return nowMs - deltaMs * beta * ln(u) >= expiryMs;
}

/**
 * −ln(u) for the smallest u the PRNG's nextOpen draws (2^−32) is 32·ln 2 ≈ 22.18; 23 leaves room for
 * ln's last bits.
 */
const MOST_NEG_LN_U = 23;

/**
 * True when no u nextOpen can draw makes xfetchRecomputes fire, so its ln need not be computed
 * (most reads of a fresh key, far from expiry). Exact, not an estimate: delta·beta·ln(u) is at
 * least −(delta·beta·23) and rounding keeps that order, so xfetchRecomputes' left side is at most
 * this one's, which is below expiry.
 */
export function xfetchOutOfReach(nowMs: number, expiryMs: number, deltaMs: number, beta: number): boolean {
  return nowMs + deltaMs * beta * MOST_NEG_LN_U < expiryMs;
}
