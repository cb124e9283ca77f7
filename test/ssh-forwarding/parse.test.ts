/**
 * The SSH port-forwarding lesson's parser: sim/ssh-forwarding/shell.ts (shell words), openssh/ (ssh and
 * its forwarding specifications) and clients/ (vncviewer, curl, nc, ping).
 *
 * Where each expected ssh message comes from (OpenSSH portable; file versions as read):
 * - "Bad local|remote|dynamic forwarding specification '%s'", "Bad port '%s'", "Bad escape character
 *   '%s'.", "Cannot specify -N with -s/SessionType", "Cannot specify -s with -N/SessionType", "SSH
 *   protocol v.1 is no longer supported", "You must specify a subsystem to invoke.", "Cannot fork into
 *   background without a command to execute.": ssh.c main() (ssh.c 1.576, OpenSSH 9.1; the same text
 *   in 9.2p1 and 10.x);
 * - which specifications fail: readconf.c parse_forward() and parse_fwd_field() (readconf.c 1.366) and
 *   misc.c a2port() (misc.c 1.189, OpenSSH 9.6): ports 0–65535 or a service name, listen port 0 only
 *   for -R;
 * - "unknown option -- %c", "option requires an argument -- %c": openbsd-compat/getopt_long.c 1.25,
 *   which replaces glibc's getopt in ssh on Linux;
 * - "command-line line 0: …" and "command-line: line 0: Bad configuration option: %s": readconf.c
 *   process_config_line(), parse_token() and parse_multistate_value() (readconf.c 1.366), called by
 *   ssh.c for -o with filename "command-line" and line 0;
 * - "vdollar_percent_expand: …": misc.c vdollar_percent_expand() (1.189), through log.c's escaping;
 * - "hostname contains invalid characters", "remote username contains invalid characters": ssh.c and
 *   misc.c valid_hostname()/valid_ruser(), OpenSSH 9.6 (not in the stored sources; wording and
 *   behaviour from the installed 9.2p1, which backports them);
 * - the usage text: SSH_USAGE is 10.x's (as 10.2p1 prints it), SSH_USAGE_9_2 is 9.2p1's.
 *
 * Every ssh expectation below was also run against the installed OpenSSH_9.2p1 Debian-2+deb12u10 with
 * `ssh -F /dev/null -G …`, which parses the command line, prints the resulting configuration and
 * exits without connecting. The `seen` column quotes the forward as -G printed it; failures quote its
 * stderr (its log lines end in "\r\n", which the lesson writes as "\n").
 *
 * The client programs' messages are modelled (see clients/), except where a test says otherwise.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { formatForwardSpec, parseForwardSpec, type Forward, type ForwardKind } from '../../sim/ssh-forwarding/openssh/forward.ts';
import { a2port } from '../../sim/ssh-forwarding/openssh/misc.ts';
import { SSH_USAGE, SSH_USAGE_9_2, parseSshArgv, type SshCommand } from '../../sim/ssh-forwarding/openssh/ssh.ts';
import { lookupTcpService } from '../../sim/ssh-forwarding/services.ts';
import { formatSshCommand, parseCommandLine, quoteShellWord, tokenizeShell, type CommandLineResult } from '../../sim/ssh-forwarding/shell.ts';

const usage = SSH_USAGE.map((l) => `${l}\n`).join('');
const usage92 = SSH_USAGE_9_2.map((l) => `${l}\n`).join('');

function ok(line: string): SshCommand {
  const r = parseCommandLine(line);
  if (!r.ok) throw new Error(`expected ${line} to parse: ${r.stderr || r.error}`);
  if (r.command.program !== 'ssh') throw new Error(`expected ssh, got ${r.command.program}`);
  return r.command;
}

function refused(line: string, flavour: 'current' | 'debian-9.2' = 'current') {
  const r = parseCommandLine(line, flavour);
  if (r.ok) throw new Error(`expected ${line} to be refused`);
  return r;
}

/** A forward the way `ssh -G` prints it (readconf.c dump_cfg_forwards()), to compare with the `seen` column. */
function asSshG(f: Forward): string {
  const listen = f.bindAddress === null ? `${f.listenPort}` : `[${f.bindAddress}]:${f.listenPort}`;
  if (f.kind === 'local') return `localforward ${listen} [${f.host}]:${f.hostPort}`;
  if (f.kind === 'dynamic') return `dynamicforward ${listen}`;
  return `remoteforward ${listen} ${f.dynamic ? '[socks]:0' : `[${f.host}]:${f.hostPort}`}`;
}

const flagKind = { '-L': 'local', '-R': 'remote', '-D': 'dynamic' } as const;

describe('forwarding specifications (readconf.c parse_forward)', () => {
  // [flag, spec, the parse (without kind and spec), what `ssh -G` printed]
  const valid: [keyof typeof flagKind, string, Record<string, unknown>, string][] = [
    ['-L', '5901:localhost:5900', { bindAddress: null, listenPort: 5901, host: 'localhost', hostPort: 5900 }, 'localforward 5901 [localhost]:5900'],
    // IPv6 in brackets, as the bind address and as the destination.
    ['-L', '[::1]:8080:localhost:80', { bindAddress: '::1', listenPort: 8080, host: 'localhost', hostPort: 80 }, 'localforward [::1]:8080 [localhost]:80'],
    ['-L', '8080:[2001:db8::1]:80', { bindAddress: null, listenPort: 8080, host: '2001:db8::1', hostPort: 80 }, 'localforward 8080 [2001:db8::1]:80'],
    ['-L', '[fe80::1%eth0]:8080:web:80', { bindAddress: 'fe80::1%eth0', listenPort: 8080, host: 'web', hostPort: 80 }, 'localforward [fe80::1%eth0]:8080 [web]:80'],
    // Bind addresses: a specific one, '*' and '' (all interfaces), localhost (loopback only).
    ['-L', '127.0.0.1:5901:localhost:5900', { bindAddress: '127.0.0.1', listenPort: 5901, host: 'localhost', hostPort: 5900 }, 'localforward [127.0.0.1]:5901 [localhost]:5900'],
    ['-L', '*:8080:web:80', { bindAddress: '*', listenPort: 8080, host: 'web', hostPort: 80 }, 'localforward [*]:8080 [web]:80'],
    ['-L', ':8080:web:80', { bindAddress: '', listenPort: 8080, host: 'web', hostPort: 80 }, 'localforward []:8080 [web]:80'],
    ['-L', 'localhost:8080:web:80', { bindAddress: 'localhost', listenPort: 8080, host: 'web', hostPort: 80 }, 'localforward [localhost]:8080 [web]:80'],
    ['-L', '5902:192.168.10.5:5900', { bindAddress: null, listenPort: 5902, host: '192.168.10.5', hostPort: 5900 }, 'localforward 5902 [192.168.10.5]:5900'],
    // a2port(): a service name, a sign and leading blanks are read as strtonum() reads them.
    ['-L', '8080:web:http', { bindAddress: null, listenPort: 8080, host: 'web', hostPort: 80 }, 'localforward 8080 [web]:80'],
    ['-L', '+8080:web:80', { bindAddress: null, listenPort: 8080, host: 'web', hostPort: 80 }, 'localforward 8080 [web]:80'],
    ['-L', ' 8080:web:80', { bindAddress: null, listenPort: 8080, host: 'web', hostPort: 80 }, 'localforward 8080 [web]:80'],
    ['-L', '1:web:1', { bindAddress: null, listenPort: 1, host: 'web', hostPort: 1 }, 'localforward 1 [web]:1'],
    ['-L', '65535:web:65535', { bindAddress: null, listenPort: 65535, host: 'web', hostPort: 65535 }, 'localforward 65535 [web]:65535'],
    // Quirks parse_forward() allows: a trailing ':', an empty destination, a backslash-escaped ':'.
    ['-L', '5901:localhost:5900:', { bindAddress: null, listenPort: 5901, host: 'localhost', hostPort: 5900 }, 'localforward 5901 [localhost]:5900'],
    ['-L', '8080::80', { bindAddress: null, listenPort: 8080, host: '', hostPort: 80 }, 'localforward 8080 []:80'],
    ['-L', '8080:x\\:y:80', { bindAddress: null, listenPort: 8080, host: 'x:y', hostPort: 80 }, 'localforward 8080 [x:y]:80'],
    ['-L', '8080:web:80:\\', { bindAddress: null, listenPort: 8080, host: 'web', hostPort: 80 }, 'localforward 8080 [web]:80'],
    ['-R', '2222:localhost:22', { dynamic: false, bindAddress: null, listenPort: 2222, host: 'localhost', hostPort: 22 }, 'remoteforward 2222 [localhost]:22'],
    // -R with listen port 0: the server allocates the port.
    ['-R', '0:localhost:80', { dynamic: false, bindAddress: null, listenPort: 0, host: 'localhost', hostPort: 80 }, 'remoteforward 0 [localhost]:80'],
    ['-R', '*:8080:web:80', { dynamic: false, bindAddress: '*', listenPort: 8080, host: 'web', hostPort: 80 }, 'remoteforward [*]:8080 [web]:80'],
    ['-R', '[::1]:2222:localhost:22', { dynamic: false, bindAddress: '::1', listenPort: 2222, host: 'localhost', hostPort: 22 }, 'remoteforward [::1]:2222 [localhost]:22'],
    // -R [bind_address:]port with no destination: dynamic remote forwarding (OpenSSH 7.6+).
    ['-R', '8080', { dynamic: true, bindAddress: null, listenPort: 8080 }, 'remoteforward 8080 [socks]:0'],
    ['-R', '0', { dynamic: true, bindAddress: null, listenPort: 0 }, 'remoteforward 0 [socks]:0'],
    ['-R', 'localhost:1080', { dynamic: true, bindAddress: 'localhost', listenPort: 1080 }, 'remoteforward [localhost]:1080 [socks]:0'],
    // Two fields, the second a service name: a dynamic forward bound to "80".
    ['-R', '80:http', { dynamic: true, bindAddress: '80', listenPort: 80 }, 'remoteforward [80]:80 [socks]:0'],
    ['-D', '9999', { bindAddress: null, listenPort: 9999 }, 'dynamicforward 9999'],
    ['-D', 'localhost:1080', { bindAddress: 'localhost', listenPort: 1080 }, 'dynamicforward [localhost]:1080'],
    ['-D', '*:1080', { bindAddress: '*', listenPort: 1080 }, 'dynamicforward [*]:1080'],
    ['-D', '[::1]:1080', { bindAddress: '::1', listenPort: 1080 }, 'dynamicforward [::1]:1080'],
    ['-D', ':1080', { bindAddress: '', listenPort: 1080 }, 'dynamicforward []:1080'],
    ['-D', '1080:', { bindAddress: null, listenPort: 1080 }, 'dynamicforward 1080'],
  ];

  test.each(valid)('%s %j parses as ssh does', (flag, spec, expected, seen) => {
    const kind = flagKind[flag];
    const r = parseForwardSpec(kind, spec);
    expect(r).toEqual({ ok: true, forward: { kind, ...expected, spec } });
    if (r.ok) expect(asSshG(r.forward)).toBe(seen);
    // The same through a whole command line, with the spec as one shell word.
    const cmd = ok(`ssh ${flag} ${quoteShellWord(spec)} h`);
    expect([...cmd.locals, ...cmd.remotes, ...cmd.dynamics]).toEqual([{ kind, ...expected, spec }]);
  });

  // [flag, spec, ssh's stderr]: ssh.c's message after anything dollar_expand() logged.
  const invalid: [keyof typeof flagKind, string, string[]][] = [
    // Missing parts.
    ['-L', '5901:localhost', ["Bad local forwarding specification '5901:localhost'"]],
    ['-L', '5901', ["Bad local forwarding specification '5901'"]],
    ['-L', ':::', ["Bad local forwarding specification ':::'"]],
    ['-L', '', ["Bad local forwarding specification ''"]],
    ['-L', 'localhost:8080', ["Bad local forwarding specification 'localhost:8080'"]],
    // Ports out of range or not ports: a2port() fails, or -L/-D asks for port 0.
    ['-L', '0:localhost:80', ["Bad local forwarding specification '0:localhost:80'"]],
    ['-L', '65536:web:80', ["Bad local forwarding specification '65536:web:80'"]],
    ['-L', '-1:web:80', ["Bad local forwarding specification '-1:web:80'"]],
    ['-L', 'abc:web:80', ["Bad local forwarding specification 'abc:web:80'"]],
    ['-L', '0x50:web:80', ["Bad local forwarding specification '0x50:web:80'"]],
    ['-L', '8080:web:0', ["Bad local forwarding specification '8080:web:0'"]],
    ['-L', '8080:web:65536', ["Bad local forwarding specification '8080:web:65536'"]],
    ['-L', '8080:web:abc', ["Bad local forwarding specification '8080:web:abc'"]],
    ['-L', '8080 :web:80', ["Bad local forwarding specification '8080 :web:80'"]],
    ['-L', '8080:web:80 ', ["Bad local forwarding specification '8080:web:80 '"]],
    // Brackets that do not close or are followed by something other than ':'; an unbracketed IPv6 address.
    ['-L', '[::1:8080:web:80', ["Bad local forwarding specification '[::1:8080:web:80'"]],
    ['-L', '[::1]x:8080:web:80', ["Bad local forwarding specification '[::1]x:8080:web:80'"]],
    ['-L', '::1:8080:web:80', ["Bad local forwarding specification '::1:8080:web:80'"]],
    // A fifth field, and a trailing backslash inside a field, are trailing garbage.
    ['-L', 'a:1:b:2:c', ["Bad local forwarding specification 'a:1:b:2:c'"]],
    ['-L', '8080:web:80:a\\', ["Bad local forwarding specification '8080:web:80:a\\'"]],
    // ${…} expansion: the lesson has no environment, so every variable is unset.
    ['-L', '${NOPE}:web:80', ['vdollar_percent_expand: env var ${NOPE} has no value', "Bad local forwarding specification '${NOPE}:web:80'"]],
    ['-L', '${X', ["vdollar_percent_expand: environment variable 'X' missing closing '}'", "Bad local forwarding specification '${X'"]],
    ['-L', '${}', ['vdollar_percent_expand: zero-length environment variable', "Bad local forwarding specification '${}'"]],
    // -R tries the full form, then the dynamic one; both log.
    ['-R', '5901:localhost', ["Bad remote forwarding specification '5901:localhost'"]],
    ['-R', 'abc', ["Bad remote forwarding specification 'abc'"]],
    ['-R', '65536', ["Bad remote forwarding specification '65536'"]],
    ['-R', '-1', ["Bad remote forwarding specification '-1'"]],
    ['-R', '', ["Bad remote forwarding specification ''"]],
    ['-R', '${A}:x:1', ['vdollar_percent_expand: env var ${A} has no value', 'vdollar_percent_expand: env var ${A} has no value', "Bad remote forwarding specification '${A}:x:1'"]],
    ['-D', '0', ["Bad dynamic forwarding specification '0'"]],
    ['-D', '65536', ["Bad dynamic forwarding specification '65536'"]],
    ['-D', 'abc', ["Bad dynamic forwarding specification 'abc'"]],
    ['-D', 'localhost:1080:x', ["Bad dynamic forwarding specification 'localhost:1080:x'"]],
    ['-D', '', ["Bad dynamic forwarding specification ''"]],
  ];

  test.each(invalid)('%s %j is refused with ssh\'s words', (flag, spec, lines) => {
    const r = parseForwardSpec(flagKind[flag], spec);
    expect(r).toMatchObject({ ok: false, program: 'ssh', reason: 'usage', exitStatus: 255, stderr: lines.map((l) => `${l}\n`).join('') });
    expect(r.ok ? '' : r.error).toBe(lines.at(-1));
    const whole = refused(`ssh ${flag} ${quoteShellWord(spec)} h`);
    expect(whole.stderr).toBe(lines.map((l) => `${l}\n`).join(''));
  });

  test('log lines are escaped as log.c prints them; the ssh.c message is not', () => {
    const r = parseForwardSpec('local', '${é\\');
    expect(r.ok ? '' : r.stderr).toBe("vdollar_percent_expand: environment variable '\\303\\251\\\\' missing closing '}'\nBad local forwarding specification '${é\\'\n");
  });

  test.each([
    ['-L', '/tmp/vnc.sock:localhost:5900'],
    ['-L', '5901:/tmp/vnc.sock'],
    ['-D', '/tmp/socks.sock'],
    ['-R', '/tmp/a:/tmp/b'],
  ] as const)('%s %s (a Unix-domain socket) is valid for ssh but outside the lesson', (flag, spec) => {
    const r = parseForwardSpec(flagKind[flag], spec);
    expect(r).toMatchObject({ ok: false, reason: 'unsupported', exitStatus: null });
  });

  test('duplicates are dropped, as add_local_forward() and add_remote_forward() do', () => {
    const cmd = ok('ssh -L 1:a:2 -L 1:a:2 -L 3:a:2 -R 9 -R 9 -D 5 -D 5 h');
    expect(cmd.locals.map((f) => f.spec)).toEqual(['1:a:2', '3:a:2']);
    expect(cmd.remotes).toHaveLength(1);
    expect(cmd.dynamics).toHaveLength(1);
  });

  test('a2port() reads numbers as strtonum() does and falls back to the services table', () => {
    expect([' 22', '+22', '022', '0', '65535', 'ssh', 'http', 'https'].map(a2port)).toEqual([22, 22, 22, 0, 65535, 22, 80, 443]);
    expect(['', '-1', '65536', '22 ', '0x16', '1e3', 'HTTP', '99999999999999999999'].map(a2port)).toEqual([-1, -1, -1, -1, -1, -1, -1, -1]);
    expect(lookupTcpService('socks')).toBe(1080);
    expect(lookupTcpService('toString')).toBeNull();
    // strtoll("-0") is 0, and so is the port: not JavaScript's -0, which would print as 0 and read back different (found by the round-trip property).
    expect(Object.is(a2port('-0'), 0)).toBe(true);
    expect(parseForwardSpec('remote', '-0:h:1')).toMatchObject({ ok: true, forward: { listenPort: 0 } });
    const dynamic = parseForwardSpec('remote', '-0');
    expect(dynamic.ok && Object.is(dynamic.forward.listenPort, 0)).toBe(true);
  });
});

describe("the source post's commands", () => {
  const base = { program: 'ssh', port: null, noCommand: false, gatewayPorts: false, background: false, exitOnForwardFailure: false, verbosity: 0, remotes: [], dynamics: [], locals: [], command: null, options: {}, ignored: [], notes: [] };

  test('ssh -L 5901:localhost:5900 user@router', () => {
    expect(ok('ssh -L 5901:localhost:5900 user@router')).toEqual({
      ...base,
      argv: ['ssh', '-L', '5901:localhost:5900', 'user@router'],
      host: 'router',
      user: 'user',
      locals: [{ kind: 'local', bindAddress: null, listenPort: 5901, host: 'localhost', hostPort: 5900, spec: '5901:localhost:5900' }],
    });
  });

  test('ssh -p 2222 -L 5902:localhost:5900 user@home', () => {
    const cmd = ok('ssh -p 2222 -L 5902:localhost:5900 user@home');
    expect(cmd).toMatchObject({ host: 'home', user: 'user', port: 2222 });
    expect(cmd.locals).toEqual([{ kind: 'local', bindAddress: null, listenPort: 5902, host: 'localhost', hostPort: 5900, spec: '5902:localhost:5900' }]);
  });

  test('ssh -L 5901:localhost:5900 -L 5902:192.168.10.5:5900 user@home', () => {
    const cmd = ok('ssh -L 5901:localhost:5900 -L 5902:192.168.10.5:5900 user@home');
    expect(cmd.locals.map((f) => [f.listenPort, f.host, f.hostPort])).toEqual([
      [5901, 'localhost', 5900],
      [5902, '192.168.10.5', 5900],
    ]);
  });

  test('ssh -N -D 9999 user@host', () => {
    const cmd = ok('ssh -N -D 9999 user@host');
    expect(cmd).toMatchObject({ noCommand: true, host: 'host', user: 'user', locals: [], remotes: [] });
    expect(cmd.dynamics).toEqual([{ kind: 'dynamic', bindAddress: null, listenPort: 9999, spec: '9999' }]);
  });

  test('ssh -R 2222:localhost:22 user@host', () => {
    expect(ok('ssh -R 2222:localhost:22 user@host').remotes).toEqual([
      { kind: 'remote', dynamic: false, bindAddress: null, listenPort: 2222, host: 'localhost', hostPort: 22, spec: '2222:localhost:22' },
    ]);
  });

  test('ssh -R 0:localhost:80 user@host: port 0 is allocated by the server, and the note says so', () => {
    const cmd = ok('ssh -R 0:localhost:80 user@host');
    expect(cmd.remotes[0]).toMatchObject({ listenPort: 0, host: 'localhost', hostPort: 80 });
    expect(cmd.notes.join(' ')).toContain('port 0');
  });

  test('ssh -R 8080 user@host is dynamic remote forwarding, noted as needing OpenSSH 7.6', () => {
    const cmd = ok('ssh -R 8080 user@host');
    expect(cmd.remotes).toEqual([{ kind: 'remote', dynamic: true, bindAddress: null, listenPort: 8080, spec: '8080' }]);
    expect(cmd.notes.join(' ')).toContain('7.6');
  });
});

describe("ssh's options (ssh.c main() and BSD getopt)", () => {
  test('values glued to their option and flags combined, as getopt reads them', () => {
    const cmd = ok('ssh -L8080:localhost:80 -p2222 -Nf -gR9000:web:80 -vvv h');
    expect(cmd).toMatchObject({ port: 2222, noCommand: true, background: true, gatewayPorts: true, verbosity: 3 });
    expect(cmd.locals[0]).toMatchObject({ listenPort: 8080, host: 'localhost', hostPort: 80, spec: '8080:localhost:80' });
    expect(cmd.remotes[0]).toMatchObject({ listenPort: 9000, host: 'web', hostPort: 80 });
    // A letter that takes a value ends the cluster; the value is the next word even if it starts with '-'.
    expect(ok('ssh -NL 5901:localhost:5900 h').locals).toHaveLength(1);
    expect(ok('ssh -gN -L 5901:localhost:5900 h')).toMatchObject({ gatewayPorts: true, noCommand: true });
    expect(refused('ssh -l -N').stderr).toBe(usage); // -N is the login name; then there is no destination
  });

  test('options after the destination are read too (ssh restarts getopt), up to the first other word', () => {
    const cmd = ok('ssh user@h -N -L 1:a:2 ls -L 3:b:4');
    expect(cmd).toMatchObject({ host: 'h', noCommand: true, command: 'ls -L 3:b:4' });
    expect(cmd.locals.map((f) => f.spec)).toEqual(['1:a:2']);
    expect(ok('ssh h -- -N').command).toBe('-N');
    expect(ok("ssh host 'ls -l' /tmp").command).toBe('ls -l /tmp');
    expect(ok("ssh host ''").command).toBeNull(); // an empty command is no command
  });

  test('the first -p wins and a later one is not even checked; -o Port is always checked', () => {
    expect(ok('ssh -p 22 -p abc h').port).toBe(22);
    expect(ok('ssh -p ssh h').port).toBe(22);
    expect(refused('ssh -p 2200 -o Port=abc h').stderr).toBe("command-line line 0: Bad port 'abc'.\n");
  });

  test.each([
    ['ssh -p 0 h', "Bad port '0'\n"],
    ['ssh -p 65536 h', "Bad port '65536'\n"],
    ['ssh -p abc h', "Bad port 'abc'\n"],
    ["ssh -p '' h", "Bad port ''\n"],
    ['ssh -z', `unknown option -- z\n${usage}`],
    ['ssh -Nz h', `unknown option -- z\n${usage}`],
    ['ssh --help', `unknown option -- -\n${usage}`],
    ['ssh -L', `option requires an argument -- L\n${usage}`],
    ['ssh -NL', `option requires an argument -- L\n${usage}`],
    ['ssh -p', `option requires an argument -- p\n${usage}`],
    ['ssh', usage],
    ['ssh -N -L 1:a:2', usage],
    ['ssh @host', usage],
    ['ssh ssh://h/path', usage],
    ['ssh ssh://h:0', usage],
    ['ssh -f h', 'Cannot fork into background without a command to execute.\n'],
    ['ssh -s -N h', 'Cannot specify -N with -s/SessionType\n'],
    ['ssh -N -s h', 'Cannot specify -s with -N/SessionType\n'],
    ['ssh -s h', `You must specify a subsystem to invoke.\n${usage}`],
    ['ssh -e xx h', "Bad escape character 'xx'.\n"],
    ['ssh -1 h', 'SSH protocol v.1 is no longer supported\n'],
    ['ssh -W nohost h', "Bad stdio forwarding specification 'nohost'\n"],
    ['ssh -O nope h', 'Invalid multiplex command.\n'],
  ])('%s', (line, stderr) => {
    const r = refused(line);
    expect(r).toMatchObject({ program: 'ssh', reason: 'usage', exitStatus: 255 });
    expect(r.stderr).toBe(stderr);
  });

  test('errors come in the order ssh meets them', () => {
    expect(refused('ssh -L 0:a:1 -z h').error).toBe("Bad local forwarding specification '0:a:1'");
    expect(refused('ssh -z -L 0:a:1 h').error).toBe('unknown option -- z');
    // ssh -V prints its version and exits before it reads the rest.
    expect(refused('ssh -V -z').reason).toBe('unsupported');
  });

  test('-f is fine with -N or a command', () => {
    expect(ok('ssh -fN -D 9999 h')).toMatchObject({ background: true, noCommand: true });
    expect(ok('ssh -f h sleep 60')).toMatchObject({ background: true, command: 'sleep 60' });
  });

  test('-q silences the checks made after logging starts, but ssh still fails', () => {
    const r = refused('ssh -q -f h');
    expect(r).toMatchObject({ stderr: '', exitStatus: 255 });
    expect(r.error).toContain('Cannot fork into background');
    expect(refused("ssh -q 'a|b'").stderr).toBe('hostname contains invalid characters\n');
  });

  test('-g and GatewayPorts: -g always wins, otherwise the first -o value', () => {
    expect(ok('ssh -o GatewayPorts=no -g h').gatewayPorts).toBe(true);
    expect(ok('ssh -g -o GatewayPorts=no h')).toMatchObject({ gatewayPorts: true, options: { gatewayPorts: false } });
    expect(ok('ssh -o GatewayPorts=yes -o GatewayPorts=no h')).toMatchObject({ gatewayPorts: true, options: { gatewayPorts: true } });
    expect(ok('ssh h').gatewayPorts).toBe(false);
  });

  test('options the lesson does not model are accepted and listed; ones that change the picture are refused', () => {
    expect(ok('ssh -C -4 -i ~/.ssh/id_ed25519 -o StrictHostKeyChecking=no h').ignored).toEqual(['-C', '-4', '-i ~/.ssh/id_ed25519', '-o StrictHostKeyChecking=no']);
    expect(refused('ssh -J bastion h').reason).toBe('unsupported');
    expect(refused('ssh -o LocalForward="8080 web:80" h').reason).toBe('unsupported');
    // …but ssh's own errors still win over the lesson's refusal.
    expect(refused('ssh -J bastion -L 0:a:1 h').error).toBe("Bad local forwarding specification '0:a:1'");
  });
});

describe('-o (readconf.c process_config_line, "command-line" line 0)', () => {
  test.each([
    ['ssh -o GatewayPorts=yes h', { gatewayPorts: true, options: { gatewayPorts: true } }],
    ['ssh -o "GatewayPorts no" h', { gatewayPorts: false, options: { gatewayPorts: false } }],
    ['ssh -o gatewayports=TRUE h', { gatewayPorts: true }],
    ['ssh -o ExitOnForwardFailure=yes h', { exitOnForwardFailure: true, options: { exitOnForwardFailure: true } }],
    ['ssh -oExitOnForwardFailure=yes h', { exitOnForwardFailure: true }],
    ['ssh -o Port=2200 h', { port: 2200, options: { port: 2200 } }],
    ['ssh -o "port = 2201" h', { port: 2201 }],
    ['ssh -o Port=2200 -p 2300 h', { port: 2200 }],
    ['ssh -o User=carol bob@h', { user: 'carol', options: { user: 'carol' } }],
    ["ssh -o '' h", { options: {} }],
  ])('%s', (line, expected) => {
    expect(ok(line)).toMatchObject(expected);
  });

  test.each([
    ['ssh -o Port=abc h', ["command-line line 0: Bad port 'abc'."]],
    ['ssh -o Port h', ['command-line line 0: no argument after keyword "port"']],
    ['ssh -o Port= h', ['command-line line 0: no argument after keyword "port"']],
    ['ssh -o Port==22 h', ["command-line line 0: Bad port '=22'."]],
    ["ssh -o 'Port 22 23' h", ['command-line line 0: keyword port extra arguments at end of line']],
    ["ssh -o 'Port \"22' h", ['command-line line 0: invalid quotes']],
    ['ssh -o Foo=bar h', ['command-line: line 0: Bad configuration option: foo']],
    ["ssh -o 'Foo \"22' h", ['command-line: line 0: Bad configuration option: foo', 'command-line line 0: invalid quotes']],
    ['ssh -o GatewayPorts=maybe h', ['command-line line 0: unsupported option "maybe".']],
    ['ssh -o GatewayPorts h', ['command-line line 0: no argument after keyword "gatewayports"']],
    ["ssh -o 'GatewayPorts #x' h", ['command-line line 0: missing argument.', 'command-line line 0: unsupported option "(null)".']],
    ['ssh -o \'GatewayPorts ""\' h', ['command-line line 0: missing argument.', 'command-line line 0: unsupported option "".']],
    ['ssh -o User h', ['command-line line 0: no argument after keyword "user"']],
  ])('%s', (line, lines) => {
    const r = refused(line);
    expect(r).toMatchObject({ program: 'ssh', reason: 'usage', exitStatus: 255, stderr: lines.map((l) => `${l}\n`).join('') });
  });
});

describe('the destination', () => {
  test.each([
    ['ssh alice@router', { user: 'alice', host: 'router', port: null }],
    ['ssh a@b@router', { user: 'a@b', host: 'router' }], // strrchr: the last '@' splits
    ['ssh -l alice bob@host', { user: 'alice', host: 'host' }], // the first user given wins
    ['ssh bob@host -l alice', { user: 'bob', host: 'host' }],
    ['ssh ssh://carol@host:2201', { user: 'carol', host: 'host', port: 2201 }],
    ['ssh ssh://host.:2201/', { user: null, host: 'host', port: 2201 }],
    ['ssh -p 22 ssh://host:2201', { port: 22 }],
    ["ssh 'bo b@host'", { user: 'bo b', host: 'host' }],
    ['ssh "a\\\\b@h"', { user: 'a\\b', host: 'h' }],
  ])('%s', (line, expected) => {
    expect(ok(line)).toMatchObject(expected);
  });

  test.each([
    ['ssh -- -L', 'hostname contains invalid characters'],
    ['ssh h,x', 'hostname contains invalid characters'],
    ["ssh 'a b'", 'hostname contains invalid characters'],
    ['ssh -v- h', 'hostname contains invalid characters'], // getopt stops at the trailing '-', which becomes the host
    ["ssh 'x;y@h'", 'remote username contains invalid characters'],
    ['ssh -- -bob@-host', 'remote username contains invalid characters'], // the user name is checked first
    ["ssh -l 'bo -b' h", 'remote username contains invalid characters'],
    ["ssh -l 'a\\' h", 'remote username contains invalid characters'],
  ])('%s: %s', (line, message) => {
    expect(refused(line)).toMatchObject({ reason: 'usage', stderr: `${message}\n`, exitStatus: 255 });
  });

  test('an empty host gets past the parser and fails to resolve', () => {
    expect(refused('ssh user@')).toMatchObject({ reason: 'runtime', stderr: 'ssh: Could not resolve hostname : Name or service not known\n', exitStatus: 255 });
  });
});

describe('the shell', () => {
  test.each([
    ["ssh -L '[::1]:8080:localhost:80' h", ['ssh', '-L', '[::1]:8080:localhost:80', 'h']],
    ['ssh -L "8080:web:80" h', ['ssh', '-L', '8080:web:80', 'h']],
    ['ssh -L 5901:localhost:5900 h', ['ssh', '-L', '5901:localhost:5900', 'h']],
    ['ssh -L 8080:x\\:y:80 h', ['ssh', '-L', '8080:x:y:80', 'h']], // the shell eats the backslash
    ["ssh -L '8080:x\\:y:80' h", ['ssh', '-L', '8080:x\\:y:80', 'h']],
    ['ssh -L 8080:x\\\\:y:80 h', ['ssh', '-L', '8080:x\\:y:80', 'h']],
    ['echo "a\\"b\\$c\\d" \'e\'"f"g', ['echo', 'a"b$c\\d', 'efg']],
    ["ssh h 'it'\\''s'", ['ssh', 'h', "it's"]],
    ['  ssh\th   # a comment', ['ssh', 'h']],
    ['ssh a#b', ['ssh', 'a#b']],
    ["ssh '' \"\"", ['ssh', '', '']],
    ['ssh h \\\n -N', ['ssh', 'h', '-N']],
    ['ssh *:8080 [x]', ['ssh', '*:8080', '[x]']], // unmatched globs stay as typed
    ['ssh $ 5$', ['ssh', '$', '5$']],
  ])('%j', (line, words) => {
    expect(tokenizeShell(line)).toEqual({ ok: true, words });
  });

  test.each([
    ["ssh -L '8080:web:80 h", "bash: unexpected EOF while looking for matching `''\n"],
    ['ssh -L "8080:web:80 h', 'bash: unexpected EOF while looking for matching `"\'\n'],
  ])('unbalanced quotes: %j', (line, stderr) => {
    expect(refused(line)).toMatchObject({ program: 'bash', reason: 'shell', stderr, exitStatus: 2 });
  });

  test.each(['ssh h | less', 'ssh h > out', 'ssh h; ssh g', 'ssh h &', 'ssh $HOST', 'ssh "$HOST"', 'ssh `hostname`', 'FOO=1 ssh h', 'ssh h\nssh g', 'cd /tmp'])(
    '%j is outside the lesson',
    (line) => {
      expect(refused(line)).toMatchObject({ reason: 'unsupported', exitStatus: null });
    },
  );

  test('unknown programs are what bash says about them', () => {
    expect(refused('foo --bar')).toMatchObject({ program: 'bash', reason: 'shell', stderr: 'bash: foo: command not found\n', exitStatus: 127 });
    expect(refused('./ssh h').stderr).toBe('bash: ./ssh: No such file or directory\n');
    expect(ok('/usr/bin/ssh h').host).toBe('h');
    expect(refused('   ')).toMatchObject({ reason: 'empty', stderr: '' });
  });
});

describe('OpenSSH 9.2p1 (Debian 12) flavour', () => {
  test('its usage text and its -P, which takes no value', () => {
    expect(refused('ssh', 'debian-9.2').stderr).toBe(usage92);
    expect(refused('ssh -z', 'debian-9.2').stderr).toBe(`unknown option -- z\n${usage92}`);
    const r = parseCommandLine('ssh -P h', 'debian-9.2');
    expect(r.ok && r.command.program === 'ssh' && r.command.host).toBe('h');
    // Current ssh reads h as the -P tag and then has no destination.
    expect(refused('ssh -P h').stderr).toBe(usage);
  });
});

describe('client commands', () => {
  const client = (line: string) => {
    const r = parseCommandLine(line);
    if (!r.ok) throw new Error(r.stderr || r.error);
    const { argv: _argv, ...rest } = r.command;
    return rest;
  };

  test.each([
    ['vncviewer localhost:1', { host: 'localhost', port: 5901, display: 1 }],
    ['vncviewer localhost', { host: 'localhost', port: 5900, display: 0 }],
    ['vncviewer :2', { host: 'localhost', port: 5902, display: 2 }],
    ['vncviewer router::5901', { host: 'router', port: 5901, display: null }],
    ['vncviewer host:105', { host: 'host', port: 105, display: null }], // 100 and up is a port number
    ['vncviewer [::1]:1', { host: '::1', port: 5901, display: 1 }],
    ['vncviewer fe80::1:2', { host: 'fe80::1:2', port: 5900, display: 0 }], // more colons: IPv6, default port
  ])('%s', (line, expected) => {
    expect(client(line)).toMatchObject({ program: 'vncviewer', ...expected });
  });

  test.each([
    ['curl --socks5 localhost:9999 http://intranet/', { scheme: 'socks5', host: 'localhost', port: 9999, resolvesNames: 'client' }],
    ['curl --socks5-hostname localhost:9999 http://intranet/', { scheme: 'socks5h', resolvesNames: 'proxy' }],
    ['curl -x socks5://localhost:9999 http://intranet/', { scheme: 'socks5', resolvesNames: 'client', via: '-x' }],
    ['curl -x socks5h://localhost:9999 http://intranet/', { scheme: 'socks5h', resolvesNames: 'proxy' }],
    ['curl -xsocks5h://127.0.0.1 http://intranet/', { scheme: 'socks5h', port: 1080 }],
    ['curl -x proxy:3128 http://intranet/', { scheme: 'http', host: 'proxy', port: 3128, resolvesNames: 'proxy' }],
    ['curl -s --socks4a [::1]:9999 http://intranet/', { scheme: 'socks4a', host: '::1', resolvesNames: 'proxy' }],
  ])('%s', (line, proxy) => {
    const cmd = client(line);
    expect(cmd).toMatchObject({ program: 'curl', url: { scheme: 'http', host: 'intranet', port: 80, path: '/' }, proxy });
  });

  test('curl URLs', () => {
    expect(client('curl http://localhost:8080/status?x=1')).toMatchObject({ url: { host: 'localhost', port: 8080, path: '/status?x=1' }, proxy: null });
    expect(client('curl -sSL example.com')).toMatchObject({ url: { scheme: 'http', host: 'example.com', port: 80 } });
    expect(client('curl https://[::1]/')).toMatchObject({ url: { scheme: 'https', host: '::1', port: 443 } });
  });

  test.each([
    ['curl', ["curl: try 'curl --help' or 'curl --manual' for more information"]],
    ['curl -s', ['curl: no URL specified!', "curl: try 'curl --help' or 'curl --manual' for more information"]],
    ['curl --foo http://x/', ['curl: option --foo: is unknown', "curl: try 'curl --help' or 'curl --manual' for more information"]],
    ['curl http://x/ --socks5', ['curl: option --socks5: requires parameter', "curl: try 'curl --help' or 'curl --manual' for more information"]],
    ['curl http://x:99999/', ['curl: (3) URL using bad/illegal format or missing URL']],
  ])('%s', (line, lines) => {
    expect(refused(line)).toMatchObject({ program: 'curl', reason: 'usage', stderr: lines.map((l) => `${l}\n`).join('') });
  });

  test('nc and ping', () => {
    expect(client('nc -u dns 53')).toMatchObject({ program: 'nc', udp: true, host: 'dns', port: 53 });
    expect(client('nc -zv web http')).toMatchObject({ program: 'nc', udp: false, scanOnly: true, port: 80 });
    expect(refused('nc web')).toMatchObject({ program: 'nc', reason: 'usage' });
    expect(client('ping -c 3 10.0.0.1')).toMatchObject({ program: 'ping', host: '10.0.0.1', count: 3 });
    expect(client('ping router')).toMatchObject({ count: null });
    expect(refused('ping').stderr).toBe('ping: usage error: Destination address required\n');
  });
});

// ------------------------------------------------------------------------------------------------
// Properties

/** Pieces that make forwarding specifications both valid and broken often enough to test both. */
const specPiece = fc.oneof(
  fc.constantFrom('0', '1', '22', '80', '5900', '65535', '65536', '-1', '+80', ' 80', 'http', 'abc', ''),
  fc.constantFrom('localhost', 'web', '127.0.0.1', '*', '::1', '[::1]', '[2001:db8::1]', 'a\\:b', 'x\\', '[x', 'é', 'a/b', '${X}', 'h\\ o', '$\\{'),
  fc.string({ maxLength: 6 }),
);
const specArb = fc.array(specPiece, { minLength: 1, maxLength: 5 }).map((parts) => parts.join(':'));
const kindArb = fc.constantFrom<ForwardKind>('local', 'remote', 'dynamic');

/** What a command means, leaving out how it was written (argv, ignored options, notes, -o record). */
function meaning(cmd: SshCommand) {
  const { argv: _a, ignored: _i, notes: _n, options: _o, ...rest } = cmd;
  return rest;
}

const sshWord = fc.oneof(
  fc.constantFrom('-N', '-f', '-g', '-v', '-q', '-Nf', '-gN', '-C', '-z', '--', '-', '-L', '-R', '-D', '-p', '-l', '-o', 'ls', 'h', 'user@h', 'ssh://u@h:2201', '@h'),
  fc.constantFrom('5901:localhost:5900', '0:localhost:80', '9999', '[::1]:8080:localhost:80', '2222', 'Port=2200', 'GatewayPorts=yes', 'ExitOnForwardFailure=yes', 'alice'),
  fc.string({ maxLength: 8 }),
);

describe('properties', () => {
  test('nothing throws, whatever is typed', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.array(sshWord).map((w) => ['ssh', ...w].map(quoteShellWord).join(' '))), (line) => {
        const r: CommandLineResult = parseCommandLine(line);
        if (r.ok) expect(['ssh', 'vncviewer', 'curl', 'nc', 'ping']).toContain(r.command.program);
        else {
          expect(typeof r.error).toBe('string');
          expect(r.stderr === '' || r.stderr.endsWith('\n')).toBe(true);
        }
        parseCommandLine(line, 'debian-9.2');
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(kindArb, fc.oneof(specArb, fc.string({ unit: 'binary' })), (kind, spec) => {
        parseForwardSpec(kind, spec);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(sshWord, fc.string({ unit: 'binary' }))), (words) => {
        parseSshArgv(['ssh', ...words]);
      }),
      { numRuns: 500 },
    );
  });

  test('a forward printed by formatForwardSpec() reads back as the same forward', () => {
    let valid = 0;
    fc.assert(
      fc.property(kindArb, specArb, (kind, spec) => {
        const r = parseForwardSpec(kind, spec);
        if (!r.ok) return;
        valid++;
        const text = formatForwardSpec(r.forward);
        const back = parseForwardSpec(kind, text);
        expect(back).toEqual({ ok: true, forward: { ...r.forward, spec: text } });
      }),
      { numRuns: 1000 },
    );
    expect(valid).toBeGreaterThan(20); // the property is not vacuous
  });

  test('an ssh command printed by formatSshCommand() parses to the same command', () => {
    let valid = 0;
    fc.assert(
      fc.property(fc.array(sshWord, { maxLength: 8 }), (words) => {
        const r = parseSshArgv(['ssh', ...words]);
        if (!r.ok) return;
        valid++;
        const back = parseCommandLine(formatSshCommand(r.command));
        expect(back.ok).toBe(true);
        if (back.ok && back.command.program === 'ssh') expect(meaning(back.command)).toEqual(meaning(r.command));
      }),
      { numRuns: 1000 },
    );
    expect(valid).toBeGreaterThan(20);
  });

  test('quoted words survive the shell: typing quoteShellWord(w) gives w back', () => {
    const word = fc.string({ unit: 'binary' }).filter((w) => !w.includes('\0'));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 6 }), (words) => {
        expect(tokenizeShell(words.map(quoteShellWord).join(' '))).toEqual({ ok: true, words });
      }),
      { numRuns: 500 },
    );
  });

  test('parsing a typed ssh line is parsing the argv the shell would pass', () => {
    fc.assert(
      fc.property(fc.array(sshWord, { maxLength: 8 }), (words) => {
        const argv = ['ssh', ...words];
        expect(parseCommandLine(argv.map(quoteShellWord).join(' '))).toEqual(parseSshArgv(argv));
      }),
      { numRuns: 500 },
    );
  });
});
