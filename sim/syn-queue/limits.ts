/**
 * The listener's sizes and timers as the kernel derives them from the
 * parameters: queue capacities per kernel era, and the retransmission
 * timeout that doubles from its initial value up to TCP_RTO_MAX.
 */
import { pow2 } from '../core/stats.ts';
import { KERNEL_RULES, listenBacklog, synQueueLimit } from './kernels.ts';
import type { SynQueueParams } from './params.ts';

export const TCP_RTO_MAX_MS = 120_000;

export interface QueueLimits {
  /** The backlog after somaxconn's cap (listenBacklog): what `ss -lnt` shows as Send-Q. */
  effectiveBacklog: number;
  synQueueCap: number;
  acceptQueueCap: number;
  initialRtoMs: number;
}

/** The limits a listener gets from its parameters, per kernel era (kernels.ts). */
export function queueLimits(p: SynQueueParams): QueueLimits {
  const effectiveBacklog = listenBacklog(p.backlog, p.somaxconn);
  return {
    effectiveBacklog,
    synQueueCap: synQueueLimit(p.kernel, effectiveBacklog, p.tcp_max_syn_backlog),
    // sk_acceptq_is_full() compares with '>' in every era, so backlog + 1 fit (and listen(0) admits one).
    acceptQueueCap: effectiveBacklog + 1,
    initialRtoMs: KERNEL_RULES[p.kernel].initialRtoMs,
  };
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
