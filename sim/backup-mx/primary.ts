/** The primary MX over the run: up, except during the outage, when it fails in the chosen way. */
import type { PrimaryCondition } from './acl.ts';
import { PRIMARY_FAULTS, type BackupMxParams } from './params.ts';
import { HOUR_MS } from './retry.ts';

type OutageParams = Pick<BackupMxParams, 'outageStartHours' | 'outageHours' | 'primaryFault'>;

/** The primary's condition at a moment: up, or the chosen fault during the outage. */
export function primaryAt(p: OutageParams, tMs: number): PrimaryCondition {
  const startMs = p.outageStartHours * HOUR_MS;
  const endMs = startMs + p.outageHours * HOUR_MS;
  if (p.outageHours > 0 && tMs >= startMs && tMs < endMs) return PRIMARY_FAULTS[p.primaryFault] ?? 'timeout';
  return 'up';
}

/** Whether a sender can hand mail to the primary now: a slow primary answers, late. */
export const primaryTakesMail = (c: PrimaryCondition) => c === 'up' || c === 'slow';

/** Whether the primary is down at any moment of [fromMs, toMs), so a short outage still shows in its sample. */
export function primaryDownDuring(p: OutageParams, fromMs: number, toMs: number): boolean {
  const downFrom = p.outageStartHours * HOUR_MS;
  const downTo = downFrom + p.outageHours * HOUR_MS;
  return p.outageHours > 0 && downFrom < toMs && downTo > fromMs;
}
