/**
 * A forwarding specification (the argument of -L, -R, -D and -W) as OpenSSH's readconf.c reads it:
 * parse_forward() and parse_fwd_field(), step for step, then forward_equals() for the duplicates
 * add_local_forward() and add_remote_forward() skip. The messages for a bad one are ssh.c main()'s
 * (cases 'L', 'R', 'D'). The ports go through misc.c a2port() (misc.ts).
 *
 * The OpenSSH sources this folder follows: OpenSSH portable's readconf.c 1.366 (2022), ssh.c
 * 1.576 (9.1), misc.c 1.189 (9.6) and getopt_long.c 1.25; ssh.ts says how the result was checked
 * against ssh itself.
 */
import { failure, unsupported, type CommandFailure } from '../failure.ts';
import { cString, isCSpace, utf8Length } from './c.ts';
import { a2port, dollarExpandLog } from './misc.ts';

/** glibc's NI_MAXHOST: parse_forward() refuses a host name of this many bytes or more. */
const NI_MAXHOST_BYTES = 1025;
/** sizeof(sockaddr_un.sun_path) on Linux: PATH_MAX_SUN, the limit on a Unix-socket path. */
const PATH_MAX_SUN_BYTES = 108;
/** readconf.h's PORT_STREAMLOCAL: the listen or connect side is a Unix socket, not a port. */
const PORT_STREAMLOCAL = -2;

export interface RawForward {
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
 * parse_forward(fwd, spec, dynamicfwd, remotefwd) from readconf.c, step for step, on a copy of the
 * string held as an array so that parse_fwd_field()'s in-place edits (a NUL over each ':', a
 * memmove() over each backslash) behave as in C. `raw` is null where parse_forward() returns 0;
 * `log` is what it printed on the way.
 */
export function parseForwardRaw(spec: string, dynamicfwd: boolean, remotefwd: boolean): { raw: RawForward | null; log: string[] } {
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
export function sameForward(a: Forward, b: Forward): boolean {
  if (a.kind !== b.kind || a.bindAddress !== b.bindAddress || a.listenPort !== b.listenPort) return false;
  const target = (f: Forward) => (f.kind === 'local' || (f.kind === 'remote' && !f.dynamic) ? `${f.host}\0${f.hostPort}` : 'socks');
  return target(a) === target(b);
}
