/**
 * The reader's client program (vncviewer, curl, nc, ping) run on a host of the walk: it resolves
 * its target and connects, and either reaches a service directly, or a forward's listener (then
 * forwarded-connection.ts carries it on), or fails with the program's own words. nc -u and ping
 * are here too, to show what no TCP forward carries.
 */
import type { ClientCommand } from './clients/index.ts';
import { forwardedConnection } from './forwarded-connection.ts';
import { connectTo, reach, resolveOn, type Connected } from './routing.ts';
import { ERRNO_NUMBER, STRERROR, fmtAddr, forwardFlag, socketLabel, type Errno, type Socket } from './sockets.ts';
import { hostByName, type Host, type Topology } from './topology.ts';
import { SYN_TIMEOUT_SECONDS, type ApplicationView, type Builder, type ClientAction, type Outcome, type Output, type SessionContext } from './walk.ts';

function appFailure(program: Output['program'], host: string, lines: string[], message: string, sees: ApplicationView): { output: Output; outcome: Outcome } {
  return {
    output: { program, host, lines },
    outcome: { reached: null, failure: { where: 'application', message }, applicationSees: sees, throughTunnel: false },
  };
}

/**
 * The application's own words for a failed connect to `address`, which the program found under
 * the name `name` (modelled: OpenBSD nc's warn(), TigerVNC's socket error). curl's is curl
 * 7.88.1's (connect.c cf_he_connect()): the name as typed, the proxy's when there is one, and the
 * text of CURLE_COULDNT_CONNECT even when the kernel timed out, which only the exit code, 28, tells.
 */
function connectFailureLine(command: ClientCommand, name: string, address: string, port: number, errno: Errno): string {
  switch (command.program) {
    case 'nc':
      return `nc: connect to ${address} port ${port} (tcp) failed: ${STRERROR[errno]}`;
    case 'curl':
      return errno === 'ETIMEDOUT'
        ? `curl: (28) Failed to connect to ${name} port ${port} after ${SYN_TIMEOUT_SECONDS * 1000} ms: Couldn't connect to server`
        : `curl: (7) Failed to connect to ${name} port ${port} after 0 ms: Couldn't connect to server`;
    case 'vncviewer':
      return `unable to connect to socket: ${STRERROR[errno]} (${ERRNO_NUMBER[errno]})`;
    case 'ping':
      return `ping: connect: ${STRERROR[errno]}`;
  }
}

export function runAction(topology: Topology, b: Builder, sockets: Socket[], session: SessionContext | null, action: ClientAction): Outcome {
  const app = hostByName(topology, action.host);
  const command = action.command;
  const program = command.program;
  if (!app) {
    b.step('app-connect', action.host, `There is no host called ${action.host} in this topology.`);
    return { reached: null, failure: { where: 'application', message: `no host ${action.host}` }, applicationSees: 'error', throughTunnel: false };
  }
  if (program === 'ping') return runPing(topology, b, sockets, app, command.host, command.count);
  if (program === 'nc' && command.udp) return runUdp(topology, b, sockets, app, command.host, command.port);

  // Where the application connects: the URL's host, or the proxy's for curl with a proxy.
  const proxy = program === 'curl' ? command.proxy : null;
  const targetName = program === 'curl' ? (proxy ? proxy.host : command.url.host) : command.host;
  const targetPort = program === 'curl' ? (proxy ? proxy.port : command.url.port) : command.port;
  const resolved = resolveOn(app, targetName);
  if (!resolved.ok) {
    const line =
      program === 'curl'
        ? // curl 7.88.1 says "proxy" for an HTTP(S) proxy only; a SOCKS proxy's name is a "host" (exit 6).
          proxy && !proxy.scheme.startsWith('socks')
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
    const line = connectFailureLine(command, targetName, lastAddress, targetPort, errno);
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
      // The lesson's words, not curl's: what curl prints depends on what that program answers.
      const why = `the proxy at ${targetName}:${targetPort} is ${socketLabel(socket)}, which does not speak ${proxy.scheme}`;
      return { reached: null, failure: { where: 'application', message: why }, applicationSees: 'error', throughTunnel: false };
    }
    return { reached: { host: last.target.name, port: last.port, service: socketLabel(socket), sourceAddress: last.source }, failure: null, applicationSees: 'reply', throughTunnel: false };
  }
  if (!session) {
    // Listeners outlive nothing: without a session there are no forward sockets, so this is unreachable; kept for the type.
    return { reached: null, failure: { where: 'application', message: 'no SSH session' }, applicationSees: 'error', throughTunnel: false };
  }
  return forwardedConnection(topology, b, sockets, session, { app, command, listener: socket.owner.listener, last, through });
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
function runPing(topology: Topology, b: Builder, sockets: Socket[], app: Host, name: string, count: number | null): Outcome {
  const r = resolveOn(app, name);
  if (!r.ok) {
    const line = `ping: ${name}: ${r.error}`;
    b.step('resolve', app.name, `ping on ${app.name} cannot resolve ${name}.`, { output: { program: 'ping', host: app.name, lines: [line] } });
    return { reached: null, failure: { where: 'application', message: line }, applicationSees: 'error', throughTunnel: false };
  }
  const address = r.addresses[0]!;
  const hops = reach(topology, app, address, 0, 'tcp');
  if (!hops.ok && hops.errno === 'ETIMEDOUT') {
    // Out through the default route and never answered: iputils ping prints its banner, then
    // nothing (no "Destination unreachable" comes back from the Internet) until it is stopped or,
    // with -c, has sent its requests a second apart; its statistics then count every one lost.
    const banner = `PING ${address} (${address}) 56(84) bytes of data.`;
    const lines = count === null ? [banner] : [banner, '', `--- ${address} ping statistics ---`, `${count} packets transmitted, 0 received, 100% packet loss, time ${(count - 1) * 1000}ms`];
    const line = lines.at(-1)!;
    b.step('not-forwardable', app.name, `ping on ${app.name} sends ICMP echo requests to ${address} through its default route, and no reply comes back. A tunnel does not give the laptop a route: SSH forwards TCP connections, not ICMP.`, {
      output: { program: 'ping', host: app.name, lines },
      detail: hops.notes.join('; '),
      link: { path: hops.path, kind: 'failed' },
    });
    return { reached: null, failure: { where: 'application', message: count === null ? `no reply from ${address}` : line }, applicationSees: 'nothing', throughTunnel: false };
  }
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
