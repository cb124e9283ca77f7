/**
 * Names and packets on the walk's network: getaddrinfo() on a host (resolveOn), the way a packet
 * takes from one host to an address (loopback, a shared network, a router with or without NAT, a
 * router's port forward), and one connect() end to end (routing, the firewall, who listens).
 */
import { fmtAddr, socketMatches, type Errno, type Socket } from './sockets.ts';
import { familyOf, hostByName, isIPv6, isIpLiteral, isLoopback, isPrivateIPv4, isWildcard, type Host, type Protocol, type Topology } from './topology.ts';

export type Resolved = { ok: true; addresses: string[]; how: string } | { ok: false; error: string };

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
  | { ok: false; errno: 'ENETUNREACH' | 'EHOSTUNREACH' | 'ETIMEDOUT'; notes: string[]; path: string[] };

/** Host names in order, without a host twice in a row (a router that is also the address's owner). */
export function pathOf(...names: string[]): string[] {
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
 * An address `from` has no route of its own to. With a default route the packet goes out to the
 * Internet, which carries no private address and, in this world, holds no other host: no answer
 * ever comes, and a connect() times out. Without one (or for IPv6, which no host here routes out)
 * connect() fails at once with ENETUNREACH (Linux's ip_route_output_key finds no route).
 */
function noRoute(from: Host, address: string, notes: string[], path: string[]): Reach {
  if (!from.defaultRoute || familyOf(address) !== 4) return { ok: false, errno: 'ENETUNREACH', notes, path };
  const why = isPrivateIPv4(address) ? `${address} is a private address (RFC 1918), which the Internet does not carry` : `no host answers at ${address}`;
  return { ok: false, errno: 'ETIMEDOUT', notes: [...notes, `${from.name} has no route to it but its default route, out to the Internet, and ${why}`], path };
}

/**
 * Which host a packet from `from` to address:port arrives at, and from which source address:
 * the host itself for its loopback and own addresses; a host on a shared network directly; one
 * hop through a router when a route says so (with NAT the far end sees the router); then the
 * router's port forwards, which change the destination and keep the source.
 */
export function reach(topology: Topology, from: Host, address: string, port: number, protocol: Protocol): Reach {
  const notes: string[] = [];
  const here = [from.name];
  if (isLoopback(address) || isWildcard(address)) {
    if (isIPv6(address) && !from.ipv6) return { ok: false, errno: 'ENETUNREACH', notes, path: here };
    const dest = isWildcard(address) ? (familyOf(address) === 6 ? '::1' : '127.0.0.1') : address;
    return { ok: true, target: from, address: dest, port, source: dest, arrivedOn: null, notes, path: here };
  }
  if (from.interfaces.some((i) => i.address === address)) return { ok: true, target: from, address, port, source: address, arrivedOn: null, notes, path: here };
  const owner = ownerOf(topology, address);
  if (!owner) return noRoute(from, address, notes, here);
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
  if (source === undefined) return noRoute(from, address, notes, here);
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

export type Connected =
  | { ok: true; socket: Socket; target: Host; address: string; port: number; source: string; notes: string[]; path: string[] }
  | { ok: false; errno: Errno; synchronous: boolean; notes: string[]; path: string[] };

/**
 * One connect() (or, for UDP, one datagram): routing, then the destination's firewall (not on
 * loopback, which firewalls accept first in practice), then whoever listens there. An unreachable
 * network fails at once (synchronously); a refusal or a timeout comes back later.
 */
export function connectTo(topology: Topology, sockets: readonly Socket[], from: Host, address: string, port: number, protocol: Protocol): Connected {
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
