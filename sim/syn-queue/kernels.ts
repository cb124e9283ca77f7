/**
 * The kernel eras a listener can follow: what listen()'s backlog turns into,
 * and the few checks on a SYN that changed between them. Each rule cites the
 * kernel source it comes from (torvalds/linux and the stable trees).
 *
 * An era is named by the first version whose rules it follows. 'modern' keeps
 * its old meaning (the current rules), so old links, labs and scenarios still decode.
 */

export const KERNELS = ['modern', 'linux-4.4', 'linux-3.1', 'linux-2.4'] as const;
export type Kernel = (typeof KERNELS)[number];

/** How the SYN queue's limit follows from the backlog (after somaxconn) and tcp_max_syn_backlog. */
type SynQueueRule =
  /** 2.4 tcp_listen_start(): tcp_max_syn_backlog rounded up to a power of two, at least 64; the backlog plays no part. */
  | 'max-syn-backlog-table'
  /** reqsk_queue_alloc() (2.6.20 to 4.3): roundup_pow_of_two(max(8, min(backlog, tcp_max_syn_backlog)) + 1), full at that length. */
  | 'backlog-hash-table'
  /** inet_csk_reqsk_queue_is_full() from 4.4 (ef547f2ac16b "tcp: remove max_qlen_log"): full at len >= backlog. */
  | 'backlog'
  /** The same with '>' (3479c7549fb1, Linux 6.13 and the January 2025 stable updates): backlog + 1 fit. */
  | 'backlog-plus-one';

export interface KernelRules {
  synQueue: SynQueueRule;
  /** TCP_TIMEOUT_INIT: 3 s until 3.0, 1 s from 3.1 (9ad7c049f0f7, "RFC2988bis + taking RTT sample from 3WHS"). */
  initialRtoMs: number;
  /**
   * Where pruning starts. From 4.4, reqsk_timer_handler(): 2 x qlen > max(8, backlog). Before it
   * (2.4 tcp_synack_timer(), 2.6-4.3 inet_csk_reqsk_queue_prune()): qlen >> (max_qlen_log - 1), half the table.
   */
  prunesAboveHalfBacklog: boolean;
  /**
   * A SYN that finds the accept queue full is dropped only while more than one young request waits
   * (tcp_v4_conn_request() before 5ea8ea2cb7f1 "tcp/dccp: drop SYN packets if accept queue is full", Linux 4.10,
   * which the 4.4.y stable series also took). From then on it is dropped outright.
   */
  overflowDropNeedsYoung: boolean;
  /** tcp_syncookies=2, cookies for every SYN (5ad37d5deee1, Linux 3.12); without it 2 acts as 1. */
  hasAlwaysCookies: boolean;
  /** 2.4 tcp_synack_timer(): a request whose ACK was dropped on overflow keeps its full retries. */
  ackedKeepsAllRetries: boolean;
  /**
   * The three-quarters rule lets in peers seen before (tcp_peer_is_proven(), an inet_peer timestamp
   * or cached RTT before 3.5). 2.4 consulted the peer only with tcp_tw_recycle on, off by default.
   */
  consultsPeerHistory: boolean;
  /** The SYN-flood warning once per listening socket (synflood_warned) rather than 2.4's once a minute. */
  warnsOncePerSocket: boolean;
}

export const KERNEL_RULES: Readonly<Record<Kernel, KernelRules>> = {
  modern: {
    synQueue: 'backlog-plus-one', initialRtoMs: 1000, prunesAboveHalfBacklog: true, overflowDropNeedsYoung: false,
    hasAlwaysCookies: true, ackedKeepsAllRetries: false, consultsPeerHistory: true, warnsOncePerSocket: true,
  },
  'linux-4.4': {
    synQueue: 'backlog', initialRtoMs: 1000, prunesAboveHalfBacklog: true, overflowDropNeedsYoung: false,
    hasAlwaysCookies: true, ackedKeepsAllRetries: false, consultsPeerHistory: true, warnsOncePerSocket: true,
  },
  'linux-3.1': {
    synQueue: 'backlog-hash-table', initialRtoMs: 1000, prunesAboveHalfBacklog: false, overflowDropNeedsYoung: true,
    hasAlwaysCookies: true, ackedKeepsAllRetries: false, consultsPeerHistory: true, warnsOncePerSocket: true,
  },
  'linux-2.4': {
    synQueue: 'max-syn-backlog-table', initialRtoMs: 3000, prunesAboveHalfBacklog: false, overflowDropNeedsYoung: true,
    hasAlwaysCookies: false, ackedKeepsAllRetries: true, consultsPeerHistory: false, warnsOncePerSocket: false,
  },
};

/** The rules the connection-request machine's guards read, copied into each listener's view as plain flags. */
export type GuardRules = Pick<KernelRules, 'prunesAboveHalfBacklog' | 'overflowDropNeedsYoung' | 'hasAlwaysCookies' | 'ackedKeepsAllRetries'>;

export function guardRules(kernel: Kernel): GuardRules {
  const { prunesAboveHalfBacklog, overflowDropNeedsYoung, hasAlwaysCookies, ackedKeepsAllRetries } = KERNEL_RULES[kernel];
  return { prunesAboveHalfBacklog, overflowDropNeedsYoung, hasAlwaysCookies, ackedKeepsAllRetries };
}

/**
 * What listen(fd, backlog) leaves in sk_max_ack_backlog: __sys_listen() compares `(unsigned int)backlog`
 * with somaxconn, so a negative backlog, read as a huge unsigned number, becomes somaxconn too.
 */
export function listenBacklog(backlog: number, somaxconn: number): number {
  return backlog < 0 || backlog > somaxconn ? somaxconn : backlog;
}

/** The smallest power of two >= n (n >= 1), by doubling: no Math.log in the model. */
function roundupPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** How many requests the SYN queue holds before the kernel counts it full. */
export function synQueueLimit(kernel: Kernel, effectiveBacklog: number, tcpMaxSynBacklog: number): number {
  switch (KERNEL_RULES[kernel].synQueue) {
    case 'max-syn-backlog-table': {
      // tcp_listen_start(): max_qlen_log starts at 6 and grows until 2^log >= tcp_max_syn_backlog.
      let log = 6;
      while (1 << log < tcpMaxSynBacklog) log++;
      return 1 << log;
    }
    case 'backlog-hash-table':
      // reqsk_queue_is_full() is qlen >> max_qlen_log, where 2^max_qlen_log is the table size.
      return roundupPowerOfTwo(Math.max(8, Math.min(effectiveBacklog, tcpMaxSynBacklog)) + 1);
    case 'backlog':
      return effectiveBacklog;
    case 'backlog-plus-one':
      return effectiveBacklog + 1;
  }
}
