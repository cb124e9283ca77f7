/**
 * The reader's changes to the source post's home network, typed as short
 * statements separated by semicolons:
 *
 *   host nas 192.168.10.7           a machine on the home LAN (with sshd, like the desktops)
 *   service nas 8080 web-app        a TCP service on every address of a host (`service HOST udp PORT` for UDP)
 *   forward 8022 nas:22             a port forward on the router, from the Internet to the LAN
 *
 * Each change is checked; one that cannot apply is reported and skipped,
 * never thrown, so a typo costs a line in the walk and nothing else.
 */
import { DEFAULT_SSHD, isIPv4, SOURCE_POST, type Host, type Topology } from './topology.ts';

export interface NetworkChanges {
  topology: Topology;
  problems: string[];
  applied: string[];
}

const NAME = /^[a-z][a-z0-9-]{0,30}$/;
const LAN_PREFIX = '192.168.10.';

export function applyNetworkChanges(base: Topology, text: string): NetworkChanges {
  const topology: Topology = {
    hosts: base.hosts.map((h) => ({ ...h, resolver: { ...h.resolver }, portForwards: [...h.portForwards] })),
    services: [...base.services],
    routes: [...base.routes],
  };
  const problems: string[] = [];
  const applied: string[] = [];
  const hostNamed = (name: string) => topology.hosts.find((h) => h.name === name);
  const lanAddressOf = (name: string) => hostNamed(name)?.interfaces.find((i) => i.network === 'home-lan')?.address;
  const port = (text: string) => (/^\d{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535 ? Number(text) : null);

  for (const raw of text.split(';')) {
    const statement = raw.trim();
    if (!statement) continue;
    const [verb, ...args] = statement.split(/\s+/);
    if (verb === 'host') {
      const [name, address] = args;
      if (args.length !== 2 || !NAME.test(name ?? '')) problems.push(`${statement}: expected "host NAME 192.168.10.N"`);
      else if (hostNamed(name!)) problems.push(`${statement}: there is already a host called ${name}`);
      else if (!isIPv4(address!) || !address!.startsWith(LAN_PREFIX) || address === SOURCE_POST.router.lan) problems.push(`${statement}: a new host needs a free address on the home LAN, ${LAN_PREFIX}2–254`);
      else if (topology.hosts.some((h) => h.interfaces.some((i) => i.address === address))) problems.push(`${statement}: ${address} is taken`);
      else {
        const lanResolver = { ...(hostNamed('desktop1')?.resolver ?? {}) };
        const added: Host = {
          name: name!,
          interfaces: [{ name: 'eth0', address: address!, network: 'home-lan' }],
          ipv6: true,
          resolver: lanResolver,
          unknownName: 'Name or service not known',
          sshd: { ...DEFAULT_SSHD },
          firewall: [],
          portForwards: [],
          root: false,
          // A host added to the home LAN goes out through the router, as the desktops do.
          defaultRoute: true,
        };
        topology.hosts.push(added);
        // Names on the LAN are known to the LAN (the router's DNS), not to the Internet.
        for (const h of topology.hosts) if (h.interfaces.some((i) => i.network === 'home-lan')) h.resolver[name!] = [address!];
        applied.push(statement);
      }
    } else if (verb === 'service') {
      const [hostName, second, third, ...rest] = args;
      const udp = second === 'udp' || second === 'tcp';
      const p = port((udp ? third : second) ?? '');
      const label = (udp ? rest : [third, ...rest]).filter(Boolean).join(' ') || `service on ${hostName}`;
      if (!hostName || !hostNamed(hostName)) problems.push(`${statement}: no host called ${hostName ?? '(missing)'}`);
      else if (p === null) problems.push(`${statement}: expected "service HOST [udp] PORT [LABEL]" with a port from 1 to 65535`);
      else if (topology.services.some((s) => s.host === hostName && s.port === p && s.protocol === (second === 'udp' ? 'udp' : 'tcp'))) problems.push(`${statement}: ${hostName} already has something on that port`);
      else {
        topology.services.push({ host: hostName, protocol: second === 'udp' ? 'udp' : 'tcp', addresses: ['0.0.0.0', '::'], port: p, label });
        applied.push(statement);
      }
    } else if (verb === 'forward') {
      const [external, target] = args;
      const ext = port(external ?? '');
      const m = /^([^:]+):(\d{1,5})$/.exec(target ?? '');
      const toAddress = m ? (isIPv4(m[1]!) ? m[1]! : lanAddressOf(m[1]!)) : undefined;
      const toPort = m ? port(m[2]!) : null;
      const router = hostNamed('router');
      if (args.length !== 2 || ext === null || toPort === null) problems.push(`${statement}: expected "forward PORT HOST:PORT"`);
      else if (!toAddress || !toAddress.startsWith(LAN_PREFIX)) problems.push(`${statement}: ${m![1]} is not on the home LAN`);
      else if (router!.portForwards.some((f) => f.externalPort === ext && f.protocol === 'tcp')) problems.push(`${statement}: the router already forwards port ${ext}`);
      else {
        router!.portForwards.push({ protocol: 'tcp', network: 'internet', externalPort: ext, toAddress, toPort });
        applied.push(statement);
      }
    } else {
      problems.push(`${statement}: unknown change "${verb}"; use host, service or forward`);
    }
  }
  return { topology, problems, applied };
}
