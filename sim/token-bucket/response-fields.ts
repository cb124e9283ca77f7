/**
 * The edge's responses, each written and read back once per distinct set of
 * numbers. A run answers thousands of times with a few dozen distinct field
 * sets (r=0;t=1 again and again), and writing the lines then parsing them as
 * Structured Fields cost more than the rest of the model together; the lines
 * depend only on the whole numbers they print (headers.ts fieldNumbers), so
 * those numbers are the key and the cached answer is the one the parser gave.
 */
import type { BucketSpec } from './bucket.ts';
import { fieldNumbers, headerLinesOf, readHints, type ClientHints, type FieldNumbers, type HeaderStyle } from './headers.ts';

/** One response's lines, as sent, and what a client reads back from them. Shared between responses: never mutated. */
export type ResponseFields = ClientHints & { readonly lines: readonly string[] };

export class ResponseFieldsCache {
  private readonly written = new Map<string, ResponseFields>();
  private last: { numbers: FieldNumbers; fields: ResponseFields } | null = null;
  private readonly policyName: string;
  private readonly bucket: BucketSpec;
  private readonly style: HeaderStyle;

  constructor(policyName: string, bucket: BucketSpec, style: HeaderStyle) {
    this.policyName = policyName;
    this.bucket = bucket;
    this.style = style;
  }

  of(view: Parameters<typeof fieldNumbers>[0]): ResponseFields {
    const n = fieldNumbers(view);
    // A client refused again and again gets the same answer each time: no key to build for that.
    const last = this.last;
    if (last !== null && sameNumbers(n, last.numbers)) return last.fields;
    const key = `${n.remaining} ${n.nextTokenSec} ${n.fullSec} ${n.retryAfterSec}`;
    let fields = this.written.get(key);
    if (fields === undefined) {
      const lines = Object.freeze(headerLinesOf(this.policyName, this.bucket, n, this.style));
      fields = Object.freeze({ ...readHints(lines), lines });
      this.written.set(key, fields);
    }
    this.last = { numbers: n, fields };
    return fields;
  }
}

function sameNumbers(a: FieldNumbers, b: FieldNumbers): boolean {
  return a.remaining === b.remaining && a.nextTokenSec === b.nextTokenSec && a.fullSec === b.fullSec && a.retryAfterSec === b.retryAfterSec;
}
