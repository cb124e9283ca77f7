/**
 * The walk as a picture: the hosts of the home network in three bands (the
 * Internet, the router between, the LAN behind it), what listens on each,
 * and for every step the host where it happens and the hosts its packets
 * cross. The SSH connection is drawn as a pipe for as long as it is up, and
 * the forwarded connection's pieces stay drawn until it closes, so the reader
 * sees the whole chain (program, listener, channel, far connection) at once.
 */
import type { NetworkScene, SceneFrame, SceneNode, ScenePath, SceneSocket } from '../core/index.ts';
import { fmtAddr, forwardFlag } from './sockets.ts';
import type { ForwardListener, Step } from './walk.ts';
import type { Host, Topology } from './topology.ts';

export const BANDS = ['Internet', 'Router', 'Home LAN'];

function bandOf(host: Host): number {
  const networks = new Set(host.interfaces.map((i) => i.network));
  if (networks.has('internet')) return networks.size > 1 ? 1 : 0;
  return 2;
}

function nodeOf(topology: Topology, host: Host): SceneNode {
  const lines = host.interfaces.map((i) => i.address);
  if (host.sshd) lines.push(`:${host.sshd.port} sshd`);
  for (const s of topology.services) if (s.host === host.name) lines.push(`:${s.port}${s.protocol === 'udp' ? '/udp' : ''} ${s.label}`);
  for (const f of host.portForwards) {
    const inside = topology.hosts.find((h) => h.interfaces.some((i) => i.address === f.toAddress));
    lines.push(`${f.externalPort} → ${inside?.name ?? f.toAddress}:${f.toPort}`);
  }
  return { id: host.name, lines, band: bandOf(host) };
}

function socketOf(l: ForwardListener): SceneSocket {
  // Short enough for a phone: the host says whose it is (ssh on the client, sshd on the server).
  return { node: l.host, label: `${fmtAddr(l.address)}:${l.port} ${forwardFlag(l.kind)}` };
}

/**
 * One frame per sample: `before` samples of lines printed before the walk (a command or a change
 * that could not be used), then one per step, then the last state held for any samples after.
 */
export function sceneOf(topology: Topology, steps: readonly Step[], before: number, samples: number): NetworkScene {
  const nodes = topology.hosts.map((h) => nodeOf(topology, h));
  const frames: SceneFrame[] = [];
  const empty: SceneFrame = { focus: null, listening: [], paths: [] };
  for (let i = 0; i < before && frames.length < samples; i++) frames.push(empty);
  let listening: SceneSocket[] = [];
  let sessionHops: string[] | null = null;
  let open: ScenePath[] = [];
  let last = empty;
  for (const step of steps) {
    if (step.kind === 'tcp-connect' && step.link?.kind === 'tcp') sessionHops = step.link.path;
    if (step.opened) listening = [...listening, ...step.opened.map(socketOf)];
    const sessionUp = step.state.session === 'authenticating' || step.state.session === 'open';
    if (!sessionUp) listening = [];
    if (step.state.connection === 'closed' || step.state.connection === 'none') open = [];
    const paths: ScenePath[] = [];
    if (sessionUp && sessionHops) paths.push({ hops: sessionHops, kind: 'session', current: false });
    paths.push(...open);
    if (step.link) paths.push({ hops: step.link.path, kind: step.link.kind, current: true });
    last = { focus: step.host, listening, paths };
    frames.push(last);
    // The forwarded connection's TCP legs stay open until it closes; the SSH connection is the pipe.
    if (step.link?.kind === 'tcp' && step.kind !== 'tcp-connect') open = [...open, { hops: step.link.path, kind: 'tcp', current: false }];
  }
  const held: SceneFrame = { focus: null, listening: last.listening, paths: last.paths.map((p) => ({ ...p, current: false })) };
  while (frames.length < samples) frames.push(held);
  return { bands: [...BANDS], nodes, frames: frames.slice(0, samples) };
}
