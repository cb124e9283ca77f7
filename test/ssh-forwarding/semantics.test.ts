/**
 * The SSH port-forwarding walk (sim/ssh-forwarding/semantics.ts) on the source post's topology and
 * on the harness's network-namespace topology.
 *
 * Where each expectation comes from (the `from` column):
 * - "post": "SSH Port Forwarding" (10 March 2010), the source the SSH article cites;
 * - "ssh(1)": -L/-R/-D and bind_address ("by default, the local port is bound in accordance with the
 *   GatewayPorts setting … an empty address or '*' indicates that the port should be available from
 *   all interfaces"), -g ("allows remote hosts to connect to local forwarded ports");
 * - "sshd_config(5)": AllowTcpForwarding, PermitOpen, GatewayPorts ("no … forces remote port
 *   forwardings to be available to the local host only, yes … bind to non-loopback addresses,
 *   clientspecified … allows the client to select the address");
 * - "ssh_config(5)": ExitOnForwardFailure, GatewayPorts;
 * - "harness (x)": the case of that name in openssh.test.ts, real OpenSSH 9.2p1, whose messages are
 *   quoted from its `[openssh]` observations; "9.2p1 scratch": run against the same binaries with the
 *   harness while writing the model (ExitOnForwardFailure=no with one of two forwards failing, an
 *   unroutable and an unresolvable -L target, -R whose destination refuses, -R 0 with no destination);
 * - "channels.c": OpenSSH's source (channel_fwd_bind_addr(), channel_rfwd_bind_host(), connect_to()).
 * Application messages (nc, curl, vncviewer, ping) are the model's, shaped on the real programs.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import type { ClientCommand } from '../../sim/ssh-forwarding/clients/index.ts';
import type { SshCommand } from '../../sim/ssh-forwarding/openssh/ssh.ts';
import { parseCommandLine } from '../../sim/ssh-forwarding/shell.ts';
import { walkSsh } from '../../sim/ssh-forwarding/semantics.ts';
import { CONNECTION_RESTING, CONNECTION_TRANSITIONS, SESSION_RESTING, SESSION_TRANSITIONS, SOURCE_PORT, type Outcome, type Walk } from '../../sim/ssh-forwarding/walk.ts';
import { harnessNetnsTopology, sourcePostTopology, validateTopology, type Topology } from '../../sim/ssh-forwarding/topology.ts';

function sshCmd(line: string): SshCommand {
  const r = parseCommandLine(line, 'debian-9.2');
  if (!r.ok || r.command.program !== 'ssh') throw new Error(`not an ssh command: ${line}`);
  return r.command;
}
function clientCmd(line: string): ClientCommand {
  const r = parseCommandLine(line);
  if (!r.ok || r.command.program === 'ssh') throw new Error(`not a client command: ${line}`);
  return r.command;
}
function walk(topology: Topology, sshLine: string, action?: [host: string, line: string], clientHost = 'laptop'): Walk {
  return walkSsh({ topology, clientHost, ssh: sshCmd(sshLine), action: action ? { host: action[0], command: clientCmd(action[1]) } : null });
}

const post = sourcePostTopology();
const netns = harnessNetnsTopology();
const HOME = 'home.example.net';

interface Row {
  name: string;
  from: string;
  topology: Topology;
  ssh: string;
  action?: [string, string];
  clientHost?: string;
  reached?: Outcome['reached'];
  failure?: Outcome['failure'];
  sees?: Outcome['applicationSees'];
  throughTunnel?: boolean;
  stderr?: string[];
  /** sshd's log at its default LogLevel INFO. */
  sshdLog?: string[];
  exit?: number | null;
  listeners?: string[];
}

const rows: Row[] = [
  // The source post's two forms.
  {
    name: 'two connections, first: -L 5901:localhost:5900 through desktop1; localhost is desktop1 itself',
    from: 'post; harness (h′)',
    topology: post,
    ssh: `ssh user@${HOME} -p 22 -L 5901:localhost:5900`,
    action: ['laptop', 'vncviewer localhost:1'],
    reached: { host: 'desktop1', port: 5900, service: 'VNC desktop-1', sourceAddress: '127.0.0.1' },
    failure: null,
    sees: 'reply',
    throughTunnel: true,
    stderr: [],
    exit: null,
    listeners: ['laptop ::1:5901', 'laptop 127.0.0.1:5901'],
  },
  {
    name: 'two connections, second: -p 2222 lands on desktop2 through the router, and its localhost is desktop2',
    from: 'post',
    topology: post,
    ssh: `ssh user@${HOME} -p 2222 -L 5902:localhost:5900`,
    action: ['laptop', 'vncviewer localhost:2'],
    reached: { host: 'desktop2', port: 5900, service: 'VNC desktop-2', sourceAddress: '127.0.0.1' },
    sees: 'reply',
  },
  {
    name: 'one connection: -L 5902:192.168.10.5:5900 via desktop1; desktop2 sees desktop1 (192.168.10.2) as the source',
    from: 'post ("connections always appear to the recipient to be coming from the computer running the command"); harness (h)',
    topology: post,
    ssh: `ssh -N user@${HOME} -p 22 -L 5901:localhost:5900 -L 5902:192.168.10.5:5900`,
    action: ['laptop', 'vncviewer localhost:2'],
    reached: { host: 'desktop2', port: 5900, service: 'VNC desktop-2', sourceAddress: '192.168.10.2' },
    sees: 'reply',
    stderr: [],
  },
  {
    name: 'without the tunnel the laptop has no route to 192.168.10.5 but its default one: the Internet never answers, and nc times out',
    from: 'post ("the client does not end up with routing"); RFC 1918 section 3 (private addresses are not routed on the Internet); Linux tcp_syn_retries=6: 127 s',
    topology: post,
    ssh: `ssh -N user@${HOME}`,
    action: ['laptop', 'nc 192.168.10.5 5900'],
    reached: null,
    failure: { where: 'application', message: 'nc: connect to 192.168.10.5 port 5900 (tcp) failed: Connection timed out' },
    sees: 'timeout',
  },
  {
    name: 'a host with no default route (the harness\'s namespaces) fails at once: Network is unreachable',
    from: 'harness (h) direct probe: ENETUNREACH; net/ipv4/route.c ip_route_output_key_hash_rcu() returns -ENETUNREACH when no route matches',
    topology: { ...post, hosts: post.hosts.map((h) => (h.name === 'laptop' ? { ...h, defaultRoute: false } : h)) },
    ssh: `ssh -N user@${HOME}`,
    action: ['laptop', 'nc 192.168.10.5 5900'],
    reached: null,
    failure: { where: 'application', message: 'nc: connect to 192.168.10.5 port 5900 (tcp) failed: Network is unreachable' },
    sees: 'unreachable',
  },
  // The laptop's own VNC on 5900.
  {
    name: 'the laptop already runs VNC on 5900 (every address): -L 5900 fails on both loopbacks, ssh names only the last (127.0.0.1) and stays up',
    from: 'post ("you cannot forward the local port 5900"); ssh.c ssh_init_forwarding(); channels.c channel_setup_fwd_listener_tcpip() (::1 only at VERBOSE); harness (c″)',
    topology: sourcePostTopology({ laptopVnc: true }),
    ssh: `ssh -N user@${HOME} -L 5900:localhost:5900`,
    action: ['laptop', 'vncviewer localhost'],
    stderr: ['bind [127.0.0.1]:5900: Address already in use', 'channel_setup_fwd_listener_tcpip: cannot listen to port: 5900', 'Could not request local forwarding.'],
    exit: null,
    listeners: [],
    reached: { host: 'laptop', port: 5900, service: 'VNC on the laptop (its own desktop sharing)', sourceAddress: '127.0.0.1' },
    throughTunnel: false,
  },
  {
    name: 'the same with ExitOnForwardFailure=yes: ssh exits 255',
    from: 'ssh_config(5) ExitOnForwardFailure; harness (c)',
    topology: sourcePostTopology({ laptopVnc: true }),
    ssh: `ssh -N -o ExitOnForwardFailure=yes user@${HOME} -L 127.0.0.1:5900:localhost:5900`,
    stderr: ['bind [127.0.0.1]:5900: Address already in use', 'channel_setup_fwd_listener_tcpip: cannot listen to port: 5900', 'Could not request local forwarding.'],
    exit: 255,
    listeners: [],
  },
  {
    name: 'one forward of two fails, ExitOnForwardFailure=no: no "Could not request" line, the other listens',
    from: '9.2p1 scratch',
    topology: sourcePostTopology({ laptopVnc: true }),
    ssh: `ssh -N user@${HOME} -L 127.0.0.1:5900:localhost:5900 -L 5901:localhost:5900`,
    stderr: ['bind [127.0.0.1]:5900: Address already in use', 'channel_setup_fwd_listener_tcpip: cannot listen to port: 5900'],
    exit: null,
    listeners: ['laptop ::1:5901', 'laptop 127.0.0.1:5901'],
  },
  // Failures at the far end.
  {
    name: 'nothing listens at the destination: the viewer sees open-then-closed, ssh prints the channel message',
    from: 'post ("the connection is opened and immediately closed"); harness (b)',
    topology: post,
    ssh: `ssh -N user@${HOME} -L 5903:192.168.10.5:5901`,
    action: ['laptop', 'vncviewer localhost:3'],
    reached: null,
    failure: { where: 'client', message: 'channel 2: open failed: connect failed: Connection refused' },
    sees: 'closed',
    throughTunnel: true,
    stderr: ['channel 2: open failed: connect failed: Connection refused'],
  },
  {
    name: 'without -N the session channel comes after the listeners, so the forwarded connection is channel 3',
    from: 'ssh.c ssh_session2(): forwarding is set up before the session channel is opened',
    topology: post,
    ssh: `ssh user@${HOME} -L 5903:192.168.10.5:5901`,
    action: ['laptop', 'vncviewer localhost:3'],
    failure: { where: 'client', message: 'channel 3: open failed: connect failed: Connection refused' },
  },
  {
    name: 'AllowTcpForwarding no: ssh still listens, every connection is administratively prohibited, and sshd names the viewer\'s end as the originator',
    from: 'sshd_config(5) AllowTcpForwarding; serverloop.c server_request_direct_tcpip(); harness (d)',
    topology: sourcePostTopology({ desktop1Sshd: { allowTcpForwarding: 'no' } }),
    ssh: `ssh -N user@${HOME} -L 5901:localhost:5900`,
    action: ['laptop', 'vncviewer localhost:1'],
    reached: null,
    failure: { where: 'client', message: 'channel 2: open failed: administratively prohibited: open failed' },
    sshdLog: [`refused local port forward: originator 127.0.0.1 port ${SOURCE_PORT.application}, target localhost port 5900`],
    sees: 'closed',
    listeners: ['laptop ::1:5901', 'laptop 127.0.0.1:5901'],
  },
  {
    name: 'PermitOpen compares the name as sent: 192.168.10.5:5900 is allowed, desktop2:5900 is not',
    from: 'sshd_config(5) PermitOpen; harness (d) PermitOpen',
    topology: sourcePostTopology({ desktop1Sshd: { permitOpen: ['192.168.10.5:5900'] } }),
    ssh: `ssh -N user@${HOME} -L 5902:desktop2:5900`,
    action: ['laptop', 'nc localhost 5902'],
    failure: { where: 'client', message: 'channel 2: open failed: administratively prohibited: open failed' },
    // channels.c channel_connect_to_port(): the SSH connection's client end as desktop1 sees it, through the router's port forward.
    sshdLog: [`Received request from 198.51.100.23 port ${SOURCE_PORT.ssh} to connect to host desktop2 port 5900, but the request was denied.`],
    sees: 'closed',
  },
  {
    name: 'an unroutable destination fails at once: "connect failed: open failed"',
    from: '9.2p1 scratch (-L 5999:10.77.0.1:80 through the namespace server)',
    topology: netns,
    ssh: 'ssh -N root@10.0.0.1 -L 5999:10.77.0.1:80',
    action: ['laptop', 'nc 127.0.0.1 5999'],
    failure: { where: 'client', message: 'channel 2: open failed: connect failed: open failed' },
    // channels.c connect_to_helper(): one error() when every address failed at once.
    sshdLog: ['connect to 10.77.0.1 port 80 failed: Network is unreachable'],
    sees: 'closed',
  },
  {
    name: 'a name the server cannot resolve: the resolver\'s words come back',
    from: '9.2p1 scratch (nosuch.invalid in a namespace without DNS)',
    topology: netns,
    ssh: 'ssh -N root@10.0.0.1 -L 5998:nosuch.invalid:80',
    action: ['laptop', 'nc 127.0.0.1 5998'],
    failure: { where: 'client', message: 'channel 2: open failed: connect failed: Temporary failure in name resolution' },
  },
  // Who may connect to the listener.
  {
    name: 'the coworker cannot reach a loopback listener',
    from: 'ssh(1) -L and -g; harness (g)',
    topology: netns,
    ssh: 'ssh -N root@10.0.0.1 -L 5902:192.168.10.5:5900',
    action: ['coworker', 'vncviewer 10.0.1.1:2'],
    reached: null,
    failure: { where: 'application', message: 'unable to connect to socket: Connection refused (111)' },
    sees: 'refused',
    listeners: ['laptop ::1:5902', 'laptop 127.0.0.1:5902'],
  },
  {
    name: 'with -g the coworker reaches the desktop, which sees the server as the source',
    from: 'ssh(1) -g; harness (g)',
    topology: netns,
    ssh: 'ssh -N -g root@10.0.0.1 -L 5902:192.168.10.5:5900',
    action: ['coworker', 'vncviewer 10.0.1.1:2'],
    reached: { host: 'desktop', port: 5900, service: 'desktop-vnc', sourceAddress: '192.168.10.1' },
    sees: 'reply',
    listeners: ['laptop 0.0.0.0:5902', 'laptop :::5902'],
  },
  {
    name: "bind address '*' does the same as -g",
    from: 'ssh(1) bind_address; harness (g)',
    topology: netns,
    ssh: 'ssh -N root@10.0.0.1 -L *:5904:192.168.10.5:5900',
    action: ['coworker', 'nc 10.0.1.1 5904'],
    reached: { host: 'desktop', port: 5900, service: 'desktop-vnc', sourceAddress: '192.168.10.1' },
    listeners: ['laptop 0.0.0.0:5904', 'laptop :::5904'],
  },
  // -R
  {
    name: '-R with GatewayPorts no: loopback only, so the desktop is refused',
    from: 'sshd_config(5) GatewayPorts; harness (e″)',
    topology: netns,
    ssh: 'ssh -N root@10.0.0.1 -R 8080:localhost:3000',
    action: ['desktop', 'nc 192.168.10.1 8080'],
    failure: { where: 'application', message: 'nc: connect to 192.168.10.1 port 8080 (tcp) failed: Connection refused' },
    sees: 'refused',
    listeners: ['server ::1:8080', 'server 127.0.0.1:8080'],
  },
  {
    name: '-R with GatewayPorts no, from the server itself: the laptop\'s web server answers, seeing 127.0.0.1',
    from: 'harness (e″)',
    topology: netns,
    ssh: 'ssh -N root@10.0.0.1 -R 8080:localhost:3000',
    action: ['server', 'curl http://127.0.0.1:8080/'],
    reached: { host: 'laptop', port: 3000, service: 'laptop-web', sourceAddress: '127.0.0.1' },
    sees: 'reply',
    throughTunnel: true,
  },
  {
    name: "-R *:8081 with GatewayPorts no is still loopback only",
    from: 'channels.c channel_fwd_bind_addr(); harness (e″)',
    topology: netns,
    ssh: 'ssh -N root@10.0.0.1 -R *:8081:localhost:3000',
    listeners: ['server ::1:8081', 'server 127.0.0.1:8081'],
  },
  {
    name: '-R with GatewayPorts yes: every address, and the desktop reaches the laptop',
    from: 'sshd_config(5) GatewayPorts; harness (e‴)',
    topology: harnessNetnsTopology({ sshd: { gatewayPorts: 'yes' } }),
    ssh: 'ssh -N root@10.0.0.1 -R 8080:localhost:3000',
    action: ['desktop', 'nc 192.168.10.1 8080'],
    reached: { host: 'laptop', port: 3000, service: 'laptop-web', sourceAddress: '127.0.0.1' },
    listeners: ['server 0.0.0.0:8080', 'server :::8080'],
  },
  {
    name: '-R with GatewayPorts clientspecified binds the address the client names',
    from: 'sshd_config(5) GatewayPorts clientspecified; channels.c channel_fwd_bind_addr()',
    topology: harnessNetnsTopology({ sshd: { gatewayPorts: 'clientspecified' } }),
    ssh: 'ssh -N root@10.0.0.1 -R 192.168.10.1:8080:localhost:3000',
    action: ['desktop', 'nc 192.168.10.1 8080'],
    reached: { host: 'laptop', port: 3000, service: 'laptop-web', sourceAddress: '127.0.0.1' },
    listeners: ['server 192.168.10.1:8080'],
  },
  {
    name: '-R 0: the server chooses the port and ssh says which',
    from: 'ssh(1) -R ("if the port argument is 0 … allocated on the server and reported"); harness (e)',
    topology: netns,
    ssh: 'ssh -N root@10.0.0.1 -R 0:localhost:3000',
    stderr: ['Allocated port 32768 for remote forward to localhost:3000'],
    listeners: ['server ::1:32768', 'server 127.0.0.1:32768'],
  },
  {
    name: '-R whose destination refuses: ssh on the laptop logs the failed connect; the server-side client sees open-then-closed',
    from: '9.2p1 scratch (-R 8090:localhost:3999)',
    topology: netns,
    ssh: 'ssh -N root@10.0.0.1 -R 8090:localhost:3999',
    action: ['server', 'nc 127.0.0.1 8090'],
    failure: { where: 'client', message: 'connect_to localhost port 3999: failed.' },
    sees: 'closed',
    stderr: ['connect_to localhost port 3999: failed.'],
  },
  {
    name: '-R refused by AllowTcpForwarding no, ExitOnForwardFailure=yes',
    from: 'harness (d) -R 0',
    topology: harnessNetnsTopology({ sshd: { allowTcpForwarding: 'no' } }),
    ssh: 'ssh -N -o ExitOnForwardFailure=yes root@10.0.0.1 -R 0:127.0.0.1:3000',
    stderr: ['Error: remote port forwarding failed for listen port 0'],
    exit: 255,
    listeners: [],
  },
  {
    name: '-R refused without ExitOnForwardFailure: a warning, and ssh carries on',
    from: 'ssh.c ssh_confirm_remote_forward()',
    topology: harnessNetnsTopology({ sshd: { allowTcpForwarding: 'local' } }),
    ssh: 'ssh -N root@10.0.0.1 -R 8080:localhost:3000',
    stderr: ['Warning: remote port forwarding failed for listen port 8080'],
    exit: null,
  },
  // -D
  {
    name: '-D with curl --socks5: curl resolves router.lan on the laptop, which cannot',
    from: 'curl(1) --socks5 vs --socks5-hostname; post (-D 9999)',
    topology: post,
    ssh: `ssh -N -D 9999 user@${HOME}`,
    action: ['laptop', 'curl --socks5 localhost:9999 http://router.lan/'],
    reached: null,
    failure: { where: 'application', message: 'curl: (97) Could not resolve host: router.lan' },
    sees: 'error',
  },
  {
    name: '-D with curl --socks5-hostname: desktop1 resolves router.lan and the router sees desktop1',
    from: 'curl(1) --socks5-hostname; ssh(1) -D; harness (f) by name',
    topology: post,
    ssh: `ssh -N -D 9999 user@${HOME}`,
    action: ['laptop', 'curl --socks5-hostname localhost:9999 http://router.lan/'],
    reached: { host: 'router', port: 80, service: 'router admin page', sourceAddress: '192.168.10.2' },
    sees: 'reply',
    throughTunnel: true,
  },
  {
    name: '-D to a web server on the Internet: it sees the router\'s public address, not the laptop\'s',
    from: 'post ("makes it look like you\'re in a different location")',
    topology: post,
    ssh: `ssh -N -D 9999 user@${HOME}`,
    action: ['laptop', 'curl --socks5 localhost:9999 http://www.example.org/'],
    reached: { host: 'web', port: 80, service: 'web server', sourceAddress: '203.0.113.10' },
  },
  {
    name: '-D to a closed port: no SOCKS reply, just a close; ssh prints the channel message',
    from: 'harness (f) toClosed',
    topology: post,
    ssh: `ssh -N -D 127.0.0.1:9999 user@${HOME}`,
    action: ['laptop', 'curl --socks5-hostname 127.0.0.1:9999 http://desktop2:8080/'],
    failure: { where: 'client', message: 'channel 1: open failed: connect failed: Connection refused' },
    sees: 'closed',
    listeners: ['laptop 127.0.0.1:9999'],
  },
  // What no forward carries.
  {
    name: 'nc -u to the forwarded port: nothing listens on UDP 5901, nothing happens',
    from: 'post ("you cannot forward ICMP (pings), UDP sockets (DNS)")',
    topology: post,
    ssh: `ssh -N user@${HOME} -L 5901:localhost:5900`,
    action: ['laptop', 'nc -u localhost 5901'],
    reached: null,
    failure: { where: 'application', message: 'no answer: nothing listens on UDP 127.0.0.1:5901; SSH forwards TCP only' },
    sees: 'nothing',
    throughTunnel: false,
  },
  {
    name: 'ping localhost answers from the laptop itself',
    from: 'post ("you will never be able to ping remote hosts using this method alone")',
    topology: post,
    ssh: `ssh -N user@${HOME} -L 5901:localhost:5900`,
    action: ['laptop', 'ping -c 1 localhost'],
    reached: { host: 'laptop', port: null, service: 'ICMP echo (the kernel)', sourceAddress: '127.0.0.1' },
    throughTunnel: false,
  },
  {
    name: 'ping -c 3 192.168.10.5 from the laptop: out through the default route, tunnel or not, and every request is lost',
    from: 'post; iputils ping: banner, then the statistics of an unanswered -c run',
    topology: post,
    ssh: `ssh -N user@${HOME} -L 5902:192.168.10.5:5900`,
    action: ['laptop', 'ping -c 3 192.168.10.5'],
    failure: { where: 'application', message: '3 packets transmitted, 0 received, 100% packet loss, time 2000ms' },
    sees: 'nothing',
  },
  {
    name: 'ping 192.168.10.5 with no count: the banner, then no reply for as long as it runs',
    from: 'post; iputils ping',
    topology: post,
    ssh: `ssh -N user@${HOME} -L 5902:192.168.10.5:5900`,
    action: ['laptop', 'ping 192.168.10.5'],
    failure: { where: 'application', message: 'no reply from 192.168.10.5' },
    sees: 'nothing',
  },
  // The SSH connection itself.
  {
    name: 'a port the router does not forward: dropped, ssh times out',
    from: 'sshconnect.c ssh_connect_direct()',
    topology: post,
    ssh: `ssh -p 23 user@${HOME}`,
    stderr: [`ssh: connect to host ${HOME} port 23: Connection timed out`],
    exit: 255,
  },
  {
    name: 'a name the laptop cannot resolve',
    from: 'ssh.c (resolve_host())',
    topology: post,
    ssh: 'ssh user@desktop1',
    stderr: ['ssh: Could not resolve hostname desktop1: Name or service not known'],
    exit: 255,
  },
  {
    name: 'nothing listens on the port: refused',
    from: 'sshconnect.c ssh_connect_direct()',
    topology: netns,
    ssh: 'ssh -p 2200 root@10.0.0.1',
    stderr: ['ssh: connect to host 10.0.0.1 port 2200: Connection refused'],
    exit: 255,
  },
];

describe('the walk, case by case', () => {
  test('the presets are valid', () => {
    expect(validateTopology(post)).toEqual([]);
    expect(validateTopology(sourcePostTopology({ laptopVnc: true }))).toEqual([]);
    expect(validateTopology(netns)).toEqual([]);
    expect(validateTopology(harnessNetnsTopology({ laptopVnc: true }))).toEqual([]);
  });

  test.each(rows.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const w = walk(row.topology, row.ssh, row.action, row.clientHost);
    if (row.reached !== undefined) expect(w.outcome?.reached).toEqual(row.reached);
    if (row.failure !== undefined) expect(w.outcome?.failure).toEqual(row.failure);
    if (row.sees !== undefined) expect(w.outcome?.applicationSees).toBe(row.sees);
    if (row.throughTunnel !== undefined) expect(w.outcome?.throughTunnel).toBe(row.throughTunnel);
    if (row.stderr !== undefined) expect(w.sshStderr).toEqual(row.stderr);
    if (row.sshdLog !== undefined) expect(w.sshdLog).toEqual(row.sshdLog);
    if (row.exit !== undefined) expect(w.sshExitStatus).toBe(row.exit);
    if (row.listeners !== undefined) expect(w.listeners.map((l) => `${l.host} ${l.address}:${l.port}`)).toEqual(row.listeners);
    expectWellFormed(w);
  });

  test('the far side is asked for the name as typed, and resolves it there', () => {
    const w = walk(post, `ssh -N user@${HOME} -L 5902:desktop2:5900`, ['laptop', 'vncviewer localhost:2']);
    expect(w.steps.find((s) => s.kind === 'far-resolve')).toMatchObject({ host: 'desktop1', text: expect.stringContaining('desktop2 to 192.168.10.5') });
    expect(w.outcome?.reached?.host).toBe('desktop2');
  });

  test('a timed-out destination: the viewer is accepted, then closed after the SYN timeout', () => {
    const dropping: Topology = { ...post, hosts: post.hosts.map((h) => (h.name === 'desktop2' ? { ...h, firewall: [{ port: 5900, protocol: 'tcp', action: 'drop' }] } : h)) };
    const w = walk(dropping, `ssh -N user@${HOME} -L 5902:192.168.10.5:5900`, ['laptop', 'vncviewer localhost:2']);
    expect(w.outcome?.failure).toEqual({ where: 'client', message: 'channel 2: open failed: connect failed: Connection timed out' });
    expect(w.outcome?.applicationSees).toBe('closed');
    expect(w.sshdLog).toEqual(['connect_to 192.168.10.5 port 5900: failed.']);
  });

  test('the SSH connection goes through the router\'s port forward; sshd sees the laptop\'s own address', () => {
    const w = walk(post, `ssh -N user@${HOME} -p 2222`);
    const connect = w.steps.find((s) => s.kind === 'tcp-connect')!;
    expect(connect.text).toContain('desktop2 accepts on port 22');
    expect(connect.text).toContain('from 198.51.100.23');
  });
});

// ---------------------------------------------------------------------------------------------

function expectWellFormed(w: Walk) {
  expect(w.steps.length).toBeGreaterThan(0);
  for (let k = 1; k < w.steps.length; k++) {
    const a = w.steps[k - 1]!.state;
    const b = w.steps[k]!.state;
    if (a.session !== b.session) expect(SESSION_TRANSITIONS[a.session]).toContain(b.session);
    if (a.connection !== b.connection) expect(CONNECTION_TRANSITIONS[a.connection]).toContain(b.connection);
  }
  const last = w.steps.at(-1)!.state;
  expect(SESSION_RESTING).toContain(last.session);
  expect(CONNECTION_RESTING).toContain(last.connection);
  if (last.session === 'closed') {
    expect(w.sshExitStatus).toBe(255);
    expect(w.listeners).toEqual([]);
  } else expect(w.sshExitStatus).toBeNull();
}

describe('properties', () => {
  test('the same input gives the same walk', () => {
    for (const row of rows) {
      const a = walk(row.topology, row.ssh, row.action, row.clientHost);
      const b = walk(row.topology, row.ssh, row.action, row.clientHost);
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    }
  });

  test('a walk does not change the topology it is given', () => {
    const before = JSON.stringify(post);
    walk(post, `ssh -N -g user@${HOME} -L 5901:localhost:5900 -R 0:localhost:22 -D 1080`, ['laptop', 'vncviewer localhost:1']);
    expect(JSON.stringify(post)).toBe(before);
  });

  const bind = fc.constantFrom('', 'localhost:', '127.0.0.1:', '*:', ':', '0.0.0.0:', '::1:'.replace('::1:', '[::1]:'), '10.9.9.9:', '192.168.10.1:');
  const port = fc.constantFrom('0', '22', '80', '1080', '3000', '5900', '5901', '5902', '8080', '32768', '9999');
  const target = fc.constantFrom('localhost', '127.0.0.1', '192.168.10.5', 'desktop2', 'router.lan', 'nosuch', '10.77.0.1', 'www.example.org', '[::1]');
  const forward = fc.oneof(
    fc.tuple(bind, port, target, port).map(([b, p, t, q]) => `-L ${b}${p}:${t}:${q}`),
    fc.tuple(bind, port, target, port).map(([b, p, t, q]) => `-R ${b}${p}:${t}:${q}`),
    fc.tuple(bind, port).map(([b, p]) => `-D ${b}${p}`),
    fc.tuple(bind, port).map(([b, p]) => `-R ${b}${p}`),
  );
  const flags = fc.subarray(['-N', '-g', '-o ExitOnForwardFailure=yes', '-p 2222', '-p 23', '-l root']);
  const destination = fc.constantFrom(HOME, '10.0.0.1', 'desktop1', 'www.example.org', '192.168.10.5');
  const actionHost = fc.constantFrom('laptop', 'desktop1', 'desktop2', 'router', 'web', 'server', 'desktop', 'coworker');
  const action = fc.oneof(
    fc.tuple(target, port).map(([t, p]) => `nc ${t.replace(/[[\]]/g, '')} ${p === '0' ? '1' : p}`),
    fc.tuple(target, port).map(([t, p]) => `nc -u ${t.replace(/[[\]]/g, '')} ${p === '0' ? '1' : p}`),
    fc.constantFrom('vncviewer localhost:1', 'vncviewer localhost:2', 'vncviewer 10.0.1.1:2', 'vncviewer localhost', 'ping localhost', 'ping 192.168.10.5'),
    fc.tuple(fc.constantFrom('--socks5', '--socks5-hostname', '-x socks5h://'), port, target).map(([how, p, t]) => `curl ${how === '-x socks5h://' ? `-x socks5h://localhost:${p}` : `${how} localhost:${p}`} http://${t}/`),
    fc.tuple(target, port).map(([t, p]) => `curl http://${t}:${p === '0' ? '1' : p}/`),
  );
  const topology = fc.constantFrom(
    post,
    sourcePostTopology({ laptopVnc: true, desktop1Sshd: { allowTcpForwarding: 'local', permitOpen: ['192.168.10.5:5900'] } }),
    netns,
    harnessNetnsTopology({ laptopVnc: true, sshd: { gatewayPorts: 'clientspecified', permitListen: ['8080'] } }),
  );

  test('arbitrary parsed commands on the presets never throw, and every walk ends at rest with legal moves', () => {
    fc.assert(
      fc.property(topology, flags, fc.array(forward, { maxLength: 4 }), destination, fc.option(fc.tuple(actionHost, action)), fc.constantFrom('laptop', 'desktop1', 'server'), (topo, fl, fwds, dest, act, clientHost) => {
        const parsed = parseCommandLine(['ssh', ...fl, ...fwds, `user@${dest}`].join(' '), 'debian-9.2');
        if (!parsed.ok || parsed.command.program !== 'ssh') return;
        const clientAction = act ? parseCommandLine(act[1]) : null;
        const command = clientAction && clientAction.ok && clientAction.command.program !== 'ssh' ? clientAction.command : null;
        const w = walkSsh({ topology: topo, clientHost, ssh: parsed.command, action: command && act ? { host: act[0], command } : null });
        expectWellFormed(w);
        // A forwarded connection that started always finishes.
        if (w.steps.some((s) => s.state.connection === 'accepted')) expect(w.steps.at(-1)!.state.connection).toBe('closed');
        if (command && topo.hosts.some((h) => h.name === act![0]) && topo.hosts.some((h) => h.name === clientHost)) expect(w.outcome).not.toBeNull();
      }),
      { numRuns: 400 },
    );
  });
});
