/**
 * The commands a reader may type on a host of the SSH port-forwarding walk, other than ssh itself:
 * `vncviewer`, `curl` (through a SOCKS or HTTP proxy or not), `nc` and `ping`.
 *
 * These parsers take the argument vector the shell produced (parse.ts tokenises the line) and
 * never throw. They model the part of each program's syntax the lesson needs; where the real
 * program's wording is known from its source the message says so in a comment, and everything
 * else is a modelled message, shaped like the real one but not a transcript of it.
 *
 * This file imports nothing so that parse.ts can import it without a cycle; the small things both
 * need (the failure shape, the services table) live here.
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

/**
 * The TCP services getservbyname(3) finds in /etc/services on a stock Debian or Ubuntu machine
 * (the netbase package), for the names a reader of this lesson is likely to type. ssh's a2port()
 * (misc.c) and nc fall back to this lookup when a port is not a number, so `-L 8080:web:http` is a
 * valid forward. The real table is the machine's; this is a subset of it, and the lookup is
 * case-sensitive, as getservbyname is.
 */
const TCP_SERVICES: Readonly<Record<string, number>> = {
  ftp: 21,
  ssh: 22,
  telnet: 23,
  smtp: 25,
  domain: 53,
  http: 80,
  www: 80,
  pop3: 110,
  imap2: 143,
  imap: 143,
  https: 443,
  submission: 587,
  imaps: 993,
  pop3s: 995,
  socks: 1080,
  postgresql: 5432,
  postgres: 5432,
  x11: 6000,
};

/** getservbyname(name, "tcp"): the port, or null when /etc/services has no such name. */
export function lookupTcpService(name: string): number | null {
  return Object.hasOwn(TCP_SERVICES, name) ? TCP_SERVICES[name]! : null;
}

const DIGITS = /^[0-9]+$/;

/** A decimal port from 1 to 65535, or null. Used where a program takes digits only. */
function decimalPort(text: string): number | null {
  if (!DIGITS.test(text)) return null;
  const value = Number(text.length > 6 ? '999999' : text);
  return value >= 1 && value <= 65535 ? value : null;
}

// ---------------------------------------------------------------------------------------------
// vncviewer

export interface VncViewerCommand {
  program: 'vncviewer';
  argv: string[];
  /** The argument as typed, e.g. `localhost:1`. */
  target: string;
  /** The host to connect to; `localhost` when the argument names none (`:1`). */
  host: string;
  /** The TCP port: 5900 + display for `host:N` with N < 100, else the number as given. */
  port: number;
  /** The display number when the argument named one (`host`, `host:N` with N < 100); null for `host::port` and `host:N` with N ≥ 100. */
  display: number | null;
}

/**
 * `vncviewer [host][:display]` or `vncviewer host::port`, as TigerVNC's rfb::getHostAndPort()
 * (common/rfb/Hostname.h) reads it: one colon is a display number, added to 5900 when it is below
 * 100 and used as a port otherwise; two colons are a raw port; an address with more colons is an
 * IPv6 literal with no port unless bracketed (`[::1]:1`); no host means localhost. TigerVNC lets a
 * port outside 1–65535 through (`:-1` is 5899); here it is refused, with TigerVNC's own words
 * for a malformed port.
 */
export function parseVncViewer(argv: readonly string[]): VncViewerCommand | CommandFailure {
  const args = argv.slice(1);
  if (args.some((a) => a.startsWith('-') && a.length > 1)) {
    return unsupported('vncviewer', 'options are outside this lesson; type the server only, e.g. vncviewer localhost:1');
  }
  if (args.length === 0) {
    return unsupported('vncviewer', 'with no server vncviewer opens a connection dialog; this lesson needs one, e.g. vncviewer localhost:1');
  }
  if (args.length > 1) {
    return failure('vncviewer', 'usage', ['vncviewer: too many arguments; usage: vncviewer [options] [host][:display#]'], 1);
  }
  const target = args[0]!;
  const text = target.replace(/^\s+/, '');
  let host: string;
  let portText: string | null;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return vncBad('unmatched [ in host');
    host = text.slice(1, close);
    const rest = text.slice(close + 1);
    portText = rest.trim() === '' ? null : rest;
  } else {
    const last = text.lastIndexOf(':');
    if (last < 0) {
      host = text;
      portText = null;
    } else {
      let hostEnd = last;
      if (hostEnd > 0 && text[hostEnd - 1] === ':') hostEnd--;
      if (text.indexOf(':') !== hostEnd) {
        // More colons than a `host:N` or `host::N` has: an IPv6 literal, with the default port.
        host = text;
        portText = null;
      } else {
        host = text.slice(0, hostEnd);
        portText = text.slice(hostEnd);
      }
    }
  }
  host = host.replace(/\s+$/, '');
  if (host === '') host = 'localhost';
  if (portText === null) return { program: 'vncviewer', argv: [...argv], target, host, port: 5900, display: 0 };
  if (!portText.startsWith(':')) return vncBad('invalid port specified');
  const raw = portText.startsWith('::');
  const digits = portText.slice(raw ? 2 : 1).trim();
  // strtol(): an empty string reads as 0, so `host:` is display 0.
  if (digits !== '' && !/^[+-]?[0-9]+$/.test(digits)) return vncBad('invalid port specified');
  const number = digits === '' ? 0 : Number(digits.length > 7 ? '9999999' : digits);
  const display = !raw && number < 100 ? number : null;
  const port = display === null ? number : 5900 + display;
  if (port < 1 || port > 65535 || (display !== null && display < 0)) return vncBad('invalid port specified');
  return { program: 'vncviewer', argv: [...argv], target, host, port, display };
}

function vncBad(message: string): CommandFailure {
  return failure('vncviewer', 'usage', [`vncviewer: ${message}`], 1);
}

// ---------------------------------------------------------------------------------------------
// curl

export type CurlProxyScheme = 'http' | 'https' | 'socks4' | 'socks4a' | 'socks5' | 'socks5h';

export interface CurlProxy {
  scheme: CurlProxyScheme;
  host: string;
  /** 1080 when the proxy string names no port: curl's default for every proxy type. */
  port: number;
  /**
   * Who turns the URL's host name into an address. `client`: curl resolves it and hands the proxy
   * an address (`socks4`, `socks5`, `--socks5`); `proxy`: the name travels to the proxy and is
   * resolved there (`socks4a`, `socks5h`, `--socks5-hostname`, and HTTP proxies). Through an ssh
   * -D tunnel this decides whether the name is looked up on the reader's side or at the far end.
   */
  resolvesNames: 'client' | 'proxy';
  /** The option that set it, as typed: `--socks5`, `-x`, … */
  via: string;
}

export interface CurlUrl {
  text: string;
  scheme: 'http' | 'https';
  host: string;
  port: number;
  /** The path and query, at least `/`. */
  path: string;
}

export interface CurlCommand {
  program: 'curl';
  argv: string[];
  url: CurlUrl;
  proxy: CurlProxy | null;
}

/** Options that change nothing the lesson models, by the number of arguments they take. */
const CURL_FLAGS = new Set(['-s', '--silent', '-S', '--show-error', '-v', '--verbose', '-i', '--include', '-I', '--head', '-L', '--location', '-k', '--insecure', '-f', '--fail', '-4', '--ipv4', '-6', '--ipv6', '--compressed', '-N', '--no-buffer', '-#', '--progress-bar', '-O', '--remote-name']);
const CURL_WITH_ARG = new Set(['-o', '--output', '-H', '--header', '-A', '--user-agent', '-u', '--user', '-X', '--request', '-d', '--data', '-m', '--max-time', '--connect-timeout', '-w', '--write-out', '-e', '--referer', '-U', '--proxy-user']);
const CURL_PROXY_OPTIONS: Readonly<Record<string, CurlProxyScheme>> = {
  '-x': 'http',
  '--proxy': 'http',
  '--socks5': 'socks5',
  '--socks5-hostname': 'socks5h',
  '--socks4': 'socks4',
  '--socks4a': 'socks4a',
};
/** Options that change routing in ways the walk does not model. */
const CURL_UNSUPPORTED = new Set(['--preproxy', '--noproxy', '--resolve', '--connect-to', '--unix-socket', '--interface', '-K', '--config', '--url', '-Z', '--parallel']);
/** Short letters and whether they take an argument, for `-sSL` and `-xsocks5h://…`. */
const CURL_SHORT_WITH_ARG = new Set(['o', 'H', 'A', 'u', 'X', 'd', 'm', 'w', 'e', 'U', 'x', 'K']);

/**
 * The last line of every curl usage error, from helpf() in curl's src/tool_msgs.c (built with the
 * manual, as distributions ship it). The "option %s: %s" line before it uses param2text()'s words
 * (src/tool_helpers.c); "no URL specified" is curl 8.x's wording, not checked in its source here.
 */
const CURL_TRY = "curl: try 'curl --help' or 'curl --manual' for more information";

function curlUsage(message: string): CommandFailure {
  // Exit status 2 is CURLE_FAILED_INIT, which curl returns for command-line errors.
  return failure('curl', 'usage', [`curl: ${message}`, CURL_TRY], 2);
}

/**
 * `curl [--socks5 host:port | --socks5-hostname host:port | -x [scheme://]host:port] [flags] URL`.
 * The option words and the "is unknown" / "requires parameter" texts are curl's (param2text() in
 * src/tool_helpers.c, printed by helpf()); a later proxy option replaces an earlier one of the same
 * family. `--socks5` with `-x` chains two proxies in real curl (--socks5 is a pre-proxy since
 * 7.52.0): the lesson refuses that rather than model it.
 */
export function parseCurl(argv: readonly string[]): CurlCommand | CommandFailure {
  const args = argv.slice(1);
  if (args.length === 0) return failure('curl', 'usage', [CURL_TRY], 2);
  const urls: string[] = [];
  // -x/--proxy and the --socks options are separate settings in curl (the latter is the pre-proxy).
  const proxies: { x: CurlProxy | null; socks: CurlProxy | null } = { x: null, socks: null };
  const setProxy = (option: string, value: string): CommandFailure | null => {
    const family = CURL_PROXY_OPTIONS[option]!;
    const parsed = parseProxyString(value, family, option);
    if (!parsed.ok) return parsed;
    if (option === '-x' || option === '--proxy') proxies.x = parsed.proxy;
    else proxies.socks = parsed.proxy;
    return null;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--') && arg.length > 2) {
      if (CURL_UNSUPPORTED.has(arg)) return unsupported('curl', `${arg} is outside this lesson`);
      if (CURL_FLAGS.has(arg)) continue;
      if (CURL_WITH_ARG.has(arg) || Object.hasOwn(CURL_PROXY_OPTIONS, arg)) {
        const value = args[i + 1];
        if (value === undefined) return curlUsage(`option ${arg}: requires parameter`);
        i++;
        if (Object.hasOwn(CURL_PROXY_OPTIONS, arg)) {
          const problem = setProxy(arg, value);
          if (problem) return problem;
        }
        continue;
      }
      return curlUsage(`option ${arg}: is unknown`);
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // A cluster of short options: letters until one takes an argument, which is the rest of the word or the next word.
      for (let k = 1; k < arg.length; k++) {
        const letter = arg[k]!;
        const option = `-${letter}`;
        if (CURL_SHORT_WITH_ARG.has(letter)) {
          if (letter === 'K') return unsupported('curl', '-K is outside this lesson');
          let value = arg.slice(k + 1);
          if (value === '') {
            const next = args[i + 1];
            if (next === undefined) return curlUsage(`option ${option}: requires parameter`);
            value = next;
            i++;
          }
          if (letter === 'x') {
            const problem = setProxy('-x', value);
            if (problem) return problem;
          }
          break;
        }
        if (option === '-Z') return unsupported('curl', '-Z is outside this lesson');
        if (!CURL_FLAGS.has(option)) return curlUsage(`option ${option}: is unknown`);
      }
      continue;
    }
    urls.push(arg);
  }
  if (urls.length === 0) return curlUsage('no URL specified');
  if (urls.length > 1) return unsupported('curl', 'one URL at a time in this lesson');
  if (proxies.x !== null && proxies.socks !== null) {
    return unsupported('curl', 'two proxies at once (--socks5 is a pre-proxy in front of -x) are outside this lesson');
  }
  const url = parseCurlUrl(urls[0]!);
  if (!url.ok) return url;
  return { program: 'curl', argv: [...argv], url: url.url, proxy: proxies.x ?? proxies.socks };
}

function parseProxyString(value: string, family: CurlProxyScheme, via: string): { ok: true; proxy: CurlProxy } | CommandFailure {
  let scheme: CurlProxyScheme = family;
  let rest = value;
  const sep = value.indexOf('://');
  if (sep >= 0) {
    const named = value.slice(0, sep).toLowerCase();
    if (named !== 'http' && named !== 'https' && named !== 'socks4' && named !== 'socks4a' && named !== 'socks5' && named !== 'socks5h') {
      return failure('curl', 'usage', [`curl: (5) Unsupported proxy scheme for '${value}'`], 5);
    }
    scheme = named;
    rest = value.slice(sep + 3);
  }
  rest = rest.replace(/\/.*$/, '');
  if (rest.includes('@')) return unsupported('curl', 'proxy user names are outside this lesson');
  const hostPort = splitHostPort(rest);
  if (hostPort === null || hostPort.host === '') return failure('curl', 'usage', [`curl: (5) Unsupported proxy syntax in '${value}'`], 5);
  let port = 1080;
  if (hostPort.port !== null) {
    const parsed = decimalPort(hostPort.port);
    if (parsed === null) return failure('curl', 'usage', [`curl: (5) Unsupported proxy syntax in '${value}'`], 5);
    port = parsed;
  }
  const resolvesNames = scheme === 'socks4' || scheme === 'socks5' ? 'client' : 'proxy';
  return { ok: true, proxy: { scheme, host: hostPort.host, port, resolvesNames, via } };
}

/** `host`, `host:port`, `[v6]`, `[v6]:port`; null when brackets do not close or something follows them. */
function splitHostPort(text: string): { host: string; port: string | null } | null {
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return null;
    const after = text.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) return null;
    return { host: text.slice(1, close), port: after === '' ? null : after.slice(1) };
  }
  const colon = text.indexOf(':');
  if (colon < 0) return { host: text, port: null };
  if (text.indexOf(':', colon + 1) >= 0) return null;
  return { host: text.slice(0, colon), port: text.slice(colon + 1) };
}

/**
 * An http or https URL as curl reads it: no scheme means http (curl guesses from the host name,
 * and `ftp.` and the like would guess other protocols, which the lesson does not model); an empty
 * port is the default. The "(3) URL rejected" texts are curl 8.x's wording for these faults.
 */
function parseCurlUrl(text: string): { ok: true; url: CurlUrl } | CommandFailure {
  let scheme = 'http';
  let rest = text;
  const sep = text.indexOf('://');
  if (sep >= 0) {
    scheme = text.slice(0, sep).toLowerCase();
    rest = text.slice(sep + 3);
  }
  if (scheme !== 'http' && scheme !== 'https') return unsupported('curl', `${scheme}:// URLs are outside this lesson; use http://`);
  const pathAt = rest.search(/[/?#]/);
  const authority = pathAt < 0 ? rest : rest.slice(0, pathAt);
  let path = pathAt < 0 ? '/' : rest.slice(pathAt);
  if (path.startsWith('#')) path = '/';
  else if (path.startsWith('?')) path = `/${path}`;
  path = path.replace(/#.*$/, '');
  if (authority.includes('@')) return unsupported('curl', 'user names in URLs are outside this lesson');
  const hostPort = splitHostPort(authority);
  if (hostPort === null) return failure('curl', 'usage', ['curl: (3) URL rejected: Malformed input to a URL function'], 3);
  if (hostPort.host === '') return failure('curl', 'usage', ['curl: (3) URL rejected: No host part in the URL'], 3);
  let port = scheme === 'https' ? 443 : 80;
  if (hostPort.port !== null && hostPort.port !== '') {
    const parsed = decimalPort(hostPort.port);
    if (parsed === null) return failure('curl', 'usage', ['curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535'], 3);
    port = parsed;
  }
  return { ok: true, url: { text, scheme, host: hostPort.host, port, path } };
}

// ---------------------------------------------------------------------------------------------
// nc

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

// ---------------------------------------------------------------------------------------------
// ping

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

// ---------------------------------------------------------------------------------------------

export type ClientCommand = VncViewerCommand | CurlCommand | NcCommand | PingCommand;

export const CLIENT_PROGRAMS = ['vncviewer', 'curl', 'nc', 'ping'] as const;
export type ClientProgram = (typeof CLIENT_PROGRAMS)[number];

export function isClientProgram(name: string): name is ClientProgram {
  return (CLIENT_PROGRAMS as readonly string[]).includes(name);
}

/** Dispatch on argv[0], which must be one of CLIENT_PROGRAMS. */
export function parseClientArgv(program: ClientProgram, argv: readonly string[]): ClientCommand | CommandFailure {
  switch (program) {
    case 'vncviewer':
      return parseVncViewer(argv);
    case 'curl':
      return parseCurl(argv);
    case 'nc':
      return parseNc(argv);
    case 'ping':
      return parsePing(argv);
  }
}
