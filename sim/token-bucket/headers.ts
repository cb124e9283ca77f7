import { parseList, type List } from 'structured-headers';
import type { BucketSpec } from './bucket.ts';

/**
 * The response fields a limiter sends. The default form follows
 * draft-ietf-httpapi-ratelimit-headers-11: two Structured Fields (RFC 9651),
 * `RateLimit-Policy` (q quota units per w seconds) and `RateLimit` (r units
 * left, t the effective window: the seconds within which no more than r may
 * be used; the draft says t promises nothing about when quota grows). We send
 * the time until the bucket's next whole token, within which r is exact. The older form
 * (RateLimit-Limit / -Remaining / -Reset, as in drafts up to -06 and in many
 * servers today) is kept as an option because clients in the wild parse it.
 */
export const RATELIMIT_DRAFT = 'draft-ietf-httpapi-ratelimit-headers-11';

export type HeaderStyle = 'draft' | 'legacy' | 'off';

export interface LimiterView {
  policyName: string;
  bucket: BucketSpec;
  /** Whole tokens left after this request. */
  remaining: number;
  nextTokenInMs: number;
  fullInMs: number;
  /** Set on a 429 (or a 503 from load shedding): the client should wait this long. */
  retryAfterMs: number | null;
}

/**
 * The numbers a response prints, in the units it prints them: whole tokens and whole seconds.
 * A response's lines depend on the limiter's state through these alone.
 */
export interface FieldNumbers {
  remaining: number;
  /** Draft-11's `t`: seconds until the next whole token. */
  nextTokenSec: number;
  /** The older RateLimit-Reset: seconds until the bucket is full. */
  fullSec: number;
  retryAfterSec: number | null;
}

export function fieldNumbers(view: Pick<LimiterView, 'remaining' | 'nextTokenInMs' | 'fullInMs' | 'retryAfterMs'>): FieldNumbers {
  return {
    remaining: view.remaining,
    nextTokenSec: wholeSeconds(view.nextTokenInMs),
    fullSec: wholeSeconds(view.fullInMs),
    retryAfterSec: view.retryAfterMs === null ? null : wholeSeconds(view.retryAfterMs),
  };
}

/** Header lines in the order a server would write them, as `Name: value`. */
export function responseHeaderLines(view: LimiterView, style: HeaderStyle): string[] {
  return headerLinesOf(view.policyName, view.bucket, fieldNumbers(view), style);
}

/** The lines of a response whose numbers are already whole (see fieldNumbers). */
export function headerLinesOf(policyName: string, bucket: BucketSpec, n: FieldNumbers, style: HeaderStyle): string[] {
  const lines: string[] = [];
  if (style === 'draft') {
    lines.push(`RateLimit-Policy: ${sfString(policyName)};q=${bucket.burst};w=${policyWindowSec(bucket)}`);
    lines.push(`RateLimit: ${sfString(policyName)};r=${n.remaining};t=${n.nextTokenSec}`);
  } else if (style === 'legacy') {
    lines.push(`RateLimit-Limit: ${bucket.burst}`);
    lines.push(`RateLimit-Remaining: ${n.remaining}`);
    lines.push(`RateLimit-Reset: ${n.fullSec}`);
  }
  if (n.retryAfterSec !== null) lines.push(`Retry-After: ${n.retryAfterSec}`);
  return lines;
}

/**
 * A bucket of `burst` tokens refilled at `rate` is announced as "burst units
 * per the time a full refill takes": 100 tokens at 100 a minute is q=100;w=60.
 */
export function policyWindowSec(bucket: BucketSpec): number {
  return Math.max(1, Math.round(bucket.burst / bucket.ratePerSec));
}

/**
 * Delay-seconds (RFC 9110 §10.2.3) and the draft's integers are whole seconds;
 * rounding up keeps a client that obeys the hint from arriving a moment early.
 */
export function wholeSeconds(ms: number): number {
  if (!Number.isFinite(ms)) return 0;
  return Math.max(0, Math.ceil(ms / 1000 - 1e-9));
}

/** An RFC 9651 sf-string: printable ASCII, with `"` and `\` escaped. */
export function sfString(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) throw new RangeError(`Not an sf-string: ${JSON.stringify(value)}`);
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export interface ParsedRateLimit {
  policyName: string;
  remaining: number;
  resetSec: number;
}

/**
 * What an obedient client reads back from the `RateLimit` field: the first
 * list member, an sf-string with non-negative integer `r` and `t` among its
 * parameters. The field is parsed as an RFC 9651 List by structured-headers,
 * so any valid spelling is read (`"default"; r=50; t=1` too); anything
 * malformed yields null, as the draft asks clients to ignore fields they
 * cannot parse.
 */
export function parseRateLimit(value: string): ParsedRateLimit | null {
  let members: List;
  try {
    members = parseList(value);
  } catch {
    return null;
  }
  const first = members[0];
  if (first === undefined || Array.isArray(first[0]) || typeof first[0] !== 'string') return null;
  const [policyName, params] = first as [string, Map<string, unknown>];
  const r = params.get('r');
  const t = params.get('t');
  if (!isWholeCount(r) || !isWholeCount(t)) return null;
  return { policyName, remaining: r, resetSec: t };
}

/**
 * A count of quota units or seconds. structured-headers returns sf-decimals as plain numbers too,
 * so a whole decimal (`r=1.0`) reads as its integer and any other (`r=1.5`) is refused.
 */
function isWholeCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

export interface ClientHints {
  /** Quota left (`r`, or RateLimit-Remaining), when the response says. */
  remaining: number | null;
  /** Seconds that quota holds for (`t`, or RateLimit-Reset). */
  windowSec: number | null;
  retryAfterSec: number | null;
}

/**
 * What a client can learn from a response's lines, whichever form they take:
 * an obedient client acts on these, never on the server's internal state.
 */
export function readHints(lines: readonly string[]): ClientHints {
  const field = (name: string) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
  const whole = (value: string | undefined) => (value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : null);
  const draft = field('RateLimit');
  const parsed = draft === undefined ? null : parseRateLimit(draft);
  return {
    remaining: parsed ? parsed.remaining : whole(field('RateLimit-Remaining')),
    windowSec: parsed ? parsed.resetSec : whole(field('RateLimit-Reset')),
    retryAfterSec: whole(field('Retry-After')),
  };
}
