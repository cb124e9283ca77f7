/**
 * The source post's cases ("SSH Port Forwarding", 10 March 2010) on its home
 * network: VNC on two desktops behind an ADSL router whose port forwards send
 * 22 to desktop1 and 2222 to desktop2.
 */
import type { Scenario } from '../core/index.ts';
import type { SshForwardingParams } from './params.ts';
import { SOURCE_POST } from './topology.ts';

const home = SOURCE_POST.homeName;

export const sshForwardingScenarios: Scenario<SshForwardingParams>[] = [
  {
    id: 'vnc-desktop1',
    title: 'VNC to desktop1 through its own sshd',
    summary: '-L 5901:localhost:5900 over the router’s port 22: “localhost” is desktop1, because desktop1’s sshd makes the connection.',
    params: { command: `ssh -N -L 5901:localhost:5900 me@${home}`, action: 'vncviewer localhost:1' },
    seed: 1,
  },
  {
    id: 'vnc-desktop2-via-desktop1',
    title: 'One connection, two desktops',
    summary: 'A second -L names 192.168.10.5: desktop1’s sshd connects to desktop2, which sees the connection come from desktop1.',
    params: { command: `ssh -N -L 5901:localhost:5900 -L 5902:192.168.10.5:5900 me@${home}`, action: 'vncviewer localhost:2' },
    seed: 1,
  },
  {
    id: 'port-in-use',
    title: 'A forward on 5900 while the laptop shares its own desktop',
    summary: 'The laptop’s own VNC holds 5900, so ssh cannot bind it; vncviewer localhost:0 reaches the laptop itself.',
    params: { laptopVnc: 1, command: `ssh -N -L 5900:localhost:5900 me@${home}`, action: 'vncviewer localhost:0' },
    seed: 1,
  },
  {
    id: 'destination-refused',
    title: 'A forward to a port where nothing listens',
    summary: 'ssh accepts the local connection at once; only then does desktop1 try port 5999, get refused, and ssh print “open failed”: the viewer sees a connection that opens and closes.',
    params: { command: `ssh -N -L 5901:localhost:5999 me@${home}`, action: 'vncviewer localhost:1' },
    seed: 1,
  },
  {
    id: 'prohibited',
    title: 'The server forbids forwarding',
    summary: 'With AllowTcpForwarding no, ssh still listens on the laptop, and every channel is “administratively prohibited”.',
    params: { allowTcpForwarding: 'no', command: `ssh -N -L 5901:localhost:5900 me@${home}`, action: 'vncviewer localhost:1' },
    seed: 1,
  },
  {
    id: 'socks-proxy',
    title: '-D 9999: a SOCKS proxy into the home network',
    summary: 'curl --socks5-hostname hands the name to desktop1, which can resolve router.lan; with --socks5 the laptop would have to resolve it, and cannot.',
    params: { command: `ssh -N -D 9999 me@${home}`, action: 'curl --socks5-hostname localhost:9999 http://router.lan/' },
    seed: 1,
  },
  {
    id: 'udp-not-forwarded',
    title: 'UDP does not go through',
    summary: 'ssh forwards TCP streams only: nc -u sends a datagram to the laptop’s own port 5901, where nothing listens for UDP.',
    params: { command: `ssh -N -L 5901:localhost:5900 me@${home}`, action: 'nc -u localhost 5901' },
    seed: 1,
  },
  {
    id: 'remote-forward',
    title: '-R: the far end listens',
    summary: 'ssh -R 8080:www.example.org:80 makes desktop1’s sshd listen on its own loopback; the laptop resolves the name and connects when someone on desktop1 uses it.',
    params: { command: `ssh -N -R 8080:www.example.org:80 me@${home}`, actionOn: 'desktop1', action: 'curl http://localhost:8080/' },
    seed: 1,
  },
];
