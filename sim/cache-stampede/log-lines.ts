/**
 * The cache-stampede log, in the source's format (its log starts at noon).
 * Each line is formatted only if the log will keep it.
 */
import { logClock, type EventLog } from '../core/index.ts';
import { lockCommand } from './lock-command.ts';

const clock = (tMs: number) => logClock(tMs, 12 * 3_600_000);

/** Key 0 is the hot key; negative keys are missing ids. */
export function keyName(k: number): string {
  if (k < 0) return `widgets:missing-${-k - 1}`;
  return k === 0 ? 'widgets:top' : `widgets:${k}`;
}

export function logQueryDone(log: EventLog, tMs: number, k: number, background: boolean, tookMs: number): void {
  if (!log.wants(tMs, 'miss')) return log.skip();
  const how = background ? 'BG  ' : 'MISS';
  log.write(tMs, 'miss', `${clock(tMs)}  ${how}  key=${keyName(k)}  -> db query ${Math.round(tookMs)}ms${k < 0 ? ' (not found)' : ''}`);
}

export function logLockWon(log: EventLog, tMs: number, k: number, token: number, lockTtlSec: number): void {
  if (!log.wants(tMs, 'lock')) return log.skip();
  log.write(tMs, 'lock', `${clock(tMs)}  LOCK  key=${keyName(k)}  ${lockCommand(keyName(k), token, lockTtlSec)} -> OK: rebuilding`);
}

export function logLockReleaseSkipped(log: EventLog, tMs: number, k: number): void {
  if (!log.wants(tMs, 'lock')) return log.skip();
  log.write(tMs, 'lock', `${clock(tMs)}  LOCK  key=${keyName(k)}  release skipped: the lock expired and is no longer ours`);
}

export function logLockExpired(log: EventLog, tMs: number, k: number, lockTtlSec: number): void {
  if (!log.wants(tMs, 'lock')) return log.skip();
  log.write(tMs, 'lock', `${clock(tMs)}  LOCK  key=${keyName(k)}  expired after ${lockTtlSec}s with the rebuild still running`);
}

export function logEarlyRecompute(log: EventLog, tMs: number, k: number, gapMs: number): void {
  if (!log.wants(tMs, 'early')) return log.skip();
  log.write(tMs, 'early', `${clock(tMs)}  EARLY key=${keyName(k)}  XFetch recompute ${(gapMs / 1000).toFixed(2)} s before expiry`);
}

/** A load cancelled in line fails for every request that shared it, as Go's singleflight hands its caller's error to the duplicates. */
export function logSharedLoadCancelled(log: EventLog, tMs: number, k: number, waiters: number): void {
  if (!log.wants(tMs, 'timeout')) return log.skip();
  log.write(tMs, 'timeout', `${clock(tMs)}  ERR   key=${keyName(Math.max(0, k))}  load cancelled with its caller: ${waiters} waiting on it fail too`);
}

export function logTimeout(log: EventLog, tMs: number, k: number, timeoutMs: number): void {
  if (!log.wants(tMs, 'timeout')) return log.skip();
  // Missing ids arrive among the hot key's reads, and their time-outs are logged under its name.
  log.write(tMs, 'timeout', `${clock(tMs)}  ERR   key=${keyName(Math.max(0, k))}  timed out after ${timeoutMs}ms`);
}
