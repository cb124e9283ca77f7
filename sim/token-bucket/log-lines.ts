/** The token-bucket log: one line per response, with its exact status, fields and body (a 429's problem details) as the detail the page shows when picked. */
import { logClock, type EventLog } from '../core/index.ts';
import { clientName } from './keys.ts';

const clock = (tMs: number) => logClock(tMs);

export function logResponse(log: EventLog, tMs: number, c: number, status: string, kind: string, headers: readonly string[], body: string | null = null): void {
  if (!log.wants(tMs, kind)) return log.skip();
  const message = [`HTTP/1.1 ${status}`, ...headers, ...(body === null ? [] : ['', body])];
  log.write(tMs, kind, `${clock(tMs)}  ${clientName(c).padEnd(9)} ${status}`, message.join('\n'));
}

export function logDuplicate(log: EventLog, tMs: number, c: number, request: number, executions: number): void {
  if (!log.wants(tMs, 'duplicate')) return log.skip();
  log.write(tMs, 'duplicate', `${clock(tMs)}  ${clientName(c).padEnd(9)} DOUBLE CHARGE  request ${request} ran ${executions} times`);
}

export function logTimeout(log: EventLog, tMs: number, c: number, timeoutMs: number): void {
  if (!log.wants(tMs, 'timeout')) return log.skip();
  log.write(tMs, 'timeout', `${clock(tMs)}  ${clientName(c).padEnd(9)} no answer after ${timeoutMs}ms`);
}
