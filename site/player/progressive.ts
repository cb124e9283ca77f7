/**
 * How a progressive run is cut (sim/core/model.ts runUpTo): a small first part, so the first
 * picture of a change reaches the screen within a frame, then the whole run. The first part ends
 * a tenth of the way in, or just past the cursor when the reader has set one in the first half of
 * the run (scrubbing), so the picture and numbers at the cursor come with it: the run still computes
 * from the start, so "the cursor first" means the first part ends where the cursor is. The whole run
 * replays the first part (a lesson's run cannot be suspended), so a cursor later than half the run
 * is not worth waiting for: the first part is then the first tenth, for the charts alone.
 */

/** The share of simulated time the first part covers when no cursor asks for more. */
export const FIRST_PART_SHARE = 0.1;
/** A cursor later than this share of the run does not stretch the first part. */
export const MAX_FIRST_PART_SHARE = 0.5;

/**
 * Where the first part of a run ends, in simulated seconds. `cursorSec`: where the cursor will be
 * when the run arrives (Infinity for "the end"); 0 when the reader has not set one.
 */
export function firstPartSec(durationSec: number, cursorSec: number): number {
  return cursorSec > 0 && cursorSec <= durationSec * MAX_FIRST_PART_SHARE ? cursorSec : durationSec * FIRST_PART_SHARE;
}
