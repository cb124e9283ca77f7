/**
 * A connecting client's SYN schedule as Linux runs it (net/ipv4/tcp_timer.c): when each SYN goes
 * out, and when connect() gives up. Since Linux 6.5 (ccce324dabfe "tcp: make the first N SYN RTO
 * backoffs linear") the first tcp_syn_linear_timeouts retransmissions keep the initial RTO and
 * also come on top of tcp_syn_retries; with 0 the schedule is the classic doubling.
 */
import { TCP_RTO_MAX_MS, retransmitDelayMs } from './limits.ts';

/**
 * The wait after a SYN when `retransmits` have gone out before it. tcp_retransmit_timer() counts
 * each retransmission (icsk_backoff, total_rto in later kernels) and doubles the RTO only once that
 * count exceeds tcp_syn_linear_timeouts: so the first linearTimeouts + 1 waits are the initial RTO.
 */
export function synRetransmitDelayMs(initialRtoMs: number, linearTimeouts: number, retransmits: number): number {
  return retransmitDelayMs(initialRtoMs, Math.max(0, retransmits - linearTimeouts));
}

/** floor(log2(n)) for n >= 1, by halving: the kernel's ilog2(), without Math.log. */
function ilog2(n: number): number {
  let log = 0;
  while (n >= 2) {
    n = Math.floor(n / 2);
    log++;
  }
  return log;
}

/**
 * tcp_model_timeout(): how long `boundary` retransmissions would take on a doubling schedule from
 * `rtoBaseMs`, capped at TCP_RTO_MAX. retransmits_timed_out() compares the time since the first SYN
 * (retrans_stamp, set in tcp_connect()) with it, with boundary = tcp_syn_retries.
 */
export function modelTimeoutMs(boundary: number, rtoBaseMs: number): number {
  const thresh = ilog2(TCP_RTO_MAX_MS / rtoBaseMs);
  if (boundary <= thresh) return (2 * pow2Int(boundary) - 1) * rtoBaseMs;
  return (2 * pow2Int(thresh) - 1) * rtoBaseMs + (boundary - thresh) * TCP_RTO_MAX_MS;
}

function pow2Int(n: number): number {
  let p = 1;
  for (let i = 0; i < n; i++) p *= 2;
  return p;
}

/**
 * tcp_write_timeout() for a SYN_SENT socket, at a timer after `retransmits` retransmissions and
 * `elapsedMs` since the first SYN: it gives up after tcp_syn_retries + tcp_syn_linear_timeouts
 * retransmissions, or earlier once the time a doubling schedule of tcp_syn_retries would take has
 * passed. With linear timeouts that time can run out first (2 retries and 4 linear: 7 s, six SYNs).
 * A kernel timer never fires early, so a time equal to the limit counts as reached; the tolerance
 * absorbs the model's floating-point sums of half round trips.
 */
export function synGivesUp(
  retransmits: number, elapsedMs: number, synRetries: number, linearTimeouts: number, initialRtoMs: number,
): boolean {
  if (retransmits >= synRetries + linearTimeouts) return true;
  return retransmits > 0 && elapsedMs + 1e-6 >= modelTimeoutMs(synRetries, initialRtoMs);
}

/** When connect() fails for a client none of whose SYNs is answered: the timer at which synGivesUp first holds. */
export function connectTimeoutMs(synRetries: number, linearTimeouts: number, initialRtoMs: number): number {
  let tMs = 0;
  for (let retransmits = 0; ; retransmits++) {
    tMs += synRetransmitDelayMs(initialRtoMs, linearTimeouts, retransmits);
    if (synGivesUp(retransmits, tMs, synRetries, linearTimeouts, initialRtoMs)) return tMs;
  }
}
