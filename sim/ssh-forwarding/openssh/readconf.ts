/**
 * `ssh -o line`, as OpenSSH's readconf.c process_config_line() reads it: the keyword table
 * (keywords[]), and the four options the lesson models (Port, User, GatewayPorts,
 * ExitOnForwardFailure) with parse_flag()'s and the port's messages. SshState is the part of
 * readconf.h's struct Options (and ssh.c's globals) that ssh's command line fills in.
 *
 * The OpenSSH sources this folder follows: OpenSSH portable's readconf.c 1.366 (2022), ssh.c
 * 1.576 (9.1), misc.c 1.189 (9.6) and getopt_long.c 1.25; ssh.ts says how the result was checked
 * against ssh itself.
 */
import { unsupported, type CommandFailure } from '../failure.ts';
import { cString } from './c.ts';
import type { DynamicForward, LocalForward, RemoteForward } from './forward.ts';
import { sshFatal } from './log.ts';
import { a2port, argvSplit, CONFIG_WS, skipWs, strdelim } from './misc.ts';

/** What -o set, first value of each keyword (readconf.c sets an option only while it is unset). */
export interface SshConfigOptions {
  port?: number;
  user?: string;
  gatewayPorts?: boolean;
  exitOnForwardFailure?: boolean;
}

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

export interface SshState {
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
export function applyConfigLine(st: SshState, optarg: string): CommandFailure | null {
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
