/**
 * The SSH forwarding lesson's run: the reader's ssh command and client
 * action, parsed as OpenSSH and the programs would (parse.ts), walked step by
 * step on the source post's home network (semantics.ts), and laid out as a
 * trace: one step a second, each step a log line whose detail is what it
 * carried (addresses, the channel, the exact lines a program printed), and
 * the forwarded connection's phase driving the machine the page draws.
 *
 * A command that does not parse is not an error of the page: the walk is the
 * one line the real program would print, and nothing else happens.
 */
import { EventLog, SeriesRecorder, compileMachine, finishTrace, type Trace } from '../core/index.ts';
import { connectionMachine, eventBetween, stateFor } from './machine.ts';
import { HOSTS, type SshForwardingParams } from './params.ts';
import type { SshCommand } from './openssh/ssh.ts';
import { parseCommandLine } from './shell.ts';
import { walkSsh } from './semantics.ts';
import type { ClientAction, Step, Walk } from './walk.ts';
import { applyNetworkChanges } from './network.ts';
import { sceneOf } from './scene.ts';
import { sourcePostTopology, type SshdSettings, type Topology } from './topology.ts';

export const STEP_MS = 1000;

const machine = compileMachine<Record<string, never>>(connectionMachine, {});
export const CONNECTION_STATES = machine.info.states.map((s) => s.id);
const EV = machine.eventIndex;

export const SERIES_KEYS = ['steps', 'listeners', 'failures', 'actions', 'reached', 'notReached', ...CONNECTION_STATES.map((s) => `st_${s}`)] as const;

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

/** Parses both command lines and walks them; pure and cheap, so durationSec can call it too. */
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
function stepsOf(run: WalkRun): number {
  return Math.max(1, (run.walk?.steps.length ?? 0) + (run.actionError ? 1 : 0) + (run.sshError ? 1 : 0) + (run.networkProblems.length > 0 ? 1 : 0));
}

function stepDetail(step: Step): string {
  const lines = [step.text];
  if (step.detail) lines.push('', step.detail);
  if (step.output) lines.push('', `${step.output.program} on ${step.output.host}:`, ...step.output.lines.map((l) => `  ${l}`));
  lines.push('', `session: ${step.state.session} · forwarded connection: ${step.state.connection}`);
  return lines.join('\n');
}

export function runSshForwarding(p: SshForwardingParams, seed: number): Trace {
  const run = walkFor(p);
  const steps = run.walk?.steps ?? [];
  const total = stepsOf(run);
  const durationMs = total * STEP_MS;
  const rec = new SeriesRecorder(SERIES_KEYS, durationMs, STEP_MS);
  const log = new EventLog({ perKindPerWindow: 50, total: 1000 });
  let t = 0;
  if (run.networkProblems.length > 0) {
    log.write(0, 'error', `network: ${run.networkProblems.length} change${run.networkProblems.length === 1 ? '' : 's'} not applied`, run.networkProblems.join('\n'));
    rec.add('steps', 0);
    rec.add('failures', 0);
    t = STEP_MS;
  }
  if (run.sshError) {
    log.write(t, 'error', `${p.typedOn}$ ${p.command}`, run.sshError.join('\n'));
    rec.add('steps', t);
    rec.add('failures', t);
    // ssh refused its own command line: it is gone before it began.
    rec.get('st_sessionClosed')[rec.index(t)] = 1;
    t += STEP_MS;
  }
  let state = machine.stateIndex.connecting!;
  let listeners = 0;
  for (const step of steps) {
    rec.add('steps', t);
    if (step.kind === 'bind') listeners++;
    if (step.kind === 'exit') listeners = 0;
    const target = stateFor(step.state);
    const from = machine.info.states[state]!.id;
    const event = eventBetween(from, target);
    if (event) {
      state = machine.step(state, EV[event]!, {});
      if (machine.info.states[state]!.id !== target) {
        throw new Error(`the walk's machine is in ${machine.info.states[state]!.id} where the walk says ${target} (${step.state.session}, ${step.state.connection})`);
      }
    }
    // The diagram shows where the walk is at each step: one box lit, the current one.
    rec.get(`st_${machine.info.states[state]!.id}`)[rec.index(t)] = 1;
    if (/failed|not-forwardable/.test(step.kind)) rec.add('failures', t);
    rec.get('listeners')[rec.index(t)] = listeners;
    log.write(t, step.kind, `${step.host.padEnd(8)} ${step.text.split('\n')[0]}`, stepDetail(step));
    t += STEP_MS;
  }
  if (run.actionError) {
    log.write(t, 'error', `${p.actionOn}$ ${p.action}`, run.actionError.join('\n'));
    rec.add('failures', t);
  }
  const outcome = run.walk?.outcome ?? null;
  const action = p.action.trim() !== '' && !run.actionError && run.walk !== null;
  if (action) {
    rec.add('actions', 0);
    rec.add(outcome?.reached ? 'reached' : 'notReached', Math.max(0, t - STEP_MS));
  }
  const summary: Record<string, number> = {
    steps: steps.length,
    parsed: run.sshError ? 0 : 1,
    listenersAtEnd: run.walk?.listeners.length ?? 0,
    sshExitStatus: run.walk?.sshExitStatus ?? -1,
    reached: outcome?.reached ? 1 : 0,
    /** Which host the client program reached, as its place in HOSTS (-1: none, or a host the reader added). */
    reachedHost: HOSTS.indexOf((outcome?.reached?.host ?? '') as (typeof HOSTS)[number]),
    reachedPort: outcome?.reached?.port ?? -1,
    throughTunnel: outcome?.throughTunnel ? 1 : 0,
    stderrLines: run.walk?.sshStderr.length ?? run.sshError?.length ?? 0,
  };
  return finishTrace({
    simId: 'ssh-forwarding',
    seed,
    params: { ...p },
    durationMs,
    sampleMs: STEP_MS,
    series: rec.series,
    log: log.lines,
    logSuppressed: log.suppressed,
    summary,
    // A walk has as many events as steps; it needs no budget.
    events: steps.length,
    truncated: false,
    scene: sceneOf(run.topology, steps, (run.networkProblems.length > 0 ? 1 : 0) + (run.sshError ? 1 : 0), rec.count),
  });
}
