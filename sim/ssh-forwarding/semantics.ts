/**
 * What happens, step by step, when a reader runs an ssh command with -L / -R / -D on one host of a
 * topology and then a client program (vncviewer, curl, nc, ping) on some host: the WALK.
 *
 * Fidelity target: OpenSSH 9.2p1 (Debian 12), whose behaviour test/ssh-forwarding/openssh.test.ts
 * records and checks against this model. Where a rule comes from OpenSSH's source the comment names
 * the function (channels.c channel_fwd_bind_addr(), channel_setup_fwd_listener_tcpip(),
 * channel_rfwd_bind_host(), connect_to(); ssh.c ssh_init_forwarding(), ssh_confirm_remote_forward();
 * sshconnect.c ssh_connect_direct()). ssh's and sshd's messages are quoted exactly; the client
 * programs' own complaints (nc, curl, vncviewer, ping) are modelled on their real wording, and
 * say so where they are.
 *
 * Pure: the same input gives the same walk. Ephemeral choices the kernel makes at run time (the
 * port sshd gets for -R 0, source ports) are made deterministically and the step says so.
 */
import type { ClientCommand, CurlCommand } from './clients/index.ts';
import type { SshCommand } from './openssh/ssh.ts';
import {
  familyOf,
  hostByName,
  isIPv6,
  isIpLiteral,
  isLocalAddress,
  isLoopback,
  isWildcard,
  type Host,
  type Protocol,
  type SshdSettings,
  type Topology,
} from './topology.ts';

// ---------------------------------------------------------------------------------------------
// States, for a diagram to light

export type SessionPhase = 'connecting' | 'authenticating' | 'open' | 'closed';
/** The forwarded connection of the reader's client action; `none` before any forward listens or after ssh went away. */
export type ConnectionPhase = 'none' | 'listening' | 'accepted' | 'channel-open-requested' | 'open' | 'open-failed' | 'relaying' | 'half-closed' | 'closed';

export interface WalkState {
  session: SessionPhase;
  connection: ConnectionPhase;
}

/** Allowed moves between consecutive steps (staying put is always allowed). */
export const SESSION_TRANSITIONS: Readonly<Record<SessionPhase, readonly SessionPhase[]>> = {
  connecting: ['authenticating', 'closed'],
  authenticating: ['open', 'closed'],
  open: ['closed'],
  closed: [],
};

export const CONNECTION_TRANSITIONS: Readonly<Record<ConnectionPhase, readonly ConnectionPhase[]>> = {
  none: ['listening'],
  // ssh exiting takes its listeners with it.
  listening: ['accepted', 'none'],
  // A SOCKS client can fail before any channel is asked for (a name curl cannot resolve never gets this far, but a non-SOCKS greeting does).
  accepted: ['channel-open-requested', 'closed'],
  'channel-open-requested': ['open', 'open-failed'],
  open: ['relaying'],
  relaying: ['half-closed'],
  'half-closed': ['closed'],
  'open-failed': ['closed'],
  closed: [],
};

/** Where a walk may stop: ssh -N stays up (open) or is gone (closed); the forwarded connection is finished or never started. */
export const SESSION_RESTING: readonly SessionPhase[] = ['open', 'closed'];
export const CONNECTION_RESTING: readonly ConnectionPhase[] = ['none', 'listening', 'closed'];

// ---------------------------------------------------------------------------------------------
// The walk

export type StepKind =
  | 'resolve'
  | 'tcp-connect'
  | 'authenticate'
  | 'session'
  | 'bind'
  | 'bind-failed'
  | 'forwarding-failed'
  | 'remote-request'
  | 'remote-bind'
  | 'remote-failed'
  | 'session-channel'
  | 'app-connect'
  | 'accept'
  | 'socks'
  | 'channel-open'
  | 'permission'
  | 'far-resolve'
  | 'far-connect'
  | 'open-confirmed'
  | 'open-failed'
  | 'relay'
  | 'half-close'
  | 'close'
  | 'not-forwardable'
  | 'exit'
  | 'keeps-running';

/** Lines a program printed at this step, exactly as the terminal or log shows them. */
export interface Output {
  program: 'ssh' | 'sshd' | 'nc' | 'curl' | 'vncviewer' | 'ping';
  host: string;
  lines: string[];
}

/** What crosses the network in a step, for drawing it: the hosts in order (one host: a connection inside it, over loopback). */
export interface StepLink {
  path: string[];
  /** tcp: a connection made; channel: a message inside the SSH connection; relay: bytes end to end; failed: an attempt that failed; datagram: UDP or ICMP. */
  kind: 'tcp' | 'channel' | 'relay' | 'failed' | 'datagram';
}

export interface Step {
  kind: StepKind;
  /** The host where this step happens. */
  host: string;
  text: string;
  detail?: string;
  output?: Output;
  state: WalkState;
  link?: StepLink;
  /** The listening sockets this step opened. */
  opened?: ForwardListener[];
}

/** A listening socket a forward opened: ssh's own for -L/-D, sshd's for -R. */
export interface ForwardListener {
  side: 'client' | 'server';
  host: string;
  address: string;
  port: number;
  kind: 'local' | 'dynamic' | 'remote' | 'remote-dynamic';
  spec: string;
  /** The channel number the listening socket takes (client side: ssh's; server side: sshd's). */
  channel: number;
}

/** What the application sees: bytes from a service, a connection accepted then closed with nothing, a refusal, … */
export type ApplicationView = 'reply' | 'closed' | 'refused' | 'timeout' | 'unreachable' | 'nothing' | 'error';

export interface Outcome {
  reached: { host: string; port: number | null; service: string; sourceAddress: string } | null;
  failure: { where: 'client' | 'server' | 'application'; message: string } | null;
  applicationSees: ApplicationView;
  /** Whether the bytes went through the SSH connection. */
  throughTunnel: boolean;
}

export interface Walk {
  steps: Step[];
  /** The listeners still open when the walk ends (none if ssh exited). */
  listeners: ForwardListener[];
  /** ssh's stderr on the reader's host, in order. */
  sshStderr: string[];
  /** sshd's log lines that concern forwarding, in order. */
  sshdLog: string[];
  /** null while ssh keeps running. */
  sshExitStatus: number | null;
  /** For each -R in order: the port the server listens on (the allocated one for port 0), or null if it failed. */
  remotePorts: Array<number | null>;
  outcome: Outcome | null;
}

export interface ClientAction {
  host: string;
  command: ClientCommand;
}

export interface WalkInput {
  topology: Topology;
  /** The host where the reader types ssh. */
  clientHost: string;
  ssh: SshCommand;
  action?: ClientAction | null;
}

/** Linux's default ip_local_port_range starts here; the model gives -R 0 the first free port from it. */
export const EPHEMERAL_PORT_START = 32768;
/** How long Linux keeps retrying an unanswered SYN with the default tcp_syn_retries = 6 (1+2+4+…+64 s). */
export const SYN_TIMEOUT_SECONDS = 127;

const STRERROR = {
  ECONNREFUSED: 'Connection refused',
  ETIMEDOUT: 'Connection timed out',
  ENETUNREACH: 'Network is unreachable',
  EHOSTUNREACH: 'No route to host',
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EACCES: 'Permission denied',
} as const;
type Errno = keyof typeof STRERROR;
/** Linux errno numbers, which TigerVNC prints after the message. */
const ERRNO_NUMBER: Record<Errno, number> = { ECONNREFUSED: 111, ETIMEDOUT: 110, ENETUNREACH: 101, EHOSTUNREACH: 113, EADDRINUSE: 98, EADDRNOTAVAIL: 99, EACCES: 13 };

// ---------------------------------------------------------------------------------------------
// Sockets and the network

type SocketOwner = { kind: 'service'; label: string } | { kind: 'sshd' } | { kind: 'forward'; listener: ForwardListener; index: number };

interface Socket {
  host: string;
  protocol: Protocol;
  address: string;
  port: number;
  owner: SocketOwner;
}

function baseSockets(topology: Topology): Socket[] {
  const out: Socket[] = [];
  for (const s of topology.services) for (const address of s.addresses) out.push({ host: s.host, protocol: s.protocol, address, port: s.port, owner: { kind: 'service', label: s.label } });
  for (const h of topology.hosts) {
    if (!h.sshd) continue;
    for (const address of h.sshd.listenAddresses) out.push({ host: h.name, protocol: 'tcp', address, port: h.sshd.port, owner: { kind: 'sshd' } });
  }
  return out;
}

function socketLabel(socket: Socket): string {
  if (socket.owner.kind === 'service') return socket.owner.label;
  if (socket.owner.kind === 'sshd') return `sshd on ${socket.host}`;
  return `${socket.owner.listener.side === 'client' ? 'ssh' : 'sshd'}'s listener for ${forwardFlag(socket.owner.listener.kind)} ${socket.owner.listener.spec}`;
}

export function forwardFlag(kind: ForwardListener['kind']): string {
  return kind === 'local' ? '-L' : kind === 'dynamic' ? '-D' : '-R';
}

/** A listener accepts a packet for `address` if bound to it or to its family's wildcard. */
function socketMatches(s: Socket, host: string, protocol: Protocol, address: string, port: number): boolean {
  if (s.host !== host || s.protocol !== protocol || s.port !== port) return false;
  if (s.address === address) return true;
  return isWildcard(s.address) && familyOf(s.address) === familyOf(address);
}

/**
 * Linux bind() for a listener, as ssh and sshd do it (SO_REUSEADDR, IPV6_V6ONLY on IPv6 sockets):
 * the address must be the host's, a port below 1024 needs root, and a listening socket on the same
 * port and family conflicts when either address is the other or a wildcard.
 */
function bindError(host: Host, sockets: readonly Socket[], address: string, port: number, root: boolean): Errno | null {
  if (!isLocalAddress(host, address)) return 'EADDRNOTAVAIL';
  if (port < 1024 && !root) return 'EACCES';
  const clash = sockets.some(
    (s) => s.host === host.name && s.protocol === 'tcp' && s.port === port && familyOf(s.address) === familyOf(address) && (s.address === address || isWildcard(s.address) || isWildcard(address)),
  );
  return clash ? 'EADDRINUSE' : null;
}

type Resolved = { ok: true; addresses: string[]; how: string } | { ok: false; error: string };

/** getaddrinfo() on `host`: an IP literal is itself; a name is whatever this host's /etc/hosts (or DNS) says. */
export function resolveOn(host: Host, name: string): Resolved {
  if (isIpLiteral(name)) return { ok: true, addresses: [name], how: 'an address, no lookup needed' };
  const listed = Object.hasOwn(host.resolver, name) ? host.resolver[name] : undefined;
  if (listed !== undefined && listed.length > 0) return { ok: true, addresses: [...listed], how: `${host.name}'s resolver` };
  // Ubuntu's /etc/hosts (the source post's desktops) and the test machine's name only 127.0.0.1;
  // Debian's also lists ::1, which a topology can say in its resolver.
  if (name === 'localhost') return { ok: true, addresses: ['127.0.0.1'], how: `${host.name}'s own loopback` };
  return { ok: false, error: host.unknownName };
}

/** `path`: the hosts the packet crosses, from the sender to where it arrives or stops. */
type Reach =
  | { ok: true; target: Host; address: string; port: number; source: string; arrivedOn: string | null; notes: string[]; path: string[] }
  | { ok: false; errno: 'ENETUNREACH' | 'EHOSTUNREACH'; notes: string[]; path: string[] };

/** Host names in order, without a host twice in a row (a router that is also the address's owner). */
function pathOf(...names: string[]): string[] {
  return names.filter((n, i) => i === 0 || n !== names[i - 1]);
}

function ownerOf(topology: Topology, address: string): { host: Host; network: string } | null {
  for (const h of topology.hosts) for (const i of h.interfaces) if (i.address === address) return { host: h, network: i.network };
  return null;
}

function addressOn(host: Host, network: string, family: 4 | 6): string | undefined {
  return host.interfaces.find((i) => i.network === network && familyOf(i.address) === family)?.address;
}

/**
 * Which host a packet from `from` to address:port arrives at, and from which source address:
 * the host itself for its loopback and own addresses; a host on a shared network directly; one
 * hop through a router when a route says so (with NAT the far end sees the router); then the
 * router's port forwards, which change the destination and keep the source.
 */
function reach(topology: Topology, from: Host, address: string, port: number, protocol: Protocol): Reach {
  const notes: string[] = [];
  const here = [from.name];
  if (isLoopback(address) || isWildcard(address)) {
    if (isIPv6(address) && !from.ipv6) return { ok: false, errno: 'ENETUNREACH', notes, path: here };
    const dest = isWildcard(address) ? (familyOf(address) === 6 ? '::1' : '127.0.0.1') : address;
    return { ok: true, target: from, address: dest, port, source: dest, arrivedOn: null, notes, path: here };
  }
  if (from.interfaces.some((i) => i.address === address)) return { ok: true, target: from, address, port, source: address, arrivedOn: null, notes, path: here };
  const owner = ownerOf(topology, address);
  if (!owner) return { ok: false, errno: 'ENETUNREACH', notes, path: here };
  const family = familyOf(address);
  let source = addressOn(from, owner.network, family);
  let router: string | null = null;
  if (source === undefined) {
    for (const i of from.interfaces) {
      const route = topology.routes.find((r) => r.from === i.network && r.to === owner.network);
      const via = route ? hostByName(topology, route.via) : undefined;
      if (!route || !via || familyOf(i.address) !== family) continue;
      const natted = route.masquerade ? addressOn(via, owner.network, family) : undefined;
      source = natted ?? i.address;
      router = via.name;
      notes.push(route.masquerade ? `through ${via.name}, which rewrites the source to its own address ${source} (NAT)` : `routed through ${via.name}`);
      break;
    }
  }
  if (source === undefined) return { ok: false, errno: 'ENETUNREACH', notes, path: here };
  const toOwner = router === null ? pathOf(from.name, owner.host.name) : pathOf(from.name, router, owner.host.name);
  const forward = owner.host.portForwards.find((f) => f.protocol === protocol && f.network === owner.network && f.externalPort === port);
  if (forward) {
    const inside = ownerOf(topology, forward.toAddress);
    notes.push(`${owner.host.name}'s port forward sends ${protocol} ${port} to ${forward.toAddress}:${forward.toPort}; the source stays ${source}`);
    if (!inside) return { ok: false, errno: 'EHOSTUNREACH', notes, path: toOwner };
    return { ok: true, target: inside.host, address: forward.toAddress, port: forward.toPort, source, arrivedOn: inside.network, notes, path: pathOf(...toOwner, inside.host.name) };
  }
  return { ok: true, target: owner.host, address, port, source, arrivedOn: owner.network, notes, path: toOwner };
}

type Connected =
  | { ok: true; socket: Socket; target: Host; address: string; port: number; source: string; notes: string[]; path: string[] }
  | { ok: false; errno: Errno; synchronous: boolean; notes: string[]; path: string[] };

/**
 * One connect() (or, for UDP, one datagram): routing, then the destination's firewall (not on
 * loopback, which firewalls accept first in practice), then whoever listens there. An unreachable
 * network fails at once (synchronously); a refusal or a timeout comes back later.
 */
function connectTo(topology: Topology, sockets: readonly Socket[], from: Host, address: string, port: number, protocol: Protocol): Connected {
  const r = reach(topology, from, address, port, protocol);
  if (!r.ok) return { ok: false, errno: r.errno, synchronous: r.errno === 'ENETUNREACH', notes: r.notes, path: r.path };
  if (r.arrivedOn !== null) {
    const rule = r.target.firewall.find((f) => f.protocol === protocol && (f.port === 'any' || f.port === r.port) && (f.fromNetwork === undefined || f.fromNetwork === r.arrivedOn));
    if (rule) {
      const notes = [...r.notes, `${r.target.name}'s firewall ${rule.action === 'drop' ? 'drops' : 'rejects'} ${protocol} to port ${r.port}`];
      return { ok: false, errno: rule.action === 'drop' ? 'ETIMEDOUT' : 'ECONNREFUSED', synchronous: false, notes, path: r.path };
    }
  }
  const socket = sockets.find((s) => socketMatches(s, r.target.name, protocol, r.address, r.port));
  if (!socket) return { ok: false, errno: 'ECONNREFUSED', synchronous: false, notes: [...r.notes, `nothing on ${r.target.name} listens on ${protocol} ${fmtAddr(r.address)}:${r.port}`], path: r.path };
  return { ok: true, socket, target: r.target, address: r.address, port: r.port, source: r.source, notes: r.notes, path: r.path };
}

/** How OpenSSH prints an address with a port: IPv6 in brackets. */
export function fmtAddr(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

// ---------------------------------------------------------------------------------------------
// Where forwarding listeners bind: channels.c

/**
 * channel_rfwd_bind_host(): what the client asks the server to bind for -R. No address is sent as
 * "localhost", and '' or '*' as '' (every address).
 */
function rfwdBindHost(listenHost: string | null): string {
  if (listenHost === null) return 'localhost';
  if (listenHost === '' || listenHost === '*') return '';
  return listenHost;
}

/**
 * channel_fwd_bind_addr(): the address to bind (null: loopback, or every address when wildcard).
 * `gatewayPorts` is 0 (no), 1 (yes, or -g on the client) or 2 (clientspecified, server only).
 */
function fwdBindAddr(listenAddr: string | null, isClient: boolean, gatewayPorts: 0 | 1 | 2): { addr: string | null; wildcard: boolean; overridden: boolean } {
  if (listenAddr === null) return { addr: null, wildcard: gatewayPorts !== 0, overridden: false };
  if (gatewayPorts !== 0 || isClient) {
    if (listenAddr === '' || listenAddr === '*' || (!isClient && gatewayPorts === 1)) {
      return { addr: null, wildcard: true, overridden: listenAddr !== '' && listenAddr !== '0.0.0.0' && listenAddr !== '*' };
    }
    // "localhost" itself is left to getaddrinfo(NULL) so both loopbacks are bound.
    if (listenAddr !== 'localhost') return { addr: listenAddr, wildcard: false, overridden: false };
    return { addr: null, wildcard: false, overridden: false };
  }
  if (listenAddr === '127.0.0.1' || listenAddr === '::1') return { addr: listenAddr, wildcard: false, overridden: false };
  return { addr: null, wildcard: false, overridden: false };
}

/** getaddrinfo(addr, port, AF_UNSPEC, AI_PASSIVE if wildcard) in glibc's order: ::1 before 127.0.0.1, 0.0.0.0 before ::. */
function bindAddresses(host: Host, addr: string | null, wildcard: boolean): Resolved {
  if (addr === null) {
    if (wildcard) return { ok: true, addresses: host.ipv6 ? ['0.0.0.0', '::'] : ['0.0.0.0'], how: 'every address' };
    return { ok: true, addresses: host.ipv6 ? ['::1', '127.0.0.1'] : ['127.0.0.1'], how: 'loopback only' };
  }
  return resolveOn(host, addr);
}

// ---------------------------------------------------------------------------------------------
// Building the walk

interface Forwarding {
  kind: ForwardListener['kind'];
  spec: string;
  bindAddress: string | null;
  listenPort: number;
  /** null for SOCKS (-D, and -R with no destination). */
  target: { host: string; port: number } | null;
}

class Builder {
  readonly steps: Step[] = [];
  readonly sshStderr: string[] = [];
  readonly sshdLog: string[] = [];
  state: WalkState = { session: 'connecting', connection: 'none' };
  readonly clientHost: string;
  constructor(clientHost: string) {
    this.clientHost = clientHost;
  }

  step(
    kind: StepKind,
    host: string,
    text: string,
    extra: { detail?: string | undefined; output?: Output; session?: SessionPhase; connection?: ConnectionPhase; link?: StepLink; opened?: ForwardListener[] } = {},
  ): void {
    this.state = { session: extra.session ?? this.state.session, connection: extra.connection ?? this.state.connection };
    const step: Step = { kind, host, text, state: { ...this.state } };
    if (extra.detail !== undefined) step.detail = extra.detail;
    if (extra.link !== undefined) step.link = { path: [...extra.link.path], kind: extra.link.kind };
    if (extra.opened !== undefined) step.opened = extra.opened.map((l) => ({ ...l }));
    if (extra.output !== undefined) {
      step.output = extra.output;
      if (extra.output.program === 'ssh' && extra.output.host === this.clientHost) this.sshStderr.push(...extra.output.lines);
      if (extra.output.program === 'sshd') this.sshdLog.push(...extra.output.lines);
    }
    this.steps.push(step);
  }
}

function forwardingsOf(cmd: SshCommand): { locals: Forwarding[]; remotes: Forwarding[] } {
  // ssh keeps -L and -D in one list (options.local_forwards) in command-line order; the order only
  // decides which of two clashing forwards wins, so -L before -D is close enough unless the line says otherwise.
  const position = (spec: string, letter: 'L' | 'D'): number => {
    const i = cmd.argv.findIndex((w, k) => (w === spec && k > 0 && /^-[A-Za-z]*$/.test(cmd.argv[k - 1]!) && cmd.argv[k - 1]!.endsWith(letter)) || (w.startsWith('-') && w.endsWith(`${letter}${spec}`)));
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const locals = [
    ...cmd.locals.map((f) => ({ at: position(f.spec, 'L'), fwd: { kind: 'local' as const, spec: f.spec, bindAddress: f.bindAddress, listenPort: f.listenPort, target: { host: f.host, port: f.hostPort } } })),
    ...cmd.dynamics.map((f) => ({ at: position(f.spec, 'D'), fwd: { kind: 'dynamic' as const, spec: f.spec, bindAddress: f.bindAddress, listenPort: f.listenPort, target: null } })),
  ]
    .map((e, k) => ({ ...e, k }))
    .sort((a, b) => a.at - b.at || a.k - b.k)
    .map((e) => e.fwd as Forwarding);
  const remotes = cmd.remotes.map(
    (f): Forwarding =>
      f.dynamic
        ? { kind: 'remote-dynamic', spec: f.spec, bindAddress: f.bindAddress, listenPort: f.listenPort, target: null }
        : { kind: 'remote', spec: f.spec, bindAddress: f.bindAddress, listenPort: f.listenPort, target: { host: f.host, port: f.hostPort } },
  );
  return { locals, remotes };
}

function permitted(entries: readonly string[], host: string, port: number): boolean {
  if (entries.includes('any')) return true;
  if (entries.includes('none')) return false;
  return entries.some((e) => {
    const colon = e.lastIndexOf(':');
    const h = colon < 0 ? '*' : e.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
    const p = colon < 0 ? e : e.slice(colon + 1);
    return (h === '*' || h === host) && (p === '*' || Number(p) === port);
  });
}

function allowsLocal(s: SshdSettings): boolean {
  return s.allowTcpForwarding === 'yes' || s.allowTcpForwarding === 'all' || s.allowTcpForwarding === 'local';
}
function allowsRemote(s: SshdSettings): boolean {
  return s.allowTcpForwarding === 'yes' || s.allowTcpForwarding === 'all' || s.allowTcpForwarding === 'remote';
}

/** The walk for one ssh command and an optional client action. Never throws; an unknown host name gives a one-step walk saying so. */
export function walkSsh(input: WalkInput): Walk {
  const { topology, ssh: cmd } = input;
  const b = new Builder(input.clientHost);
  const sockets = baseSockets(topology);
  const listeners: ForwardListener[] = [];
  const remotePorts: Array<number | null> = [];
  let exitStatus: number | null = null;
  const done = (outcome: Outcome | null): Walk => ({
    steps: b.steps,
    listeners: exitStatus === null ? listeners : [],
    sshStderr: b.sshStderr,
    sshdLog: b.sshdLog,
    sshExitStatus: exitStatus,
    remotePorts,
    outcome,
  });
  const client = hostByName(topology, input.clientHost);
  if (!client) {
    b.step('exit', input.clientHost, `There is no host called ${input.clientHost} in this topology.`, { session: 'closed' });
    exitStatus = 255;
    return done(null);
  }
  const sshFails = (text: string, lines: string[], detail?: string) => {
    exitStatus = 255;
    b.step('exit', client.name, text, { session: 'closed', connection: 'none', output: { program: 'ssh', host: client.name, lines }, ...(detail ? { detail } : {}) });
    for (let k = sockets.length - 1; k >= 0; k--) if (sockets[k]!.owner.kind === 'forward') sockets.splice(k, 1);
  };

  // 1. Connect to sshd (sshconnect.c ssh_connect_direct(): every address in turn, the last error is reported).
  const serverPort = cmd.port ?? 22;
  const resolved = resolveOn(client, cmd.host);
  let server: Host | null = null;
  let sessionUp = false;
  let sessionPath: string[] = [client.name];
  if (!resolved.ok) {
    b.step('resolve', client.name, `${client.name} cannot resolve ${cmd.host}.`);
    sshFails('ssh gives up before sending a packet.', [`ssh: Could not resolve hostname ${cmd.host}: ${resolved.error}`]);
  } else {
    b.step('resolve', client.name, `${client.name} resolves ${cmd.host} to ${resolved.addresses.join(', ')} (${resolved.how}).`);
    let last: Connected | null = null;
    for (const address of resolved.addresses) {
      last = connectTo(topology, sockets, client, address, serverPort, 'tcp');
      const notes = last.notes.length > 0 ? last.notes.join('; ') : undefined;
      if (last.ok) {
        sessionPath = last.path;
        b.step('tcp-connect', client.name, `ssh connects to ${fmtAddr(address)}:${serverPort}; ${last.target.name} accepts on port ${last.port}, and sees the connection come from ${last.source}.`, {
          detail: notes,
          link: { path: last.path, kind: 'tcp' },
        });
        break;
      }
      b.step('tcp-connect', client.name, `ssh's connection to ${fmtAddr(address)}:${serverPort} fails: ${STRERROR[last.errno]}.`, { detail: notes, link: { path: last.path, kind: 'failed' } });
    }
    if (last && !last.ok) {
      const waited = last.errno === 'ETIMEDOUT' ? ` after about ${SYN_TIMEOUT_SECONDS} s of unanswered SYNs` : '';
      sshFails(`ssh gives up${waited}.`, [`ssh: connect to host ${cmd.host} port ${serverPort}: ${STRERROR[last.errno]}`]);
    } else if (last && last.ok && last.socket.owner.kind !== 'sshd') {
      // The lesson's modelled words: a non-SSH service does not send an SSH version line, and ssh gives up on the exchange.
      sshFails(`What answers on ${last.target.name} port ${last.port} is ${socketLabel(last.socket)}, not an SSH server.`, ['kex_exchange_identification: Connection closed by remote host'], 'The message is modelled: what ssh prints depends on what the other program sends.');
    } else if (last && last.ok) {
      server = last.target;
      b.step('authenticate', server.name, `sshd on ${server.name} and ssh agree on keys and ${cmd.user ?? 'the reader'} logs in (the lesson assumes the login works).`, {
        session: 'authenticating',
        link: { path: sessionPath, kind: 'channel' },
      });
      b.step('session', client.name, `The SSH connection is up.${cmd.noCommand ? ' -N: no shell or command, forwarding only.' : ''}`, { session: 'open' });
      sessionUp = true;
    }
  }
  if (!sessionUp || !server) return finishWithAction(input, topology, b, sockets, listeners, null, done);
  const sshd = server.sshd!;
  const remoteRoot = cmd.user === 'root' || (cmd.user === null && client.root);

  // 2. -L and -D: ssh.c ssh_init_forwarding() → channel_setup_local_fwd_listener(), one channel per bound socket.
  let clientChannels = 0;
  const { locals, remotes } = forwardingsOf(cmd);
  let localFailures = 0;
  for (const f of locals) {
    const plan = fwdBindAddr(f.bindAddress, true, cmd.gatewayPorts ? 1 : 0);
    const addrs = bindAddresses(client, plan.addr, plan.wildcard);
    const flag = forwardFlag(f.kind);
    if (!addrs.ok) {
      localFailures++;
      b.step('bind-failed', client.name, `${flag} ${f.spec}: ${client.name} cannot resolve the bind address ${plan.addr}.`, {
        output: { program: 'ssh', host: client.name, lines: [`channel_setup_fwd_listener_tcpip: getaddrinfo(${plan.addr}): ${addrs.error}`] },
      });
      continue;
    }
    let bound = 0;
    for (const address of addrs.addresses) {
      const err = bindError(client, sockets, address, f.listenPort, client.root);
      if (err) {
        const holder = sockets.find((s) => s.host === client.name && s.protocol === 'tcp' && s.port === f.listenPort && familyOf(s.address) === familyOf(address));
        b.step('bind-failed', client.name, `${flag} ${f.spec}: ssh cannot listen on ${fmtAddr(address)}:${f.listenPort}: ${STRERROR[err]}.`, {
          output: { program: 'ssh', host: client.name, lines: [`bind [${address}]:${f.listenPort}: ${STRERROR[err]}`] },
          ...(err === 'EADDRINUSE' && holder ? { detail: `${socketLabel(holder)} already listens on ${fmtAddr(holder.address)}:${holder.port}.` } : {}),
        });
        continue;
      }
      const listener: ForwardListener = { side: 'client', host: client.name, address, port: f.listenPort, kind: f.kind, spec: f.spec, channel: clientChannels++ };
      listeners.push(listener);
      sockets.push({ host: client.name, protocol: 'tcp', address, port: f.listenPort, owner: { kind: 'forward', listener, index: listeners.length - 1 } });
      bound++;
      const reachable = isLoopback(address) ? `only programs on ${client.name} can connect to it` : `other hosts can connect to it too`;
      b.step('bind', client.name, `${flag} ${f.spec}: ssh listens on ${fmtAddr(address)}:${f.listenPort} (channel ${listener.channel}); ${reachable}.`, {
        connection: 'listening',
        opened: [listener],
        detail: f.kind === 'dynamic' ? 'A SOCKS4/SOCKS5 proxy: each client says where it wants to go.' : `Each connection will be carried to ${server.name}, which connects to ${f.target!.host}:${f.target!.port}.`,
      });
    }
    if (bound === 0) {
      localFailures++;
      b.step('bind-failed', client.name, `${flag} ${f.spec}: no address could be bound, so this forward does not exist.`, {
        output: { program: 'ssh', host: client.name, lines: [`channel_setup_fwd_listener_tcpip: cannot listen to port: ${f.listenPort}`] },
      });
    }
  }
  // ExitOnForwardFailure counts a forward as failed only when none of its addresses could be bound.
  if (localFailures > 0 && cmd.exitOnForwardFailure) {
    sshFails('ExitOnForwardFailure=yes: a forward failed, so ssh exits.', ['Could not request local forwarding.']);
    return finishWithAction(input, topology, b, sockets, listeners, null, done);
  }
  if (locals.length > 0 && localFailures === locals.length) {
    b.step('forwarding-failed', client.name, 'No local forward could be set up; ssh says so and carries on (ExitOnForwardFailure is off).', {
      output: { program: 'ssh', host: client.name, lines: ['Could not request local forwarding.'] },
    });
  }

  // 3. -R: a "tcpip-forward" global request each; the server binds (serverloop.c, channels.c).
  let serverChannels = 0;
  const remoteListeners: ForwardListener[] = [];
  for (const f of remotes) {
    const sent = rfwdBindHost(f.bindAddress);
    b.step('remote-request', client.name, `-R ${f.spec}: ssh asks ${server.name} to listen on ${sent === '' ? 'every address' : `"${sent}"`} port ${f.listenPort}.`, {
      link: { path: sessionPath, kind: 'channel' },
    });
    const refuse = (why: string, log: string[] = []) => {
      remotePorts.push(null);
      b.step('remote-failed', server.name, why, log.length > 0 ? { output: { program: 'sshd', host: server.name, lines: log } } : {});
      const line = `${cmd.exitOnForwardFailure ? 'Error' : 'Warning'}: remote port forwarding failed for listen port ${f.listenPort}`;
      if (cmd.exitOnForwardFailure) sshFails('ExitOnForwardFailure=yes: ssh exits.', [line]);
      else b.step('remote-failed', client.name, 'ssh reports it and carries on without this forward.', { output: { program: 'ssh', host: client.name, lines: [line] } });
    };
    if (!allowsRemote(sshd)) {
      refuse(`sshd refuses: AllowTcpForwarding ${sshd.allowTcpForwarding}.`);
    } else if (!permitted(sshd.permitListen, sent, f.listenPort)) {
      refuse(`sshd refuses: PermitListen ${sshd.permitListen.join(' ')} does not include ${sent}:${f.listenPort}.`);
    } else if (f.listenPort !== 0 && f.listenPort < 1024 && !remoteRoot) {
      refuse(`sshd refuses: only root may have it listen on port ${f.listenPort}.`);
    } else {
      const gp = sshd.gatewayPorts === 'no' ? 0 : sshd.gatewayPorts === 'yes' ? 1 : 2;
      const plan = fwdBindAddr(sent, false, gp);
      const addrs = bindAddresses(server, plan.addr, plan.wildcard);
      if (!addrs.ok) {
        refuse(`${server.name} cannot resolve ${plan.addr}.`, [`channel_setup_fwd_listener_tcpip: getaddrinfo(${plan.addr}): ${addrs.error}`]);
      } else {
        let port = f.listenPort;
        if (port === 0) {
          port = EPHEMERAL_PORT_START;
          while (port < 65535 && addrs.addresses.some((a) => bindError(server, sockets, a, port, true) === 'EADDRINUSE')) port++;
        }
        const log: string[] = [];
        const bound: ForwardListener[] = [];
        for (const address of addrs.addresses) {
          const err = bindError(server, sockets, address, port, true);
          if (err) {
            log.push(`bind [${address}]:${port}: ${STRERROR[err]}`);
            continue;
          }
          const listener: ForwardListener = { side: 'server', host: server.name, address, port, kind: f.kind, spec: f.spec, channel: serverChannels++ };
          listeners.push(listener);
          remoteListeners.push(listener);
          bound.push(listener);
          sockets.push({ host: server.name, protocol: 'tcp', address, port, owner: { kind: 'forward', listener, index: listeners.length - 1 } });
        }
        if (bound.length === 0) {
          log.push(`channel_setup_fwd_listener_tcpip: cannot listen to port: ${port}`);
          refuse(`sshd cannot listen on port ${port}.`, log);
        } else {
          remotePorts.push(port);
          const why =
            sshd.gatewayPorts === 'no'
              ? 'GatewayPorts no: loopback only, whatever address the client asked for'
              : sshd.gatewayPorts === 'yes'
                ? 'GatewayPorts yes: every address'
                : 'GatewayPorts clientspecified: where the client asked';
          b.step('remote-bind', server.name, `sshd listens on ${bound.map((l) => `${fmtAddr(l.address)}:${port}`).join(' and ')} (${why}).`, {
            connection: 'listening',
            opened: bound,
            ...(log.length > 0 ? { output: { program: 'sshd', host: server.name, lines: log } } : {}),
            detail: f.kind === 'remote' ? `Each connection will be carried back to ${client.name}, which connects to ${f.target!.host}:${f.target!.port}.` : `${client.name}'s ssh acts as a SOCKS proxy for what arrives.`,
          });
          if (f.listenPort === 0) {
            const to = f.target ? `${f.target.host}:${f.target.port}` : 'socks:0';
            b.step('remote-bind', client.name, `The server chose port ${port}. (A real sshd gets an ephemeral port from the kernel; the model takes the first free one from ${EPHEMERAL_PORT_START}.)`, {
              output: { program: 'ssh', host: client.name, lines: [`Allocated port ${port} for remote forward to ${to}`] },
            });
          }
        }
      }
    }
    if (exitStatus !== null) return finishWithAction(input, topology, b, sockets, listeners, null, done);
  }
  if (!cmd.noCommand) {
    const what = cmd.command === null ? 'a shell' : `the command "${cmd.command}"`;
    b.step('session-channel', client.name, `ssh opens channel ${clientChannels} for ${what}; the forwarded connections take the numbers after it.`);
    clientChannels++;
    serverChannels++;
  }
  const session: SessionContext = { client, server, cmd, clientChannels, serverChannels, path: sessionPath };
  return finishWithAction(input, topology, b, sockets, listeners, session, done);
}

interface SessionContext {
  client: Host;
  server: Host;
  cmd: SshCommand;
  /** The next free channel number on each side (OpenSSH takes the lowest free slot). */
  clientChannels: number;
  serverChannels: number;
  /** The hosts the SSH connection crosses, client first. */
  path: string[];
}

function finishWithAction(
  input: WalkInput,
  topology: Topology,
  b: Builder,
  sockets: Socket[],
  listeners: ForwardListener[],
  session: SessionContext | null,
  done: (outcome: Outcome | null) => Walk,
): Walk {
  let outcome: Outcome | null = null;
  if (input.action) outcome = runAction(topology, b, sockets, session, input.action);
  if (session) {
    b.step('keeps-running', session.client.name, `ssh keeps running${listeners.length > 0 ? ' and its forwards keep listening' : ''} until it is interrupted or the connection drops.`);
  }
  return done(outcome);
}

// ---------------------------------------------------------------------------------------------
// The client action

function appFailure(program: Output['program'], host: string, lines: string[], message: string, sees: ApplicationView): { output: Output; outcome: Outcome } {
  return {
    output: { program, host, lines },
    outcome: { reached: null, failure: { where: 'application', message }, applicationSees: sees, throughTunnel: false },
  };
}

/** The application's own words for a failed connect (modelled: OpenBSD nc's warn(), curl 7.88's failf(), TigerVNC's socket error). */
function connectFailureLine(command: ClientCommand, host: string, port: number, errno: Errno): string {
  switch (command.program) {
    case 'nc':
      return `nc: connect to ${host} port ${port} (tcp) failed: ${STRERROR[errno]}`;
    case 'curl':
      return errno === 'ETIMEDOUT'
        ? `curl: (28) Failed to connect to ${host} port ${port} after ${SYN_TIMEOUT_SECONDS * 1000} ms: Timeout was reached`
        : `curl: (7) Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server`;
    case 'vncviewer':
      return `unable to connect to socket: ${STRERROR[errno]} (${ERRNO_NUMBER[errno]})`;
    case 'ping':
      return `ping: connect: ${STRERROR[errno]}`;
  }
}

function runAction(topology: Topology, b: Builder, sockets: Socket[], session: SessionContext | null, action: ClientAction): Outcome {
  const app = hostByName(topology, action.host);
  const command = action.command;
  const program = command.program;
  if (!app) {
    b.step('app-connect', action.host, `There is no host called ${action.host} in this topology.`);
    return { reached: null, failure: { where: 'application', message: `no host ${action.host}` }, applicationSees: 'error', throughTunnel: false };
  }
  if (program === 'ping') return runPing(topology, b, sockets, app, command.host);
  if (program === 'nc' && command.udp) return runUdp(topology, b, sockets, app, command.host, command.port);

  // Where the application connects: the URL's host, or the proxy's for curl with a proxy.
  const proxy = program === 'curl' ? command.proxy : null;
  const targetName = program === 'curl' ? (proxy ? proxy.host : command.url.host) : command.host;
  const targetPort = program === 'curl' ? (proxy ? proxy.port : command.url.port) : command.port;
  const resolved = resolveOn(app, targetName);
  if (!resolved.ok) {
    const line =
      program === 'curl'
        ? proxy
          ? `curl: (5) Could not resolve proxy: ${targetName}`
          : `curl: (6) Could not resolve host: ${targetName}`
        : program === 'nc'
          ? `nc: getaddrinfo for host "${targetName}" port ${targetPort}: ${resolved.error}`
          : `unable to resolve host by name: ${resolved.error}`;
    const f = appFailure(program, app.name, [line], line, 'error');
    b.step('resolve', app.name, `${program} on ${app.name} cannot resolve ${targetName}.`, { output: f.output });
    return f.outcome;
  }
  let last: Connected | null = null;
  let lastAddress = '';
  for (const address of resolved.addresses) {
    lastAddress = address;
    last = connectTo(topology, sockets, app, address, targetPort, 'tcp');
    if (last.ok) break;
  }
  if (!last || !last.ok) {
    const errno = last && !last.ok ? last.errno : 'ECONNREFUSED';
    const sees: ApplicationView = errno === 'ECONNREFUSED' ? 'refused' : errno === 'ETIMEDOUT' ? 'timeout' : 'unreachable';
    const line = connectFailureLine(command, lastAddress, targetPort, errno);
    const f = appFailure(program, app.name, [line], line, sees);
    const why = last && last.notes.length > 0 ? last.notes.join('; ') : undefined;
    b.step('app-connect', app.name, `${program} on ${app.name} connects to ${fmtAddr(lastAddress)}:${targetPort}: ${STRERROR[errno]}.`, {
      output: f.output,
      detail: why,
      link: { path: last?.path ?? [app.name], kind: 'failed' },
    });
    return f.outcome;
  }
  const socket = last.socket;
  const through = last.notes.length > 0 ? ` (${last.notes.join('; ')})` : '';
  if (socket.owner.kind !== 'forward') {
    b.step('app-connect', app.name, `${program} on ${app.name} connects to ${fmtAddr(last.address)}:${last.port} on ${last.target.name} directly, not through SSH${through}: ${socketLabel(socket)} answers and sees ${last.source} as the source.`, {
      link: { path: last.path, kind: 'tcp' },
    });
    if (proxy) {
      const line = `curl: (97) the proxy at ${targetName}:${targetPort} is ${socketLabel(socket)}, which does not speak ${proxy.scheme}`;
      return { reached: null, failure: { where: 'application', message: line }, applicationSees: 'error', throughTunnel: false };
    }
    return { reached: { host: last.target.name, port: last.port, service: socketLabel(socket), sourceAddress: last.source }, failure: null, applicationSees: 'reply', throughTunnel: false };
  }
  if (!session) {
    // Listeners outlive nothing: without a session there are no forward sockets, so this is unreachable; kept for the type.
    return { reached: null, failure: { where: 'application', message: 'no SSH session' }, applicationSees: 'error', throughTunnel: false };
  }
  const listener = socket.owner.listener;
  const acceptingSide = listener.side === 'client' ? session.client : session.server;
  const appPath = last.path;
  b.step('app-connect', app.name, `${program} on ${app.name} connects to ${fmtAddr(last.address)}:${last.port}${through}.`, { link: { path: appPath, kind: 'tcp' } });
  b.step('accept', acceptingSide.name, `${listener.side === 'client' ? 'ssh' : 'sshd'} accepts it on ${fmtAddr(listener.address)}:${listener.port} (${forwardFlag(listener.kind)} ${listener.spec}); the connection comes from ${last.source}.`, {
    connection: 'accepted',
    detail: `The kernel completed the TCP handshake with ${app.name} before any SSH traffic: ${program} now believes it is connected.`,
  });

  // What the far side is asked to connect to.
  let farHost: string;
  let farPort: number;
  if (listener.kind === 'local' || listener.kind === 'remote') {
    const spec = listener.kind === 'local' ? session.cmd.locals.find((f) => f.spec === listener.spec) : session.cmd.remotes.find((f) => f.spec === listener.spec);
    if (!spec || (spec.kind === 'remote' && spec.dynamic)) return { reached: null, failure: { where: 'application', message: 'unknown forward' }, applicationSees: 'error', throughTunnel: false };
    farHost = spec.host;
    farPort = spec.hostPort;
  } else {
    // SOCKS: only a client that speaks it gets anywhere.
    if (program !== 'curl' || !proxy || !proxy.scheme.startsWith('socks')) {
      const what = program === 'vncviewer' ? 'vncviewer waits for the server to speak first, ssh waits for a SOCKS request, and nothing happens' : `${program} does not speak SOCKS; ssh reads its first bytes as a bad SOCKS request and closes the connection`;
      b.step('socks', acceptingSide.name, `This port is a SOCKS proxy: ${what}.`, { connection: program === 'vncviewer' ? 'accepted' : 'closed' });
      if (program === 'vncviewer') b.step('close', app.name, 'The reader gives up and closes vncviewer; ssh closes its side.', { connection: 'closed' });
      return { reached: null, failure: { where: 'application', message: `the port is ssh's SOCKS proxy (${forwardFlag(listener.kind)} ${listener.spec}); ${program} needs a SOCKS-speaking client` }, applicationSees: program === 'vncviewer' ? 'nothing' : 'closed', throughTunnel: false };
    }
    const socksVersion = proxy.scheme.startsWith('socks4') ? 'SOCKS4' : 'SOCKS5';
    if (proxy.resolvesNames === 'client') {
      const r = resolveOn(app, command.url.host);
      if (!r.ok) {
        // curl resolves before sending the request, after the TCP connection to the proxy is made.
        const line = `curl: (97) Failed to resolve "${command.url.host}" for ${socksVersion} connect.`;
        b.step('socks', app.name, `${proxy.via}: curl must resolve ${command.url.host} itself, on ${app.name}, and cannot; it closes the connection to the proxy.`, {
          connection: 'closed',
          output: { program: 'curl', host: app.name, lines: [line] },
          detail: `${proxy.scheme}h (--socks5-hostname) would send the name for the far side to resolve.`,
        });
        return { reached: null, failure: { where: 'application', message: line }, applicationSees: 'error', throughTunnel: false };
      }
      farHost = r.addresses.find((a) => !isIPv6(a)) ?? r.addresses[0]!;
      b.step('socks', app.name, `${proxy.via}: curl resolves ${command.url.host} on ${app.name} to ${farHost} and asks the proxy for ${farHost}:${command.url.port}.`);
    } else {
      farHost = command.url.host;
      b.step('socks', app.name, `${proxy.via}: curl sends the name ${command.url.host} and port ${command.url.port}; the far side will resolve it.`);
    }
    farPort = command.url.port;
  }

  // The channel: direct-tcpip from ssh (-L, -D), forwarded-tcpip from sshd (-R).
  const local = listener.side === 'client';
  const opener = local ? session.client : session.server;
  const far = local ? session.server : session.client;
  const channel = local ? session.clientChannels : session.serverChannels;
  const farChannel = local ? session.serverChannels : session.clientChannels;
  const ctype = local ? 'direct-tcpip' : 'forwarded-tcpip';
  const channelPath = local ? session.path : [...session.path].reverse();
  b.step('channel-open', opener.name, `${local ? 'ssh' : 'sshd'} opens channel ${channel} (${ctype}) to ${far.name}: connect to ${farHost} port ${farPort}, for a connection from ${last.source}.`, {
    connection: 'channel-open-requested',
    detail: local ? undefined : `On ${session.client.name} the channel is ssh's number ${farChannel}.`,
    link: { path: channelPath, kind: 'channel' },
  });
  const farFailure = (text: string, farLog: string[], message: string, wait = false, attempt: string[] = [far.name]): Outcome => {
    // ssh (the client) logs for -R; sshd's log holds the -L/-D side's complaints.
    const farProgram: Output['program'] = local ? 'sshd' : 'ssh';
    b.step('open-failed', far.name, text, {
      connection: 'open-failed',
      link: { path: attempt, kind: 'failed' },
      ...(farLog.length > 0 ? { output: { program: farProgram, host: far.name, lines: farLog } } : {}),
    });
    const openerLine = `channel ${channel}: open failed: ${message}`;
    b.step('open-failed', opener.name, `${local ? 'ssh' : 'sshd'} is told the open failed${wait ? `, after about ${SYN_TIMEOUT_SECONDS} s` : ''}, and can only close the connection it already accepted.`, {
      output: { program: local ? 'ssh' : 'sshd', host: opener.name, lines: [openerLine] },
      link: { path: [...channelPath].reverse(), kind: 'channel' },
    });
    const socks = listener.kind === 'dynamic' || listener.kind === 'remote-dynamic';
    b.step('close', app.name, socks ? `${program} gets no SOCKS reply at all, just the connection closed.` : `${program} sees the connection open and then close with no byte: it cannot tell this from a server that hung up.`, {
      connection: 'closed',
      ...(socks && program === 'curl' ? { output: { program: 'curl', host: app.name, lines: [`curl: (97) Failed to receive SOCKS${proxy?.scheme.startsWith('socks4') ? '4' : '5'} connect request ack.`] } } : {}),
    });
    // Where the reader sees why: ssh's terminal on the client in both directions (for -R the client is the far side and logs the failed connect).
    const farLast = farLog.at(-1);
    const failure = local ? { where: 'client' as const, message: openerLine } : farLast !== undefined ? { where: 'client' as const, message: farLast } : { where: 'server' as const, message: openerLine };
    return { reached: null, failure, applicationSees: 'closed', throughTunnel: true };
  };

  if (local && !allowsLocal(far.sshd!)) {
    return farFailure(`sshd refuses: AllowTcpForwarding ${far.sshd!.allowTcpForwarding}.`, [], 'administratively prohibited: open failed');
  }
  if (local && !permitted(far.sshd!.permitOpen, farHost, farPort)) {
    return farFailure(`sshd refuses: PermitOpen ${far.sshd!.permitOpen.join(' ')} does not list ${farHost}:${farPort} (it compares the name as sent).`, [], 'administratively prohibited: open failed');
  }
  const farResolved = resolveOn(far, farHost);
  if (!farResolved.ok) {
    return farFailure(`${far.name} cannot resolve ${farHost}: names in a forward are resolved on ${far.name}, not where they were typed.`, [`connect_to ${farHost}: unknown host (${farResolved.error})`], `connect failed: ${farResolved.error}`);
  }
  b.step('far-resolve', far.name, `${far.name} resolves ${farHost} to ${farResolved.addresses.join(', ')} (${farResolved.how}).`);
  // channels.c connect_next(): each address in turn. A synchronous failure is logged at once;
  // an asynchronous one (refused, timed out) is noticed later and ends in "connect_to … failed.".
  const syncLog: string[] = [];
  let farLast: Connected | null = null;
  let wentAsync = false;
  let asyncErr: Errno = 'ECONNREFUSED';
  for (const address of farResolved.addresses) {
    farLast = connectTo(topology, sockets, far, address, farPort, 'tcp');
    if (farLast.ok) break;
    if (farLast.synchronous) syncLog.push(`connect to ${address} port ${farPort} failed: ${STRERROR[farLast.errno]}`);
    else {
      wentAsync = true;
      asyncErr = farLast.errno;
    }
  }
  if (!farLast || !farLast.ok) {
    const why = farLast && farLast.notes.length > 0 ? ` (${farLast.notes.join('; ')})` : '';
    if (wentAsync) {
      return farFailure(
        `${far.name} connects to ${farHost}:${farPort}: ${STRERROR[asyncErr]}${why}.`,
        [...syncLog, `connect_to ${farHost} port ${farPort}: failed.`],
        `connect failed: ${STRERROR[asyncErr]}`,
        asyncErr === 'ETIMEDOUT',
        farLast?.path,
      );
    }
    return farFailure(`${far.name} cannot connect to ${farHost}:${farPort}: ${farLast && !farLast.ok ? STRERROR[farLast.errno] : 'no address'}${why}.`, syncLog, 'connect failed: open failed', false, farLast?.path);
  }
  const dest = farLast;
  const farThrough = dest.notes.length > 0 ? ` (${dest.notes.join('; ')})` : '';
  b.step('far-connect', far.name, `${far.name} connects to ${fmtAddr(dest.address)}:${dest.port}${farThrough}; ${socketLabel(dest.socket)} on ${dest.target.name} accepts and sees ${dest.source} as the source${dest.target.name === far.name ? ` (${far.name} itself)` : ''}.`, {
    link: { path: dest.path, kind: 'tcp' },
  });
  b.step('open-confirmed', far.name, `The channel is open.${listener.kind === 'dynamic' || listener.kind === 'remote-dynamic' ? ' ssh sends the SOCKS success reply only now.' : ''}`, {
    connection: 'open',
    link: { path: [...channelPath].reverse(), kind: 'channel' },
  });
  b.step('relay', app.name, `Bytes flow both ways: ${program} ⇄ ${acceptingSide.name} ⇄ SSH channel ${channel} ⇄ ${far.name} ⇄ ${socketLabel(dest.socket)}.`, {
    connection: 'relaying',
    link: { path: pathOf(...appPath, ...channelPath, ...dest.path), kind: 'relay' },
  });
  b.step('half-close', app.name, `${program} finishes and closes its side; ${local ? 'ssh' : 'sshd'} sends EOF on channel ${channel}, and ${far.name} shuts down its connection's writing side.`, { connection: 'half-closed' });
  b.step('close', far.name, `${socketLabel(dest.socket)} closes too; both sides close channel ${channel}, whose number can be used again.`, { connection: 'closed' });
  return { reached: { host: dest.target.name, port: dest.port, service: socketLabel(dest.socket), sourceAddress: dest.source }, failure: null, applicationSees: 'reply', throughTunnel: true };
}

/** nc -u: a datagram goes to whatever UDP socket is at the address, never into a TCP forward. */
function runUdp(topology: Topology, b: Builder, sockets: Socket[], app: Host, name: string, port: number): Outcome {
  const r = resolveOn(app, name);
  if (!r.ok) {
    const line = `nc: getaddrinfo for host "${name}" port ${port}: ${r.error}`;
    b.step('resolve', app.name, `nc on ${app.name} cannot resolve ${name}.`, { output: { program: 'nc', host: app.name, lines: [line] } });
    return { reached: null, failure: { where: 'application', message: line }, applicationSees: 'error', throughTunnel: false };
  }
  const address = r.addresses[0]!;
  const c = connectTo(topology, sockets, app, address, port, 'udp');
  const tcpForward = sockets.find((s) => s.owner.kind === 'forward' && s.port === port && (s.host === app.name || (c.ok && s.host === c.target.name)));
  const hint = tcpForward && tcpForward.owner.kind === 'forward' ? ` ssh's ${forwardFlag(tcpForward.owner.listener.kind)} ${tcpForward.owner.listener.spec} listener on port ${port} is a TCP socket and never sees it.` : '';
  if (c.ok) {
    b.step('not-forwardable', app.name, `nc -u sends a UDP datagram to ${fmtAddr(address)}:${port}; ${socketLabel(c.socket)} on ${c.target.name} gets it directly, not through SSH.${hint}`, {
      link: { path: c.path, kind: 'datagram' },
    });
    return { reached: { host: c.target.name, port, service: socketLabel(c.socket), sourceAddress: c.source }, failure: null, applicationSees: 'reply', throughTunnel: false };
  }
  b.step('not-forwardable', app.name, `nc -u sends a UDP datagram to ${fmtAddr(address)}:${port}, and nothing listens for UDP there, so nothing happens.${hint} SSH port forwarding carries TCP only.`, {
    link: { path: c.path, kind: 'failed' },
    detail: 'nc -u prints nothing: UDP has no connection to refuse, and the ICMP "port unreachable" that may come back is easy to miss.',
  });
  return { reached: null, failure: { where: 'application', message: `no answer: nothing listens on UDP ${fmtAddr(address)}:${port}; SSH forwards TCP only` }, applicationSees: 'nothing', throughTunnel: false };
}

/** ping: ICMP echo, answered by the kernel of whatever host has the address. No forward carries it. */
function runPing(topology: Topology, b: Builder, sockets: Socket[], app: Host, name: string): Outcome {
  const r = resolveOn(app, name);
  if (!r.ok) {
    const line = `ping: ${name}: ${r.error}`;
    b.step('resolve', app.name, `ping on ${app.name} cannot resolve ${name}.`, { output: { program: 'ping', host: app.name, lines: [line] } });
    return { reached: null, failure: { where: 'application', message: line }, applicationSees: 'error', throughTunnel: false };
  }
  const address = r.addresses[0]!;
  const hops = reach(topology, app, address, 0, 'tcp');
  if (!hops.ok) {
    const line = `ping: connect: ${STRERROR[hops.errno]}`;
    b.step('not-forwardable', app.name, `ping on ${app.name} has no route to ${address}. A tunnel does not give the laptop a route: SSH forwards TCP connections, not ICMP.`, { output: { program: 'ping', host: app.name, lines: [line] } });
    return { reached: null, failure: { where: 'application', message: line }, applicationSees: 'unreachable', throughTunnel: false };
  }
  const forwardHere = sockets.some((s) => s.owner.kind === 'forward' && s.host === app.name);
  const self = hops.target.name === app.name;
  b.step('not-forwardable', app.name, `ping sends ICMP echo requests to ${address}; ${self ? `${app.name} answers itself` : `${hops.target.name} answers`}.${self && forwardHere ? ' The replies come from this host, not from the far end of the tunnel: no forward carries ICMP.' : ''}`, {
    link: { path: hops.path, kind: 'datagram' },
  });
  return { reached: { host: hops.target.name, port: null, service: 'ICMP echo (the kernel)', sourceAddress: hops.source }, failure: null, applicationSees: 'reply', throughTunnel: false };
}

/** Same input, same walk, as a string: for tests and for caching. */
export function walkKey(walk: Walk): string {
  return JSON.stringify(walk);
}
