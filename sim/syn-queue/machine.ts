/**
 * The server-side life of one connection request on a Linux listening socket,
 * as an xstate machine. The page draws this definition; the model runs it
 * through `compileMachine` (sim/core/machine-table.ts), so the diagram and the
 * simulation cannot drift apart.
 *
 * Guards are the kernel's decisions, in the order tcp_conn_request()
 * (net/ipv4/tcp_input.c), tcp_check_req() (net/ipv4/tcp_minisocks.c) and
 * reqsk_timer_handler() (net/ipv4/inet_connection_sock.c) take them. They read
 * a snapshot of the listener (`ListenerView`) that the model fills in before
 * each step.
 */
import { setup } from 'xstate';
import { xstateGuards } from '../core/machine-table.ts';

import type { GuardRules, Kernel } from './kernels.ts';

export type { Kernel };

/**
 * What the kernel looks at when it decides the fate of a request. The era's rules come as flags
 * (GuardRules, from kernels.ts) so that each guard reads plain values.
 */
export interface ListenerView extends GuardRules {
  kernel: Kernel;
  synQueueLen: number;
  /** Entries the SYN queue may hold before it counts as full. */
  synQueueCap: number;
  acceptQueueLen: number;
  /** Entries the accept queue may hold before it counts as full. */
  acceptQueueCap: number;
  /** Requests that have not had a SYN-ACK retransmitted yet (2.4 consults this). */
  youngLen: number;
  tcpMaxSynBacklog: number;
  tcpSyncookies: 0 | 1 | 2;
  tcpAbortOnOverflow: 0 | 1;
  /** Whether the peer completed a connection before (tcp_peer_is_proven). */
  peerProven: boolean;
  /** SYN-ACK retransmissions already sent for this request (req->num_timeout). */
  retransmits: number;
  /** Whether this request's final ACK arrived and was dropped because the accept queue was full. */
  acked: boolean;
  /** min(backlog, somaxconn): the listener's sk_max_ack_backlog. */
  effectiveBacklog: number;
  tcpSynackRetries: number;
}

/**
 * How many SYN-ACK retransmissions a request may have before it expires, after the kernel's
 * pruning: when the SYN queue is more than half full, old unanswered requests get fewer retries
 * (never fewer than 2), so that room is kept for young ones.
 *
 * From 4.4: reqsk_timer_handler() (net/ipv4/inet_connection_sock.c) prunes when
 * 2 x qlen > max(8, backlog), and applies the result to every request.
 * Before (2.4 tcp_synack_timer(), 2.6-4.3 inet_csk_reqsk_queue_prune()): when qlen >= half the
 * SYN table; on 2.4 a request whose ACK was dropped on overflow keeps the full count.
 */
export function synackRetryLimit(v: ListenerView): number {
  let limit = v.tcpSynackRetries;
  const qlen = v.synQueueLen;
  const crowded = v.prunesAboveHalfBacklog ? qlen * 2 > Math.max(8, v.effectiveBacklog) : qlen * 2 >= v.synQueueCap;
  if (crowded) {
    let young = v.youngLen * 2;
    while (limit > 2) {
      if (qlen < young) break;
      limit--;
      young *= 2;
    }
  }
  if (v.ackedKeepsAllRetries && v.acked) return v.tcpSynackRetries;
  return limit;
}

export type RequestEvent = { type: 'SYN' } | { type: 'ACK' } | { type: 'TIMEOUT' } | { type: 'ACCEPT' };

const synQueueFull = (v: ListenerView) => v.synQueueLen >= v.synQueueCap;
const acceptQueueFull = (v: ListenerView) => v.acceptQueueLen >= v.acceptQueueCap;

/** The kernel's decisions, by name. Exported so the model and the machine share one implementation. */
export const listenerGuards = {
  /** Queue full (or cookies forced) and cookies off: the SYN is dropped (TCPReqQFullDrop). */
  synQueueFullNoCookies: (v: ListenerView) => synQueueFull(v) && v.tcpSyncookies === 0,
  /** Accept queue full when the SYN arrives: dropped (ListenOverflows). Before 4.10, only while more than one young request waits. */
  acceptQueueFullOnSyn: (v: ListenerView) =>
    acceptQueueFull(v) && (!v.overflowDropNeedsYoung || v.youngLen > 1),
  /** Answer with a SYN cookie and keep no state (TCPReqQFullDoCookies). Mode 2 came with 3.12; 2.4 had none. */
  wantCookie: (v: ListenerView) =>
    v.tcpSyncookies !== 0 && (synQueueFull(v) || (v.tcpSyncookies === 2 && v.hasAlwaysCookies)),
  /** Cookies off and the SYN queue past three quarters of tcp_max_syn_backlog: only proven peers get in. */
  unprovenInLastQuarter: (v: ListenerView) =>
    v.tcpSyncookies === 0 &&
    v.tcpMaxSynBacklog - v.synQueueLen < v.tcpMaxSynBacklog >> 2 &&
    !v.peerProven,
  /** A cookie's ACK finds the accept queue full: there is no request to keep, so it is dropped. */
  acceptQueueFull,
  /** The final ACK finds the accept queue full and tcp_abort_on_overflow=1: answer RST. */
  overflowAbort: (v: ListenerView) => acceptQueueFull(v) && v.tcpAbortOnOverflow === 1,
  /** The final ACK finds the accept queue full: drop it, keep the request, keep retransmitting. */
  overflowDrop: (v: ListenerView) => acceptQueueFull(v) && v.tcpAbortOnOverflow === 0,
  /** The SYN-ACK timer fired with no retransmissions left (after pruning, see synackRetryLimit). */
  retriesExhausted: (v: ListenerView) => v.retransmits >= synackRetryLimit(v),
} as const;

export type ListenerGuard = keyof typeof listenerGuards;


const ackTransitions = [
  { guard: 'overflowAbort', target: 'reset', description: 'accept queue full, abort_on_overflow=1: RST' },
  { guard: 'overflowDrop', description: 'accept queue full: ACK dropped, request kept' },
  { target: 'established', description: 'final ACK' },
] as const;

const timeoutTransitions = [
  { guard: 'retriesExhausted', target: 'expired', description: 'no retries left' },
  { target: 'retransmitting', description: 'timer: resend SYN-ACK' },
] as const;

export const connectionRequestMachine = setup({
  types: {
    context: {} as ListenerView,
    events: {} as RequestEvent,
    input: {} as ListenerView,
  },
  guards: xstateGuards(listenerGuards),
}).createMachine({
  id: 'connectionRequest',
  context: ({ input }) => input,
  initial: 'listen',
  states: {
    listen: {
      description: 'listening socket',
      meta: { label: 'LISTEN', col: 0, row: 1 },
      on: { SYN: { target: 'synReceived', description: 'SYN' } },
    },
    synReceived: {
      description: 'tcp_conn_request() decides',
      meta: { label: 'SYN received', col: 1, row: 1 },
      always: [
        { guard: 'synQueueFullNoCookies', target: 'dropped', description: 'SYN queue full, no cookies' },
        { guard: 'acceptQueueFullOnSyn', target: 'dropped', description: 'accept queue full' },
        { guard: 'wantCookie', target: 'cookieSent', description: 'SYN queue full: cookie' },
        { guard: 'unprovenInLastQuarter', target: 'dropped', description: 'last quarter: unproven peer' },
        { target: 'synAckSent', description: 'queue request, send SYN-ACK' },
      ],
    },
    synAckSent: {
      description: 'in the SYN queue, waiting for the final ACK',
      meta: { label: 'SYN-ACK sent', col: 2, row: 0, queue: 'syn' },
      on: { ACK: [...ackTransitions], TIMEOUT: [...timeoutTransitions] },
    },
    retransmitting: {
      description: 'in the SYN queue, SYN-ACK retransmitted',
      meta: { label: 'retransmitting', col: 3, row: 0, queue: 'syn' },
      on: { ACK: [...ackTransitions], TIMEOUT: [...timeoutTransitions] },
    },
    cookieSent: {
      description: 'SYN-ACK carries a cookie; nothing kept',
      meta: { label: 'cookie sent', col: 2, row: 2 },
      on: {
        ACK: [
          { guard: 'acceptQueueFull', target: 'dropped', description: 'accept queue full' },
          { target: 'established', description: 'valid cookie' },
        ],
      },
    },
    established: {
      description: 'child socket created',
      meta: { label: 'established', col: 3, row: 1 },
      always: { target: 'queuedForAccept', description: 'into the accept queue' },
    },
    queuedForAccept: {
      description: 'in the accept queue, waiting for accept()',
      meta: { label: 'accept queue', col: 4, row: 1, queue: 'accept' },
      on: { ACCEPT: { target: 'accepted', description: 'accept()' } },
    },
    accepted: { type: 'final', description: 'handed to the application', meta: { label: 'accepted', col: 4, row: 2, tone: 'good' } },
    expired: { type: 'final', description: 'removed after the last SYN-ACK', meta: { label: 'expired', col: 4, row: 0, tone: 'bad' } },
    reset: { type: 'final', description: 'RST sent', meta: { label: 'reset', col: 3, row: 2, tone: 'bad' } },
    dropped: { type: 'final', description: 'packet dropped, no state', meta: { label: 'dropped', col: 1, row: 2, tone: 'bad' } },
  },
});
