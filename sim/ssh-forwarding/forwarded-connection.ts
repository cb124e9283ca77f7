/**
 * A connection a forward's listener accepted, carried to the far side: the channel open
 * (direct-tcpip from ssh for -L and -D, forwarded-tcpip from sshd for -R), the far side's checks
 * (AllowTcpForwarding, PermitOpen), its name lookup and connect (channels.c connect_to(),
 * connect_next()), then the relay and the close; or the failure the far side reports and what the
 * application sees of it.
 */
import type { ClientCommand } from './clients/index.ts';
import { allowsLocal, permitted } from './forward-rules.ts';
import { connectTo, pathOf, resolveOn, type Connected } from './routing.ts';
import { socksRequest } from './socks.ts';
import { STRERROR, fmtAddr, forwardFlag, socketLabel, type Errno, type Socket } from './sockets.ts';
import type { Host, Topology } from './topology.ts';
import { SOURCE_PORT, SYN_TIMEOUT_SECONDS, type Builder, type ForwardListener, type Outcome, type Output, type SessionContext } from './walk.ts';

/** The application's connection as a forward's listener accepted it. */
export interface Accepted {
  app: Host;
  command: ClientCommand;
  listener: ForwardListener;
  /** The application's connect() that reached the listener. */
  last: Extract<Connected, { ok: true }>;
  /** How the connect got there (routing and NAT notes), as words for the step, or ''. */
  through: string;
}

export function forwardedConnection(topology: Topology, b: Builder, sockets: Socket[], session: SessionContext, accepted: Accepted): Outcome {
  const { app, command, listener, last, through } = accepted;
  const program = command.program;
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
    const socks = socksRequest(b, app, acceptingSide, command, listener);
    if (!socks.ok) return socks.outcome;
    farHost = socks.farHost;
    farPort = socks.farPort;
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
      // curl 7.88.1 socks.c socks_state_recv(): an end of file where the reply should be.
      ...(socks && program === 'curl' ? { output: { program: 'curl', host: app.name, lines: ['curl: (97) connection to proxy closed'] } } : {}),
    });
    // Where the reader sees why: ssh's terminal on the client in both directions (for -R the client is the far side and logs the failed connect).
    const farLast = farLog.at(-1);
    const failure = local ? { where: 'client' as const, message: openerLine } : farLast !== undefined ? { where: 'client' as const, message: farLast } : { where: 'server' as const, message: openerLine };
    return { reached: null, failure, applicationSees: 'closed', throughTunnel: true };
  };

  // Both refusals are logit(), so they show at sshd's default LogLevel INFO. The originator is the
  // connection ssh accepted (channels.c port_open_helper() sends its peer address and port); the
  // PermitOpen line names the SSH connection's own client end instead (ssh_remote_ipaddr()).
  if (local && !allowsLocal(far.sshd!)) {
    // serverloop.c server_request_direct_tcpip()
    const line = `refused local port forward: originator ${last.source} port ${SOURCE_PORT.application}, target ${farHost} port ${farPort}`;
    return farFailure(`sshd refuses: AllowTcpForwarding ${far.sshd!.allowTcpForwarding}.`, [line], 'administratively prohibited: open failed');
  }
  if (local && !permitted(far.sshd!.permitOpen, farHost, farPort)) {
    // channels.c channel_connect_to_port()
    const line = `Received request from ${session.peer.address} port ${session.peer.port} to connect to host ${farHost} port ${farPort}, but the request was denied.`;
    return farFailure(`sshd refuses: PermitOpen ${far.sshd!.permitOpen.join(' ')} does not list ${farHost}:${farPort} (it compares the name as sent).`, [line], 'administratively prohibited: open failed');
  }
  const farResolved = resolveOn(far, farHost);
  if (!farResolved.ok) {
    return farFailure(`${far.name} cannot resolve ${farHost}: names in a forward are resolved on ${far.name}, not where they were typed.`, [`connect_to ${farHost}: unknown host (${farResolved.error})`], `connect failed: ${farResolved.error}`);
  }
  b.step('far-resolve', far.name, `${far.name} resolves ${farHost} to ${farResolved.addresses.join(', ')} (${farResolved.how}).`);
  // channels.c connect_next(): each address in turn; a synchronous failure there is only debug().
  // connect_to_helper() logs one error() when every address failed at once, naming the host as
  // asked and the last errno; an asynchronous failure (refused, timed out) is noticed later, the
  // rest are tried, and channel_post_connecting() ends in "connect_to … failed.".
  let farLast: Connected | null = null;
  let wentAsync = false;
  let asyncErr: Errno = 'ECONNREFUSED';
  for (const address of farResolved.addresses) {
    farLast = connectTo(topology, sockets, far, address, farPort, 'tcp');
    if (farLast.ok) break;
    if (!farLast.synchronous) {
      wentAsync = true;
      asyncErr = farLast.errno;
    }
  }
  if (!farLast || !farLast.ok) {
    const why = farLast && farLast.notes.length > 0 ? ` (${farLast.notes.join('; ')})` : '';
    if (wentAsync) {
      return farFailure(
        `${far.name} connects to ${farHost}:${farPort}: ${STRERROR[asyncErr]}${why}.`,
        [`connect_to ${farHost} port ${farPort}: failed.`],
        `connect failed: ${STRERROR[asyncErr]}`,
        asyncErr === 'ETIMEDOUT',
        farLast?.path,
      );
    }
    const errno = farLast && !farLast.ok ? farLast.errno : null;
    const farLog = errno ? [`connect to ${farHost} port ${farPort} failed: ${STRERROR[errno]}`] : [];
    return farFailure(`${far.name} cannot connect to ${farHost}:${farPort}: ${errno ? STRERROR[errno] : 'no address'}${why}.`, farLog, 'connect failed: open failed', false, farLast?.path);
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
