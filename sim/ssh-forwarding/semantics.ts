/**
 * What happens, step by step, when a reader runs an ssh command with -L / -R / -D on one host of a
 * topology and then a client program (vncviewer, curl, nc, ping) on some host: the WALK.
 *
 * Fidelity target: OpenSSH 9.2p1 (Debian 12), whose behaviour test/ssh-forwarding/openssh.test.ts
 * records and checks against this model. Where a rule comes from OpenSSH's source the comment names
 * the function (channels.c channel_fwd_bind_addr(), channel_setup_fwd_listener_tcpip(),
 * channel_rfwd_bind_host(), connect_to(); ssh.c ssh_init_forwarding(), ssh_confirm_remote_forward();
 * sshconnect.c ssh_connect_direct()). ssh's and sshd's messages are quoted exactly, as each prints
 * them at its default LogLevel INFO (Debian's sshd_config leaves it unset): a line OpenSSH logs
 * with verbose() or debug() is not printed. curl's are Debian 12's curl 7.88.1's, checked by
 * running it (test/ssh-forwarding/curl.test.ts); the other client programs' complaints (nc,
 * vncviewer, ping) are modelled on their real wording, and say so where they are.
 *
 * Pure: the same input gives the same walk. Ephemeral choices the kernel makes at run time (the
 * port sshd gets for -R 0, source ports) are made deterministically and the step says so.
 */
import { runAction } from './client-action.ts';
import { forwardingsOf } from './forward-rules.ts';
import { openLocalForwards } from './local-forwards.ts';
import { requestRemoteForwards } from './remote-forwards.ts';
import { connectSession } from './session-setup.ts';
import { baseSockets } from './sockets.ts';
import { hostByName } from './topology.ts';
import { Builder, type Outcome, type SessionContext, type Walk, type WalkInput, type WalkSoFar } from './walk.ts';

/** The walk for one ssh command and an optional client action. Never throws; an unknown host name gives a one-step walk saying so. */
export function walkSsh(input: WalkInput): Walk {
  const { topology, ssh: cmd } = input;
  const b = new Builder(input.clientHost);
  const client = hostByName(topology, input.clientHost);
  if (!client) {
    b.step('exit', input.clientHost, `There is no host called ${input.clientHost} in this topology.`, { session: 'closed' });
    return { steps: b.steps, listeners: [], sshStderr: b.sshStderr, sshdLog: b.sshdLog, sshExitStatus: 255, remotePorts: [], outcome: null };
  }
  const w: WalkSoFar = { topology, b, client, cmd, sockets: baseSockets(topology), listeners: [], remotePorts: [], exitStatus: null };

  // 1. Connect to sshd and log in.
  const up = connectSession(w);
  if (!up) return finish(input, w, null);
  const { server, path, peer } = up;
  const remoteRoot = cmd.user === 'root' || (cmd.user === null && client.root);
  const { locals, remotes } = forwardingsOf(cmd);
  // 2. -L and -D on the client, then 3. -R on the server; either may make ssh exit.
  let clientChannels = openLocalForwards(w, server, locals);
  if (clientChannels === null) return finish(input, w, null);
  let serverChannels = requestRemoteForwards(w, server, up, remotes, remoteRoot);
  if (serverChannels === null) return finish(input, w, null);
  if (!cmd.noCommand) {
    const what = cmd.command === null ? 'a shell' : `the command "${cmd.command}"`;
    b.step('session-channel', client.name, `ssh opens channel ${clientChannels} for ${what}; the forwarded connections take the numbers after it.`);
    clientChannels++;
    serverChannels++;
  }
  return finish(input, w, { client, server, cmd, clientChannels, serverChannels, path, peer });
}

/** The client action, if any, then ssh keeps running when its session is up. */
function finish(input: WalkInput, w: WalkSoFar, session: SessionContext | null): Walk {
  const { b, listeners } = w;
  let outcome: Outcome | null = null;
  if (input.action) outcome = runAction(w.topology, b, w.sockets, session, input.action);
  if (session) {
    b.step('keeps-running', session.client.name, `ssh keeps running${listeners.length > 0 ? ' and its forwards keep listening' : ''} until it is interrupted or the connection drops.`);
  }
  return {
    steps: b.steps,
    listeners: w.exitStatus === null ? listeners : [],
    sshStderr: b.sshStderr,
    sshdLog: b.sshdLog,
    sshExitStatus: w.exitStatus,
    remotePorts: w.remotePorts,
    outcome,
  };
}
