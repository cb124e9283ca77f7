/**
 * The lines the run writes to its log: what `dmesg` and a packet capture
 * would show, one method per kind of line. Each method asks the log first
 * whether the line would be kept, so a busy second formats only the few lines
 * it keeps (the kernel's net_ratelimit thins its messages the same way).
 */
import type { EventLog } from '../core/index.ts';
import { KERNEL_RULES } from './kernels.ts';
import { BROKEN, LEGIT } from './keys.ts';
import type { Attempts } from './attempts.ts';
import type { QueueLimits } from './limits.ts';
import type { SynQueueParams } from './params.ts';

const SERVER_PORT = 143;

function fmtTime(tMs: number): string {
  return (tMs / 1000).toFixed(3).padStart(8, ' ');
}

export class SynQueueLog {
  private readonly log: EventLog;
  private readonly a: Attempts;
  private readonly p: SynQueueParams;
  private readonly limits: QueueLimits;
  private floodWarned = false;
  private lastFloodWarningMs = -Infinity;

  constructor(log: EventLog, a: Attempts, p: SynQueueParams, limits: QueueLimits) {
    this.log = log;
    this.a = a;
    this.p = p;
    this.limits = limits;
  }

  /**
   * The kernel's SYN-flood warning. Later kernels print it once per listening socket (synflood_warned; the wording here is today's),
   * never in mode 2; 2.4 printed only the cookie case, at most once a minute (tcp_v4_conn_request()).
   */
  floodWarning(tMs: number, action: 'Dropping request' | 'Sending cookies'): void {
    if (KERNEL_RULES[this.p.kernel].warnsOncePerSocket) {
      if (this.floodWarned) return;
      this.floodWarned = true;
      this.write(tMs, 'kernel', `kernel: TCP: request_sock_TCP: Possible SYN flooding on port 0.0.0.0:${SERVER_PORT}. ${action}.`);
    } else if (action === 'Sending cookies' && tMs - this.lastFloodWarningMs >= 60_000) {
      this.lastFloodWarningMs = tMs;
      this.write(tMs, 'kernel', `kernel: possible SYN flooding on port ${SERVER_PORT}. Sending cookies.`);
    }
  }

  synDroppedQueueFull(tMs: number, i: number, synQueueLen: number): void {
    if (this.wants(tMs, 'drop')) this.write(tMs, 'drop', `SYN ${this.addr(i)} dropped: SYN queue full (${synQueueLen}/${this.limits.synQueueCap}), cookies off`);
  }

  synDroppedAcceptQueueFull(tMs: number, i: number, acceptQueueLen: number): void {
    if (this.wants(tMs, 'overflow')) this.write(tMs, 'overflow', `SYN ${this.addr(i)} dropped: accept queue full (${acceptQueueLen}/${this.limits.acceptQueueCap})`);
  }

  synDroppedUnproven(tMs: number, i: number, synQueueLen: number): void {
    if (this.wants(tMs, 'drop')) this.write(tMs, 'drop', `SYN ${this.addr(i)} dropped: SYN queue past 3/4 of tcp_max_syn_backlog (${synQueueLen}/${this.p.tcp_max_syn_backlog}), peer not proven`);
  }

  cookieSent(tMs: number, i: number, synQueueLen: number): void {
    if (this.wants(tMs, 'cookie')) this.write(tMs, 'cookie', `SYN ${this.addr(i)} answered with a SYN cookie (queue ${synQueueLen}/${this.limits.synQueueCap})`);
  }

  /** Only broken clients' requests are logged as queued: they are the ones that will pin the queue. */
  brokenQueued(tMs: number, i: number, synQueueLen: number): void {
    if (this.wants(tMs, 'queued')) this.write(tMs, 'queued', `SYN ${this.addr(i)} queued (SYN queue ${synQueueLen}/${this.limits.synQueueCap}); this client never sends the final ACK`);
  }

  ackReset(tMs: number, i: number): void {
    if (this.wants(tMs, 'reset')) this.write(tMs, 'reset', `ACK ${this.addr(i)}: accept queue full, tcp_abort_on_overflow=1: RST`);
  }

  ackDropped(tMs: number, i: number, acceptQueueLen: number): void {
    if (this.wants(tMs, 'overflow')) this.write(tMs, 'overflow', `ACK ${this.addr(i)} dropped: accept queue full (${acceptQueueLen}/${this.limits.acceptQueueCap}); SYN-ACK will be resent`);
  }

  cookieAckDropped(tMs: number, i: number): void {
    if (this.wants(tMs, 'overflow')) this.write(tMs, 'overflow', `ACK ${this.addr(i)} with a valid cookie dropped: accept queue full; the client thinks it is connected`);
  }

  expired(tMs: number, i: number, heldMs: number): void {
    if (!this.wants(tMs, 'expire')) return;
    const retrans = this.a.srvRetrans[i]!;
    const pruned = retrans < this.p.tcp_synack_retries ? ', pruned: queue over half full' : '';
    this.write(tMs, 'expire', `request from ${this.addr(i)} expired after ${retrans} SYN-ACK retransmissions (${(heldMs / 1000).toFixed(0)} s in the SYN queue)${pruned}`);
  }

  connectTimedOut(tMs: number, i: number): void {
    if (this.wants(tMs, 'gaveup')) this.write(tMs, 'gaveup', `client ${this.addr(i)}: connect() timed out after ${this.a.synsSent[i]} SYNs, ${((tMs - this.a.startMs[i]!) / 1000).toFixed(0)} s`);
  }

  accepted(tMs: number, i: number): void {
    if (this.wants(tMs, 'accept')) this.write(tMs, 'accept', `accept() ${this.addr(i)} after ${(tMs - this.a.startMs[i]!).toFixed(0)} ms${this.a.viaCookie[i] ? ' (SYN cookie)' : ''}`);
  }

  /** Whether a line of this kind would be kept now; counts it as suppressed if not, unformatted. */
  private wants(tMs: number, kind: string): boolean {
    if (this.log.wants(tMs, kind)) return true;
    this.log.skip();
    return false;
  }

  private write(tMs: number, kind: string, text: string): void {
    this.log.write(tMs, kind, `${fmtTime(tMs)}  ${text}`);
  }

  /** The client's address and port, from documentation ranges: one /24 per class. */
  private addr(i: number): string {
    const port = 32768 + (i % 28000);
    const h = this.a.host[i]!;
    const cls = this.a.cls[i];
    if (cls === LEGIT) return `203.0.113.${(h % 250) + 1}:${port}`;
    if (cls === BROKEN) return `192.0.2.${(h % 250) + 1}:${port}`;
    return `198.51.100.${(h % 250) + 1}:${port}`;
  }
}
