/**
 * A harness that runs REAL OpenSSH for the port-forwarding lesson's conformance test.
 *
 * - `createLab()` owns everything it starts (a temp dir with a host key and a client key, sshd and ssh
 *   processes, destination services, network namespaces) and `lab.cleanup()` ends all of it; a
 *   process 'exit' hook kills whatever a crashed test left behind.
 * - `lab.startSshd()` runs `/usr/sbin/sshd -f CONFIG -D -e` as a child (logs on stderr, captured), on a
 *   free loopback port or inside a network namespace; forwarding policy is per call.
 * - `lab.startSsh()` runs `ssh -F /dev/null … -N` with the given -L/-R/-D flags; its stderr is captured.
 * - `lab.startService()` is a tiny TCP service that answers with a banner naming itself, echoes what it
 *   is sent and records the source address of every connection: a test sees WHICH listener got a
 *   connection and FROM WHERE.
 * - `lab.probe()` connects (optionally from inside a namespace) and reports what the client saw:
 *   a reply, an accepted-then-closed connection, a refusal, a timeout.
 * - `lab.createTopology()` builds network namespaces joined by veth pairs; `lessonTopology()` is the
 *   lesson's laptop / server / desktop / coworker layout. `netnsSupport()` says whether that works here.
 * - Readiness is read from the kernel (/proc/PID/net/tcp{,6} of a process in the right namespace), so
 *   waiting for a forward to listen never opens a connection through it.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const SSHD = '/usr/sbin/sshd';
const IP_CANDIDATES = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'];

const which = (name: string): string | undefined => {
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/bin', '/usr/sbin', '/sbin']);
  for (const dir of dirs) if (dir && existsSync(join(dir, name))) return join(dir, name);
  return undefined;
};
const IP = IP_CANDIDATES.find((p) => existsSync(p));

// ───────────────────────────── availability ─────────────────────────────

export interface Support {
  ok: boolean;
  reason: string;
}

/**
 * Whether sshd, ssh and ssh-keygen are installed (scripts/ensure-openssh.mjs installs them) and this runs as root.
 * Root, because an sshd started by another user can only log in that user, and (with UsePAM no) refuses it
 * when its password is locked, as service and CI accounts' usually are.
 */
export function opensshSupport(): Support {
  const missing = [existsSync(SSHD) ? '' : SSHD, which('ssh') ? '' : 'ssh', which('ssh-keygen') ? '' : 'ssh-keygen'].filter(Boolean);
  if (missing.length > 0)
    return { ok: false, reason: `OpenSSH is missing (${missing.join(', ')}); run node scripts/ensure-openssh.mjs as root, or apt-get install openssh-server openssh-client` };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'not root: the throwaway sshd must run as root to log in over loopback (and to use network namespaces)' };
  return { ok: true, reason: 'OpenSSH is installed and this is root' };
}

/** `ssh -V`, e.g. "OpenSSH_9.2p1 Debian-2+deb12u10, OpenSSL 3.0.19 27 Jan 2026", and the Debian package versions when dpkg knows them. */
export function opensshVersion(): { ssh: string; packages: string } {
  const r = spawnSync('ssh', ['-V'], { encoding: 'utf8' }); // it prints on stderr
  const q = spawnSync('dpkg-query', ['-W', '-f', '${Package} ${Version}\\n', 'openssh-server', 'openssh-client'], { encoding: 'utf8' });
  return {
    ssh: `${r.stderr ?? ''}${r.stdout ?? ''}`.trim(),
    packages: q.status === 0 ? q.stdout.trim().replace(/\n/g, '; ') : '(not from dpkg)',
  };
}

let netnsCache: Support | undefined;
/**
 * Whether this process can create network namespaces and veth pairs (root or CAP_SYS_ADMIN + CAP_NET_ADMIN,
 * iproute2 installed). Creates and deletes a throwaway namespace and pair to find out.
 */
export function netnsSupport(): Support {
  if (netnsCache) return netnsCache;
  if (!IP) return (netnsCache = { ok: false, reason: 'iproute2 (ip) is not installed' });
  const a = `opslab-ssh-${process.pid}-probe-a`;
  const b = `opslab-ssh-${process.pid}-probe-b`;
  try {
    execFileSync(IP, ['netns', 'add', a], { stdio: 'pipe' });
    execFileSync(IP, ['netns', 'add', b], { stdio: 'pipe' });
    execFileSync(IP, ['-n', a, 'link', 'add', 'probe0', 'type', 'veth', 'peer', 'name', 'probe1', 'netns', b], { stdio: 'pipe' });
    execFileSync(IP, ['netns', 'exec', a, 'true'], { stdio: 'pipe' });
    netnsCache = { ok: true, reason: 'network namespaces and veth pairs can be created' };
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    netnsCache = { ok: false, reason: `cannot create network namespaces here: ${(err.stderr?.toString() || err.message).trim()}` };
  } finally {
    for (const n of [a, b]) {
      try {
        execFileSync(IP, ['netns', 'del', n], { stdio: 'ignore' });
      } catch {
        /* it was never made */
      }
    }
  }
  return netnsCache;
}

/** Deletes namespaces an earlier run of this harness left behind (its process is gone). */
export function removeStaleNamespaces(): string[] {
  if (!IP) return [];
  let list = '';
  try {
    list = execFileSync(IP, ['netns', 'list'], { encoding: 'utf8' });
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const line of list.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const m = /^opslab-ssh-(\d+)-/.exec(name);
    if (!m || existsSync(`/proc/${m[1]}`)) continue;
    destroyNamespace(name);
    removed.push(name);
  }
  return removed;
}

function destroyNamespace(name: string) {
  if (!IP) return;
  try {
    const pids = execFileSync(IP, ['netns', 'pids', name], { encoding: 'utf8' }).split(/\s+/).filter(Boolean);
    for (const pid of pids) killQuietly(Number(pid), 'SIGKILL');
  } catch {
    /* gone already */
  }
  try {
    execFileSync(IP, ['netns', 'del', name], { stdio: 'ignore' });
  } catch {
    /* gone already */
  }
}

// ───────────────────────────── small utilities ─────────────────────────────

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function killQuietly(pid: number | undefined, signal: NodeJS.Signals) {
  if (!pid) return;
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}

/** Children (recursively) of a process, from /proc: sshd's per-connection processes are its children. */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(entry), ppid);
    } catch {
      /* exited meanwhile */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, pp] of parent) if (pp === p) (out.push(child), walk(child));
  };
  walk(pid);
  return out;
}

/** A free TCP port on the given address (of the test's own namespace). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Polls `check` every `everyMs` until it returns something other than undefined, or throws `describe()` after `timeoutMs`. */
export async function until<T>(check: () => T | undefined, timeoutMs: number, describe: () => string, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await sleep(everyMs);
  }
}

// ───────────────────────────── listening sockets, from the kernel ─────────────────────────────

export interface ListeningSocket {
  address: string;
  port: number;
  inode: number;
}

/** The socket inodes a process holds open (from /proc/PID/fd). */
export function socketInodes(pid: number): Set<number> {
  const out = new Set<number>();
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return out;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) out.add(Number(m[1]));
    } catch {
      /* closed meanwhile */
    }
  }
  return out;
}

function hexToIPv4(hex: string): string {
  // /proc/net/tcp prints the address as one host-order (little-endian) 32-bit word.
  const n = parseInt(hex, 16);
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255].join('.');
}
function hexToIPv6(hex: string): string {
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    for (let b = 3; b >= 0; b--) bytes.push(parseInt(word.slice(b * 2, b * 2 + 2), 16));
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  const full = groups.join(':');
  if (full === '0:0:0:0:0:0:0:0') return '::';
  if (full === '0:0:0:0:0:0:0:1') return '::1';
  const mapped = /^0:0:0:0:0:ffff:([0-9a-f]+):([0-9a-f]+)$/.exec(full);
  if (mapped) return `::ffff:${hexToIPv4(hex.slice(24))}`;
  return full;
}

/**
 * The TCP sockets in LISTEN state in the network namespace of process `pid` (default: this process).
 * Reading /proc/PID/net/tcp{,6} sees that process's namespace, so this works for a child started
 * with `ip netns exec` too.
 */
export function listeningSockets(pid: number = process.pid): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  for (const [file, v6] of [['tcp', false], ['tcp6', true]] as const) {
    let text = '';
    try {
      text = readFileSync(`/proc/${pid}/net/${file}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 4 || cols[3] !== '0A') continue; // 0A = TCP_LISTEN
      const [addr, port] = cols[1]!.split(':') as [string, string];
      out.push({ address: v6 ? hexToIPv6(addr) : hexToIPv4(addr), port: parseInt(port, 16), inode: Number(cols[9]) });
    }
  }
  return out;
}

/**
 * Waits until something listens on `port` (optionally on `address`) in `pid`'s namespace; returns every
 * address listening on that port. With `owners`, only sockets those processes hold count (so a test's own
 * listener on the same port is not mistaken for ssh's). A program binds its addresses one after another
 * (ssh: 127.0.0.1 then ::1, or 0.0.0.0 and ::), so the answer is the set once it has stayed the same for `settleMs`.
 */
export async function waitForListening(opts: {
  port: number;
  address?: string;
  pid?: number;
  owners?: () => number[];
  timeoutMs?: number;
  settleMs?: number;
  alive?: () => string | undefined;
}): Promise<string[]> {
  const { port, address, pid = process.pid, owners, timeoutMs = 4000, settleMs = 40, alive } = opts;
  const read = () => {
    let sockets = listeningSockets(pid).filter((s) => s.port === port);
    if (owners) {
      const held = new Set(owners().flatMap((o) => [...socketInodes(o)]));
      sockets = sockets.filter((s) => held.has(s.inode));
    }
    return [...new Set(sockets.map((s) => s.address))].sort();
  };
  let last = '';
  let since = 0;
  return until(
    () => {
      const dead = alive?.();
      if (dead) throw new Error(dead);
      const on = read();
      if (on.length === 0 || (address && !on.includes(address))) return (last = ''), undefined;
      const key = on.join(' ');
      if (key !== last) return (last = key), (since = Date.now()), undefined;
      return Date.now() - since >= settleMs ? on : undefined;
    },
    timeoutMs,
    () => `nothing${owners ? ' of theirs' : ''} listening on ${address ?? '*'}:${port} in the namespace of pid ${pid} (last seen: ${last || 'none'})`,
    10,
  );
}

// ───────────────────────────── captured child processes ─────────────────────────────

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A child whose stderr (and stdout) is kept, with helpers to wait for a line and for the exit. */
export interface Captured {
  readonly pid: number;
  readonly argv: string[];
  readonly ns: string | undefined;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  stdout(): string;
  stderrLines(): string[];
  /** Resolves with the first stderr line matching `re`. */
  waitForStderr(re: RegExp, timeoutMs?: number): Promise<string>;
  /** undefined while running. */
  exit(): Exit | undefined;
  waitForExit(timeoutMs?: number): Promise<Exit>;
  /** SIGTERM, then SIGKILL after a grace period; kills the process's descendants too. */
  stop(): Promise<Exit>;
}

function capture(argv: string[], ns: string | undefined, track: (c: Captured) => void, stdinPipe = false): Captured {
  const full = ns ? [IP ?? 'ip', 'netns', 'exec', ns, ...argv] : argv;
  const env = { ...process.env };
  delete env.SSH_AUTH_SOCK;
  delete env.SSH_AGENT_PID;
  const child: ChildProcess = spawn(full[0]!, full.slice(1), { stdio: [stdinPipe ? 'pipe' : 'ignore', 'pipe', 'pipe'], env });
  let err = '';
  let out = '';
  let exited: Exit | undefined;
  const exitWaiters: Array<() => void> = [];
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.on('error', (e) => (err += `\n[spawn error] ${e.message}\n`));
  child.on('exit', (code, signal) => {
    exited = { code, signal };
    for (const w of exitWaiters.splice(0)) w();
  });
  if (child.pid === undefined) throw new Error(`could not start ${full.join(' ')}`);
  const pid = child.pid;
  const waitForExit = (timeoutMs = 4000): Promise<Exit> =>
    new Promise((resolve, reject) => {
      if (exited) return resolve(exited);
      const timer = setTimeout(() => reject(new Error(`${argv[0]} (pid ${pid}) still running after ${timeoutMs} ms; stderr:\n${err}`)), timeoutMs);
      exitWaiters.push(() => (clearTimeout(timer), resolve(exited!)));
    });
  const c: Captured = {
    pid,
    argv: full,
    ns,
    stderr: () => err,
    stdout: () => out,
    stderrLines: () => err.split('\n').map((l) => l.replace(/\r$/, '')).filter(Boolean),
    waitForStderr: (re, timeoutMs = 4000) =>
      until(
        () => c.stderrLines().find((l) => re.test(l)),
        timeoutMs,
        () => `${argv[0]} (pid ${pid}) never printed ${re}; ${exited ? `it exited ${JSON.stringify(exited)}; ` : ''}stderr:\n${err}`,
      ),
    exit: () => exited,
    waitForExit,
    async stop() {
      if (exited) return exited;
      const kids = descendants(pid);
      killQuietly(pid, 'SIGTERM');
      for (const k of kids) killQuietly(k, 'SIGTERM');
      try {
        return await waitForExit(1500);
      } catch {
        killQuietly(pid, 'SIGKILL');
        for (const k of descendants(pid).concat(kids)) killQuietly(k, 'SIGKILL');
        return waitForExit(1500);
      }
    },
  };
  track(c);
  return c;
}

// ───────────────────────────── destination services and probes (one source, in-process or in a namespace) ─────────────────────────────

/** A connection a service accepted, as the service saw it. */
export interface ConnectionRecord {
  service: string;
  remoteAddress: string;
  remotePort: number;
  localAddress: string;
  localPort: number;
  at: number;
}

// Plain JavaScript so that a namespace's child `node -e` runs the very same code as the in-process version.
const SERVICE_SOURCE = `
function serve(net, name, host, port, report) {
  const open = new Set();
  const server = net.createServer((s) => {
    open.add(s);
    s.on('close', () => open.delete(s));
    report({ type: 'connection', service: name, remoteAddress: s.remoteAddress, remotePort: s.remotePort,
             localAddress: s.localAddress, localPort: s.localPort, at: Date.now() });
    s.on('error', () => {});
    s.write(name + '\\n');
    s.on('data', (d) => s.write(d));
    s.on('end', () => s.end());
  });
  server.on('error', (e) => report({ type: 'error', code: e.code, message: e.message }));
  server.listen(port, host, () => report({ type: 'listening', port: server.address().port }));
  const close = server.close.bind(server);
  server.close = (cb) => { for (const s of open) s.destroy(); return close(cb); };
  return server;
}`;

const PROBE_SOURCE = `
function probe(net, o, done) {
  const started = Date.now();
  let data = '', connected = false, finished = false, connectMs = null;
  const sock = net.connect({ host: o.host, port: o.port });
  const finish = (outcome, error) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    sock.destroy();
    done({ outcome, connected, data, banner: data.split('\\n')[0] || null, error: error || null,
           connectMs, ms: Date.now() - started, localAddress: sock.localAddress || null });
  };
  const timer = setTimeout(() => finish(connected ? (data ? 'reply' : 'timeout') : 'timeout', null), o.timeoutMs);
  sock.on('connect', () => { connected = true; connectMs = Date.now() - started; if (o.send) sock.write(o.send); });
  sock.on('data', (d) => {
    data += d.toString('latin1');
    if (o.send ? data.endsWith(o.send) : data.includes('\\n')) finish('reply');
  });
  sock.on('end', () => finish(data ? 'reply' : 'closed'));
  sock.on('close', () => finish(data ? 'reply' : connected ? 'closed' : 'error'));
  sock.on('error', (e) => finish(e.code === 'ECONNREFUSED' ? 'refused' : e.code === 'ECONNRESET' && connected ? (data ? 'reply' : 'reset') : 'error', e.code || e.message));
}`;

type Report = (m: Record<string, unknown>) => void;
const serveInProcess = new Function(`${SERVICE_SOURCE}; return serve;`)() as (n: typeof net, name: string, host: string, port: number, report: Report) => net.Server;
const probeInProcess = new Function(`${PROBE_SOURCE}; return probe;`)() as (n: typeof net, o: ProbeOptions & { timeoutMs: number }, done: (r: ProbeResult) => void) => void;

const SERVICE_MAIN = `const net = require('node:net'); ${SERVICE_SOURCE}
const [name, host, port] = process.argv.slice(1);
serve(net, name, host, Number(port), (m) => process.stdout.write(JSON.stringify(m) + '\\n'));
process.stdin.on('end', () => process.exit(0)); process.stdin.resume();`;

const PROBE_MAIN = `const net = require('node:net'); ${PROBE_SOURCE}
probe(net, JSON.parse(process.argv[1]), (r) => { process.stdout.write(JSON.stringify(r) + '\\n'); process.exit(0); });`;

export interface Service {
  name: string;
  host: string;
  port: number;
  ns: string | undefined;
  /** Every connection accepted so far, in order. */
  connections: ConnectionRecord[];
  waitForConnections(n: number, timeoutMs?: number): Promise<ConnectionRecord[]>;
  close(): Promise<void>;
}

export interface ProbeOptions {
  host: string;
  port: number;
  /** Run the client inside this namespace (full name, from a Topology). */
  ns?: string;
  /**
   * Bytes to send once connected; the probe ends when they come back (the services echo). Default "ping\n".
   * '' sends nothing and ends at the banner's newline (a client that waits for the server to speak first, like VNC).
   */
  send?: string;
  timeoutMs?: number;
}

/**
 * What a client saw: `reply` (bytes came back; `banner` names the service that answered), `closed`
 * (accepted, then closed with no byte: what -L does when the far side's open fails), `refused`,
 * `reset`, `timeout`, or `error` (see `error`, e.g. ENETUNREACH).
 */
export interface ProbeResult {
  outcome: 'reply' | 'closed' | 'refused' | 'reset' | 'timeout' | 'error';
  connected: boolean;
  data: string;
  banner: string | null;
  error: string | null;
  connectMs: number | null;
  ms: number;
  localAddress: string | null;
}

// ───────────────────────────── sshd and ssh ─────────────────────────────

export interface SshdOptions {
  /** Run inside this namespace (full name, from a Topology). */
  ns?: string;
  /** ListenAddress; default 127.0.0.1 (0.0.0.0 is handy inside a namespace). */
  listen?: string;
  /** Default: a free port on loopback, 22 inside a namespace. */
  port?: number;
  allowTcpForwarding?: 'yes' | 'no' | 'local' | 'remote' | 'all';
  /** PermitOpen entries (host:port, "any", "none"); default any. */
  permitOpen?: string[];
  /** PermitListen entries (port, host:port, "any", "none"); default any. */
  permitListen?: string[];
  gatewayPorts?: 'no' | 'yes' | 'clientspecified';
  /** LogLevel; default VERBOSE. Debian's sshd_config leaves it unset, which is INFO: a case about what that log shows says INFO. */
  logLevel?: 'INFO' | 'VERBOSE';
  /** More sshd_config lines, verbatim. */
  extra?: string[];
  /** Milliseconds to wait for "Server listening on"; default 4000. */
  timeoutMs?: number;
}

export interface Sshd extends Captured {
  host: string;
  port: number;
  user: string;
  configPath: string;
  config: string;
}

export interface SshOptions {
  sshd: Sshd;
  /** Forwarding flags as ssh takes them: ['-L', '5902:192.168.10.5:5900', '-R', '0:127.0.0.1:80', '-D', '1080']. */
  forwards: string[];
  /** Where to connect; default sshd.host (use the server's address when sshd listens on 0.0.0.0 in a namespace). */
  host?: string;
  /** Run the client inside this namespace (full name, from a Topology). */
  ns?: string;
  /** ExitOnForwardFailure; default true. */
  exitOnForwardFailure?: boolean;
  /** -g: let other hosts connect to local forwarded ports. */
  gatewayPorts?: boolean;
  /** More -o options, e.g. { LogLevel: 'VERBOSE' }. */
  options?: Record<string, string>;
}

export interface Ssh extends Captured {
  /** The exact ssh command line (without the `ip netns exec` prefix). */
  command: string;
  /** Waits until ssh itself listens on `port` (-L, -D); returns every address it listens on there. */
  waitForLocalListen(port: number, address?: string, timeoutMs?: number): Promise<string[]>;
  /** Waits until sshd listens on `port` for this client (-R); returns every address it listens on there. */
  waitForRemoteListen(port: number, address?: string, timeoutMs?: number): Promise<string[]>;
  /** For -R 0:…: waits for "Allocated port N for remote forward to HOST:PORT" and returns N and the line. */
  allocatedPort(timeoutMs?: number): Promise<{ port: number; line: string }>;
  /** The "channel N: open failed: …" lines so far. */
  openFailures(): string[];
}

// ───────────────────────────── topology ─────────────────────────────

export interface LinkSpec {
  a: string;
  /** CIDR, e.g. 10.0.0.2/24. */
  aAddress: string;
  b: string;
  bAddress: string;
}
export interface TopologySpec {
  hosts: string[];
  links: LinkSpec[];
  routes?: Array<{ host: string; to: string; via: string }>;
}
export interface Topology {
  /** The full namespace name of a host, for the `ns` options. */
  ns(host: string): string;
  /** Runs a command inside a host's namespace and returns its stdout. */
  exec(host: string, argv: string[]): string;
  destroy(): void;
}

/** The lesson's network: a laptop on a Wi-Fi with a coworker, the SSH server reachable from the laptop, and a desktop on the server's LAN that only the server can reach. */
export const LESSON = {
  laptop: { toServer: '10.0.0.2', wifi: '10.0.1.1' },
  server: { public: '10.0.0.1', lan: '192.168.10.1' },
  desktop: { lan: '192.168.10.5' },
  coworker: { wifi: '10.0.1.2' },
} as const;

export const lessonTopology = (): TopologySpec => ({
  hosts: ['laptop', 'server', 'desktop', 'coworker'],
  links: [
    { a: 'laptop', aAddress: `${LESSON.laptop.toServer}/24`, b: 'server', bAddress: `${LESSON.server.public}/24` },
    { a: 'server', aAddress: `${LESSON.server.lan}/24`, b: 'desktop', bAddress: `${LESSON.desktop.lan}/24` },
    { a: 'coworker', aAddress: `${LESSON.coworker.wifi}/24`, b: 'laptop', bAddress: `${LESSON.laptop.wifi}/24` },
  ],
  // No routes and no forwarding: the laptop cannot reach 192.168.10.0/24 except through the tunnel.
});

// ───────────────────────────── the lab ─────────────────────────────

export interface Lab {
  dir: string;
  clientKey: string;
  user: string;
  startSshd(opts?: SshdOptions): Promise<Sshd>;
  startSsh(opts: SshOptions): Ssh;
  startService(name: string, opts?: { host?: string; port?: number; ns?: string }): Promise<Service>;
  probe(opts: ProbeOptions): Promise<ProbeResult>;
  createTopology(spec: TopologySpec): Topology;
  /** Stops every process, closes every service, deletes every namespace and the temp dir. */
  cleanup(): Promise<void>;
}

let labCount = 0;
const exitHooks = new Set<() => void>();
let exitHookInstalled = false;
function onProcessExit(fn: () => void) {
  exitHooks.add(fn);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const f of exitHooks) f();
    });
  }
  return () => exitHooks.delete(fn);
}

export function createLab(): Lab {
  const id = ++labCount;
  const dir = mkdtempSync(join(tmpdir(), 'opslab-openssh-'));
  const hostKey = join(dir, 'ssh_host_ed25519_key');
  const clientKey = join(dir, 'id_ed25519');
  const authorizedKeys = join(dir, 'authorized_keys');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'opslab-host', '-f', hostKey]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'opslab-client', '-f', clientKey]);
  writeFileSync(authorizedKeys, readFileSync(`${clientKey}.pub`));
  const user = userInfo().username;
  const isRoot = process.getuid?.() === 0;
  // sshd's privilege separation directory; Debian's package creates it only when its service starts.
  if (isRoot && !existsSync('/run/sshd')) execFileSync('mkdir', ['-p', '-m', '0755', '/run/sshd']);

  const processes = new Set<Captured>();
  const services = new Set<Service>();
  const namespaces = new Set<string>();
  let sshdCount = 0;
  let topoCount = 0;

  const hardStop = () => {
    for (const p of processes) if (!p.exit()) for (const pid of [...descendants(p.pid), p.pid]) killQuietly(pid, 'SIGKILL');
    for (const n of namespaces) destroyNamespace(n);
    rmSync(dir, { recursive: true, force: true });
  };
  const unhook = onProcessExit(hardStop);

  const startService: Lab['startService'] = async (name, opts = {}) => {
    const host = opts.host ?? (opts.ns ? '0.0.0.0' : '127.0.0.1');
    const connections: ConnectionRecord[] = [];
    let close: () => Promise<void>;
    let port: number;
    if (!opts.ns) {
      let server!: net.Server;
      port = await new Promise<number>((resolve, reject) => {
        server = serveInProcess(net, name, host, opts.port ?? 0, (m) => {
          if (m.type === 'connection') connections.push(m as unknown as ConnectionRecord);
          else if (m.type === 'listening') resolve(m.port as number);
          else reject(new Error(`service ${name} on ${host}:${opts.port}: ${String(m.message)}`));
        });
      });
      close = () => new Promise<void>((r) => server.close(() => r()));
    } else {
      const child = capture([process.execPath, '-e', SERVICE_MAIN, name, host, String(opts.port ?? 0)], opts.ns, (c) => processes.add(c), true);
      let seen = 0;
      const messages = () => child.stdout().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
      const pump = () => {
        const all = messages();
        for (const m of all.slice(seen)) if (m.type === 'connection') connections.push(m as unknown as ConnectionRecord);
        seen = all.length;
        return all;
      };
      const first = await until(
        () => {
          if (child.exit()) throw new Error(`service ${name} in ${opts.ns} exited: ${child.stderr()}${child.stdout()}`);
          return pump().find((m) => m.type === 'listening' || m.type === 'error');
        },
        5000,
        () => `service ${name} in ${opts.ns} did not start: ${child.stderr()}`,
      );
      if (first.type === 'error') throw new Error(`service ${name} in ${opts.ns}: ${String(first.message)}`);
      port = first.port as number;
      const timer = setInterval(pump, 20);
      close = async () => {
        clearInterval(timer);
        pump();
        await child.stop();
      };
    }
    const service: Service = {
      name,
      host,
      port,
      ns: opts.ns,
      connections,
      waitForConnections: (n, timeoutMs = 3000) =>
        until(
          () => (connections.length >= n ? connections.slice() : undefined),
          timeoutMs,
          () => `service ${name} saw ${connections.length} of ${n} connections`,
        ),
      close: async () => {
        services.delete(service);
        await close();
      },
    };
    services.add(service);
    return service;
  };

  const probe: Lab['probe'] = (opts) => {
    const o = { ...opts, send: opts.send ?? 'ping\n', timeoutMs: opts.timeoutMs ?? 3000 };
    if (!opts.ns) return new Promise((resolve) => probeInProcess(net, o, resolve));
    const args = JSON.stringify({ host: o.host, port: o.port, send: o.send, timeoutMs: o.timeoutMs });
    const child = capture([process.execPath, '-e', PROBE_MAIN, args], opts.ns, (c) => processes.add(c));
    return child.waitForExit(o.timeoutMs + 5000).then(() => {
      processes.delete(child);
      const line = child.stdout().trim().split('\n').pop();
      if (!line) throw new Error(`probe in ${opts.ns} printed nothing: ${child.stderr()}`);
      return JSON.parse(line) as ProbeResult;
    });
  };

  const startSshd: Lab['startSshd'] = async (opts = {}) => {
    const n = ++sshdCount;
    const listen = opts.listen ?? '127.0.0.1';
    const port = opts.port ?? (opts.ns ? 22 : await freePort(listen === '0.0.0.0' ? '127.0.0.1' : listen));
    const configPath = join(dir, `sshd_config.${n}`);
    const lines = [
      `ListenAddress ${listen.includes(':') ? `[${listen}]` : listen}:${port}`,
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      `PidFile ${join(dir, `sshd.${n}.pid`)}`,
      'StrictModes no',
      'UsePAM no',
      `PermitRootLogin ${isRoot ? 'prohibit-password' : 'no'}`,
      'PubkeyAuthentication yes',
      'AuthenticationMethods publickey',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PrintMotd no',
      'PermitTTY no',
      'X11Forwarding no',
      'AllowAgentForwarding no',
      'LoginGraceTime 15',
      `AllowTcpForwarding ${opts.allowTcpForwarding ?? 'yes'}`,
      `PermitOpen ${(opts.permitOpen ?? ['any']).join(' ')}`,
      `PermitListen ${(opts.permitListen ?? ['any']).join(' ')}`,
      `GatewayPorts ${opts.gatewayPorts ?? 'no'}`,
      `LogLevel ${opts.logLevel ?? 'VERBOSE'}`,
      ...(opts.extra ?? []),
    ];
    const config = lines.join('\n') + '\n';
    writeFileSync(configPath, config);
    const child = capture([SSHD, '-f', configPath, '-D', '-e'], opts.ns, (c) => processes.add(c));
    try {
      await child.waitForStderr(/^Server listening on /, opts.timeoutMs ?? 4000);
    } catch (e) {
      await child.stop();
      throw new Error(`sshd did not start: ${(e as Error).message}\nconfig:\n${config}`);
    }
    return Object.assign(child, { host: listen === '0.0.0.0' ? '127.0.0.1' : listen, port, user, configPath, config });
  };

  const startSsh: Lab['startSsh'] = (opts) => {
    const { sshd } = opts;
    const options: Record<string, string> = {
      IdentitiesOnly: 'yes',
      StrictHostKeyChecking: 'no',
      UserKnownHostsFile: '/dev/null',
      GlobalKnownHostsFile: '/dev/null',
      BatchMode: 'yes',
      ExitOnForwardFailure: opts.exitOnForwardFailure === false ? 'no' : 'yes',
      ConnectTimeout: '5',
      ...opts.options,
    };
    const argv = [
      'ssh',
      '-F',
      '/dev/null',
      '-i',
      clientKey,
      ...Object.entries(options).flatMap(([k, v]) => ['-o', `${k}=${v}`]),
      '-p',
      String(sshd.port),
      '-N',
      ...(opts.gatewayPorts ? ['-g'] : []),
      ...opts.forwards,
      `${sshd.user}@${opts.host ?? sshd.host}`,
    ];
    const child = capture(argv, opts.ns, (c) => processes.add(c));
    const alive = () => {
      const e = child.exit();
      return e ? `ssh exited ${JSON.stringify(e)}; stderr:\n${child.stderr()}` : undefined;
    };
    return Object.assign(child, {
      command: argv.join(' '),
      waitForLocalListen: (port: number, address?: string, timeoutMs?: number) =>
        waitForListening({ port, address, pid: child.pid, owners: () => [child.pid], timeoutMs, alive }),
      // sshd listens for -R in the per-connection process of the login, a child of the sshd we started.
      waitForRemoteListen: (port: number, address?: string, timeoutMs?: number) =>
        waitForListening({ port, address, pid: sshd.pid, owners: () => descendants(sshd.pid), timeoutMs, alive }),
      allocatedPort: async (timeoutMs?: number) => {
        const line = await child.waitForStderr(/^Allocated port \d+ for remote forward/, timeoutMs);
        return { port: Number(/^Allocated port (\d+)/.exec(line)![1]), line };
      },
      openFailures: () => child.stderrLines().filter((l) => /^channel \d+: open failed: /.test(l)),
    });
  };

  const createTopology: Lab['createTopology'] = (spec) => {
    if (!IP) throw new Error('iproute2 is not installed');
    const ipCmd = IP;
    const prefix = `opslab-ssh-${process.pid}-${id}${String.fromCharCode(96 + ++topoCount)}`;
    const names = new Map(spec.hosts.map((h) => [h, `${prefix}-${h}`]));
    const ns = (h: string) => {
      const name = names.get(h);
      if (!name) throw new Error(`no host ${h} in this topology`);
      return name;
    };
    const ip = (...args: string[]) => execFileSync(ipCmd, args, { stdio: 'pipe', encoding: 'utf8' });
    const made: string[] = [];
    const destroy = () => {
      for (const n of made.splice(0)) {
        destroyNamespace(n);
        namespaces.delete(n);
      }
    };
    try {
      for (const h of spec.hosts) {
        ip('netns', 'add', ns(h));
        made.push(ns(h));
        namespaces.add(ns(h));
        ip('-n', ns(h), 'link', 'set', 'lo', 'up');
      }
      for (const l of spec.links) {
        // Interface names only need to be unique inside their own namespace (at most 15 characters).
        const ifA = `to-${l.b}`.slice(0, 15);
        const ifB = `to-${l.a}`.slice(0, 15);
        ip('-n', ns(l.a), 'link', 'add', ifA, 'type', 'veth', 'peer', 'name', ifB, 'netns', ns(l.b));
        ip('-n', ns(l.a), 'addr', 'add', l.aAddress, 'dev', ifA);
        ip('-n', ns(l.b), 'addr', 'add', l.bAddress, 'dev', ifB);
        ip('-n', ns(l.a), 'link', 'set', ifA, 'up');
        ip('-n', ns(l.b), 'link', 'set', ifB, 'up');
      }
      for (const r of spec.routes ?? []) ip('-n', ns(r.host), 'route', 'add', r.to, 'via', r.via);
    } catch (e) {
      destroy();
      const err = e as { stderr?: string; message: string };
      throw new Error(`could not build the topology: ${(err.stderr || err.message).trim()}`);
    }
    return {
      ns,
      exec: (h, argv) => ip('netns', 'exec', ns(h), ...argv),
      destroy,
    };
  };

  return {
    dir,
    clientKey,
    user,
    startSshd,
    startSsh,
    startService,
    probe,
    createTopology,
    async cleanup() {
      // Clients first: an sshd's per-connection children end when their client goes.
      const all = [...processes];
      const order = (c: Captured) => (c.argv.includes(SSHD) ? 1 : 0);
      for (const group of [0, 1]) await Promise.all(all.filter((c) => order(c) === group).map((c) => c.stop().catch(() => undefined)));
      processes.clear();
      await Promise.all([...services].map((s) => s.close().catch(() => undefined)));
      for (const n of [...namespaces]) destroyNamespace(n);
      namespaces.clear();
      rmSync(dir, { recursive: true, force: true });
      unhook();
    },
  };
}
