/**
 * The primary MX over the run: one to three hosts of equal standing, tried
 * in MX order, all up except during the outage, when the first of them fail
 * in the chosen way and the last `hostsUpInOutage` keep answering.
 */
import type { PrimaryCondition } from './acl.ts';
import { PRIMARY_FAULTS, type BackupMxParams } from './params.ts';
import { HOUR_MS } from './retry.ts';

type OutageParams = Pick<BackupMxParams, 'outageStartHours' | 'outageHours' | 'primaryFault'>;
type HostParams = OutageParams & Pick<BackupMxParams, 'primaryHosts' | 'hostsUpInOutage'>;

/** The first primary host's condition at a moment: up, or the chosen fault during the outage. */
export function primaryAt(p: OutageParams, tMs: number): PrimaryCondition {
  const startMs = p.outageStartHours * HOUR_MS;
  const endMs = startMs + p.outageHours * HOUR_MS;
  if (p.outageHours > 0 && tMs >= startMs && tMs < endMs) return PRIMARY_FAULTS[p.primaryFault] ?? 'timeout';
  return 'up';
}

/** How many of the primary's hosts the outage takes: at least one, whatever hostsUpInOutage says. */
export const failingHosts = (p: HostParams) => p.primaryHosts - Math.min(p.hostsUpInOutage, p.primaryHosts - 1);

/** Each primary host's condition at a moment, in MX order. */
export function primaryHostsAt(p: HostParams, tMs: number): PrimaryCondition[] {
  const first = primaryAt(p, tMs);
  const failing = failingHosts(p);
  return Array.from({ length: p.primaryHosts }, (_, h) => (h < failing ? first : 'up'));
}

/** Whether a sender can hand mail to this host now: a slow primary answers, late. */
export const primaryTakesMail = (c: PrimaryCondition) => c === 'up' || c === 'slow';

/** Whether some primary host takes mail now. */
export const someHostTakesMail = (p: HostParams, tMs: number) => primaryTakesMail(primaryAt(p, tMs)) || failingHosts(p) < p.primaryHosts;

/** Whether the primary is down at any moment of [fromMs, toMs), so a short outage still shows in its sample. */
export function primaryDownDuring(p: OutageParams, fromMs: number, toMs: number): boolean {
  const downFrom = p.outageStartHours * HOUR_MS;
  const downTo = downFrom + p.outageHours * HOUR_MS;
  return p.outageHours > 0 && downFrom < toMs && downTo > fromMs;
}

/**
 * The same answers as primaryAt and someHostTakesMail, from the outage's bounds worked out once:
 * every sender attempt asks both, and each call multiplied the hours out again (a week's run asks
 * some 90,000 times).
 */
export class PrimarySchedule {
  private readonly downFromMs: number;
  private readonly downToMs: number;
  private readonly fault: PrimaryCondition;
  /** Hosts the outage takes (failingHosts). */
  readonly failing: number;
  /** A host keeps answering through the outage. */
  private readonly oneHostStaysUp: boolean;

  constructor(p: HostParams) {
    // primaryAt's own arithmetic, so a moment on either bound falls on the same side; no outage is an empty window.
    this.downFromMs = p.outageStartHours * HOUR_MS;
    this.downToMs = p.outageHours > 0 ? this.downFromMs + p.outageHours * HOUR_MS : this.downFromMs;
    this.fault = PRIMARY_FAULTS[p.primaryFault] ?? 'timeout';
    this.failing = failingHosts(p);
    this.oneHostStaysUp = this.failing < p.primaryHosts;
  }

  /** primaryAt: the first host's condition at tMs. */
  at(tMs: number): PrimaryCondition {
    return tMs >= this.downFromMs && tMs < this.downToMs ? this.fault : 'up';
  }

  /** someHostTakesMail: whether some host takes mail at tMs. */
  someHostTakesMail(tMs: number): boolean {
    return this.oneHostStaysUp || primaryTakesMail(this.at(tMs));
  }
}
