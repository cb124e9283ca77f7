/**
 * The rate-limiting edge: one token bucket per client, which answers 429
 * before any work, and the RateLimit fields (headers.ts) every response it
 * writes carries. A test may watch each response through an observer.
 */
import type { Observer } from '../core/index.ts';
import { fullBucket, levelAt, take, type BucketSpec, type BucketState, type TakeResult } from './bucket.ts';
import type { HeaderStyle } from './headers.ts';
import { MAX_CLIENTS } from './keys.ts';
import { ResponseFieldsCache, type ResponseFields } from './response-fields.ts';

export const POLICY_NAME = 'default';

/** A response the edge wrote, with the bucket level its fields were computed from. */
export interface EdgeResponse {
  client: number;
  tMs: number;
  tokens: number;
  lines: readonly string[];
  body: string | null;
}

export class Edge {
  readonly bucket: BucketSpec;
  private readonly buckets: BucketState[];
  private readonly responses: ResponseFieldsCache;
  private readonly observe: Observer<EdgeResponse>;

  constructor(bucket: BucketSpec, style: HeaderStyle, observe: Observer<EdgeResponse>) {
    this.bucket = bucket;
    this.buckets = Array.from({ length: MAX_CLIENTS }, () => fullBucket(bucket));
    this.responses = new ResponseFieldsCache(POLICY_NAME, bucket, style);
    this.observe = observe;
  }

  /** An attempt from client c asks its bucket for a token. */
  take(c: number, tMs: number): TakeResult {
    const taken = take(this.bucket, this.buckets[c]!, tMs);
    this.buckets[c] = taken.state;
    return taken;
  }

  /** The bucket as a response would report it now, taking nothing. */
  peek(c: number, tMs: number): TakeResult {
    return take(this.bucket, this.buckets[c]!, tMs, 0);
  }

  level(c: number, tMs: number): number {
    return levelAt(this.bucket, this.buckets[c]!, tMs);
  }

  /** The fields of one response to client c, and what a client reads back from them; a refusal is a 429 with its problem details. */
  fields(c: number, taken: TakeResult, retryAfterMs: number | null, tMs: number): ResponseFields {
    const { remaining, nextTokenInMs, fullInMs } = taken;
    const tokens = taken.state.tokens;
    const fields = this.responses.of({ tokens, remaining, nextTokenInMs, fullInMs, retryAfterMs }, !taken.allowed);
    this.observe?.({ client: c, tMs, tokens, lines: fields.lines, body: fields.body });
    return fields;
  }
}
