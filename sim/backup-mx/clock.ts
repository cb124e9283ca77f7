/** The run's wall clock: it starts on Monday 26 January 2009 at 18:00 GMT, and logs and banners read it. */
import { pad2, utcFields, type EventLog } from '../core/index.ts';

/** The run starts on Monday 26 January 2009 at 18:00 GMT (Unix time), four hours before the source's power supply failed. */
export const RUN_START_EPOCH_SEC = 1_232_992_800;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** The wall-clock fields at a moment of the run. */
const wall = (tMs: number) => utcFields(RUN_START_EPOCH_SEC + Math.floor(tMs / 1000));

/** "Mon 22:14": the time of day in the run, for the player's clock. */
export function wallClock(tMs: number): string {
  const w = wall(tMs);
  return `${DAYS[w.weekday]} ${pad2(w.h)}:${pad2(w.m)}`;
}

/** "00" to "59", made once. */
const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => pad2(n));
const DAY_SEC = 86_400;

const HOUR_SEC = 3600;
/** "00:00" to "59:59", by second of the hour, made once. */
const MINUTE_AND_SECOND = Array.from({ length: HOUR_SEC }, (_, s) => `${TWO_DIGITS[Math.floor(s / 60)]}:${TWO_DIGITS[s % 60]}`);
/** "Mon 22:", by hour of the run, each made at its first use (a week has 168). */
const hourPrefixes: string[] = [];
const RUN_START_HOUR = Math.floor(RUN_START_EPOCH_SEC / HOUR_SEC);

/**
 * "Mon 22:" for the hour holding Unix second sec: the weekday and hour of day straight from the
 * seconds (utcFields' own arithmetic, which also finds the date), its digits from a table.
 */
function hourPrefix(sec: number): string {
  const hour = Math.floor(sec / HOUR_SEC);
  const known = hourPrefixes[hour - RUN_START_HOUR];
  if (known !== undefined) return known;
  const days = Math.floor(sec / DAY_SEC);
  // 1970-01-01 was a Thursday.
  const weekday = (((days + 4) % 7) + 7) % 7;
  const prefix = `${DAYS[weekday]} ${TWO_DIGITS[hour - days * 24]}:`;
  if (hour >= RUN_START_HOUR) hourPrefixes[hour - RUN_START_HOUR] = prefix;
  return prefix;
}

/**
 * "Mon 22:14:03": a log line's timestamp. Every kept line has one, a week's run keeps 4,000, so it
 * is the hour's "Mon 22:" and the table's "14:03", joined once: built a piece at a time, each
 * piece shorter than a linked string made a new flat copy, six per stamp.
 */
export function logTime(tMs: number): string {
  const sec = RUN_START_EPOCH_SEC + Math.floor(tMs / 1000);
  return hourPrefix(sec) + MINUTE_AND_SECOND[sec - Math.floor(sec / HOUR_SEC) * HOUR_SEC];
}

/** "Mon 22:14": logTime to the minute (its first nine characters), for "next try" in a line. */
export function logMinute(tMs: number): string {
  const sec = RUN_START_EPOCH_SEC + Math.floor(tMs / 1000);
  return hourPrefix(sec) + TWO_DIGITS[Math.floor(sec / 60) % 60];
}

/** "Mon, 26 Jan 2009 22:14:03 +0000": the date in an SMTP banner. */
export function rfc2822(tMs: number): string {
  const w = wall(tMs);
  return `${DAYS[w.weekday]}, ${w.day} ${MONTHS[w.month - 1]} ${w.year} ${pad2(w.h)}:${pad2(w.m)}:${pad2(w.s)} +0000`;
}

/** The log's limits: two lines of a kind per five minutes (a sample), 4,000 in all. */
export const LOG_LIMITS = { perKindPerWindow: 2, windowMs: 5 * 60_000, total: 4000 } as const;

/**
 * Whether the log keeps a line of this kind now; when not, the line is counted as suppressed. Asked
 * before a line's text is built, so a busy run formats only the lines it keeps, and passes no
 * closure for each line it might write (a week of retries allocated one per deferral).
 */
export function keepsLine(log: EventLog, tMs: number, kind: string): boolean {
  if (log.wants(tMs, kind)) return true;
  log.skip();
  return false;
}

/**
 * A line keepsLine said yes to, stamped with the wall clock. Joined, not concatenated: a template
 * makes a string of linked pieces, which the trace hash then reads a character at a time through
 * the links, twice as slowly as one flat string (a week's 4,000 lines: some 3 ms against 1.5, the
 * join costing a third of a millisecond).
 */
export function writeLine(log: EventLog, tMs: number, kind: string, text: string, detail?: string): void {
  log.write(tMs, kind, [logTime(tMs), text].join('  '), detail);
}

/**
 * writeLine for a line given as its pieces, the first left for the stamp ('' there), the second its
 * two spaces: the same text, joined once. A week's 3,300 deferral lines built their text first, a
 * linked piece per part, then joined it with the stamp: some 1 MB of garbage per run, which had the
 * young generation collected a run sooner.
 */
export function writePieces(log: EventLog, tMs: number, kind: string, pieces: string[]): void {
  pieces[0] = logTime(tMs);
  log.write(tMs, kind, pieces.join(''));
}
