/**
 * `curl`, directly or through a SOCKS or HTTP proxy, as a reader types it on a host of the walk.
 *
 * Like every parser of the lesson it takes the argument vector the shell produced (shell.ts) and
 * never throws. It models the part of the program's syntax the lesson needs. Its messages are
 * those of Debian 12's curl, 7.88.1, which test/ssh-forwarding/curl.test.ts runs for each of them:
 * curl 8 words several of them differently ("URL rejected: …").
 */
import { failure, unsupported, type CommandFailure } from '../failure.ts';
import { decimalPort } from '../services.ts';

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
 * (src/tool_helpers.c); 7.88.1 ends "no URL specified!" with an exclamation mark (curl 8 drops it).
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
  if (urls.length === 0) return curlUsage('no URL specified!');
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
      // 7.88.1 returns CURLE_COULDNT_CONNECT (7) for this one (url.c parse_proxy()).
      return failure('curl', 'usage', [`curl: (7) Unsupported proxy scheme for '${value}'`], 7);
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

/** What curl 7.88.1 prints for any URL its parser rejects: the bare curl_easy_strerror() of CURLE_URL_MALFORMAT. */
const URL_MALFORMAT = 'curl: (3) URL using bad/illegal format or missing URL';

/**
 * An http or https URL as curl reads it: no scheme means http (curl guesses from the host name,
 * and `ftp.` and the like would guess other protocols, which the lesson does not model); an empty
 * port is the default. `[` and `{` outside an IPv6 address are curl's URL globbing, whose own
 * errors ("bad range in URL position 9:") the lesson does not model.
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
  const ipv6Host = /^\[[^\][{}]*\]/.exec(authority)?.[0] ?? '';
  if (/[[\]{}]/.test(text.slice(0, text.length - rest.length) + authority.slice(ipv6Host.length) + path)) {
    return unsupported('curl', 'URL globbing ([…] and {…} in a URL) is outside this lesson');
  }
  const hostPort = splitHostPort(authority);
  if (hostPort === null || hostPort.host === '') return failure('curl', 'usage', [URL_MALFORMAT], 3);
  let port = scheme === 'https' ? 443 : 80;
  if (hostPort.port !== null && hostPort.port !== '') {
    // curl takes port 0 and fails to connect to it; the lesson's ports elsewhere start at 1.
    const parsed = /^0+$/.test(hostPort.port) ? 0 : decimalPort(hostPort.port);
    if (parsed === null) return failure('curl', 'usage', [URL_MALFORMAT], 3);
    port = parsed;
  }
  return { ok: true, url: { text, scheme, host: hostPort.host, port, path } };
}
