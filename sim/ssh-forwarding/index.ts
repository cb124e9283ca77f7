/** The SSH port-forwarding walk: the one thing site/ and the tests import from this folder. */
import type { Simulation } from '../core/index.ts';
import { connectionMachine } from './machine.ts';
import { CONNECTION_STATES, type SeriesKey, type SummaryKey } from './keys.ts';
import { runSshForwarding, stepCount } from './model.ts';
import { sshForwardingParamGroups, sshForwardingParams, type SshForwardingParams } from './params.ts';
import { sshForwardingScenarios } from './scenarios.ts';

export type { SshForwardingParams } from './params.ts';
export type { SeriesKey, SummaryKey } from './keys.ts';

export const sshForwarding: Simulation<SshForwardingParams, SeriesKey, SummaryKey> = {
  id: 'ssh-forwarding',
  title: 'SSH port forwarding, step by step',
  summary: 'Type an ssh command with -L, -R or -D and a client program, and follow every connection: who listens, who connects, from which address, and what “localhost” means on each side.',
  params: sshForwardingParams,
  paramGroups: sshForwardingParamGroups,
  scenarios: sshForwardingScenarios,
  durationSec: (p) => stepCount(p),
  run: runSshForwarding,
  machines: { connection: connectionMachine },
  clock: {
    unitSec: 1,
    unit: 'steps',
    words: 'steps',
    stepSec: 1,
    stepWords: 'one step',
    bigStepWords: 'ten',
    speeds: [0.5, 1, 2, 4],
    defaultSpeed: 1,
  },
  view: {
    charts: [
      {
        id: 'listeners',
        title: 'Forward listeners open',
        unit: 'sockets',
        series: [{ key: 'listeners', label: 'listening sockets' }],
        describe: 'How many listening sockets the forwards hold at each step: two per -L on the default loopback addresses (::1 and 127.0.0.1).',
      },
    ],
    outcomeGroups: [
      {
        title: 'The client program',
        attempts: 'actions',
        outcomes: [
          { key: 'reached', label: 'reached a service', series: 'reached', tone: 'good' },
          { key: 'notReached', label: 'did not reach one', series: 'notReached', tone: 'bad' },
        ],
      },
    ],
    counters: [
      { series: 'steps', label: 'steps so far' },
      { series: 'failures', label: 'steps that failed' },
    ],
    countersTitle: 'The walk',
    diagram: {
      machine: 'connection',
      title: 'The SSH session, and the forwarded connection inside it',
      caption: 'The box lit is where the walk is at this step: the session’s phase, then the client program’s connection inside it.',
      counting: 'walks',
      stateSeries: Object.fromEntries(CONNECTION_STATES.map((s) => [s, `st_${s}` as const])),
    },
    picture: {
      renderer: 'network-map',
      title: 'Who listens, who connects',
      caption: 'The home network at this step: the host where it happens is outlined, the SSH connection is the thick pipe, and what this step sends is drawn in colour over the hosts it crosses (a dot follows it while the walk plays). Forward listeners appear on their host as they open.',
    },
    inspector: {
      title: 'A step, in detail',
      caption: 'Pick a step up to the cursor: the addresses and ports involved, the channel, and the exact lines ssh, sshd or the client printed.',
      kinds: ['resolve', 'tcp-connect', 'authenticate', 'session', 'bind', 'bind-failed', 'forwarding-failed', 'remote-request', 'remote-bind', 'remote-failed', 'session-channel', 'app-connect', 'accept', 'socks', 'channel-open', 'permission', 'far-resolve', 'far-connect', 'open-confirmed', 'open-failed', 'relay', 'half-close', 'close', 'not-forwardable', 'exit', 'keeps-running', 'error'],
      pickLabel: 'Step',
    },
    logWindow: 'step',
  },
};
