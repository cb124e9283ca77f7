/**
 * Parsing what a reader types into the terminal of the SSH port-forwarding lesson: a shell line,
 * ssh's options and forwarding specifications, and (through parse-client.ts) the client commands
 * of the walk. Nothing here throws, whatever the input; every refusal is a value that says which
 * program refused and what it would print.
 *
 * Fidelity target: OpenSSH 9.x/10.x (ssh.c main(), readconf.c parse_forward() and
 * process_config_line(), misc.c a2port(), openbsd-compat/getopt_long.c). The sources read for
 * this file were OpenSSH portable's readconf.c 1.366 (2022), ssh.c 1.576 (9.1), misc.c 1.189 (9.6)
 * and getopt_long.c 1.25 (the readconf.c and ssh.c copies carry HPN-SSH patches, which leave these
 * functions alone); where a later release differs the comment says so. The behaviour was then
 * checked against the OpenSSH_9.2p1 Debian-2+deb12u10 binary with `ssh -F /dev/null -G …`, which
 * parses a command line and prints the result without connecting: several thousand generated
 * specifications and command lines gave the same parse or the same stderr. Messages are quoted
 * exactly, with the C program's "%s" filled in; ssh writes its log lines with "\r\n" and the
 * lesson's terminal uses "\n".
 */
import {
  failure,
  isClientProgram,
  lookupTcpService,
  parseClientArgv,
  unsupported,
  CLIENT_PROGRAMS,
  type ClientCommand,
  type CommandFailure,
} from './parse-client.ts';

export type { ClientCommand, CommandFailure, FailureReason, CurlCommand, CurlProxy, CurlUrl, NcCommand, PingCommand, VncViewerCommand } from './parse-client.ts';

// ---------------------------------------------------------------------------------------------
// The shell

export type ShellWords = { ok: true; words: string[] } | CommandFailure;

/** Characters that end a word and start something the lesson's terminal does not run. */
const SHELL_OPERATORS = '|&;<>()';
/** What may follow `$` to make an expansion (a name, a positional or special parameter, `${`, `$(`, `$'`, `$"`). */
const EXPANSION_START = /[A-Za-z_0-9{(@*#?$!'"-]/;

/**
 * Split a line into words the way bash does for simple commands: blanks separate words, '…' is
 * literal, "…" is literal except for \$ \` \" \\ and \newline, an unquoted backslash escapes the
 * next character, and an unquoted # at the start of a word begins a comment. Anything that would
 * make bash do more than run one program (pipes, redirections, lists, $ and ` expansions, a
 * leading NAME=value, a second command line) is refused as outside the lesson, rather than
 * mis-read. Glob characters are kept as typed: bash leaves a pattern that matches no file
 * unchanged, and the lesson's hosts are assumed to have no file named like `*:8080:web:80`.
 * Tilde and brace expansion are not done either.
 */
export function tokenizeShell(line: string): ShellWords {
  const commands: string[][] = [[]];
  let words = commands[0]!;
  let word = '';
  let inWord = false;
  let wordStart = 0;
  let i = 0;
  const finishWord = (end: number): CommandFailure | null => {
    if (!inWord) return null;
    const raw = line.slice(wordStart, end);
    if (words.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(raw)) {
      return unsupported('bash', 'setting variables (NAME=value) is outside this lesson; type the command alone');
    }
    words.push(word);
    word = '';
    inWord = false;
    return null;
  };
  const startWord = (at: number) => {
    if (!inWord) {
      inWord = true;
      wordStart = at;
    }
  };
  while (i < line.length) {
    const c = line[i]!;
    if (c === '\0') return unsupported('bash', 'the terminal cannot send a NUL character');
    if (!inWord && c === '#') {
      while (i < line.length && line[i] !== '\n') i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n') {
      const problem = finishWord(i);
      if (problem) return problem;
      if (c === '\n' && words.length > 0) {
        words = [];
        commands.push(words);
      }
      i++;
      continue;
    }
    if (SHELL_OPERATORS.includes(c)) {
      return unsupported('bash', `this terminal runs one command at a time: '${c}' (pipes, redirections, lists) is outside this lesson`);
    }
    if (c === '`') return unsupported('bash', 'command substitution is outside this lesson');
    if (c === '$' && i + 1 < line.length && EXPANSION_START.test(line[i + 1]!)) {
      return unsupported('bash', 'variables and $-expansions are outside this lesson; type the value itself');
    }
    startWord(i);
    if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) return unbalanced("'");
      word += line.slice(i + 1, close);
      i = close + 1;
      continue;
    }
    if (c === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return unbalanced('"');
        const d = line[i]!;
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\0') return unsupported('bash', 'the terminal cannot send a NUL character');
        if (d === '`') return unsupported('bash', 'command substitution is outside this lesson');
        // Inside "…", $' and $" are a literal dollar followed by a quote.
        if (d === '$' && i + 1 < line.length && EXPANSION_START.test(line[i + 1]!) && line[i + 1] !== "'" && line[i + 1] !== '"') {
          return unsupported('bash', 'variables and $-expansions are outside this lesson; type the value itself');
        }
        if (d === '\\' && i + 1 < line.length && '$`"\\\n'.includes(line[i + 1]!)) {
          if (line[i + 1] !== '\n') word += line[i + 1];
          i += 2;
          continue;
        }
        word += d;
        i++;
      }
      continue;
    }
    if (c === '\\') {
      if (i + 1 >= line.length) {
        // A backslash at the very end has nothing to escape and stays in the word.
        word += '\\';
        i++;
      } else if (line[i + 1] === '\n') {
        // Backslash-newline joins lines. If it was all this word had, the word has not started.
        if (word === '' && wordStart === i) inWord = false;
        i += 2;
      } else {
        word += line[i + 1];
        i += 2;
      }
      continue;
    }
    word += c;
    i++;
  }
  const problem = finishWord(line.length);
  if (problem) return problem;
  const nonEmpty = commands.filter((c) => c.length > 0);
  if (nonEmpty.length > 1) return unsupported('bash', 'this terminal runs one command at a time; type one line');
  return { ok: true, words: nonEmpty[0] ?? [] };
}

/**
 * bash's complaint when a quote is never closed, as `bash -c` prints it without the "-c: line 1:"
 * part (an interactive bash would show a continuation prompt instead; the lesson's terminal has none).
 */
function unbalanced(quote: string): CommandFailure {
  return failure('bash', 'shell', [`bash: unexpected EOF while looking for matching \`${quote}'`], 2);
}

/** A word as the shell would need it typed: bare when that is safe, else in single quotes. */
export function quoteShellWord(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word) && !word.startsWith('#')) return word;
  return `'${word.replace(/'/g, "'\\''")}'`;
}

// ---------------------------------------------------------------------------------------------
// Ports: misc.c a2port()

/** C's isspace() in the C locale. */
function isCSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

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

/** C sees a string only up to its first NUL; argv and ssh's buffers can hold nothing after one. */
function cString(text: string): string {
  const nul = text.indexOf('\0');
  return nul < 0 ? text : text.slice(0, nul);
}

/** Bytes in the UTF-8 encoding, which is what C's strlen() counts for ssh's length limits. */
function utf8Length(text: string): number {
  return utf8Bytes(text).length;
}

// ---------------------------------------------------------------------------------------------
// Forwarding specifications: readconf.c parse_forward() and parse_fwd_field()

/** glibc's NI_MAXHOST: parse_forward() refuses a host name of this many bytes or more. */
const NI_MAXHOST_BYTES = 1025;
/** sizeof(sockaddr_un.sun_path) on Linux: PATH_MAX_SUN, the limit on a Unix-socket path. */
const PATH_MAX_SUN_BYTES = 108;
/** readconf.h's PORT_STREAMLOCAL: the listen or connect side is a Unix socket, not a port. */
const PORT_STREAMLOCAL = -2;

interface RawForward {
  listenHost: string | null;
  listenPort: number;
  listenPath: string | null;
  connectHost: string | null;
  connectPort: number;
  connectPath: string | null;
}

interface FwdArg {
  arg: string;
  isPath: boolean;
}

/**
 * How log.c prints a message on stderr: strnvis() with VIS_SAFE | VIS_OCTAL, so a backslash is
 * doubled and any byte that is not printable ASCII (nor tab, newline, backspace, bell, return)
 * becomes \ooo of its UTF-8 encoding: `é` is printed as \303\251. fprintf() messages are not escaped.
 */
function logVis(text: string): string {
  let out = '';
  for (const byte of utf8Bytes(text)) {
    if (byte === 0x5c) out += '\\\\';
    else if ((byte >= 0x20 && byte <= 0x7e) || byte === 0x09 || byte === 0x0a || byte === 0x08 || byte === 0x07 || byte === 0x0d) out += String.fromCharCode(byte);
    else out += `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return out;
}

function utf8Bytes(text: string): number[] {
  const bytes: number[] = [];
  for (const ch of text) {
    let code = ch.codePointAt(0)!;
    // A lone surrogate has no UTF-8 form; an encoder writes U+FFFD in its place.
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 63));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
    else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
  }
  return bytes;
}

/**
 * What misc.c dollar_expand() logs for a spec, and whether it failed. parse_forward() expands
 * ${NAME} from the environment before anything else; the lesson's shell has no environment, so
 * every ${NAME} is unset, which fails, as a missing '}' or an empty name do. (Real ssh would
 * expand a variable that is set, such as ${HOME}.) The lines come from error_f() in
 * vdollar_percent_expand(), which names the function; ssh 9.2p1 prints them before its own message.
 */
function dollarExpandLog(text: string): string[] {
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

/**
 * parse_forward(fwd, spec, dynamicfwd, remotefwd) from readconf.c, step for step, on a copy of the
 * string held as an array so that parse_fwd_field()'s in-place edits (a NUL over each ':', a
 * memmove() over each backslash) behave as in C. `raw` is null where parse_forward() returns 0;
 * `log` is what it printed on the way.
 */
function parseForwardRaw(spec: string, dynamicfwd: boolean, remotefwd: boolean): { raw: RawForward | null; log: string[] } {
  const text = cString(spec);
  const log = dollarExpandLog(text);
  if (log.length > 0) return { raw: null, log };
  return { raw: parseExpandedForward(text, dynamicfwd, remotefwd), log };
}

function parseExpandedForward(text: string, dynamicfwd: boolean, remotefwd: boolean): RawForward | null {
  const buf = [...text.split(''), '\0'];
  const at = (k: number): string => (k < buf.length ? buf[k]! : '\0');
  const stringAt = (k: number): string => {
    let end = k;
    while (at(end) !== '\0') end++;
    return buf.slice(k, end).join('');
  };

  /** parse_fwd_field(): 0 and the next position (null for C's NULL at end of string), or -1. */
  const parseField = (p: number): { ret: 0; next: number | null; field: FwdArg } | { ret: -1; next: number | null } => {
    if (at(p) === '\0') return { ret: -1, next: null };
    // A field in square brackets is taken literally (an IPv6 address): no escapes, ':' allowed.
    if (at(p) === '[') {
      let isPath = false;
      let ep = p + 1;
      for (; at(ep) !== ']' && at(ep) !== '\0'; ep++) if (at(ep) === '/') isPath = true;
      // No matching ']', or something other than ':' or the end after it.
      if (at(ep) !== ']' || (at(ep + 1) !== ':' && at(ep + 1) !== '\0')) return { ret: -1, next: p };
      buf[ep++] = '\0';
      if (at(ep) !== '\0') buf[ep++] = '\0';
      return { ret: 0, next: ep, field: { arg: stringAt(p + 1), isPath } };
    }
    let isPath = false;
    let cp = p;
    for (; at(cp) !== '\0'; cp++) {
      const c = at(cp);
      if (c === '\\') {
        // memmove(cp, cp + 1, …): the backslash goes and the loop steps over the character it escaped.
        buf.splice(cp, 1);
        if (at(cp) === '\0') return { ret: -1, next: p };
      } else if (c === '/') {
        isPath = true;
      } else if (c === ':') {
        buf[cp++] = '\0';
        break;
      }
    }
    return { ret: 0, next: cp, field: { arg: stringAt(p), isPath } };
  };

  let cp: number | null = 0;
  while (isCSpace(at(cp))) cp++;
  const args: FwdArg[] = [];
  let i = 0;
  for (; i < 4; i++) {
    const r = parseField(cp!);
    cp = r.next;
    if (r.ret !== 0) break;
    args.push(r.field);
  }
  // Trailing garbage: a fifth field, or a field parse_fwd_field() gave up on.
  if (cp !== null && at(cp) !== '\0') i = 0;

  const fwd: RawForward = { listenHost: null, listenPort: 0, listenPath: null, connectHost: null, connectPort: 0, connectPath: null };
  const a = (k: number) => args[k]!;
  switch (i) {
    case 1:
      if (a(0).isPath) {
        fwd.listenPath = a(0).arg;
        fwd.listenPort = PORT_STREAMLOCAL;
      } else {
        fwd.listenPort = a2port(a(0).arg);
      }
      fwd.connectHost = 'socks';
      break;
    case 2:
      if (a(0).isPath && a(1).isPath) {
        fwd.listenPath = a(0).arg;
        fwd.listenPort = PORT_STREAMLOCAL;
        fwd.connectPath = a(1).arg;
        fwd.connectPort = PORT_STREAMLOCAL;
      } else if (a(1).isPath) {
        fwd.listenPort = a2port(a(0).arg);
        fwd.connectPath = a(1).arg;
        fwd.connectPort = PORT_STREAMLOCAL;
      } else {
        fwd.listenHost = a(0).arg;
        fwd.listenPort = a2port(a(1).arg);
        fwd.connectHost = 'socks';
      }
      break;
    case 3:
      if (a(0).isPath) {
        fwd.listenPath = a(0).arg;
        fwd.listenPort = PORT_STREAMLOCAL;
        fwd.connectHost = a(1).arg;
        fwd.connectPort = a2port(a(2).arg);
      } else if (a(2).isPath) {
        fwd.listenHost = a(0).arg;
        fwd.listenPort = a2port(a(1).arg);
        fwd.connectPath = a(2).arg;
        fwd.connectPort = PORT_STREAMLOCAL;
      } else {
        fwd.listenPort = a2port(a(0).arg);
        fwd.connectHost = a(1).arg;
        fwd.connectPort = a2port(a(2).arg);
      }
      break;
    case 4:
      fwd.listenHost = a(0).arg;
      fwd.listenPort = a2port(a(1).arg);
      fwd.connectHost = a(2).arg;
      fwd.connectPort = a2port(a(3).arg);
      break;
    default:
      i = 0;
  }

  if (dynamicfwd) {
    if (!(i === 1 || i === 2)) return null;
  } else {
    if (!(i === 3 || i === 4) && fwd.connectPath === null && fwd.listenPath === null) return null;
    if (fwd.connectPort <= 0 && fwd.connectPath === null) return null;
  }
  // Port 0 means "let the server choose" and only a remote forward may ask for that.
  if ((fwd.listenPort < 0 && fwd.listenPath === null) || (!remotefwd && fwd.listenPort === 0)) return null;
  if (fwd.connectHost !== null && utf8Length(fwd.connectHost) >= NI_MAXHOST_BYTES) return null;
  if (fwd.connectPath !== null && utf8Length(fwd.connectPath) >= PATH_MAX_SUN_BYTES) return null;
  if (fwd.listenHost !== null && utf8Length(fwd.listenHost) >= NI_MAXHOST_BYTES) return null;
  if (fwd.listenPath !== null && utf8Length(fwd.listenPath) >= PATH_MAX_SUN_BYTES) return null;
  return fwd;
}

/**
 * `-L [bind_address:]port:host:hostport`: the client listens on `listenPort` and every connection
 * is carried to the server, which connects to `host:hostPort` (resolved on the server).
 */
export interface LocalForward {
  kind: 'local';
  /**
   * The listen address as written, null when the spec had none. Null binds per GatewayPorts
   * (loopback unless -g); '' (as in `:8080:web:80`) and '*' mean every interface; `localhost`
   * means loopback only. Interpreting it is the model's job; the parser keeps what was typed.
   */
  bindAddress: string | null;
  listenPort: number;
  /** The destination as the server will resolve it; may be '' if the spec left it empty (`8080::80`), which parse_forward() accepts. */
  host: string;
  hostPort: number;
  /** The specification as typed. */
  spec: string;
}

/**
 * `-R [bind_address:]port:host:hostport`: the server listens and the client connects to
 * `host:hostPort`. `listenPort` 0 asks the server to choose the port.
 */
export interface RemoteTcpForward {
  kind: 'remote';
  dynamic: false;
  bindAddress: string | null;
  listenPort: number;
  host: string;
  hostPort: number;
  spec: string;
}

/**
 * `-R [bind_address:]port` with no destination: the server listens and the client acts as a SOCKS
 * proxy for what arrives (OpenSSH 7.6 and later; only the client needs to be new enough).
 */
export interface RemoteDynamicForward {
  kind: 'remote';
  dynamic: true;
  bindAddress: string | null;
  listenPort: number;
  spec: string;
}

export type RemoteForward = RemoteTcpForward | RemoteDynamicForward;

/** `-D [bind_address:]port`: the client listens and speaks SOCKS4/SOCKS5; the server makes the connections. */
export interface DynamicForward {
  kind: 'dynamic';
  bindAddress: string | null;
  listenPort: number;
  spec: string;
}

export type Forward = LocalForward | RemoteForward | DynamicForward;
export type ForwardKind = Forward['kind'];
export type ForwardSpecResult<F extends Forward = Forward> = { ok: true; forward: F } | CommandFailure;

/** ssh.c's message for each kind of bad specification (main(), cases 'L', 'R', 'D'). */
const BAD_SPEC: Record<ForwardKind, string> = {
  local: 'Bad local forwarding specification',
  remote: 'Bad remote forwarding specification',
  dynamic: 'Bad dynamic forwarding specification',
};

function badSpec(kind: ForwardKind, spec: string, log: readonly string[]): CommandFailure {
  const message = `${BAD_SPEC[kind]} '${spec}'`;
  return failure('ssh', 'usage', [...log, message], 255, message);
}

function unixSocketUnsupported(spec: string): CommandFailure {
  return unsupported('ssh', `'${spec}' forwards a Unix-domain socket, which this lesson does not cover; use ports`);
}

/**
 * One forwarding specification, as ssh reads the argument of -L, -R or -D. Failures carry ssh's
 * own message ("Bad local forwarding specification '…'"); a valid specification that involves a
 * Unix-domain socket is refused as outside the lesson.
 */
export function parseForwardSpec(kind: 'local', spec: string): ForwardSpecResult<LocalForward>;
export function parseForwardSpec(kind: 'remote', spec: string): ForwardSpecResult<RemoteForward>;
export function parseForwardSpec(kind: 'dynamic', spec: string): ForwardSpecResult<DynamicForward>;
export function parseForwardSpec(kind: ForwardKind, spec: string): ForwardSpecResult;
export function parseForwardSpec(kind: ForwardKind, spec: string): ForwardSpecResult {
  if (kind === 'local') {
    const { raw, log } = parseForwardRaw(spec, false, false);
    if (raw === null) return badSpec(kind, spec, log);
    if (raw.listenPath !== null || raw.connectPath !== null) return unixSocketUnsupported(spec);
    return { ok: true, forward: { kind, bindAddress: raw.listenHost, listenPort: raw.listenPort, host: raw.connectHost!, hostPort: raw.connectPort, spec } };
  }
  if (kind === 'dynamic') {
    const { raw, log } = parseForwardRaw(spec, true, false);
    if (raw === null) return badSpec(kind, spec, log);
    if (raw.listenPath !== null || raw.connectPath !== null) return unixSocketUnsupported(spec);
    return { ok: true, forward: { kind, bindAddress: raw.listenHost, listenPort: raw.listenPort, spec } };
  }
  // ssh.c main(), case 'R': a full specification first, then (OpenSSH 7.6+) the dynamic form.
  const { raw: tcp, log: tcpLog } = parseForwardRaw(spec, false, true);
  if (tcp !== null) {
    if (tcp.listenPath !== null || tcp.connectPath !== null) return unixSocketUnsupported(spec);
    return { ok: true, forward: { kind, dynamic: false, bindAddress: tcp.listenHost, listenPort: tcp.listenPort, host: tcp.connectHost!, hostPort: tcp.connectPort, spec } };
  }
  // Both attempts log, so a bad ${NAME} is reported twice, as ssh 9.2p1 does.
  const { raw: dyn, log: dynLog } = parseForwardRaw(spec, true, true);
  if (dyn === null) return badSpec(kind, spec, [...tcpLog, ...dynLog]);
  if (dyn.listenPath !== null || dyn.connectPath !== null) return unixSocketUnsupported(spec);
  return { ok: true, forward: { kind, dynamic: true, bindAddress: dyn.listenHost, listenPort: dyn.listenPort, spec } };
}

/**
 * A field written so that parse_fwd_field() reads back exactly `value`: in brackets when it holds
 * a ':' (an IPv6 address) and brackets can carry it, else with a backslash before every character
 * that would split, start brackets, mark a path, start a ${ expansion or be skipped as a leading blank.
 */
function formatField(value: string): string {
  if (value.includes(':') && !value.includes(']') && !value.includes('/') && !value.includes('${')) return `[${value}]`;
  return value.replace(/[\\:/[{\s]/g, (c) => `\\${c}`);
}

/** The canonical text of a forward, which parseForwardSpec() reads back as the same forward. */
export function formatForwardSpec(fwd: Forward): string {
  const listen = fwd.bindAddress === null ? `${fwd.listenPort}` : `${formatField(fwd.bindAddress)}:${fwd.listenPort}`;
  if (fwd.kind === 'dynamic' || (fwd.kind === 'remote' && fwd.dynamic)) return listen;
  return `${listen}:${formatField(fwd.host)}:${fwd.hostPort}`;
}

/** readconf.c forward_equals(): add_local_forward() and add_remote_forward() skip duplicates. */
function sameForward(a: Forward, b: Forward): boolean {
  if (a.kind !== b.kind || a.bindAddress !== b.bindAddress || a.listenPort !== b.listenPort) return false;
  const target = (f: Forward) => (f.kind === 'local' || (f.kind === 'remote' && !f.dynamic) ? `${f.host}\0${f.hostPort}` : 'socks');
  return target(a) === target(b);
}

// ---------------------------------------------------------------------------------------------
// ssh's command line: ssh.c main()

/**
 * Which ssh to imitate where releases differ. `current` is OpenSSH 10.x (the default); `debian-9.2`
 * is OpenSSH 9.2p1 as Debian 12 ships it, whose usage text is older and whose -P takes no value,
 * but which has the 9.6 host and user name checks backported. Everything else here is the same in both.
 */
export type OpenSshFlavour = 'current' | 'debian-9.2';

/**
 * ssh.c's getopt() string. Letters outside it are "unknown option"; a letter followed by ':' takes
 * an argument, glued (-p2222) or next (-p 2222). In current releases -P takes a tag (its usage line
 * says [-P tag]); in 9.2p1 -P is a deprecated flag with no value, as in the 9.1 source.
 */
const SSH_OPTSTRING: Record<OpenSshFlavour, string> = {
  current: '1246ab:c:e:fgi:kl:m:no:p:qstvxAB:CD:E:F:GI:J:KL:MNO:P:Q:R:S:TVw:W:XYy',
  'debian-9.2': '1246ab:c:e:fgi:kl:m:no:p:qstvxAB:CD:E:F:GI:J:KL:MNO:PQ:R:S:TVw:W:XYy',
};

/**
 * usage() in ssh.c as OpenSSH 10.x prints it (the `ssh [-Q query_option]` line and `[-P tag]` are
 * newer than 9.2). The stored sources are 9.1 and older; this text is the one 10.2p1 prints, as
 * transcribed by several users of current Linux distributions.
 */
export const SSH_USAGE = [
  'usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface] [-b bind_address]',
  '           [-c cipher_spec] [-D [bind_address:]port] [-E log_file]',
  '           [-e escape_char] [-F configfile] [-I pkcs11] [-i identity_file]',
  '           [-J destination] [-L address] [-l login_name] [-m mac_spec]',
  '           [-O ctl_cmd] [-o option] [-P tag] [-p port] [-R address]',
  '           [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]',
  '           destination [command [argument ...]]',
  '       ssh [-Q query_option]',
] as const;

/** usage() as OpenSSH 9.2p1 (Debian 12) prints it, checked against the installed binary. */
export const SSH_USAGE_9_2 = [
  'usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface]',
  '           [-b bind_address] [-c cipher_spec] [-D [bind_address:]port]',
  '           [-E log_file] [-e escape_char] [-F configfile] [-I pkcs11]',
  '           [-i identity_file] [-J [user@]host[:port]] [-L address]',
  '           [-l login_name] [-m mac_spec] [-O ctl_cmd] [-o option] [-p port]',
  '           [-Q query_option] [-R address] [-S ctl_path] [-W host:port]',
  '           [-w local_tun[:remote_tun]] destination [command [argument ...]]',
] as const;

/** ssh exits 255 on every error it detects itself (usage(), fatal(), exit(255)). */
const SSH_FAILED = 255;

function sshUsage(flavour: OpenSshFlavour, before: readonly string[] = []): CommandFailure {
  return failure('ssh', 'usage', [...before, ...(flavour === 'current' ? SSH_USAGE : SSH_USAGE_9_2)], SSH_FAILED);
}

/** fatal() and the error()-then-exit(255) paths: the message alone, no usage text. */
function sshFatal(...lines: string[]): CommandFailure {
  return failure('ssh', 'usage', lines, SSH_FAILED);
}

/**
 * A fatal() after log_init(): with -q (log level QUIET) ssh exits 255 and prints nothing, so the
 * terminal shows nothing while `error` still says why. With -v, real ssh prints its debug lines
 * (version, "Reading configuration data …") before the message; those are not reproduced.
 */
function sshLogged(quiet: boolean, reason: 'usage' | 'runtime', message: string): CommandFailure {
  return quiet ? failure('ssh', reason, [], SSH_FAILED, `${message} (not printed: -q)`) : failure('ssh', reason, [message], SSH_FAILED);
}

type GetoptEvent =
  | { kind: 'option'; letter: string; optarg: string | null }
  | { kind: 'end' }
  | { kind: 'unknown'; letter: string }
  | { kind: 'missing'; letter: string };

/**
 * getopt() as ssh gets it: the BSD one (openbsd-compat/getopt_long.c replaces glibc's, which has
 * no optreset), which never permutes, so options stop at the first word not starting with '-'.
 * Its messages are "unknown option -- %c" and "option requires an argument -- %c", printed
 * through logit() with no program name, before ssh prints usage().
 */
function makeGetopt(av: readonly string[], optstring: string) {
  const state = { optind: 1, place: '' };
  const next = (): GetoptEvent => {
    if (state.place === '') {
      if (state.optind >= av.length) return { kind: 'end' };
      const arg = av[state.optind]!;
      // A word not starting with '-', or '-' alone, ends the options.
      if (!arg.startsWith('-') || arg === '-') return { kind: 'end' };
      state.place = arg.slice(1);
      if (state.place === '-') {
        state.optind++;
        state.place = '';
        return { kind: 'end' };
      }
    }
    const letter = state.place[0]!;
    state.place = state.place.slice(1);
    const index = letter === ':' ? -1 : optstring.indexOf(letter);
    if (index < 0 || (letter === '-' && state.place !== '')) {
      // A '-' that ends a cluster ("-v-") makes getopt() stop without consuming the word.
      if (letter === '-' && state.place === '') return { kind: 'end' };
      if (state.place === '') state.optind++;
      return { kind: 'unknown', letter };
    }
    if (optstring[index + 1] !== ':') {
      if (state.place === '') state.optind++;
      return { kind: 'option', letter, optarg: null };
    }
    let optarg: string;
    if (state.place !== '') optarg = state.place;
    else if (++state.optind >= av.length) {
      state.place = '';
      return { kind: 'missing', letter };
    } else optarg = av[state.optind]!;
    state.place = '';
    state.optind++;
    return { kind: 'option', letter, optarg };
  };
  return { state, next };
}

/** What -o set, first value of each keyword (readconf.c sets an option only while it is unset). */
export interface SshConfigOptions {
  port?: number;
  user?: string;
  gatewayPorts?: boolean;
  exitOnForwardFailure?: boolean;
}

export interface SshCommand {
  program: 'ssh';
  /** The words the shell passed, argv[0] included. */
  argv: string[];
  host: string;
  /** The remote user; null means ssh uses the local user's name. First of -l, -o User, user@ wins, in the order typed. */
  user: string | null;
  /** The server's port; null means 22. First of -p, -o Port, ssh://host:port wins, in the order typed. */
  port: number | null;
  /** -N: no remote command or shell, forwarding only. */
  noCommand: boolean;
  /** -g, or -o GatewayPorts=yes: listeners this client opens with no bind address accept other hosts. */
  gatewayPorts: boolean;
  /** -f: go to the background after authentication. */
  background: boolean;
  /** -o ExitOnForwardFailure=yes: give up if a forward cannot be set up. */
  exitOnForwardFailure: boolean;
  /** The number of -v, at most 3 as ssh counts them. */
  verbosity: number;
  locals: LocalForward[];
  remotes: RemoteForward[];
  dynamics: DynamicForward[];
  /** The remote command, its words joined with single spaces as ssh.c does; null for none. */
  command: string | null;
  /** The -o settings the lesson models, as given. */
  options: SshConfigOptions;
  /** Options ssh accepts that the lesson does not model, as typed (`-C`, `-o StrictHostKeyChecking=no`). */
  ignored: string[];
  /** Facts about this command line worth showing the reader. */
  notes: string[];
}

export type SshParseResult = { ok: true; command: SshCommand } | CommandFailure;

/** The ssh_config keywords ssh knows in 9.x/10.x (readconf.c keywords[]), lowercase. */
const SSH_KEYWORDS = new Set(
  (
    'protocol cipher fallbacktorsh globalknownhostsfile2 rhostsauthentication userknownhostsfile2 useroaming usersh useprivilegedport ' +
    'afstokenpassing kerberosauthentication kerberostgtpassing rsaauthentication rhostsrsaauthentication compressionlevel ' +
    'gssapiauthentication gssapidelegatecredentials pkcs11provider smartcarddevice forwardagent forwardx11 forwardx11trusted ' +
    'forwardx11timeout exitonforwardfailure xauthlocation gatewayports passwordauthentication kbdinteractiveauthentication ' +
    'kbdinteractivedevices challengeresponseauthentication skeyauthentication tisauthentication pubkeyauthentication ' +
    'dsaauthentication hostbasedauthentication identityfile identityfile2 identitiesonly certificatefile addkeystoagent ' +
    'identityagent hostname hostkeyalias proxycommand port ciphers macs remoteforward localforward permitremoteopen user host ' +
    'match escapechar globalknownhostsfile userknownhostsfile connectionattempts batchmode checkhostip stricthostkeychecking ' +
    'compression tcpkeepalive keepalive numberofpasswordprompts syslogfacility loglevel logverbose dynamicforward ' +
    'preferredauthentications hostkeyalgorithms casignaturealgorithms bindaddress bindinterface clearallforwardings ' +
    'enablesshkeysign verifyhostkeydns nohostauthenticationforlocalhost rekeylimit connecttimeout addressfamily ' +
    'serveraliveinterval serveralivecountmax sendenv setenv controlpath controlmaster controlpersist hashknownhosts include ' +
    'tunnel tunneldevice localcommand permitlocalcommand remotecommand visualhostkey kexalgorithms ipqos requesttty sessiontype ' +
    'stdinnull forkafterauthentication proxyusefdpass canonicaldomains canonicalizefallbacklocal canonicalizehostname ' +
    'canonicalizemaxdots canonicalizepermittedcnames streamlocalbindmask streamlocalbindunlink revokedhostkeys fingerprinthash ' +
    'updatehostkeys hostbasedacceptedalgorithms hostbasedkeytypes pubkeyacceptedalgorithms pubkeyacceptedkeytypes ignoreunknown ' +
    'proxyjump securitykeyprovider knownhostscommand requiredrsasize enableescapecommandline channeltimeout tag obscurekeystroketiming'
  ).split(' '),
);

/** Keywords that change what the lesson draws (where ssh connects, which forwards exist, what runs): refused, not ignored. */
const SSH_KEYWORDS_UNSUPPORTED = new Set(
  'localforward remoteforward dynamicforward clearallforwardings hostname proxyjump proxycommand sessiontype forkafterauthentication remotecommand tunnel tunneldevice include match host controlmaster controlpath controlpersist permitremoteopen'.split(
    ' ',
  ),
);

/** The flags that have no bearing on forwarding, recorded in `ignored` (-P is a flag in 9.2 and takes a tag later). */
const SSH_IGNORED_FLAGS = '246nxXyYaAkKtTCMP';
/** The options with an argument that have no bearing on forwarding. -c and -m are not checked against the cipher and MAC lists. */
const SSH_IGNORED_WITH_ARG = 'bBcEFiImS';

interface SshState {
  port: number | null;
  user: string | null;
  userFromCommandLine: boolean;
  gatewayPorts: -1 | 0 | 1;
  exitOnForwardFailure: -1 | 0 | 1;
  sessionType: 'none' | 'subsystem' | null;
  background: boolean;
  /** log.h's SyslogLevel as -q and -v leave it: -1 unset, 0 QUIET, 1 FATAL, 3 INFO, 5 to 7 DEBUG1 to DEBUG3. */
  logLevel: number;
  /** ssh.c's debug_flag: how many -v were counted. */
  debugFlag: number;
  locals: LocalForward[];
  remotes: RemoteForward[];
  dynamics: DynamicForward[];
  options: SshConfigOptions;
  ignored: string[];
  /** The first option ssh would act on that the lesson does not model; reported if nothing else fails first. */
  deferred: CommandFailure | null;
}

/** The multiplexing commands ssh.c accepts for -O; anything else is fatal. */
const MUX_COMMANDS = ['check', 'forward', 'exit', 'stop', 'cancel', 'proxy'];

/** One option, in the order ssh.c main() acts on it. A returned failure ends the parse. */
function applySshOption(st: SshState, letter: string, optarg: string | null): CommandFailure | null {
  const arg = optarg ?? '';
  const defer = (sentence: string) => {
    st.deferred ??= unsupported('ssh', sentence);
  };
  switch (letter) {
    case '1':
      return sshFatal('SSH protocol v.1 is no longer supported');
    case 'f':
      st.background = true;
      return null;
    case 'g':
      st.gatewayPorts = 1;
      return null;
    case 'v':
      // ssh.c: the first -v sets DEBUG1 (even after -q), later ones raise the level up to DEBUG3.
      if (st.debugFlag === 0) {
        st.debugFlag = 1;
        st.logLevel = 5;
      } else if (st.logLevel < 7) {
        st.debugFlag++;
        st.logLevel++;
      }
      return null;
    case 'q':
      st.logLevel = 0;
      st.ignored.push('-q');
      return null;
    case 'N':
      if (st.sessionType !== null && st.sessionType !== 'none') return sshFatal('Cannot specify -N with -s/SessionType');
      st.sessionType = 'none';
      return null;
    case 's':
      if (st.sessionType !== null && st.sessionType !== 'subsystem') return sshFatal('Cannot specify -s with -N/SessionType');
      st.sessionType = 'subsystem';
      return null;
    case 'p':
      // Only the first port counts, and only it is checked: a later bad -p is never read.
      if (st.port === null) {
        const port = a2port(arg);
        if (port <= 0) return sshFatal(`Bad port '${arg}'`);
        st.port = port;
      }
      return null;
    case 'l':
      if (st.user === null) {
        st.user = arg;
        st.userFromCommandLine = true;
      }
      return null;
    case 'L': {
      const r = parseForwardSpec('local', arg);
      if (!r.ok) return deferOrFail(st, r);
      if (!st.locals.some((f) => sameForward(f, r.forward))) st.locals.push(r.forward);
      return null;
    }
    case 'R': {
      const r = parseForwardSpec('remote', arg);
      if (!r.ok) return deferOrFail(st, r);
      if (!st.remotes.some((f) => sameForward(f, r.forward))) st.remotes.push(r.forward);
      return null;
    }
    case 'D': {
      const r = parseForwardSpec('dynamic', arg);
      if (!r.ok) return deferOrFail(st, r);
      if (!st.dynamics.some((f) => sameForward(f, r.forward))) st.dynamics.push(r.forward);
      return null;
    }
    case 'o':
      return applyConfigLine(st, arg);
    case 'e':
      // ssh.c: "^X" for a control character, one character, or "none".
      if (!((arg[0] === '^' && arg.length === 2 && arg.charCodeAt(1) >= 64 && arg.charCodeAt(1) < 128) || utf8Length(arg) === 1 || arg === 'none')) {
        return sshFatal(`Bad escape character '${arg}'.`);
      }
      st.ignored.push(`-e ${arg}`);
      return null;
    case 'O':
      if (!MUX_COMMANDS.includes(arg)) return sshFatal('Invalid multiplex command.');
      defer('-O controls a multiplexing master, which this lesson does not model');
      return null;
    case 'W':
      {
        const { raw, log } = parseForwardRaw(arg, true, false);
        if (raw === null) return sshFatal(...log, `Bad stdio forwarding specification '${arg}'`);
      }
      defer('-W (stdio forwarding) is outside this lesson; use -L');
      return null;
    case 'J':
      defer('-J (jump hosts) is outside this lesson');
      return null;
    case 'w':
      defer('-w (tun device forwarding) is outside this lesson');
      return null;
    case 'G':
      defer('-G prints the configuration and exits; this lesson does not model it');
      return null;
    case 'V':
      // ssh prints its version and exits at once, before reading the rest of the line.
      return unsupported('ssh', '-V prints the version of OpenSSH and exits; this lesson does not model it');
    case 'Q':
      return unsupported('ssh', '-Q queries the algorithms ssh supports and exits; this lesson does not model it');
    default:
      if (SSH_IGNORED_FLAGS.includes(letter) || SSH_IGNORED_WITH_ARG.includes(letter)) st.ignored.push(optarg === null ? `-${letter}` : `-${letter} ${optarg}`);
      return null;
  }
}

/** A spec ssh accepts but the lesson does not model waits; ssh's own refusals end the parse at once. */
function deferOrFail(st: SshState, problem: CommandFailure): CommandFailure | null {
  if (problem.reason === 'unsupported') {
    st.deferred ??= problem;
    return null;
  }
  return problem;
}

const CONFIG_WS = ' \t\r\n';

function skipWs(s: string, k: number): number {
  while (k < s.length && CONFIG_WS.includes(s[k]!)) k++;
  return k;
}

/**
 * misc.c strdelim(): the next token of a configuration line, split at blanks or one '=', with
 * "…" quoting. `next` null is C's NULL (nothing follows); a null token is an unclosed quote.
 */
function strdelim(s: string, pos: number | null): { token: string | null; next: number | null } {
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
function argvSplit(s: string): string[] | null {
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

/** C's lowercase() in readconf.c: ASCII only. */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/**
 * `-o line`, as readconf.c process_config_line() reads it with filename "command-line" and line
 * number 0, which is why its messages say "command-line line 0:". GatewayPorts,
 * ExitOnForwardFailure, Port and User are modelled; other real keywords are ignored or, when they
 * change what the lesson draws, refused; an unknown keyword is ssh's "Bad configuration option".
 */
function applyConfigLine(st: SshState, optarg: string): CommandFailure | null {
  const where = 'command-line line 0:';
  let line = cString(optarg);
  if (line.length === 0) return null;
  // Trailing blanks go (and a form feed), though never the first character.
  let end = line.length - 1;
  while (end > 0 && `${CONFIG_WS}\f`.includes(line[end]!)) end--;
  line = line.slice(0, end + 1);
  let { token: keyword, next: str } = strdelim(line, 0);
  if (keyword === null) return null;
  if (keyword === '') ({ token: keyword, next: str } = strdelim(line, str));
  if (keyword === null || keyword === '' || keyword[0] === '\n' || keyword[0] === '#') return null;
  keyword = asciiLower(keyword);
  if (str !== null) str = skipWs(line, str);
  if (str === null || str >= line.length) return sshFatal(`${where} no argument after keyword "${keyword}"`);
  // parse_token() complains about an unknown keyword before argv_split() looks at the quotes.
  const known = SSH_KEYWORDS.has(keyword);
  const complaints = known ? [] : [`command-line: line 0: Bad configuration option: ${keyword}`];
  const av = argvSplit(line.slice(str));
  if (av === null) return sshFatal(...complaints, `${where} invalid quotes`);
  if (!known) return sshFatal(...complaints);
  const arg = av[0];
  const extra = () => sshFatal(`${where} keyword ${keyword} extra arguments at end of line`);
  switch (keyword) {
    case 'port': {
      if (arg === undefined || arg === '') return sshFatal(`${where} Missing argument.`);
      const port = a2port(arg);
      if (port <= 0) return sshFatal(`${where} Bad port '${arg}'.`);
      if (av.length > 1) return extra();
      st.options.port ??= port;
      st.port ??= port;
      return null;
    }
    case 'user':
      if (arg === undefined || arg === '') return sshFatal(`${where} Missing argument.`);
      if (av.length > 1) return extra();
      st.options.user ??= arg;
      if (st.user === null) {
        st.user = arg;
        st.userFromCommandLine = true;
      }
      return null;
    case 'gatewayports':
    case 'exitonforwardfailure': {
      // parse_flag: yes/true/no/false, any case. A missing value prints both of these lines, the
      // second with the NULL argument printf() shows as "(null)".
      if (arg === undefined || arg === '') return sshFatal(`${where} missing argument.`, `${where} unsupported option "${arg ?? '(null)'}".`);
      const lower = asciiLower(arg);
      const value = lower === 'yes' || lower === 'true' ? 1 : lower === 'no' || lower === 'false' ? 0 : -1;
      if (value === -1) return sshFatal(`${where} unsupported option "${arg}".`);
      if (av.length > 1) return extra();
      if (keyword === 'gatewayports') {
        st.options.gatewayPorts ??= value === 1;
        if (st.gatewayPorts === -1) st.gatewayPorts = value;
      } else {
        st.options.exitOnForwardFailure ??= value === 1;
        if (st.exitOnForwardFailure === -1) st.exitOnForwardFailure = value;
      }
      return null;
    }
    default:
      if (SSH_KEYWORDS_UNSUPPORTED.has(keyword)) {
        st.deferred ??= unsupported('ssh', `-o ${keyword} changes what this lesson models; use -L, -R, -D and a plain destination`);
      } else {
        st.ignored.push(`-o ${optarg}`);
      }
      return null;
  }
}

/** misc.c valid_domain(name, 0): the host of an ssh:// URI; the trailing dot goes. */
function validDomain(name: string): string | null {
  if (name === '' || !/^[A-Za-z0-9]/.test(name)) return null;
  if (/\.\./.test(name) || /[^A-Za-z0-9._-]/.test(name)) return null;
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** misc.c urldecode(): '+' is a space and %XX a byte; a bad escape fails. A decoded NUL ends the C string. */
function urlDecode(src: string): string | null {
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
function hpdelim2(s: string): { host: string; rest: string | null; delim: string } | null {
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
 * ssh.c parse_ssh_uri() → misc.c parse_uri("ssh", …): 1 when the word is not an ssh:// URI,
 * -1 when it is a bad one (ssh then prints usage), else the parts. A path is not allowed.
 */
function parseSshUri(word: string): 1 | -1 | { user: string | null; host: string; port: number | null } {
  if (!word.startsWith('ssh://')) return 1;
  let rest = word.slice(6);
  let user: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    let userPart = rest.slice(0, at);
    // Connection parameters after ';' are ignored.
    const semi = userPart.indexOf(';');
    if (semi >= 0) userPart = userPart.slice(0, semi);
    if (userPart === '') return -1;
    user = urlDecode(userPart);
    if (user === null) return -1;
    rest = rest.slice(at + 1);
  }
  const hp = hpdelim2(rest);
  if (hp === null || hp.host === '') return -1;
  const cleaned = hp.host.startsWith('[') && hp.host.endsWith(']') ? hp.host.slice(1, -1) : hp.host;
  const host = validDomain(cleaned);
  if (host === null) return -1;
  let port: number | null = null;
  let tail = hp.rest;
  if (tail !== null && tail !== '') {
    if (hp.delim === ':') {
      const slash = tail.indexOf('/');
      const portText = slash < 0 ? tail : tail.slice(0, slash);
      const value = a2port(portText);
      if (value <= 0) return -1;
      port = value;
      tail = slash < 0 ? null : tail.slice(slash + 1);
    }
    if (tail !== null && tail !== '') return -1;
  }
  return { user, host, port };
}

/**
 * misc.c valid_hostname(), checked by ssh.c main() since OpenSSH 9.6 (and in Debian's 9.2p1, which
 * backports it): no leading '-', no blanks or control characters, none of the shell's quoting and
 * operator characters, no ','. The ',' is from Debian 9.2p1's behaviour (`ssh -G ho,st` is refused);
 * the upstream 9.6 list may lack it.
 */
function validHostname(s: string): boolean {
  if (s.startsWith('-')) return false;
  for (const c of s) {
    const code = c.charCodeAt(0);
    if ('\'`"$\\;&<>|(){},'.includes(c) || isCSpace(c) || code < 0x20 || code === 0x7f) return false;
  }
  return true;
}

/** misc.c valid_ruser() (OpenSSH 9.6+): the user name typed on the command line. */
function validRuser(s: string): boolean {
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

/**
 * ssh's argument vector (argv[0] is the program name) read as ssh.c main() reads it: options,
 * the destination, options again after the destination (ssh restarts getopt() there), then the
 * remote command. Errors are reported in the order ssh meets them, with its messages.
 */
export function parseSshArgv(argv: readonly string[], flavour: OpenSshFlavour = 'current'): SshParseResult {
  const st: SshState = {
    port: null,
    user: null,
    userFromCommandLine: false,
    gatewayPorts: -1,
    exitOnForwardFailure: -1,
    sessionType: null,
    background: false,
    logLevel: -1,
    debugFlag: 0,
    locals: [],
    remotes: [],
    dynamics: [],
    options: {},
    ignored: [],
    deferred: null,
  };
  let av = argv.map(cString);
  let host: string | null = null;
  let optTerminated = false;
  for (;;) {
    const getopt = makeGetopt(av, SSH_OPTSTRING[flavour]);
    for (;;) {
      const ev = getopt.next();
      if (ev.kind === 'end') break;
      if (ev.kind === 'unknown') return sshUsage(flavour, [`unknown option -- ${ev.letter}`]);
      if (ev.kind === 'missing') return sshUsage(flavour, [`option requires an argument -- ${ev.letter}`]);
      const problem = applySshOption(st, ev.letter, ev.optarg);
      if (problem) return problem;
    }
    const optind = getopt.state.optind;
    if (optind > 1 && av[optind - 1] === '--') optTerminated = true;
    av = av.slice(optind);
    if (av.length > 0 && host === null) {
      const word = av[0]!;
      const uri = parseSshUri(word);
      if (uri === -1) return sshUsage(flavour);
      if (uri !== 1) {
        host = uri.host;
        if (st.user === null && uri.user !== null) {
          st.user = uri.user;
          st.userFromCommandLine = true;
        }
        if (st.port === null && uri.port !== null) st.port = uri.port;
      } else {
        const at = word.lastIndexOf('@');
        if (at === 0) return sshUsage(flavour);
        if (at > 0) {
          if (st.user === null) {
            st.user = word.slice(0, at);
            st.userFromCommandLine = true;
          }
          host = word.slice(at + 1);
        } else host = word;
      }
      // More words after the destination: ssh reads options again, unless "--" came before it.
      if (av.length > 1 && !optTerminated) continue;
      av = av.slice(1);
    }
    break;
  }
  if (host === null) return sshUsage(flavour);
  // The order of these checks, and which of them -q silences, is what ssh 9.2p1 (Debian 12, with
  // the 9.6 name checks backported) does: the user name first ("-- -bob@-host" is a user-name
  // error), then the host name, both always printed; the later ones go through the logger, which
  // -q has turned off by then (log_init() has run).
  if (st.userFromCommandLine && st.user !== null && !validRuser(st.user)) return sshFatal('remote username contains invalid characters');
  if (!validHostname(host)) return sshFatal('hostname contains invalid characters');
  const quiet = st.logLevel === 0;
  const command = av.join(' ');
  if (command === '' && st.sessionType === 'subsystem') return sshUsage(flavour, ['You must specify a subsystem to invoke.']);
  if (st.background && command === '' && st.sessionType !== 'none') return sshLogged(quiet, 'usage', 'Cannot fork into background without a command to execute.');
  if (st.sessionType === 'subsystem') st.deferred ??= unsupported('ssh', '-s (subsystems) is outside this lesson');
  if (st.deferred) return st.deferred;
  // ssh's parser lets `user@` through; resolving "" fails before any packet is sent (glibc's wording, seen with 9.2p1).
  if (host === '') return sshLogged(quiet, 'runtime', 'ssh: Could not resolve hostname : Name or service not known');
  const cmd: SshCommand = {
    program: 'ssh',
    argv: [...argv],
    host,
    user: st.user,
    port: st.port,
    noCommand: st.sessionType === 'none',
    gatewayPorts: st.gatewayPorts === 1,
    background: st.background,
    exitOnForwardFailure: st.exitOnForwardFailure === 1,
    verbosity: st.logLevel >= 5 ? st.logLevel - 4 : 0,
    locals: st.locals,
    remotes: st.remotes,
    dynamics: st.dynamics,
    command: command === '' ? null : command,
    options: st.options,
    ignored: st.ignored,
    notes: [],
  };
  cmd.notes = sshNotes(cmd);
  return { ok: true, command: cmd };
}

/** What a reader should know about a valid command that the command itself does not say. */
function sshNotes(cmd: SshCommand): string[] {
  const notes: string[] = [];
  for (const r of cmd.remotes) {
    if (r.dynamic) {
      notes.push(`-R ${r.spec}: dynamic remote forwarding: the server listens and this client acts as a SOCKS proxy for what arrives (OpenSSH 7.6 or later on the client).`);
    }
    if (r.listenPort === 0) notes.push(`-R ${r.spec}: port 0 lets the server choose the port; ssh reports the one it got.`);
    if (r.bindAddress !== null) {
      notes.push(`-R ${r.spec}: the server uses a bind address other than loopback only if its sshd_config says GatewayPorts clientspecified.`);
    }
  }
  if (cmd.gatewayPorts && cmd.remotes.length > 0) notes.push("-g applies to this client's listeners (-L, -D); -R listeners follow the server's GatewayPorts.");
  if (cmd.background && !cmd.noCommand && cmd.command !== null) notes.push('-f without -N runs the remote command in the background.');
  return notes;
}

/**
 * A command line that parseSshArgv() reads back as the same command (host, user, port, flags,
 * forwards with their original specs, remote command). -o settings other than
 * ExitOnForwardFailure, ignored options and notes are not reproduced.
 */
export function formatSshCommand(cmd: SshCommand): string {
  const words: string[] = ['ssh'];
  for (let k = 0; k < cmd.verbosity; k++) words.push('-v');
  if (cmd.noCommand) words.push('-N');
  if (cmd.gatewayPorts) words.push('-g');
  if (cmd.background) words.push('-f');
  if (cmd.port !== null) words.push('-p', String(cmd.port));
  if (cmd.user !== null) words.push('-l', cmd.user);
  if (cmd.exitOnForwardFailure) words.push('-o', 'ExitOnForwardFailure=yes');
  for (const f of cmd.locals) words.push('-L', f.spec);
  for (const f of cmd.remotes) words.push('-R', f.spec);
  for (const f of cmd.dynamics) words.push('-D', f.spec);
  // A host that looks like an ssh:// URI could only have come from user@host; keep that form.
  words.push(cmd.host.startsWith('ssh://') ? `${cmd.user ?? ''}@${cmd.host}` : cmd.host);
  if (cmd.command !== null) words.push('--', cmd.command);
  return words.map(quoteShellWord).join(' ');
}

// ---------------------------------------------------------------------------------------------
// A whole line

export type ParsedCommand = SshCommand | ClientCommand;
export type CommandLineResult = { ok: true; command: ParsedCommand } | CommandFailure;

const KNOWN_PROGRAMS = ['ssh', ...CLIENT_PROGRAMS];

/**
 * What the reader typed, as the shell and then the program would take it. Never throws.
 * `/usr/bin/ssh` and the like run the same programs; any other path, and any other program, is
 * what bash says about a command it cannot find.
 */
export function parseCommandLine(line: string, flavour: OpenSshFlavour = 'current'): CommandLineResult {
  const tokens = tokenizeShell(line);
  if (!tokens.ok) return tokens;
  const words = tokens.words;
  if (words.length === 0) return failure('', 'empty', [], null, 'nothing to run');
  const typed = words[0]!;
  let name = typed;
  if (typed.includes('/')) {
    const m = /^\/(?:usr\/(?:local\/)?)?bin\/([^/]+)$/.exec(typed);
    if (m === null || !KNOWN_PROGRAMS.includes(m[1]!)) return failure('bash', 'shell', [`bash: ${typed}: No such file or directory`], 127);
    name = m[1]!;
  }
  if (name === 'ssh') return parseSshArgv(words, flavour);
  if (isClientProgram(name)) {
    const r = parseClientArgv(name, words);
    return 'ok' in r ? r : { ok: true, command: r };
  }
  if (SHELL_BUILTINS.has(name)) return unsupported('bash', `${name} is a shell builtin this lesson's terminal does not run`);
  return failure('bash', 'shell', [`bash: ${typed}: command not found`], 127);
}

/** Builtins bash would run rather than call "not found". */
const SHELL_BUILTINS = new Set(['cd', 'echo', 'exit', 'logout', 'export', 'pwd', 'printf', 'true', 'false', 'type', 'help', 'history', 'alias', 'unset', 'set', 'source', '.', 'exec', 'kill', 'jobs', 'fg', 'bg', 'wait', 'test', '[']);
