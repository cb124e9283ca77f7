/**
 * The knobs, named after the real ones: Linux sysctls keep their names so a
 * reader can type them into `sysctl`; the rest carry their units.
 */
import type { ParamSpecs } from '../core/index.ts';
import type { Kernel } from './kernels.ts';

export type SynQueueParams = {
  kernel: Kernel;
  backlog: number;
  somaxconn: number;
  tcp_max_syn_backlog: number;
  tcp_synack_retries: number;
  tcp_syn_retries: number;
  tcp_syn_linear_timeouts: number;
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
    // Ordered so that the two older values keep their places; labels name the versions each rule held in.
    options: [
      { value: 'modern', label: 'Linux 6.13+, or a stable kernel updated since Jan 2025' },
      { value: 'linux-4.4', label: 'Linux 4.4 to 6.12, before the Jan 2025 stable updates' },
      { value: 'linux-3.1', label: 'Linux 3.1 to 4.3 (RHEL 7’s 3.10)' },
      { value: 'linux-2.4', label: 'Linux 2.4 (2002)' },
    ],
    default: 'modern',
    help: 'Which kernel’s rules the listener follows: how listen()’s backlog sizes the SYN queue, the first retransmission timeout (3 s on 2.4, 1 s from 3.1) and the checks on each SYN. The SYN queue holds backlog + 1 on current kernels (Linux 6.13; the fix reached the 5.4, 5.10, 5.15, 6.1, 6.6 and 6.12 stable series in January 2025, so an updated Debian 12 or 13 kernel has it); exactly backlog on 4.4 and later before that fix; min(backlog, tcp_max_syn_backlog), at least 8, plus one, rounded up to a power of two on 2.6.20 to 4.3. Vendor kernels such as RHEL 8 (4.18), RHEL 9 (5.14) or Ubuntu 24.04 (6.8) follow their base version unless the vendor took the fix: check with listen(0) and cookies off.',
  },
  backlog: {
    kind: 'number', label: 'listen() backlog', unit: '', min: -1, max: 65535, step: 1, default: 511,
    help: 'The number the application passes to listen(): anything listen() accepts. The kernel caps it at somaxconn, and reads a negative backlog as a huge unsigned one, so -1 also means somaxconn. 0 is allowed: the accept queue still takes one connection.', scale: 'log',
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
    help: 'How many times a legitimate client resends its SYN before connect() fails, plus tcp_syn_linear_timeouts on Linux 6.5 and later. This is the clients’ setting, not the server’s.',
  },
  tcp_syn_linear_timeouts: {
    kind: 'number', label: 'tcp_syn_linear_timeouts (legitimate clients)', unit: '', min: 0, max: 10, step: 1, default: 4,
    help: 'Linux 6.5 and later: the clients’ first this-many SYN retransmissions keep the initial 1 s timeout before it starts to double, and come on top of tcp_syn_retries. 4 is the default of a current Linux client; 0 gives the classic doubling of older kernels and of the 2002 scenarios.',
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
  { label: 'Application and clients', keys: ['acceptPerSec', 'tcp_syn_retries', 'tcp_syn_linear_timeouts', 'brokenSynRetries', 'durationSec'] },
] as const satisfies readonly { label: string; keys: readonly (keyof SynQueueParams)[] }[];
