/**
 * The fleet lock's command. Redis parses SET's EX and PX arguments as integers
 * (setGenericCommand in src/t_string.c reads them with
 * getLongLongFromObjectOrReply), so `SET k v NX EX 1.5` is refused with
 * "ERR value is not an integer or out of range": a lease with a fraction of a
 * second must be sent as PX in milliseconds.
 */
import { describe, expect, test } from 'vitest';
import { normalizeParams, scenarioState } from '../../sim/core/index.ts';
import { cacheStampede } from '../../sim/cache-stampede/index.ts';
import { lockCommand, lockExpiryOption } from '../../sim/cache-stampede/lock-command.ts';

const lockLines = (lockTtlSec: number) => {
  const p = normalizeParams(cacheStampede.params, { lockTtlSec }, scenarioState(cacheStampede, 'single-flight-lock').params).params;
  return cacheStampede.run(p, 10).log.filter((l) => l.kind === 'lock').map((l) => l.text);
};

describe('the lock command', () => {
  test('a lease of whole seconds is sent as EX in seconds', () => {
    expect(lockExpiryOption(5)).toBe('EX 5');
    expect(lockExpiryOption(30)).toBe('EX 30');
    expect(lockCommand('widgets:top', 'abc', 1)).toBe('SET lock:widgets:top abc NX EX 1');
  });

  test('a lease with a fraction of a second is sent as PX in milliseconds, never as a fractional EX', () => {
    expect(lockExpiryOption(1.5)).toBe('PX 1500');
    expect(lockExpiryOption(0.1)).toBe('PX 100');
    // 0.1 × 3 is 0.30000000000000004 in binary floating point: still 300 ms.
    expect(lockExpiryOption(0.1 * 3)).toBe('PX 300');
    expect(lockCommand('widgets:top', 7, 2.5)).toBe('SET lock:widgets:top 7 NX PX 2500');
  });

  test('the model’s log prints the command it sends: NX EX for a five-second lease, NX PX for 1.5 s', () => {
    const whole = lockLines(5).filter((t) => t.includes('SET lock:'));
    const fractional = lockLines(1.5).filter((t) => t.includes('SET lock:'));
    expect(whole.length).toBeGreaterThan(0);
    expect(fractional.length).toBeGreaterThan(0);
    for (const t of whole) expect(t).toMatch(/SET lock:widgets:top \d+ NX EX 5 -> OK/);
    for (const t of fractional) expect(t).toMatch(/SET lock:widgets:top \d+ NX PX 1500 -> OK/);
  });
});
