/**
 * Named, seeded presets shared by the article's links, the tests and the
 * command-line runner. Numbers from the FastMail thread (23 April 2002) are
 * marked; the load figures are ours, chosen so each story shows within a
 * few minutes of simulated time.
 */
import type { Scenario } from '../core/index.ts';
import type { SynQueueParams } from './params.ts';

/** Linux 2.4 defaults on a server with plenty of memory (tcp_init() raised tcp_max_syn_backlog to 1024). */
const linux24: Partial<SynQueueParams> = {
  kernel: 'linux-2.4',
  somaxconn: 128,
  tcp_max_syn_backlog: 1024,
  tcp_synack_retries: 5,
  tcp_syn_retries: 5,
  // The clients of 2002 doubled every timeout: linear SYN timeouts came with Linux 6.5.
  tcp_syn_linear_timeouts: 0,
  brokenSynRetries: 5,
  tcp_syncookies: 0,
  tcp_abort_on_overflow: 0,
};

/** The IMAP server's load at its busiest hour: our estimate, not a figure from the thread. */
const fastmailLoad: Partial<SynQueueParams> = {
  backlog: 128,
  rttMs: 150,
  clientsPerSec: 20,
  brokenPerSec: 20,
  acceptPerSec: 500,
  durationSec: 300,
};

export const synQueueScenarios: Scenario<SynQueueParams>[] = [
  {
    id: 'busy-hour',
    title: 'A busy, healthy hour',
    summary: 'Clients arrive steadily, every handshake completes in one round trip and the application keeps up: both queues stay nearly empty.',
    params: { kernel: 'modern', clientsPerSec: 150, rttMs: 80, backlog: 511, acceptPerSec: 1000, durationSec: 60 },
    seed: 1,
  },
  {
    id: 'fastmail-2002',
    title: 'FastMail, April 2002: the SYN queue fills',
    summary: 'Linux 2.4, cookies off. Broken clients never finish the handshake and hold SYN-queue slots until the queue is full; from then on new clients get in only when the kernel prunes an old request, and many wait or give up.',
    params: { ...linux24, ...fastmailLoad },
    seed: 2002,
  },
  {
    id: 'fastmail-fix',
    title: 'FastMail’s fix: a bigger queue, fewer retries',
    summary: 'The same load with tcp_max_syn_backlog 2048, tcp_synack_retries 2 and tcp_abort_on_overflow 1 (from the thread): a broken request now holds its slot 21 s.',
    params: { ...linux24, ...fastmailLoad, tcp_max_syn_backlog: 2048, tcp_synack_retries: 2, tcp_abort_on_overflow: 1 },
    seed: 2002,
  },
  {
    id: 'fastmail-on-modern',
    title: 'The same change on a modern kernel',
    summary: 'A modern kernel with a listen backlog of 128: the SYN queue is bounded by min(backlog, somaxconn), so raising tcp_max_syn_backlog does not enlarge it; fewer SYN-ACK retries and cookies (on by default) do the work.',
    params: {
      ...fastmailLoad,
      kernel: 'modern',
      somaxconn: 4096,
      tcp_max_syn_backlog: 2048,
      tcp_synack_retries: 2,
      tcp_syn_retries: 6,
      brokenSynRetries: 6,
      tcp_syncookies: 1,
      tcp_abort_on_overflow: 1,
    },
    seed: 2002,
  },
  {
    id: 'syn-flood',
    title: 'A spoofed SYN flood, with SYN cookies',
    summary: 'A thousand forged SYNs a second for a minute. The SYN queue fills at once; with cookies on, legitimate clients still get in.',
    params: { kernel: 'modern', backlog: 511, clientsPerSec: 150, rttMs: 80, floodPerSec: 1000, floodStartSec: 20, floodDurationSec: 60, durationSec: 120 },
    seed: 7,
  },
  {
    id: 'slow-app',
    title: 'A slow application overflows the accept queue',
    summary: 'Clients arrive a little faster than the application calls accept(). The accept queue fills, final ACKs are dropped (ListenOverflows) and SYNs with them.',
    params: { kernel: 'modern', backlog: 128, clientsPerSec: 200, acceptPerSec: 180, rttMs: 80, durationSec: 90 },
    seed: 3,
  },
];
