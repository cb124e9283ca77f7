import { parseList, serializeList, type List } from 'structured-headers';
import { admitsWithin, type BucketSpec } from './bucket.ts';

/**
 * The response fields a limiter sends. The default form follows
 * draft-ietf-httpapi-ratelimit-headers-11: two Structured Fields (RFC 9651),
 * written and read by structured-headers. Each number means what the bucket
 * does, at every rate and burst:
 *
 * - `RateLimit-Policy` q per w (§3.1.1, §3.1.3): the long-run rate, as whole
 *   requests per the fewest whole seconds that hold a whole number of them
 *   (100 a minute is q=5;w=3). A client that keeps sending gets exactly that.
 * - `RateLimit` t (§4.1.2, the effective window) and r (§4.1.1, the available
 *   quota): t is the time until the bucket's next whole token, rounded up to a
 *   whole second; r is how many requests the bucket admits within those t
 *   seconds, the tokens there now and those that grow, and not one more (the
 *   draft: "the time within which the client can use no more than the
 *   available quota"). A full bucket grows nothing until it is spent: its
 *   quota is not in use, and §8.5 warns that a short window beside an unused
 *   quota invites a client to infer a rate the policy never meant (its q=10000;
 *   w=1000 policy sent with t=10). So a full bucket reports the policy's whole
 *   window, t=w, and what it admits in it.
 *
 * No `pk` (§3.1.4, §4.1.3): each client has its own bucket and sees only its
 * own responses, so the partition is the client and a key would tell it nothing.
 *
 * The older form (RateLimit-Limit / -Remaining / -Reset, as in drafts up to -06
 * and in many servers today) is kept as an option because clients in the wild
 * parse it: Limit is the burst, Remaining the whole tokens now, Reset the
 * seconds until the bucket is full.
 */
export const RATELIMIT_DRAFT = 'draft-ietf-httpapi-ratelimit-headers-11';

export type HeaderStyle = 'draft' | 'legacy' | 'off';

export interface QuotaPolicy {
  quota: number;
  windowSec: number;
}

/** Past a day a window stops being a useful hint (§8.5); a rate with no whole count in one is rounded there. */
const LONGEST_WINDOW_SEC = 86_400;
const WHOLE_SLACK = 1e-9;

/** The policy's q and w: the bucket's refill rate as whole requests per the shortest whole window. */
export function quotaPolicy(bucket: BucketSpec): QuotaPolicy {
  for (let windowSec = 1; windowSec <= LONGEST_WINDOW_SEC; windowSec++) {
    const quota = bucket.ratePerSec * windowSec;
    if (Math.abs(quota - Math.round(quota)) < WHOLE_SLACK * Math.max(1, quota)) return { quota: Math.round(quota), windowSec };
  }
  return { quota: Math.round(bucket.ratePerSec * LONGEST_WINDOW_SEC), windowSec: LONGEST_WINDOW_SEC };
}

/** The bucket as one response sees it. */
export interface LimiterView {
  /** The bucket's level after this request (fractions included). */
  tokens: number;
  /** Whole tokens left after this request. */
  remaining: number;
  nextTokenInMs: number;
  fullInMs: number;
  /** Set on a 429 (or a 503 from load shedding): the client should wait this long. */
  retryAfterMs: number | null;
}

/**
 * The numbers a response prints, in the units it prints them: whole requests and whole seconds.
 * A response's lines depend on the limiter's state through these alone.
 */
export interface FieldNumbers {
  /** Draft-11's `r`: requests the bucket admits within the next `windowSec`. */
  available: number;
  /** Draft-11's `t`, the effective window. */
  windowSec: number;
  /** The older RateLimit-Remaining: whole tokens now. */
  remaining: number;
  /** The older RateLimit-Reset: seconds until the bucket is full. */
  fullSec: number;
  retryAfterSec: number | null;
}

export function fieldNumbers(bucket: BucketSpec, policy: QuotaPolicy, view: LimiterView): FieldNumbers {
  const full = view.fullInMs === 0;
  const windowSec = full ? policy.windowSec : Math.max(1, wholeSeconds(view.nextTokenInMs));
  return {
    available: admitsWithin(bucket, view.tokens, windowSec * 1000),
    windowSec,
    remaining: view.remaining,
    fullSec: wholeSeconds(view.fullInMs),
    retryAfterSec: view.retryAfterMs === null ? null : wholeSeconds(view.retryAfterMs),
  };
}

/** Header lines in the order a server would write them, as `Name: value`. */
export function responseHeaderLines(policyName: string, bucket: BucketSpec, view: LimiterView, style: HeaderStyle): string[] {
  const policy = quotaPolicy(bucket);
  return headerLinesOf(policyName, bucket, policy, fieldNumbers(bucket, policy, view), style);
}

/** The lines of a response whose numbers are already whole (see fieldNumbers). */
export function headerLinesOf(policyName: string, bucket: BucketSpec, policy: QuotaPolicy, n: FieldNumbers, style: HeaderStyle): string[] {
  const lines: string[] = [];
  if (style === 'draft') {
    const item = (params: [string, number][]): List => [[policyName, new Map(params)]];
    lines.push(`RateLimit-Policy: ${serializeList(item([['q', policy.quota], ['w', policy.windowSec]]))}`);
    lines.push(`RateLimit: ${serializeList(item([['r', n.available], ['t', n.windowSec]]))}`);
  } else if (style === 'legacy') {
    lines.push(`RateLimit-Limit: ${bucket.burst}`);
    lines.push(`RateLimit-Remaining: ${n.remaining}`);
    lines.push(`RateLimit-Reset: ${n.fullSec}`);
  }
  if (n.retryAfterSec !== null) lines.push(`Retry-After: ${n.retryAfterSec}`);
  return lines;
}

/**
 * Delay-seconds (RFC 9110 §10.2.3) and the draft's integers are whole seconds;
 * rounding up keeps a client that obeys the hint from arriving a moment early.
 */
export function wholeSeconds(ms: number): number {
  if (!Number.isFinite(ms)) return 0;
  return Math.max(0, Math.ceil(ms / 1000 - 1e-9));
}

export interface ParsedRateLimit {
  policyName: string;
  available: number;
  windowSec: number;
}

/**
 * What an obedient client reads back from the `RateLimit` field: the first
 * list member, an sf-string with non-negative integer `r` and `t` among its
 * parameters. The field is parsed as an RFC 9651 List by structured-headers,
 * so any valid spelling is read (`"default"; r=50; t=1` too); anything
 * malformed yields null, as the draft asks clients to ignore fields they
 * cannot parse (§7).
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
  return { policyName, available: r, windowSec: t };
}

/**
 * A count of quota units or seconds. structured-headers returns sf-decimals as plain numbers too,
 * so a whole decimal (`r=1.0`) reads as its integer and any other (`r=1.5`) is refused.
 */
function isWholeCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

export interface ClientHints {
  /** Which form the hints came in: the draft's r within t, or the older tokens-now and time-to-full. */
  form: 'draft' | 'legacy' | null;
  /** Quota the response says is left (`r`, or RateLimit-Remaining). */
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
  const retryAfterSec = whole(field('Retry-After'));
  if (parsed) return { form: 'draft', remaining: parsed.available, windowSec: parsed.windowSec, retryAfterSec };
  const remaining = whole(field('RateLimit-Remaining'));
  const windowSec = whole(field('RateLimit-Reset'));
  return { form: remaining !== null && windowSec !== null ? 'legacy' : null, remaining, windowSec, retryAfterSec };
}
