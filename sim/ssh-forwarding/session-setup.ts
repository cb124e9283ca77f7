/**
 * The first stage of a walk: ssh reaches sshd and logs in. sshconnect.c ssh_connect_direct() tries
 * every address the name resolves to in turn and reports the last error; what answers must be an
 * SSH server, and the login itself is assumed to work.
 */
import { connectTo, resolveOn, type Connected } from './routing.ts';
import { STRERROR, fmtAddr, socketLabel } from './sockets.ts';
import type { Host } from './topology.ts';
import { SOURCE_PORT, SYN_TIMEOUT_SECONDS, sshExits, type SshPeer, type WalkSoFar } from './walk.ts';

/** The SSH connection once it is up: the server, the hosts it crosses (client first), and its client end as sshd sees it. */
export interface SessionUp {
  server: Host;
  path: string[];
  peer: SshPeer;
}

/** Connects and logs in, or leaves ssh exited (w.exitStatus set) and returns null. */
export function connectSession(w: WalkSoFar): SessionUp | null {
  const { topology, b, client, cmd, sockets } = w;
  const serverPort = cmd.port ?? 22;
  const resolved = resolveOn(client, cmd.host);
  if (!resolved.ok) {
    b.step('resolve', client.name, `${client.name} cannot resolve ${cmd.host}.`);
    sshExits(w, 'ssh gives up before sending a packet.', [`ssh: Could not resolve hostname ${cmd.host}: ${resolved.error}`]);
    return null;
  }
  b.step('resolve', client.name, `${client.name} resolves ${cmd.host} to ${resolved.addresses.join(', ')} (${resolved.how}).`);
  let sessionPath: string[] = [client.name];
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
  if (!last) return null;
  if (!last.ok) {
    const waited = last.errno === 'ETIMEDOUT' ? ` after about ${SYN_TIMEOUT_SECONDS} s of unanswered SYNs` : '';
    sshExits(w, `ssh gives up${waited}.`, [`ssh: connect to host ${cmd.host} port ${serverPort}: ${STRERROR[last.errno]}`]);
    return null;
  }
  if (last.socket.owner.kind !== 'sshd') {
    // The lesson's modelled words: a non-SSH service does not send an SSH version line, and ssh gives up on the exchange.
    sshExits(w, `What answers on ${last.target.name} port ${last.port} is ${socketLabel(last.socket)}, not an SSH server.`, ['kex_exchange_identification: Connection closed by remote host'], 'The message is modelled: what ssh prints depends on what the other program sends.');
    return null;
  }
  const server = last.target;
  b.step('authenticate', server.name, `sshd on ${server.name} and ssh agree on keys and ${cmd.user ?? 'the reader'} logs in (the lesson assumes the login works).`, {
    session: 'authenticating',
    link: { path: sessionPath, kind: 'channel' },
  });
  b.step('session', client.name, `The SSH connection is up.${cmd.noCommand ? ' -N: no shell or command, forwarding only.' : ''}`, { session: 'open' });
  return { server, path: sessionPath, peer: { address: last.source, port: SOURCE_PORT.ssh } };
}
