/**
 * The listening sockets of the walk's hosts (services, sshd, and the forwards as they open), Linux's
 * bind() rules for a new one, and the errno texts the programs print when a bind or a connect fails.
 */
import type { ForwardListener } from './walk.ts';
import { familyOf, isLocalAddress, isWildcard, type Host, type Protocol, type Topology } from './topology.ts';

export const STRERROR = {
  ECONNREFUSED: 'Connection refused',
  ETIMEDOUT: 'Connection timed out',
  ENETUNREACH: 'Network is unreachable',
  EHOSTUNREACH: 'No route to host',
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EACCES: 'Permission denied',
} as const;
export type Errno = keyof typeof STRERROR;
/** Linux errno numbers, which TigerVNC prints after the message. */
export const ERRNO_NUMBER: Record<Errno, number> = { ECONNREFUSED: 111, ETIMEDOUT: 110, ENETUNREACH: 101, EHOSTUNREACH: 113, EADDRINUSE: 98, EADDRNOTAVAIL: 99, EACCES: 13 };

type SocketOwner = { kind: 'service'; label: string } | { kind: 'sshd' } | { kind: 'forward'; listener: ForwardListener; index: number };

export interface Socket {
  host: string;
  protocol: Protocol;
  address: string;
  port: number;
  owner: SocketOwner;
}

export function baseSockets(topology: Topology): Socket[] {
  const out: Socket[] = [];
  for (const s of topology.services) for (const address of s.addresses) out.push({ host: s.host, protocol: s.protocol, address, port: s.port, owner: { kind: 'service', label: s.label } });
  for (const h of topology.hosts) {
    if (!h.sshd) continue;
    for (const address of h.sshd.listenAddresses) out.push({ host: h.name, protocol: 'tcp', address, port: h.sshd.port, owner: { kind: 'sshd' } });
  }
  return out;
}

export function socketLabel(socket: Socket): string {
  if (socket.owner.kind === 'service') return socket.owner.label;
  if (socket.owner.kind === 'sshd') return `sshd on ${socket.host}`;
  return `${socket.owner.listener.side === 'client' ? 'ssh' : 'sshd'}'s listener for ${forwardFlag(socket.owner.listener.kind)} ${socket.owner.listener.spec}`;
}

export function forwardFlag(kind: ForwardListener['kind']): string {
  return kind === 'local' ? '-L' : kind === 'dynamic' ? '-D' : '-R';
}

/** How OpenSSH prints an address with a port: IPv6 in brackets. */
export function fmtAddr(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/**
 * Whether a failed bind of the `index`th of `count` addresses shows at the default LogLevel INFO:
 * channels.c channel_setup_fwd_listener_tcpip() logs it with error() only when it was the last
 * address getaddrinfo() returned (`!ai->ai_next`), and with verbose() otherwise, for ssh and sshd alike.
 */
export function bindFailureLogged(index: number, count: number): boolean {
  return index === count - 1;
}

/** A listener accepts a packet for `address` if bound to it or to its family's wildcard. */
export function socketMatches(s: Socket, host: string, protocol: Protocol, address: string, port: number): boolean {
  if (s.host !== host || s.protocol !== protocol || s.port !== port) return false;
  if (s.address === address) return true;
  return isWildcard(s.address) && familyOf(s.address) === familyOf(address);
}

/**
 * Linux bind() for a listener, as ssh and sshd do it (SO_REUSEADDR, IPV6_V6ONLY on IPv6 sockets):
 * the address must be the host's, a port below 1024 needs root, and a listening socket on the same
 * port and family conflicts when either address is the other or a wildcard.
 */
export function bindError(host: Host, sockets: readonly Socket[], address: string, port: number, root: boolean): Errno | null {
  if (!isLocalAddress(host, address)) return 'EADDRNOTAVAIL';
  if (port < 1024 && !root) return 'EACCES';
  const clash = sockets.some(
    (s) => s.host === host.name && s.protocol === 'tcp' && s.port === port && familyOf(s.address) === familyOf(address) && (s.address === address || isWildcard(s.address) || isWildcard(address)),
  );
  return clash ? 'EADDRINUSE' : null;
}
