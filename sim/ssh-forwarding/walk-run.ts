/**
 * What the reader typed, made into a walk: the network with the reader's changes, the ssh command
 * and the client command parsed as the programs would, and the walk on that network. Pure and
 * cheap, so the page's durationSec calls it too.
 */
import { applyNetworkChanges } from './network.ts';
import type { SshCommand } from './openssh/ssh.ts';
import type { SshForwardingParams } from './params.ts';
import { walkSsh } from './semantics.ts';
import { parseCommandLine } from './shell.ts';
import { sourcePostTopology, type SshdSettings, type Topology } from './topology.ts';
import type { ClientAction, Walk } from './walk.ts';

export interface WalkRun {
  /** The parse failure of the ssh command, or null when it parsed. */
  sshError: string[] | null;
  /** Changes to the network that could not be applied. */
  networkProblems: string[];
  actionError: string[] | null;
  walk: Walk | null;
  /** The network the walk happened on, after the reader's changes. */
  topology: Topology;
}

/** Parses both command lines and walks them. */
export function walkFor(p: SshForwardingParams): WalkRun {
  const sshd: Partial<SshdSettings> = {
    allowTcpForwarding: p.allowTcpForwarding as SshdSettings['allowTcpForwarding'],
    permitOpen: [p.permitOpen],
    gatewayPorts: p.gatewayPorts as SshdSettings['gatewayPorts'],
  };
  const changed = applyNetworkChanges(sourcePostTopology({ laptopVnc: p.laptopVnc === 1, desktop1Sshd: sshd, desktop2Sshd: sshd }), p.network);
  const { topology } = changed;
  const networkProblems = changed.problems;
  const parsed = parseCommandLine(p.command, 'debian-9.2');
  if (!parsed.ok) return { sshError: parsed.stderr.split('\n').filter(Boolean), networkProblems, actionError: null, walk: null, topology };
  if (parsed.command.program !== 'ssh') return { sshError: [`This box is for ssh; run ${parsed.command.program} in the client command box.`], networkProblems, actionError: null, walk: null, topology };
  let action: ClientAction | null = null;
  let actionError: string[] | null = null;
  if (p.action.trim() !== '') {
    const a = parseCommandLine(p.action, 'debian-9.2');
    if (!a.ok) actionError = a.stderr.split('\n').filter(Boolean);
    else if (a.command.program === 'ssh') actionError = ['One ssh at a time here: put the second connection’s forwards in the ssh command box.'];
    else action = { host: p.actionOn, command: a.command };
  }
  const walk = walkSsh({ topology, clientHost: p.typedOn, ssh: parsed.command as SshCommand, action });
  return { sshError: null, networkProblems, actionError, walk, topology };
}

/** Steps the page will play: the walk's, or one for a command that did not parse. */
export function stepCount(p: SshForwardingParams): number {
  return stepsOf(walkFor(p));
}

/** The walk's steps, plus one line each for a command or a network change that could not be used. */
export function stepsOf(run: WalkRun): number {
  return Math.max(1, (run.walk?.steps.length ?? 0) + (run.actionError ? 1 : 0) + (run.sshError ? 1 : 0) + (run.networkProblems.length > 0 ? 1 : 0));
}

