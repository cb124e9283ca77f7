/**
 * -L and -D: ssh.c ssh_init_forwarding() → channel_setup_local_fwd_listener(), which binds each
 * forward's addresses on the client (channels.c channel_setup_fwd_listener_tcpip()), one channel
 * per bound socket. A forward fails only when none of its addresses could be bound.
 *
 * What ssh prints is what it prints at its default LogLevel INFO: a failed bind is an error() only
 * for the last address getaddrinfo() gave, and a verbose() for the others
 * (channel_setup_fwd_listener_tcpip(), OpenSSH 9.2p1), so `-L 5900:…` with both loopbacks taken
 * prints the 127.0.0.1 line alone; the ::1 one shows only with -v.
 */
import { bindAddresses, fwdBindAddr, type Forwarding } from './forward-rules.ts';
import { STRERROR, bindError, bindFailureLogged, fmtAddr, forwardFlag, socketLabel } from './sockets.ts';
import { familyOf, isLoopback, type Host } from './topology.ts';
import { sshExits, type ForwardListener, type WalkSoFar } from './walk.ts';

/** Opens the client's listeners; returns the next free client channel, or null when ssh exited (ExitOnForwardFailure). */
export function openLocalForwards(w: WalkSoFar, server: Host, locals: readonly Forwarding[]): number | null {
  const { b, client, cmd, sockets, listeners } = w;
  let clientChannels = 0;
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
    for (const [k, address] of addrs.addresses.entries()) {
      const err = bindError(client, sockets, address, f.listenPort, client.root);
      if (err) {
        const holder = sockets.find((s) => s.host === client.name && s.protocol === 'tcp' && s.port === f.listenPort && familyOf(s.address) === familyOf(address));
        const held = err === 'EADDRINUSE' && holder ? `${socketLabel(holder)} already listens on ${fmtAddr(holder.address)}:${holder.port}.` : '';
        const logged = bindFailureLogged(k, addrs.addresses.length);
        b.step('bind-failed', client.name, `${flag} ${f.spec}: ssh cannot listen on ${fmtAddr(address)}:${f.listenPort}: ${STRERROR[err]}.`, {
          ...(logged ? { output: { program: 'ssh', host: client.name, lines: [`bind [${address}]:${f.listenPort}: ${STRERROR[err]}`] } } : {}),
          ...(held || !logged ? { detail: [held, logged ? '' : `ssh keeps this failure to itself unless run with -v: ${fmtAddr(addrs.addresses[k + 1]!)} is still to try.`].filter(Boolean).join(' ') } : {}),
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
    sshExits(w, 'ExitOnForwardFailure=yes: a forward failed, so ssh exits.', ['Could not request local forwarding.']);
    return null;
  }
  if (locals.length > 0 && localFailures === locals.length) {
    b.step('forwarding-failed', client.name, 'No local forward could be set up; ssh says so and carries on (ExitOnForwardFailure is off).', {
      output: { program: 'ssh', host: client.name, lines: ['Could not request local forwarding.'] },
    });
  }
  return clientChannels;
}
