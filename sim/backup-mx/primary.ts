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
