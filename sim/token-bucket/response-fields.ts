/**
 * The edge's responses, each written and read back once per distinct set of
 * numbers. A run answers thousands of times with a few dozen distinct field
 * sets (r=1;t=1 again and again), and writing the lines then parsing them as
 * Structured Fields cost more than the rest of the model together; the lines
 * depend only on the whole numbers they print (headers.ts fieldNumbers) and on
 * whether the response is a 429 with its problem details, so those are the key
 * and the cached answer is the one the parser gave.
 */
import type { BucketSpec } from './bucket.ts';
import { fieldNumbers, headerLinesOf, quotaPolicy, readHints, type ClientHints, type FieldNumbers, type HeaderStyle, type LimiterView, type QuotaPolicy } from './headers.ts';
import { PROBLEM_JSON, problemBody, quotaExceeded } from './problem.ts';

/** One response's header lines and body, as sent, and what a client reads back from them. Shared between responses: never mutated. */
export type ResponseFields = ClientHints & { readonly lines: readonly string[]; readonly body: string | null };

export class ResponseFieldsCache {
  private readonly written = new Map<string, ResponseFields>();
  private last: { numbers: FieldNumbers; overQuota: boolean; fields: ResponseFields } | null = null;
  private readonly policyName: string;
  private readonly bucket: BucketSpec;
  private readonly policy: QuotaPolicy;
  private readonly style: HeaderStyle;
  private readonly problem: string;

  constructor(policyName: string, bucket: BucketSpec, style: HeaderStyle) {
    this.policyName = policyName;
    this.bucket = bucket;
    this.policy = quotaPolicy(bucket);
    this.style = style;
    this.problem = problemBody(quotaExceeded([policyName]));
  }

  /** A response over quota (a 429) carries the quota-exceeded problem as its body. */
  of(view: LimiterView, overQuota: boolean): ResponseFields {
    const n = fieldNumbers(this.bucket, this.policy, view);
    // A client refused again and again gets the same answer each time: no key to build for that.
    const last = this.last;
    if (last !== null && last.overQuota === overQuota && sameNumbers(n, last.numbers)) return last.fields;
    const key = `${n.available} ${n.windowSec} ${n.remaining} ${n.fullSec} ${n.retryAfterSec} ${overQuota}`;
    let fields = this.written.get(key);
    if (fields === undefined) {
      const headers = headerLinesOf(this.policyName, this.bucket, this.policy, n, this.style);
      if (overQuota) headers.push(`Content-Type: ${PROBLEM_JSON}`);
      const lines = Object.freeze(headers);
      fields = Object.freeze({ ...readHints(lines), lines, body: overQuota ? this.problem : null });
      this.written.set(key, fields);
    }
    this.last = { numbers: n, overQuota, fields };
    return fields;
  }
}

function sameNumbers(a: FieldNumbers, b: FieldNumbers): boolean {
  return a.available === b.available && a.windowSec === b.windowSec && a.remaining === b.remaining && a.fullSec === b.fullSec && a.retryAfterSec === b.retryAfterSec;
}
