/**
 * The knobs, named after the real ones: Linux sysctls keep their names so a
 * reader can type them into `sysctl`; the rest carry their units.
 */
import type { ParamSpecs } from '../core/index.ts';
import type { Kernel } from './machine.ts';

export type SynQueueParams = {
  kernel: Kernel;
  backlog: number;
  somaxconn: number;
  tcp_max_syn_backlog: number;
  tcp_synack_retries: number;
  tcp_syn_retries: number;
  brokenSynRetries: number;
  tcp_syncookies: number;
  tcp_abort_on_overflow: number;
  rttMs: number;
  clientsPerSec: number;
  brokenPerSec: number;
  floodPerSec: number;
  floodStartSec: number;
  floodDurationSec: number;
  acceptPerSec: number;
  durationSec: number;
};

export const synQueueParams: ParamSpecs<SynQueueParams> = {
  kernel: {
    kind: 'choice',
    label: 'Kernel',
    options: [
      { value: 'modern', label: 'Linux 5.x/6.x' },
      { value: 'linux-2.4', label: 'Linux 2.4 (2002)' },
    ],
    default: 'modern',
    help: 'Which kernel’s rules the listener follows: queue sizes, the initial retransmission timeout (1 s or 3 s) and the checks on each SYN.',
  },
  backlog: {
    kind: 'number', label: 'listen() backlog', unit: '', min: 1, max: 4096, step: 1, default: 511,
    help: 'The number the application passes to listen(). The kernel caps it at somaxconn.', scale: 'log',
  },
  somaxconn: {
    kind: 'number', label: 'net.core.somaxconn', unit: '', min: 1, max: 4096, step: 1, default: 4096,
    help: 'The system-wide cap on any listen() backlog (4096 since Linux 5.4; 128 before).', scale: 'log',
  },
  tcp_max_syn_backlog: {
    kind: 'number', label: 'tcp_max_syn_backlog', unit: '', min: 16, max: 8192, step: 1, default: 1024,
    help: 'On 2.4 it sizes the SYN queue. On modern kernels it only matters with cookies off: past three quarters of it, only peers seen before get in.', scale: 'log',
  },
  tcp_synack_retries: {
    kind: 'number', label: 'tcp_synack_retries', unit: '', min: 0, max: 10, step: 1, default: 5,
    help: 'How many times the server resends a SYN-ACK before it gives up on a half-open request.',
  },
  tcp_syn_retries: {
    kind: 'number', label: 'tcp_syn_retries (legitimate clients)', unit: '', min: 0, max: 10, step: 1, default: 6,
    help: 'How many times a legitimate client resends its SYN before connect() fails. This is the clients’ setting, not the server’s.',
  },
  brokenSynRetries: {
    kind: 'number', label: 'SYN retries of the broken clients', unit: '', min: 0, max: 10, step: 1, default: 6,
    help: 'How many times a broken client resends its SYN before it gives up. Its own machine decides, whatever the server or the good clients are set to.',
  },
  tcp_syncookies: {
    kind: 'choice', label: 'tcp_syncookies',
    options: [
      { value: 0, label: '0: off' },
      { value: 1, label: '1: when the SYN queue overflows' },
      { value: 2, label: '2: always' },
    ],
    default: 1,
    help: 'Answer SYNs with a cookie (and keep no state) once the SYN queue is full, or always.',
  },
  tcp_abort_on_overflow: {
    kind: 'choice', label: 'tcp_abort_on_overflow',
    options: [
      { value: 0, label: '0: drop the ACK, retry later' },
      { value: 1, label: '1: reset the connection' },
    ],
    default: 0,
    help: 'What the server does with a final ACK when the accept queue is full.',
  },
  rttMs: {
    kind: 'number', label: 'Round-trip time', unit: 'ms', min: 1, max: 1000, step: 1, default: 80,
    help: 'Between the clients and the server, both ways.', scale: 'log',
  },
  clientsPerSec: {
    kind: 'number', label: 'Legitimate clients', unit: '/s', min: 0, max: 1000, step: 1, default: 150,
    help: 'New connection attempts per second from clients that complete the handshake.',
  },
  brokenPerSec: {
    kind: 'number', label: 'Broken clients', unit: '/s', min: 0, max: 100, step: 0.5, default: 0,
    help: 'New attempts per second from clients that send a SYN and never the final ACK (the FastMail case).',
  },
  floodPerSec: {
    kind: 'number', label: 'Spoofed SYN flood', unit: '/s', min: 0, max: 5000, step: 10, default: 0,
    help: 'SYNs per second from forged addresses that never answer.',
  },
  floodStartSec: {
    kind: 'number', label: 'Flood starts at', unit: 's', min: 0, max: 600, step: 1, default: 20,
    help: 'When the spoofed flood begins.',
  },
  floodDurationSec: {
    kind: 'number', label: 'Flood lasts', unit: 's', min: 0, max: 600, step: 1, default: 60,
    help: 'How long the spoofed flood goes on.',
  },
  acceptPerSec: {
    kind: 'number', label: 'Application accept() rate', unit: '/s', min: 1, max: 5000, step: 1, default: 1000,
    help: 'How many connections per second the application takes off the accept queue.', scale: 'log',
  },
  durationSec: {
    kind: 'number', label: 'Simulated time', unit: 's', min: 10, max: 600, step: 10, default: 120,
    help: 'Length of the run.',
  },
};

export const synQueueParamGroups = [
  { label: 'Load', keys: ['clientsPerSec', 'brokenPerSec', 'floodPerSec', 'floodStartSec', 'floodDurationSec', 'rttMs'] },
  { label: 'Listener and kernel', keys: ['kernel', 'backlog', 'somaxconn', 'tcp_max_syn_backlog', 'tcp_synack_retries', 'tcp_syncookies', 'tcp_abort_on_overflow'] },
  { label: 'Application and clients', keys: ['acceptPerSec', 'tcp_syn_retries', 'brokenSynRetries', 'durationSec'] },
] as const satisfies readonly { label: string; keys: readonly (keyof SynQueueParams)[] }[];
