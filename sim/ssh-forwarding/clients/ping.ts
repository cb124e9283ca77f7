/**
 * `ping`, iputils', as a reader types it on a host of the walk.
 *
 * Like every parser of the lesson it takes the argument vector the shell produced (shell.ts) and
 * never throws. It models the part of the program's syntax the lesson needs; where the real
 * program's wording is known from its source a comment says so, and everything else is a modelled
 * message, shaped like the real one but not a transcript of it.
 */
import { failure, unsupported, type CommandFailure } from '../failure.ts';
import { DIGITS } from '../services.ts';

export interface PingCommand {
  program: 'ping';
  argv: string[];
  host: string;
  /** -c: how many echo requests; null means until interrupted. */
  count: number | null;
}

/**
 * `ping [-c count] host`, iputils ping's common form. It is in the walk because ping uses ICMP,
 * which no SSH forward carries. The "usage error" wording follows iputils.
 */
export function parsePing(argv: readonly string[]): PingCommand | CommandFailure {
  const args = argv.slice(1);
  let count: number | null = null;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('-') && arg.length > 1) {
      if (arg.startsWith('-c')) {
        let value = arg.slice(2);
        if (value === '') {
          const next = args[i + 1];
          if (next === undefined) return failure('ping', 'usage', ["ping: option requires an argument -- 'c'"], 2);
          value = next;
          i++;
        }
        if (!DIGITS.test(value) || value.length > 9 || Number(value) < 1) return failure('ping', 'usage', [`ping: invalid argument: '${value}'`], 1);
        count = Number(value);
        continue;
      }
      if (arg === '-4' || arg === '-6' || arg === '-n' || arg === '-q') continue;
      return unsupported('ping', `${arg} is outside this lesson`);
    }
    positional.push(arg);
  }
  if (positional.length === 0) return failure('ping', 'usage', ['ping: usage error: Destination address required'], 1);
  if (positional.length > 1) return unsupported('ping', 'one destination at a time in this lesson');
  return { program: 'ping', argv: [...argv], host: positional[0]!, count };
}
