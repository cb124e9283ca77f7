/**
 * How a progressive run is cut (sim/core/model.ts runUpTo): a small first part, so the first
 * picture of a change reaches the screen within a frame, then the whole run. The first part ends
 * a tenth of the way in, or just past the cursor when the reader has one set (scrubbing): the run
 * still computes from the start, so "the cursor first" means the first part ends where the cursor
 * is. The whole run replays that first part, so a first part beyond half the run would cost more
 * than it gains: such a run is computed in one go.
 */

/** The share of simulated time the first part covers when no cursor asks for more. */
export const FIRST_PART_SHARE = 0.1;
/** A first part longer than this share of the run is not computed apart. */
export const MAX_FIRST_PART_SHARE = 0.5;

/**
 * Where the first part of a run ends, in simulated seconds, or null to compute it in one go.
 * `cursorSec`: where the cursor will be when the run arrives (Infinity for "the end"); 0 when the reader has not set one.
 */
export function firstPartSec(durationSec: number, cursorSec: number): number | null {
  const endSec = cursorSec > 0 ? cursorSec : durationSec * FIRST_PART_SHARE;
  return endSec <= durationSec * MAX_FIRST_PART_SHARE ? endSec : null;
}
