/**
 * The shape of a walk: what happens, step by step, when a reader runs an ssh command with -L / -R /
 * -D on one host of a topology and then a client program on some host. The phases a diagram lights,
 * the steps with what each printed and carried, the outcome, and the builder that appends steps.
 * semantics.ts builds a walk; this file only says what one is.
 */
import type { ClientCommand } from './clients/index.ts';
import type { SshCommand } from './openssh/ssh.ts';
import type { Socket } from './sockets.ts';
import type { Host, Topology } from './topology.ts';

export type SessionPhase = 'connecting' | 'authenticating' | 'open' | 'closed';
/** The forwarded connection of the reader's client action; `none` before any forward listens or after ssh went away. */
export type ConnectionPhase = 'none' | 'listening' | 'accepted' | 'channel-open-requested' | 'open' | 'open-failed' | 'relaying' | 'half-closed' | 'closed';

export interface WalkState {
  session: SessionPhase;
  connection: ConnectionPhase;
}

/** Allowed moves between consecutive steps (staying put is always allowed). */
export const SESSION_TRANSITIONS: Readonly<Record<SessionPhase, readonly SessionPhase[]>> = {
  connecting: ['authenticating', 'closed'],
  authenticating: ['open', 'closed'],
  open: ['closed'],
  closed: [],
};

export const CONNECTION_TRANSITIONS: Readonly<Record<ConnectionPhase, readonly ConnectionPhase[]>> = {
  none: ['listening'],
  // ssh exiting takes its listeners with it.
  listening: ['accepted', 'none'],
  // A SOCKS client can fail before any channel is asked for (a name curl cannot resolve never gets this far, but a non-SOCKS greeting does).
  accepted: ['channel-open-requested', 'closed'],
  'channel-open-requested': ['open', 'open-failed'],
  open: ['relaying'],
  relaying: ['half-closed'],
  'half-closed': ['closed'],
  'open-failed': ['closed'],
  closed: [],
};

/** Where a walk may stop: ssh -N stays up (open) or is gone (closed); the forwarded connection is finished or never started. */
export const SESSION_RESTING: readonly SessionPhase[] = ['open', 'closed'];
export const CONNECTION_RESTING: readonly ConnectionPhase[] = ['none', 'listening', 'closed'];

export type StepKind =
  | 'resolve'
  | 'tcp-connect'
  | 'authenticate'
  | 'session'
  | 'bind'
  | 'bind-failed'
  | 'forwarding-failed'
  | 'remote-request'
  | 'remote-bind'
  | 'remote-failed'
  | 'session-channel'
  | 'app-connect'
  | 'accept'
  | 'socks'
  | 'channel-open'
  | 'permission'
  | 'far-resolve'
  | 'far-connect'
  | 'open-confirmed'
  | 'open-failed'
  | 'relay'
  | 'half-close'
  | 'close'
  | 'not-forwardable'
  | 'exit'
  | 'keeps-running';

/** Lines a program printed at this step, exactly as the terminal or log shows them. */
export interface Output {
  program: 'ssh' | 'sshd' | 'nc' | 'curl' | 'vncviewer' | 'ping';
  host: string;
  lines: string[];
}

/** What crosses the network in a step, for drawing it: the hosts in order (one host: a connection inside it, over loopback). */
export interface StepLink {
  path: string[];
  /** tcp: a connection made; channel: a message inside the SSH connection; relay: bytes end to end; failed: an attempt that failed; datagram: UDP or ICMP. */
  kind: 'tcp' | 'channel' | 'relay' | 'failed' | 'datagram';
}

export interface Step {
  kind: StepKind;
  /** The host where this step happens. */
  host: string;
  text: string;
  detail?: string;
  output?: Output;
  state: WalkState;
  link?: StepLink;
  /** The listening sockets this step opened. */
  opened?: ForwardListener[];
}

/** A listening socket a forward opened: ssh's own for -L/-D, sshd's for -R. */
export interface ForwardListener {
  side: 'client' | 'server';
  host: string;
  address: string;
  port: number;
  kind: 'local' | 'dynamic' | 'remote' | 'remote-dynamic';
  spec: string;
  /** The channel number the listening socket takes (client side: ssh's; server side: sshd's). */
  channel: number;
}

/** What the application sees: bytes from a service, a connection accepted then closed with nothing, a refusal, … */
export type ApplicationView = 'reply' | 'closed' | 'refused' | 'timeout' | 'unreachable' | 'nothing' | 'error';

export interface Outcome {
  reached: { host: string; port: number | null; service: string; sourceAddress: string } | null;
  failure: { where: 'client' | 'server' | 'application'; message: string } | null;
  applicationSees: ApplicationView;
  /** Whether the bytes went through the SSH connection. */
  throughTunnel: boolean;
}

export interface Walk {
  steps: Step[];
  /** The listeners still open when the walk ends (none if ssh exited). */
  listeners: ForwardListener[];
  /** ssh's stderr on the reader's host, in order. */
  sshStderr: string[];
  /** sshd's log lines that concern forwarding, in order. */
  sshdLog: string[];
  /** null while ssh keeps running. */
  sshExitStatus: number | null;
  /** For each -R in order: the port the server listens on (the allocated one for port 0), or null if it failed. */
  remotePorts: Array<number | null>;
  outcome: Outcome | null;
}

export interface ClientAction {
  host: string;
  command: ClientCommand;
}

export interface WalkInput {
  topology: Topology;
  /** The host where the reader types ssh. */
  clientHost: string;
  ssh: SshCommand;
  action?: ClientAction | null;
}

/** Linux's default ip_local_port_range starts here; the model gives -R 0 the first free port from it. */
export const EPHEMERAL_PORT_START = 32768;
/**
 * Source ports of the walk's connections. Linux's __inet_hash_connect() takes one from
 * ip_local_port_range (32768–60999) at an offset hashed from the addresses with a boot-time secret,
 * so no model can know it; the walk gives ssh's connection to sshd and the reader's program fixed
 * even ports (connect() favours even ones, bind(0) odd ones: inet_csk_find_open_port()), only so
 * that the sshd log lines that print one read as the real ones do.
 */
export const SOURCE_PORT = { ssh: 50238, application: 50240 } as const;

/** The client end of the SSH connection as sshd sees it: what ssh_remote_ipaddr() and ssh_remote_port() print. */
export interface SshPeer {
  address: string;
  port: number;
}

/** How long Linux keeps retrying an unanswered SYN with the default tcp_syn_retries = 6 (1+2+4+…+64 s). */
export const SYN_TIMEOUT_SECONDS = 127;

/** Appends steps: each carries the phases as they stand after it, and ssh's and sshd's lines are collected as they are printed. */
export class Builder {
  readonly steps: Step[] = [];
  readonly sshStderr: string[] = [];
  readonly sshdLog: string[] = [];
  state: WalkState = { session: 'connecting', connection: 'none' };
  readonly clientHost: string;
  constructor(clientHost: string) {
    this.clientHost = clientHost;
  }

  step(
    kind: StepKind,
    host: string,
    text: string,
    extra: { detail?: string | undefined; output?: Output; session?: SessionPhase; connection?: ConnectionPhase; link?: StepLink; opened?: ForwardListener[] } = {},
  ): void {
    this.state = { session: extra.session ?? this.state.session, connection: extra.connection ?? this.state.connection };
    const step: Step = { kind, host, text, state: { ...this.state } };
    if (extra.detail !== undefined) step.detail = extra.detail;
    if (extra.link !== undefined) step.link = { path: [...extra.link.path], kind: extra.link.kind };
    if (extra.opened !== undefined) step.opened = extra.opened.map((l) => ({ ...l }));
    if (extra.output !== undefined) {
      step.output = extra.output;
      if (extra.output.program === 'ssh' && extra.output.host === this.clientHost) this.sshStderr.push(...extra.output.lines);
      if (extra.output.program === 'sshd') this.sshdLog.push(...extra.output.lines);
    }
    this.steps.push(step);
  }
}

/** The SSH session once it is up, for what happens inside it (the client action's channel). */
export interface SessionContext {
  client: Host;
  server: Host;
  cmd: SshCommand;
  /** The next free channel number on each side (OpenSSH takes the lowest free slot). */
  clientChannels: number;
  serverChannels: number;
  /** The hosts the SSH connection crosses, client first. */
  path: string[];
  peer: SshPeer;
}

/** Everything a walk's stages share while ssh sets up: the sockets grow as forwards open. */
export interface WalkSoFar {
  readonly topology: Topology;
  readonly b: Builder;
  readonly client: Host;
  readonly cmd: SshCommand;
  readonly sockets: Socket[];
  readonly listeners: ForwardListener[];
  /** For each -R in order: the port the server listens on, or null if it failed. */
  readonly remotePorts: Array<number | null>;
  /** null while ssh keeps running. */
  exitStatus: number | null;
}

/** ssh exits 255 and its forwards' sockets go with it. */
export function sshExits(w: WalkSoFar, text: string, lines: string[], detail?: string): void {
  w.exitStatus = 255;
  w.b.step('exit', w.client.name, text, { session: 'closed', connection: 'none', output: { program: 'ssh', host: w.client.name, lines }, ...(detail ? { detail } : {}) });
  const sockets = w.sockets;
  for (let k = sockets.length - 1; k >= 0; k--) if (sockets[k]!.owner.kind === 'forward') sockets.splice(k, 1);
}

/** Same input, same walk, as a string: for tests and for caching. */
export function walkKey(walk: Walk): string {
  return JSON.stringify(walk);
}
