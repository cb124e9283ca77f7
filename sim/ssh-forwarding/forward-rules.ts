/**
 * The rules a forward meets before any connection: the forwards of an ssh command in the order ssh
 * sets them up, where a listener binds (OpenSSH's channels.c channel_rfwd_bind_host() and
 * channel_fwd_bind_addr(), then getaddrinfo()), and what sshd lets through (AllowTcpForwarding,
 * PermitOpen, PermitListen).
 */
import type { SshCommand } from './openssh/ssh.ts';
import { resolveOn, type Resolved } from './routing.ts';
import type { Host, SshdSettings } from './topology.ts';
import type { ForwardListener } from './walk.ts';

/** One forward as the walk sets it up: -L, -D and -R alike. */
export interface Forwarding {
  kind: ForwardListener['kind'];
  spec: string;
  bindAddress: string | null;
  listenPort: number;
  /** null for SOCKS (-D, and -R with no destination). */
  target: { host: string; port: number } | null;
}

/** The forwards ssh sets up on the client (-L and -D, in one list) and asks the server for (-R). */
export function forwardingsOf(cmd: SshCommand): { locals: Forwarding[]; remotes: Forwarding[] } {
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

/**
 * channel_rfwd_bind_host(): what the client asks the server to bind for -R. No address is sent as
 * "localhost", and '' or '*' as '' (every address).
 */
export function rfwdBindHost(listenHost: string | null): string {
  if (listenHost === null) return 'localhost';
  if (listenHost === '' || listenHost === '*') return '';
  return listenHost;
}

/**
 * channel_fwd_bind_addr(): the address to bind (null: loopback, or every address when wildcard).
 * `gatewayPorts` is 0 (no), 1 (yes, or -g on the client) or 2 (clientspecified, server only).
 */
export function fwdBindAddr(listenAddr: string | null, isClient: boolean, gatewayPorts: 0 | 1 | 2): { addr: string | null; wildcard: boolean; overridden: boolean } {
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
export function bindAddresses(host: Host, addr: string | null, wildcard: boolean): Resolved {
  if (addr === null) {
    if (wildcard) return { ok: true, addresses: host.ipv6 ? ['0.0.0.0', '::'] : ['0.0.0.0'], how: 'every address' };
    return { ok: true, addresses: host.ipv6 ? ['::1', '127.0.0.1'] : ['127.0.0.1'], how: 'loopback only' };
  }
  return resolveOn(host, addr);
}

export function permitted(entries: readonly string[], host: string, port: number): boolean {
  if (entries.includes('any')) return true;
  if (entries.includes('none')) return false;
  return entries.some((e) => {
    const colon = e.lastIndexOf(':');
    const h = colon < 0 ? '*' : e.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
    const p = colon < 0 ? e : e.slice(colon + 1);
    return (h === '*' || h === host) && (p === '*' || Number(p) === port);
  });
}

export function allowsLocal(s: SshdSettings): boolean {
  return s.allowTcpForwarding === 'yes' || s.allowTcpForwarding === 'all' || s.allowTcpForwarding === 'local';
}
export function allowsRemote(s: SshdSettings): boolean {
  return s.allowTcpForwarding === 'yes' || s.allowTcpForwarding === 'all' || s.allowTcpForwarding === 'remote';
}
