/**
 * A room's results as a facilitator collects them on the guide: every file or code read, each
 * either an entry or a problem with its reason (a bad one never drops the others), and per exercise
 * how many entries passed it. Pure, so the guide and the tests share it.
 */
import type { LabResults } from './results-format.ts';

export interface RoomEntry {
  /** Where it came from, in words: a file's name, or "code 3". */
  source: string;
  results: LabResults;
  /** The entry it repeats word for word (the same file added twice), which is counted once. */
  duplicateOf: number | null;
}

export interface RoomProblem {
  source: string;
  reason: string;
}

export interface Room {
  entries: RoomEntry[];
  problems: RoomProblem[];
}

export interface LabOutline {
  id: string;
  exercises: readonly { id: string; title: string }[];
}

export const emptyRoom = (): Room => ({ entries: [], problems: [] });

function sameResults(a: LabResults, b: LabResults): boolean {
  return JSON.stringify([a.name, a.exercises]) === JSON.stringify([b.name, b.exercises]);
}

/** The room with one more file or code read: its results if they belong to this lab, else a problem naming why not. */
export function addToRoom(room: Room, lab: LabOutline, source: string, read: LabResults | { error: string }): Room {
  const problem = (reason: string): Room => ({ ...room, problems: [...room.problems, { source, reason }] });
  if ('error' in read) return problem(read.error);
  if (read.lab !== lab.id) return problem(`these are results of the ${read.lab} lab, not of this one (${lab.id})`);
  const unknown = read.exercises.filter((e) => !lab.exercises.some((x) => x.id === e.id)).map((e) => e.id);
  if (unknown.length > 0) return problem(`this lab has no exercise ${unknown.join(', ')}: the results come from another version of it`);
  const repeated = room.entries.findIndex((e) => e.duplicateOf === null && sameResults(e.results, read));
  return { ...room, entries: [...room.entries, { source, results: read, duplicateOf: repeated < 0 ? null : repeated }] };
}

/** Per exercise, how many of the room's entries (each counted once) passed it, of how many. */
export function tally(room: Room, lab: LabOutline): { entries: number; passed: { id: string; title: string; count: number }[] } {
  const counted = room.entries.filter((e) => e.duplicateOf === null);
  return {
    entries: counted.length,
    passed: lab.exercises.map((x) => ({ ...x, count: counted.filter((e) => e.results.exercises.some((p) => p.id === x.id)).length })),
  };
}

/** The codes in pasted text: each starts at OPSLAB<n>-, and may have been broken over lines. */
export function splitCodes(text: string): string[] {
  return text
    .split(/(?=OPSLAB\d+-)/i)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

const plural = new Intl.PluralRules('en');

/** "1 entry", "12 entries": a count with its noun, in English plural rules. */
export function countOf(n: number, one: string, other: string): string {
  return `${new Intl.NumberFormat('en').format(n)} ${plural.select(n) === 'one' ? one : other}`;
}
