/**
 * `nc`, OpenBSD netcat, as a reader types it on a host of the walk.
 *
 * Like every parser of the lesson it takes the argument vector the shell produced (shell.ts) and
 * never throws. It models the part of the program's syntax the lesson needs; where the real
 * program's wording is known from its source a comment says so, and everything else is a modelled
 * message, shaped like the real one but not a transcript of it.
 */
import { failure, unsupported, type CommandFailure } from '../failure.ts';
import { decimalPort, lookupTcpService } from '../services.ts';

export interface NcCommand {
  program: 'nc';
  argv: string[];
  /** -u: a UDP "connection" instead of TCP. SSH forwards TCP only, which is the point of the case. */
  udp: boolean;
  /** -z: connect and close at once, the port check. */
  scanOnly: boolean;
  host: string;
  port: number;
}

const NC_USAGE = 'usage: nc [-46Nnuvz] [-w timeout] destination port';

/**
 * `nc [-46Nnuvz] [-w timeout] destination port`, the OpenBSD netcat most Linux systems ship. The
 * usage line is the lesson's short form of the real one; a port may be a number or a service name,
 * and a range (`20-30`) is refused as outside the lesson.
 */
export function parseNc(argv: readonly string[]): NcCommand | CommandFailure {
  const args = argv.slice(1);
  let udp = false;
  let scanOnly = false;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (positional.length === 0 && arg.startsWith('-') && arg.length > 1) {
      for (let k = 1; k < arg.length; k++) {
        const letter = arg[k]!;
        if (letter === 'u') udp = true;
        else if (letter === 'z') scanOnly = true;
        else if ('46Nnv'.includes(letter)) continue;
        else if (letter === 'w') {
          if (k + 1 === arg.length) {
            if (args[i + 1] === undefined) return failure('nc', 'usage', ["nc: option requires an argument -- 'w'", NC_USAGE], 1);
            i++;
          }
          break;
        } else if (letter === 'l') return unsupported('nc', 'listening (-l) is outside this lesson');
        else return failure('nc', 'usage', [`nc: invalid option -- '${letter}'`, NC_USAGE], 1);
      }
      continue;
    }
    positional.push(arg);
  }
  if (positional.length !== 2) return failure('nc', 'usage', [NC_USAGE], 1);
  const [host, portText] = positional as [string, string];
  if (/^[0-9]+-[0-9]+$/.test(portText)) return unsupported('nc', 'port ranges are outside this lesson');
  const port = decimalPort(portText) ?? lookupTcpService(portText);
  if (port === null) return failure('nc', 'usage', [`nc: port number invalid: ${portText}`], 1);
  return { program: 'nc', argv: [...argv], udp, scanOnly, host, port };
}
