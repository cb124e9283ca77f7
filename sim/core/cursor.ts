/**
 * The cursor's time and the run's seed, read once for every consumer: the URL codec, the player,
 * the embed protocol and `npm run sim`. Time belongs to the trace: a link's `t` is only a number
 * until a trace exists, and it is clamped against that trace's own length, never a prediction of it.
 */
import { clockOf, type SimClock } from './simulation.ts';
import type { Trace } from './trace.ts';

export const MAX_SEED = 4294967295;

/** A seed as typed (URL, form, command line): a whole number from 0 to 2^32 − 1, or null. */
export function parseSeed(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,10}$/.test(trimmed)) return null;
  const seed = Number(trimmed);
  return seed <= MAX_SEED ? seed : null;
}

/** The cursor inside the run: `null` (no time asked) is the end; anything else is held to [0, end]. */
export function clampTime(trace: Pick<Trace, 'durationMs'>, tSec: number | null): number {
  const endSec = trace.durationMs / 1000;
  if (tSec === null || Number.isNaN(tSec)) return endSec;
  return Math.min(endSec, Math.max(0, tSec));
}

/** A time for a note, in the lesson's own unit ("2.5 h", "12 steps"). */
export function timeWords(clock: SimClock, tSec: number): string {
  return `${Math.round((tSec / clock.unitSec) * 1000) / 1000} ${clock.unit}`;
}

/**
 * What a note should say when a requested time was moved to fit the run, or null when it was
 * taken as asked; in the lesson's clock (hours for a mail outage, steps for a walk).
 */
export function clampNote(sim: { clock?: SimClock }, trace: Pick<Trace, 'durationMs'>, askedSec: number | null): string | null {
  if (askedSec === null) return null;
  const shown = clampTime(trace, askedSec);
  if (shown === askedSec) return null;
  const clock = clockOf(sim);
  const where = askedSec < 0 ? 'before the start of the run' : 'past the end of the run';
  return `t=${Math.round(askedSec * 1000) / 1000} is ${where}; showing ${timeWords(clock, shown)}`;
}
