/**
 * How a command line is refused: the one shape every parser here returns instead of throwing, for
 * the shell, ssh and the client programs alike.
 */

/**
 * Why a line was not turned into a command:
 * - `usage`: the real program rejects these arguments too, and `stderr` is what it prints;
 * - `unsupported`: the real program would accept the line, but the lesson does not model it;
 * - `runtime`: the program accepts the arguments but fails at once, before anything the lesson
 *   would draw happens (ssh resolving an empty host name);
 * - `shell`: the shell rejected the line (unbalanced quotes, unknown command);
 * - `empty`: nothing but blanks or a comment.
 */
export type FailureReason = 'usage' | 'unsupported' | 'runtime' | 'shell' | 'empty';

export interface CommandFailure {
  ok: false;
  /** The program whose message this is: `ssh`, `curl`, `bash`, …; empty for an empty line. */
  program: string;
  reason: FailureReason;
  /** One line for the page (the first line of `stderr`, or a sentence when the lesson speaks). */
  error: string;
  /** What the terminal shows, each line ending in "\n" (the real programs' "\r\n" is not kept). */
  stderr: string;
  /** The exit status the real program would return; null when the lesson, not the program, refuses. */
  exitStatus: number | null;
}

export function failure(program: string, reason: FailureReason, lines: readonly string[], exitStatus: number | null, error?: string): CommandFailure {
  return {
    ok: false,
    program,
    reason,
    error: error ?? lines[0] ?? '',
    stderr: lines.map((line) => `${line}\n`).join(''),
    exitStatus,
  };
}

/**
 * A refusal in the lesson's own words: the real program would have run, the lesson does not model
 * it. `stderr` is the sentence after the program's name so the terminal can show it inline; it is
 * not something the program prints, which `reason: 'unsupported'` and `exitStatus: null` say.
 */
export function unsupported(program: string, sentence: string): CommandFailure {
  return failure(program, 'unsupported', [`${program}: ${sentence}`], null, sentence);
}
