/**
 * The world an SSH port-forwarding walk happens in: hosts with addresses on named networks, the
 * services listening on them, routers with port forwards and NAT, each host's idea of what a name
 * means (/etc/hosts), each sshd's forwarding policy, and simple inbound firewall rules.
 *
 * The model is deliberately coarse where the lesson does not look (no subnet masks: an address
 * belongs to the network its interface names; one hop of routing through a named router; no
 * ARP, MTU or packet loss) and exact where it does: which addresses a socket is bound to, which
 * host a name resolves to ON WHICH HOST, which address a connection appears to come from.
 *
 * Nothing here throws. validateTopology() returns the problems it finds as sentences.
 */

export type Protocol = 'tcp' | 'udp';

export interface Interface {
  /** e.g. eth0; only shown. */
  name: string;
  /** One IPv4 or IPv6 address, no prefix length. */
  address: string;
  /** The network this interface is on; hosts on the same network reach each other directly. */
  network: string;
}

/**
 * What sshd_config says about forwarding (sshd_config(5)). The defaults of a stock sshd are
 * AllowTcpForwarding yes, PermitOpen any, PermitListen any, GatewayPorts no.
 */
export interface SshdSettings {
  port: number;
  /** ListenAddress; 0.0.0.0 and :: mean every address of that family. */
  listenAddresses: string[];
  /** `all` is a synonym of `yes`; `local` permits -L/-D only, `remote` permits -R only. */
  allowTcpForwarding: 'yes' | 'all' | 'no' | 'local' | 'remote';
  /** PermitOpen entries: `any`, `none`, or host:port where either may be `*`. Compared with the name as the client sent it. */
  permitOpen: string[];
  /** PermitListen entries: `any`, `none`, port, or host:port (either may be `*`). */
  permitListen: string[];
  /** Who may connect to -R listeners: loopback only (no), everyone (yes), or as the client asks (clientspecified). */
  gatewayPorts: 'no' | 'yes' | 'clientspecified';
}

export const DEFAULT_SSHD: SshdSettings = {
  port: 22,
  listenAddresses: ['0.0.0.0', '::'],
  allowTcpForwarding: 'yes',
  permitOpen: ['any'],
  permitListen: ['any'],
  gatewayPorts: 'no',
};

/** An inbound rule, checked after a router's port forwards (DNAT happens before filtering in netfilter). */
export interface FirewallRule {
  /** The destination port, or every port. */
  port: number | 'any';
  protocol: Protocol;
  /** drop: the sender hears nothing and times out; reject: it gets an ICMP error, which TCP reports as "Connection refused". */
  action: 'drop' | 'reject';
  /** Only for packets arriving on this network; every network when absent. */
  fromNetwork?: string;
}

/** A router's port forward (DNAT): a connection to `externalPort` on the router's address on `network` goes to toAddress:toPort. The source is kept. */
export interface PortForward {
  protocol: Protocol;
  network: string;
  externalPort: number;
  toAddress: string;
  toPort: number;
}

export interface Host {
  name: string;
  interfaces: Interface[];
  /** Whether IPv6 is on: the host then has ::1 and its wildcard binds include ::. */
  ipv6: boolean;
  /**
   * /etc/hosts (and whatever DNS answers) as this host sees it: name → addresses in the order
   * getaddrinfo() returns them. `localhost` need not be listed: it is the host's own 127.0.0.1,
   * as Ubuntu's /etc/hosts has it (Debian's adds ::1, first in glibc's order: list ['::1', '127.0.0.1']).
   */
  resolver: Record<string, string[]>;
  /**
   * What getaddrinfo() says for a name the host cannot resolve: "Name or service not known" when
   * a DNS server answers that it does not exist, "Temporary failure in name resolution" when no DNS
   * server can be reached (as in the harness's network namespaces).
   */
  unknownName: 'Name or service not known' | 'Temporary failure in name resolution';
  sshd: SshdSettings | null;
  firewall: FirewallRule[];
  portForwards: PortForward[];
  /** Whether the user who runs programs here is root: only root may bind ports below 1024 (Linux's ip_unprivileged_port_start). */
  root: boolean;
  /**
   * Whether the host sends IPv4 it has no route for to a gateway, as a laptop at home or in a café
   * does. Here that gateway leads to the Internet, which carries no private addresses: a connection
   * to another network's private address goes out and is never answered (it times out). A host
   * without one (a lab's network namespace) fails at once with "Network is unreachable".
   */
  defaultRoute: boolean;
}

export interface Service {
  host: string;
  protocol: Protocol;
  /** The addresses it is bound to: 0.0.0.0 and :: are wildcards of their family (a :: listener here is IPv6-only). */
  addresses: string[];
  port: number;
  /** What the reader sees it called, e.g. "VNC desktop-1". */
  label: string;
}

/** Hosts on `from` reach addresses on `to` through `via`, a host on both. masquerade: the far end sees `via`'s address on `to` (NAT). */
export interface Route {
  from: string;
  to: string;
  via: string;
  masquerade: boolean;
}

export interface Topology {
  hosts: Host[];
  services: Service[];
  routes: Route[];
}

// ---------------------------------------------------------------------------------------------
// Addresses

export function isIPv4(address: string): boolean {
  const parts = address.split('.');
  return parts.length === 4 && parts.every((p) => /^[0-9]{1,3}$/.test(p) && Number(p) <= 255);
}

/** A loose check: colons and hex digits (and an optional dotted tail), which is all the model's addresses need. */
export function isIPv6(address: string): boolean {
  return address.includes(':') && /^[0-9a-fA-F:.]+$/.test(address);
}

export function isIpLiteral(text: string): boolean {
  return isIPv4(text) || isIPv6(text);
}

export function familyOf(address: string): 4 | 6 {
  return isIPv6(address) ? 6 : 4;
}

export function isLoopback(address: string): boolean {
  return address === '::1' || (isIPv4(address) && address.startsWith('127.'));
}

/** RFC 1918's private ranges (10/8, 172.16/12, 192.168/16): anyone may use them on their own network, and the Internet does not carry them. */
export function isPrivateIPv4(address: string): boolean {
  if (!isIPv4(address)) return false;
  const [a, b] = address.split('.').map(Number) as [number, number];
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

export function hostByName(topology: Topology, name: string): Host | undefined {
  return topology.hosts.find((h) => h.name === name);
}

/** Every address a socket on this host may bind: loopbacks, interface addresses, wildcards. */
export function isLocalAddress(host: Host, address: string): boolean {
  if (isIPv6(address) && !host.ipv6) return false;
  if (isLoopback(address) || isWildcard(address)) return true;
  return host.interfaces.some((i) => i.address === address);
}

// ---------------------------------------------------------------------------------------------
// Validation

/** Problems as sentences; an empty list means the topology is usable. Never throws. */
export function validateTopology(topology: Topology): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  const owners = new Map<string, string>();
  for (const host of topology.hosts) {
    if (names.has(host.name)) problems.push(`two hosts are called ${host.name}`);
    names.add(host.name);
    for (const i of host.interfaces) {
      if (!isIpLiteral(i.address)) problems.push(`${host.name}: ${i.address} is not an IP address`);
      else if (isLoopback(i.address) || isWildcard(i.address)) problems.push(`${host.name}: ${i.address} cannot be an interface address`);
      const owner = owners.get(i.address);
      if (owner !== undefined && owner !== host.name) problems.push(`${i.address} belongs to both ${owner} and ${host.name}`);
      owners.set(i.address, host.name);
    }
    for (const [name, addresses] of Object.entries(host.resolver)) {
      for (const a of addresses) if (!isIpLiteral(a)) problems.push(`${host.name}: ${name} resolves to ${a}, which is not an IP address`);
    }
    if (host.sshd) {
      if (!validPort(host.sshd.port)) problems.push(`${host.name}: sshd port ${host.sshd.port} is not a port`);
      for (const a of host.sshd.listenAddresses) if (!isLocalAddress(host, a)) problems.push(`${host.name}: sshd cannot listen on ${a}, which is not this host's`);
    }
    for (const f of host.portForwards) {
      if (!host.interfaces.some((i) => i.network === f.network)) problems.push(`${host.name}: port forward ${f.externalPort} is on ${f.network}, where ${host.name} has no interface`);
      if (!validPort(f.externalPort) || !validPort(f.toPort)) problems.push(`${host.name}: port forward ${f.externalPort} → ${f.toAddress}:${f.toPort} has a bad port`);
    }
  }
  for (const s of topology.services) {
    const host = hostByName(topology, s.host);
    if (!host) {
      problems.push(`service ${s.label} is on ${s.host}, which is not a host`);
      continue;
    }
    if (!validPort(s.port)) problems.push(`service ${s.label}: ${s.port} is not a port`);
    for (const a of s.addresses) if (!isLocalAddress(host, a)) problems.push(`service ${s.label} cannot listen on ${a}, which is not ${s.host}'s`);
  }
  for (const r of topology.routes) {
    const via = hostByName(topology, r.via);
    if (!via) problems.push(`route ${r.from} → ${r.to} goes via ${r.via}, which is not a host`);
    else if (!via.interfaces.some((i) => i.network === r.from) || !via.interfaces.some((i) => i.network === r.to)) {
      problems.push(`route ${r.from} → ${r.to}: ${r.via} is not on both networks`);
    }
  }
  return problems;
}

function validPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

// ---------------------------------------------------------------------------------------------
// Presets

function host(name: string, interfaces: Interface[], extra: Partial<Host> = {}): Host {
  return {
    name,
    interfaces,
    ipv6: true,
    resolver: {},
    unknownName: 'Name or service not known',
    sshd: null,
    firewall: [],
    portForwards: [],
    root: false,
    defaultRoute: false,
    ...extra,
  };
}

/** The addresses of the source post's world. Documentation ranges (RFC 5737) stand for public addresses. */
export const SOURCE_POST = {
  laptop: { internet: '198.51.100.23' },
  router: { internet: '203.0.113.10', lan: '192.168.10.1' },
  desktop1: { lan: '192.168.10.2' },
  desktop2: { lan: '192.168.10.5' },
  web: { internet: '198.51.100.80' },
  /** The name the reader types for "ip-address-of-ssh-server": it resolves to the router's public address. */
  homeName: 'home.example.net',
  webName: 'www.example.org',
  /** The router's admin page, a name only the home LAN knows. */
  routerName: 'router.lan',
} as const;

export interface SourcePostOptions {
  /** The laptop runs its own VNC server on 5900 (GNOME/KDE desktop sharing), on every address: the "port in use" case. */
  laptopVnc?: boolean;
  /** desktop1's sshd policy, over the stock defaults. */
  desktop1Sshd?: Partial<SshdSettings>;
  desktop2Sshd?: Partial<SshdSettings>;
}

/**
 * "SSH Port Forwarding" (10 March 2010): a laptop on the Internet; an ADSL router with a public
 * address whose port forwards send 22 to desktop1's sshd and 2222 to desktop2's; desktop1 and
 * desktop2 on 192.168.10.0/24 (desktop2 is 192.168.10.5), both running VNC on 5900; a web server
 * on the Internet. The router drops anything else arriving from the Internet and masquerades the
 * LAN's outgoing connections, as home routers do. Every host has a default route (the desktops'
 * through the router): an address none of them can reach goes out to the Internet unanswered.
 */
export function sourcePostTopology(options: SourcePostOptions = {}): Topology {
  const a = SOURCE_POST;
  const lanNames = { desktop1: [a.desktop1.lan], desktop2: [a.desktop2.lan], [a.routerName]: [a.router.lan] };
  const internetNames = { [a.homeName]: [a.router.internet], [a.webName]: [a.web.internet] };
  const hosts: Host[] = [
    host('laptop', [{ name: 'wlan0', address: a.laptop.internet, network: 'internet' }], { resolver: { ...internetNames }, defaultRoute: true }),
    host(
      'router',
      [
        { name: 'ppp0', address: a.router.internet, network: 'internet' },
        { name: 'br0', address: a.router.lan, network: 'home-lan' },
      ],
      {
        ipv6: false,
        defaultRoute: true,
        resolver: { ...internetNames, ...lanNames },
        portForwards: [
          { protocol: 'tcp', network: 'internet', externalPort: 22, toAddress: a.desktop1.lan, toPort: 22 },
          { protocol: 'tcp', network: 'internet', externalPort: 2222, toAddress: a.desktop2.lan, toPort: 22 },
        ],
        firewall: [
          { port: 'any', protocol: 'tcp', action: 'drop', fromNetwork: 'internet' },
          { port: 'any', protocol: 'udp', action: 'drop', fromNetwork: 'internet' },
        ],
      },
    ),
    host('desktop1', [{ name: 'eth0', address: a.desktop1.lan, network: 'home-lan' }], {
      resolver: { ...internetNames, ...lanNames },
      defaultRoute: true,
      sshd: { ...DEFAULT_SSHD, ...options.desktop1Sshd },
    }),
    host('desktop2', [{ name: 'eth0', address: a.desktop2.lan, network: 'home-lan' }], {
      resolver: { ...internetNames, ...lanNames },
      defaultRoute: true,
      sshd: { ...DEFAULT_SSHD, ...options.desktop2Sshd },
    }),
    host('web', [{ name: 'eth0', address: a.web.internet, network: 'internet' }], { resolver: { ...internetNames }, defaultRoute: true }),
  ];
  const services: Service[] = [
    // Desktop sharing (vino, krfb) listens on every address, both families.
    { host: 'desktop1', protocol: 'tcp', addresses: ['0.0.0.0', '::'], port: 5900, label: 'VNC desktop-1' },
    { host: 'desktop2', protocol: 'tcp', addresses: ['0.0.0.0', '::'], port: 5900, label: 'VNC desktop-2' },
    { host: 'router', protocol: 'tcp', addresses: [a.router.lan], port: 80, label: 'router admin page' },
    { host: 'web', protocol: 'tcp', addresses: ['0.0.0.0'], port: 80, label: 'web server' },
  ];
  if (options.laptopVnc) services.push({ host: 'laptop', protocol: 'tcp', addresses: ['0.0.0.0', '::'], port: 5900, label: "VNC on the laptop (its own desktop sharing)" });
  return { hosts, services, routes: [{ from: 'home-lan', to: 'internet', via: 'router', masquerade: true }] };
}

/** The harness's network namespaces (test/ssh-forwarding/openssh-harness.ts, LESSON and lessonTopology()). */
export const HARNESS_NETNS = {
  laptop: { toServer: '10.0.0.2', wifi: '10.0.1.1' },
  server: { public: '10.0.0.1', lan: '192.168.10.1' },
  desktop: { lan: '192.168.10.5' },
  coworker: { wifi: '10.0.1.2' },
} as const;

export interface HarnessNetnsOptions {
  sshd?: Partial<SshdSettings>;
  /** The laptop's own VNC on 127.0.0.1:5900, as in the harness's "(c) in the lesson's own ports" and "(h′)". */
  laptopVnc?: boolean;
}

/**
 * Four namespaces joined by veth pairs and no routes, so the laptop reaches 192.168.10.0/24 only
 * through the tunnel. The namespaces share the test machine's /etc/hosts, where localhost is
 * 127.0.0.1 alone, and have no DNS server. Services are the harness's: the desktop's VNC on
 * 0.0.0.0:5900, the server's own VNC on 127.0.0.1:5900, the laptop's web server on 127.0.0.1:3000.
 */
export function harnessNetnsTopology(options: HarnessNetnsOptions = {}): Topology {
  const a = HARNESS_NETNS;
  const extra: Partial<Host> = { resolver: { localhost: ['127.0.0.1'] }, unknownName: 'Temporary failure in name resolution', root: true };
  const hosts: Host[] = [
    host(
      'laptop',
      [
        { name: 'to-server', address: a.laptop.toServer, network: 'uplink' },
        { name: 'to-coworker', address: a.laptop.wifi, network: 'wifi' },
      ],
      extra,
    ),
    host(
      'server',
      [
        { name: 'to-laptop', address: a.server.public, network: 'uplink' },
        { name: 'to-desktop', address: a.server.lan, network: 'lan' },
      ],
      { ...extra, sshd: { ...DEFAULT_SSHD, listenAddresses: ['0.0.0.0'], ...options.sshd } },
    ),
    host('desktop', [{ name: 'to-server', address: a.desktop.lan, network: 'lan' }], extra),
    host('coworker', [{ name: 'to-laptop', address: a.coworker.wifi, network: 'wifi' }], extra),
  ];
  const services: Service[] = [
    { host: 'desktop', protocol: 'tcp', addresses: ['0.0.0.0'], port: 5900, label: 'desktop-vnc' },
    { host: 'server', protocol: 'tcp', addresses: ['127.0.0.1'], port: 5900, label: 'server-vnc' },
    { host: 'laptop', protocol: 'tcp', addresses: ['127.0.0.1'], port: 3000, label: 'laptop-web' },
  ];
  if (options.laptopVnc) services.push({ host: 'laptop', protocol: 'tcp', addresses: ['127.0.0.1'], port: 5900, label: 'laptop-vnc' });
  return { hosts, services, routes: [] };
}

/**
 * One machine that is both client and server, as in the harness's loopback cases: sshd on
 * 127.0.0.1 and the given services on loopback. Ports are parameters because the harness picks free ones.
 */
export function loopbackTopology(options: { sshd: Partial<SshdSettings> & { port: number }; services?: Array<{ label: string; port: number; addresses?: string[] }> }): Topology {
  return {
    hosts: [
      host('machine', [], {
        resolver: { localhost: ['127.0.0.1'] },
        root: true,
        sshd: { ...DEFAULT_SSHD, listenAddresses: ['127.0.0.1'], ...options.sshd },
      }),
    ],
    services: (options.services ?? []).map((s) => ({ host: 'machine', protocol: 'tcp' as const, addresses: s.addresses ?? ['127.0.0.1'], port: s.port, label: s.label })),
    routes: [],
  };
}
