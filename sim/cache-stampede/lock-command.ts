/**
 * The fleet lock's command as the model would send it to Redis. SET parses
 * EX and PX as integers (setGenericCommand in redis src/t_string.c, through
 * getLongLongFromObjectOrReply), so `EX 1.5` is refused with "value is not an
 * integer or out of range": a lease that is not a whole number of seconds
 * goes in PX, in milliseconds.
 */
/** `EX 5` for whole seconds, `PX 1500` otherwise. */
export function lockExpiryOption(lockTtlSec: number): string {
  const ms = Math.round(lockTtlSec * 1000);
  return ms % 1000 === 0 ? `EX ${ms / 1000}` : `PX ${ms}`;
}

/** SET lock:<key> <token> NX EX|PX <lease>: writes only if no one holds the lock, with the lease as its expiry. */
export function lockCommand(key: string, token: number | string, lockTtlSec: number): string {
  return `SET lock:${key} ${token} NX ${lockExpiryOption(lockTtlSec)}`;
}
