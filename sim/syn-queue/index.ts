/**
 * The SYN-queue simulation: the one thing `site/` and the tests import from this folder.
 */
import type { Simulation } from '../core/index.ts';
import { connectionRequestMachine } from './machine.ts';
import type { SeriesKey, SummaryKey } from './keys.ts';
import { runSynQueue } from './model.ts';
import { synQueueParamGroups, synQueueParams, type SynQueueParams } from './params.ts';
import { synQueueScenarios } from './scenarios.ts';

export type { SynQueueParams } from './params.ts';
export { queueLimits, requestLifetimeMs } from './limits.ts';

export const synQueue: Simulation<SynQueueParams, SeriesKey, SummaryKey> = {
  id: 'syn-queue',
  title: 'SYN queues',
  summary: 'A Linux listening socket under load: the SYN queue, the accept queue, SYN cookies and the FastMail outage of 2002.',
  params: synQueueParams,
  paramGroups: synQueueParamGroups,
  scenarios: synQueueScenarios,
  durationSec: (p) => p.durationSec,
  run: runSynQueue,
  machines: { connectionRequest: connectionRequestMachine },
  view: {
    charts: [
      {
        id: 'queues',
        title: 'Queue lengths',
        unit: 'entries',
        series: [
          { key: 'synQueue', label: 'SYN queue' },
          { key: 'acceptQueue', label: 'accept queue' },
        ],
        limits: [
          { summaryKey: 'synQueueCap', label: 'SYN queue limit' },
          { summaryKey: 'provenOnlyAbove', label: 'proven peers only above' },
          { summaryKey: 'acceptQueueCap', label: 'accept queue limit' },
        ],
        describe: 'The largest length of the SYN queue and of the accept queue in each simulated second, with their limits.',
      },
      {
        id: 'throughput',
        title: 'Legitimate connections per second',
        unit: 'per second',
        series: [
          { key: 'attempts_legit', label: 'new attempts' },
          { key: 'legitAccepted', label: 'accepted' },
        ],
        describe: 'New connection attempts from legitimate clients in each second, and the connections the application accepted in that second. When the accepted line falls below the attempts line, clients are being turned away or kept waiting.',
      },
      {
        id: 'latency',
        title: 'Time from first SYN to accept()',
        unit: 'seconds',
        series: [
          { key: 'latencyP50Sec', label: 'median' },
          { key: 'latencyP99Sec', label: '99th percentile' },
        ],
        describe: 'For connections accepted in each second, the median and 99th-percentile time since the client’s first SYN.',
      },
    ],
    outcomeGroups: [
      {
        title: 'Legitimate attempts',
        attempts: 'attempts_legit',
        outcomes: [
          { key: 'legit_accepted', label: 'accepted by the application', series: 'legit_accepted', tone: 'good' },
          { key: 'legit_acceptedCookie', label: 'accepted via a SYN cookie', series: 'legit_acceptedCookie', tone: 'good' },
          { key: 'legit_reset', label: 'reset', series: 'legit_reset', tone: 'bad' },
          { key: 'legit_gaveUp', label: 'gave up (client timed out)', series: 'legit_gaveUp', tone: 'bad' },
        ],
      },
      {
        title: 'Broken clients',
        attempts: 'attempts_broken',
        outcomes: [{ key: 'broken_gaveUp', label: 'gave up', series: 'broken_gaveUp', tone: 'neutral' }],
      },
      {
        title: 'Spoofed SYNs',
        attempts: 'attempts_spoofed',
        outcomes: [
          { key: 'spoofed_dropped', label: 'dropped', series: 'spoofed_dropped', tone: 'neutral' },
          { key: 'spoofed_expired', label: 'held a slot, expired', series: 'spoofed_expired', tone: 'bad' },
          { key: 'spoofed_cookie', label: 'answered with a cookie', series: 'spoofed_cookie', tone: 'neutral' },
        ],
      },
    ],
    counters: [
      { series: 'ListenOverflows', label: 'TcpExtListenOverflows' },
      { series: 'ListenDrops', label: 'TcpExtListenDrops' },
      { series: 'TCPReqQFullDrop', label: 'TcpExtTCPReqQFullDrop' },
      { series: 'TCPReqQFullDoCookies', label: 'TcpExtTCPReqQFullDoCookies' },
      { series: 'SyncookiesSent', label: 'TcpExtSyncookiesSent' },
      { series: 'SyncookiesRecv', label: 'TcpExtSyncookiesRecv' },
    ],
    countersTitle: 'Kernel counters so far',
    countersNote: 'As `nstat -az` names them on a current kernel. Linux 2.4 counted fewer of these events; the model counts them the modern way on both.',
    diagram: {
      machine: 'connectionRequest',
      title: 'One connection request, step by step',
      caption: 'Boxes light up when requests are in that state (or pass through it) in the current second.',
      counting: 'requests',
      stateSeries: {
        listen: 'synsReceived',
        synReceived: 'synsReceived',
        synAckSent: 'synQueueYoung',
        retransmitting: 'synQueueOld',
        cookieSent: 'cookiesSent',
        established: 'established',
        queuedForAccept: 'acceptQueue',
        accepted: 'accepts',
        expired: 'expired',
        reset: 'resets',
        dropped: 'drops',
      },
    },
    picture: {
      renderer: 'syn-queue',
      title: 'The two queues, second by second',
      caption: 'Each slot is room for one request (or a block of them, as the label says). Colour and pattern say who holds it; the number is how many SYN-ACKs it has had. Above the queues: what crossed the wire in this second.',
    },
  },
};
