/**
 * ssh's command line as OpenSSH's ssh.c main() reads it: getopt() over the options
 * (openssh/getopt.ts), each option in the order main() acts on it, the destination (user@host or
 * parse_ssh_uri()'s ssh://), options again after the destination, the remote command, and the
 * checks and messages that come after. Forwards are readconf.c's (forward.ts), -o lines too
 * (readconf.ts). Nothing here throws, whatever the input; every refusal is a value that says what
 * ssh would print.
 *
 * Fidelity target: OpenSSH 9.x/10.x. The sources read were OpenSSH portable's readconf.c 1.366
 * (2022), ssh.c 1.576 (9.1), misc.c 1.189 (9.6) and getopt_long.c 1.25 (the readconf.c and ssh.c
 * copies carry HPN-SSH patches, which leave these functions alone); where a later release differs
 * the comment says so. The behaviour was then checked against the OpenSSH_9.2p1 Debian-2+deb12u10
 * binary with `ssh -F /dev/null -G …`, which parses a command line and prints the result without
 * connecting: several thousand generated specifications and command lines gave the same parse or
 * the same stderr. Messages are quoted exactly, with the C program's "%s" filled in; ssh writes
 * its log lines with "\r\n" and the lesson's terminal uses "\n".
 */
import { failure, unsupported, type CommandFailure } from '../failure.ts';
import { cString, utf8Length } from './c.ts';
import { parseForwardRaw, parseForwardSpec, sameForward, type DynamicForward, type LocalForward, type RemoteForward } from './forward.ts';
import { makeGetopt } from './getopt.ts';
import { SSH_FAILED, sshFatal, sshLogged } from './log.ts';
import { a2port, hpdelim2, urlDecode, validDomain, validHostname, validRuser } from './misc.ts';
import { applyConfigLine, type SshConfigOptions, type SshState } from './readconf.ts';

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

function sshUsage(flavour: OpenSshFlavour, before: readonly string[] = []): CommandFailure {
  return failure('ssh', 'usage', [...before, ...(flavour === 'current' ? SSH_USAGE : SSH_USAGE_9_2)], SSH_FAILED);
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

/** The flags that have no bearing on forwarding, recorded in `ignored` (-P is a flag in 9.2 and takes a tag later). */
const SSH_IGNORED_FLAGS = '246nxXyYaAkKtTCMP';
/** The options with an argument that have no bearing on forwarding. -c and -m are not checked against the cipher and MAC lists. */
const SSH_IGNORED_WITH_ARG = 'bBcEFiImS';

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
