/**
 * -R: ssh sends a "tcpip-forward" global request for each, and sshd binds on the server
 * (serverloop.c, channels.c channel_setup_fwd_listener_tcpip()) as its AllowTcpForwarding,
 * PermitListen and GatewayPorts say. Port 0 lets the server choose.
 *
 * sshd's log is what Debian's sshd writes at its default LogLevel INFO: serverloop.c
 * server_input_global_request() refuses for AllowTcpForwarding or a privileged port without a
 * word (it only sends the client a debug message), channels.c channel_setup_remote_fwd_listener()
 * logs a PermitListen refusal with logit(), and a failed bind shows only for the last address.
 */
import { allowsRemote, bindAddresses, fwdBindAddr, permitted, rfwdBindHost, type Forwarding } from './forward-rules.ts';
import { STRERROR, bindError, bindFailureLogged, fmtAddr } from './sockets.ts';
import type { SessionUp } from './session-setup.ts';
import type { Host } from './topology.ts';
import { EPHEMERAL_PORT_START, sshExits, type ForwardListener, type WalkSoFar } from './walk.ts';

/**
 * Asks for each remote forward over the session; returns the next free server channel, or null
 * when ssh exited (ExitOnForwardFailure). `remoteRoot`: whether the login is root, who alone may
 * have sshd listen below port 1024.
 */
export function requestRemoteForwards(w: WalkSoFar, server: Host, session: SessionUp, remotes: readonly Forwarding[], remoteRoot: boolean): number | null {
  const { b, client, cmd, sockets, listeners, remotePorts } = w;
  const { path: sessionPath, peer } = session;
  const sshd = server.sshd!;
  let serverChannels = 0;
  for (const f of remotes) {
    const sent = rfwdBindHost(f.bindAddress);
    b.step('remote-request', client.name, `-R ${f.spec}: ssh asks ${server.name} to listen on ${sent === '' ? 'every address' : `"${sent}"`} port ${f.listenPort}.`, {
      link: { path: sessionPath, kind: 'channel' },
    });
    const refuse = (why: string, log: string[] = []) => {
      remotePorts.push(null);
      b.step('remote-failed', server.name, why, log.length > 0 ? { output: { program: 'sshd', host: server.name, lines: log } } : {});
      const line = `${cmd.exitOnForwardFailure ? 'Error' : 'Warning'}: remote port forwarding failed for listen port ${f.listenPort}`;
      if (cmd.exitOnForwardFailure) sshExits(w, 'ExitOnForwardFailure=yes: ssh exits.', [line]);
      else b.step('remote-failed', client.name, 'ssh reports it and carries on without this forward.', { output: { program: 'ssh', host: client.name, lines: [line] } });
    };
    if (!allowsRemote(sshd)) {
      refuse(`sshd refuses: AllowTcpForwarding ${sshd.allowTcpForwarding}.`);
    } else if (f.listenPort !== 0 && f.listenPort < 1024 && !remoteRoot) {
      refuse(`sshd refuses: only root may have it listen on port ${f.listenPort}.`);
    } else if (!permitted(sshd.permitListen, sent, f.listenPort)) {
      refuse(`sshd refuses: PermitListen ${sshd.permitListen.join(' ')} does not include ${sent}:${f.listenPort}.`, [
        `Received request from ${peer.address} port ${peer.port} to remote forward to host ${sent} port ${f.listenPort}, but the request was denied.`,
      ]);
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
        for (const [k, address] of addrs.addresses.entries()) {
          const err = bindError(server, sockets, address, port, true);
          if (err) {
            if (bindFailureLogged(k, addrs.addresses.length)) log.push(`bind [${address}]:${port}: ${STRERROR[err]}`);
            continue;
          }
          const listener: ForwardListener = { side: 'server', host: server.name, address, port, kind: f.kind, spec: f.spec, channel: serverChannels++ };
          listeners.push(listener);
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
    if (w.exitStatus !== null) return null;
  }
  return serverChannels;
}
