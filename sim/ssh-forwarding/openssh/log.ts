/**
 * OpenSSH's log.c, the part a refused command line shows: fatal() and its exit status 255, the
 * logger that -q silences, and do_log()'s strnvis() escaping of what it prints.
 *
 * The OpenSSH sources this folder follows: OpenSSH portable's readconf.c 1.366 (2022), ssh.c
 * 1.576 (9.1), misc.c 1.189 (9.6) and getopt_long.c 1.25; ssh.ts says how the result was checked
 * against ssh itself.
 */
import { failure, type CommandFailure } from '../failure.ts';
import { utf8Bytes } from './c.ts';

/**
 * How log.c prints a message on stderr: strnvis() with VIS_SAFE | VIS_OCTAL, so a backslash is
 * doubled and any byte that is not printable ASCII (nor tab, newline, backspace, bell, return)
 * becomes \ooo of its UTF-8 encoding: `é` is printed as \303\251. fprintf() messages are not escaped.
 */
export function logVis(text: string): string {
  let out = '';
  for (const byte of utf8Bytes(text)) {
    if (byte === 0x5c) out += '\\\\';
    else if ((byte >= 0x20 && byte <= 0x7e) || byte === 0x09 || byte === 0x0a || byte === 0x08 || byte === 0x07 || byte === 0x0d) out += String.fromCharCode(byte);
    else out += `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return out;
}

/** ssh exits 255 on every error it detects itself (usage(), fatal(), exit(255)). */
export const SSH_FAILED = 255;

/** fatal() and the error()-then-exit(255) paths: the message alone, no usage text. */
export function sshFatal(...lines: string[]): CommandFailure {
  return failure('ssh', 'usage', lines, SSH_FAILED);
}

/**
 * A fatal() after log_init(): with -q (log level QUIET) ssh exits 255 and prints nothing, so the
 * terminal shows nothing while `error` still says why. With -v, real ssh prints its debug lines
 * (version, "Reading configuration data …") before the message; those are not reproduced.
 */
export function sshLogged(quiet: boolean, reason: 'usage' | 'runtime', message: string): CommandFailure {
  return quiet ? failure('ssh', reason, [], SSH_FAILED, `${message} (not printed: -q)`) : failure('ssh', reason, [message], SSH_FAILED);
}
