import { ln } from '../core/index.ts';

/**
 * XFetch (Vattani, Chierichetti, Lowenstein, VLDB 2015): recompute when
 * now − delta·beta·ln(u) ≥ expiry, u uniform in (0, 1]. With gap = expiry − now,
 * the chance is exp(−gap / (delta·beta)).
 */
export function xfetchRecomputes(nowMs: number, expiryMs: number, deltaMs: number, beta: number, u: number): boolean {
  return nowMs - deltaMs * beta * ln(u) >= expiryMs;
}
