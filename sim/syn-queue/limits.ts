/**
 * The listener's sizes and timers as the kernel derives them from the
 * parameters: queue capacities per kernel era, and the retransmission
 * timeout that doubles from its initial value up to TCP_RTO_MAX.
 */
import { pow2 } from '../core/stats.ts';
import type { SynQueueParams } from './params.ts';

export const TCP_RTO_MAX_MS = 120_000;

export interface QueueLimits {
  /** min(backlog, somaxconn): what `ss -lnt` shows as Send-Q. */
  effectiveBacklog: number;
  synQueueCap: number;
  acceptQueueCap: number;
  initialRtoMs: number;
}

/** The limits a listener gets from its parameters, per kernel. */
export function queueLimits(p: SynQueueParams): QueueLimits {
  const effectiveBacklog = Math.min(p.backlog, p.somaxconn);
  if (p.kernel === 'linux-2.4') {
    // tcp_listen_start(): max_qlen_log starts at 6 and grows until 2^log >= tcp_max_syn_backlog.
    let log = 6;
    while (1 << log < p.tcp_max_syn_backlog) log++;
    // tcp_acceptq_is_full(): ack_backlog > max_ack_backlog, so backlog + 1 fit.
    return { effectiveBacklog, synQueueCap: 1 << log, acceptQueueCap: effectiveBacklog + 1, initialRtoMs: 3000 };
  }
  // sk_acceptq_is_full() compares with '>', so backlog + 1 fit; inet_csk_reqsk_queue_is_full() does the
  // same since Linux 6.13 (commit 3479c7549fb1, January 2025; earlier kernels held backlog entries).
  return { effectiveBacklog, synQueueCap: effectiveBacklog + 1, acceptQueueCap: effectiveBacklog + 1, initialRtoMs: 1000 };
}

/** The wait before the (n+1)th transmission of a SYN or SYN-ACK: the initial RTO doubled n times, capped. */
export function retransmitDelayMs(initialRtoMs: number, n: number): number {
  return Math.min(initialRtoMs * pow2(n), TCP_RTO_MAX_MS);
}

/** How long an unanswered request holds its SYN-queue slot: initial RTO x (2^(retries+1) - 1), each step capped. */
export function requestLifetimeMs(initialRtoMs: number, retries: number): number {
  let total = 0;
  for (let i = 0; i <= retries; i++) total += retransmitDelayMs(initialRtoMs, i);
  return total;
}

/**
 * With cookies off, past this many entries only proven peers get in (the last quarter of
 * tcp_max_syn_backlog); NaN when that threshold lies beyond the SYN queue's own limit.
 */
export function provenOnlyAbove(p: SynQueueParams, limits: QueueLimits): number {
  const threshold = p.tcp_max_syn_backlog - (p.tcp_max_syn_backlog >> 2);
  return p.tcp_syncookies === 0 && threshold < limits.synQueueCap ? threshold : NaN;
}
