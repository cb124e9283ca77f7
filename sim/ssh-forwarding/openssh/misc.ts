/**
 * OpenSSH's misc.c, the functions ssh's command line goes through: a2port() (a port, or a TCP
 * service name), argv_split() and strdelim() (the words of a -o line), hpdelim2() and urldecode()
 * (an ssh:// destination), valid_domain(), valid_hostname() and valid_ruser() (the destination's
 * checks), and dollar_expand()'s complaints for a forward that names ${VARIABLES}.
 *
 * The OpenSSH sources this folder follows: OpenSSH portable's readconf.c 1.366 (2022), ssh.c
 * 1.576 (9.1), misc.c 1.189 (9.6) and getopt_long.c 1.25; ssh.ts says how the result was checked
 * against ssh itself.
 */
import { lookupTcpService } from '../services.ts';
import { cString, isCSpace } from './c.ts';
import { logVis } from './log.ts';

/**
 * OpenSSH's a2port() (misc.c): strtonum(s, 0, 65535), whose strtoll() skips leading blanks and
 * takes a sign, so " 22" and "+22" are 22 while "22 " and "0x16" are not numbers; failing that, the
 * name of a TCP service (getservbyname), so "http" is 80. Returns -1 for anything else, including
 * "-1" and "65536". Port 0 passes here; callers decide whether 0 is allowed.
 */
export function a2port(text: string): number {
  const s = cString(text);
  let k = 0;
  while (isCSpace(s[k])) k++;
  let sign = 1;
  if (s[k] === '+' || s[k] === '-') {
    if (s[k] === '-') sign = -1;
    k++;
  }
  const digits = /^[0-9]+$/.test(s.slice(k)) ? s.slice(k) : null;
  if (digits !== null) {
    // Large values only need to stay out of range; 12 digits is past 65535 either way.
    const value = sign * Number(digits.replace(/^0+(?=\d)/, '').slice(0, 12));
    // "-0" is strtoll's 0; `+ 0` turns JavaScript's -0 into the 0 that C has.
    if (value >= 0 && value <= 65535) return value + 0;
  }
  return lookupTcpService(s) ?? -1;
}

/**
 * What misc.c dollar_expand() logs for a spec, and whether it failed. parse_forward() expands
 * ${NAME} from the environment before anything else; the lesson's shell has no environment, so
 * every ${NAME} is unset, which fails, as a missing '}' or an empty name do. (Real ssh would
 * expand a variable that is set, such as ${HOME}.) The lines come from error_f() in
 * vdollar_percent_expand(), which names the function; ssh 9.2p1 prints them before its own message.
 */
export function dollarExpandLog(text: string): string[] {
  const lines: string[] = [];
  let k = 0;
  while ((k = text.indexOf('${', k)) >= 0) {
    const start = k + 2;
    const close = text.indexOf('}', start);
    if (close < 0) {
      lines.push(logVis(`vdollar_percent_expand: environment variable '${text.slice(start)}' missing closing '}'`));
      break;
    }
    if (close === start) {
      lines.push('vdollar_percent_expand: zero-length environment variable');
      break;
    }
    // An unset variable is logged and the scan goes on, so each one gets a line.
    lines.push(logVis(`vdollar_percent_expand: env var \${${text.slice(start, close)}} has no value`));
    k = close + 1;
  }
  return lines;
}

export const CONFIG_WS = ' \t\r\n';

export function skipWs(s: string, k: number): number {
  while (k < s.length && CONFIG_WS.includes(s[k]!)) k++;
  return k;
}

/**
 * misc.c strdelim(): the next token of a configuration line, split at blanks or one '=', with
 * "…" quoting. `next` null is C's NULL (nothing follows); a null token is an unclosed quote.
 */
export function strdelim(s: string, pos: number | null): { token: string | null; next: number | null } {
  if (pos === null) return { token: null, next: null };
  let k = pos;
  while (k < s.length && !`${CONFIG_WS}"=`.includes(s[k]!)) k++;
  if (k >= s.length) return { token: s.slice(pos), next: null };
  if (s[k] === '"') {
    const close = s.indexOf('"', k + 1);
    if (close < 0) return { token: null, next: null };
    return { token: s.slice(pos, k) + s.slice(k + 1, close), next: skipWs(s, close + 1) };
  }
  // Only one '=' may be skipped: "Port = 22" and "Port=22" are fine, "Port==22" leaves "=22".
  const sawEquals = s[k] === '=';
  let next = skipWs(s, k + 1);
  if (s[next] === '=' && !sawEquals) next = skipWs(s, next + 1);
  return { token: s.slice(pos, k), next };
}

/** misc.c argv_split(s, …, terminate_on_comment = 1); null where it fails on an unclosed quote. */
export function argvSplit(s: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === ' ' || s[i] === '\t') {
      i++;
      continue;
    }
    if (s[i] === '#') break;
    let quote = '';
    let arg = '';
    for (; i < s.length; i++) {
      const c = s[i]!;
      const d = s[i + 1];
      if (c === '\\') {
        if (d === "'" || d === '"' || d === '\\' || (quote === '' && d === ' ')) {
          i++;
          arg += d;
        } else arg += c;
      } else if (quote === '' && (c === ' ' || c === '\t')) break;
      else if (quote === '' && (c === '"' || c === "'")) quote = c;
      else if (quote !== '' && c === quote) quote = '';
      else arg += c;
    }
    out.push(arg);
    if (i >= s.length) {
      if (quote !== '') return null;
      break;
    }
  }
  return out;
}

/** misc.c valid_domain(name, 0): the host of an ssh:// URI; the trailing dot goes. */
export function validDomain(name: string): string | null {
  if (name === '' || !/^[A-Za-z0-9]/.test(name)) return null;
  if (/\.\./.test(name) || /[^A-Za-z0-9._-]/.test(name)) return null;
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** misc.c urldecode(): '+' is a space and %XX a byte; a bad escape fails. A decoded NUL ends the C string. */
export function urlDecode(src: string): string | null {
  let out = '';
  for (let k = 0; k < src.length; k++) {
    const c = src[k]!;
    if (c === '+') out += ' ';
    else if (c === '%') {
      const hex = src.slice(k + 1, k + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
      out += String.fromCharCode(parseInt(hex, 16));
      k += 2;
    } else out += c;
  }
  return cString(out);
}

/** misc.c hpdelim2(): the host part of host:port or [v6]:port, the rest, and the delimiter. */
export function hpdelim2(s: string): { host: string; rest: string | null; delim: string } | null {
  let k: number;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0) return null;
    k = close + 1;
  } else {
    k = s.search(/[:/]/);
    if (k < 0) k = s.length;
  }
  if (k >= s.length) return { host: s, rest: null, delim: '' };
  if (s[k] === ':' || s[k] === '/') return { host: s.slice(0, k), rest: s.slice(k + 1), delim: s[k]! };
  return null;
}

/**
 * misc.c valid_hostname(), checked by ssh.c main() since OpenSSH 9.6 (and in Debian's 9.2p1, which
 * backports it): no leading '-', no blanks or control characters, none of the shell's quoting and
 * operator characters, no ','. The ',' is from Debian 9.2p1's behaviour (`ssh -G ho,st` is refused);
 * the upstream 9.6 list may lack it.
 */
export function validHostname(s: string): boolean {
  if (s.startsWith('-')) return false;
  for (const c of s) {
    const code = c.charCodeAt(0);
    if ('\'`"$\\;&<>|(){},'.includes(c) || isCSpace(c) || code < 0x20 || code === 0x7f) return false;
  }
  return true;
}

/** misc.c valid_ruser() (OpenSSH 9.6+): the user name typed on the command line. */
export function validRuser(s: string): boolean {
  if (s.startsWith('-')) return false;
  for (let k = 0; k < s.length; k++) {
    const c = s[k]!;
    const code = s.charCodeAt(k);
    if (code < 0x20 || code === 0x7f) return false;
    if ('\'`";&<>|(){}'.includes(c)) return false;
    if (isCSpace(c) && s[k + 1] === '-') return false;
    if (c === '\\' && k === s.length - 1) return false;
  }
  return true;
}
