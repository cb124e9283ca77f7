/**
 * Named presets shared by the tests and, later, the article. The runaway
 * client's 10,000 requests a minute against a 100-a-minute limit come from the
 * source post; the other numbers are ours, chosen to make each effect plain.
 */
import type { Scenario } from '../core/index.ts';
import { RETRY_POLICIES } from './backoff.ts';
import type { TokenBucketParams } from './params.ts';

const policy = (name: (typeof RETRY_POLICIES)[number]) => RETRY_POLICIES.indexOf(name);

/** Forty requests a second against a backend that can do 160, until it freezes for 5 s. */
const stall: Partial<TokenBucketParams> = {
  clients: 4,
  clientPerMin: 600,
  limitPerMin: 6000,
  burst: 100,
  concurrency: 16,
  serviceMs: 100,
  timeoutMs: 1000,
  stallAtSec: 20,
  stallSec: 5,
  baseMs: 500,
  capMs: 20000,
  maxAttempts: 6,
  durationSec: 60,
};

/** Clients that want twice their limit. */
const overLimit: Partial<TokenBucketParams> = { clients: 3, clientPerMin: 200, limitPerMin: 100, burst: 10, retryPolicy: policy('exponential'), baseMs: 200, maxAttempts: 4, durationSec: 60 };

export const tokenBucketScenarios: Scenario<TokenBucketParams>[] = [
  {
    id: 'runaway',
    title: 'A runaway client against 100 a minute',
    summary: 'One client loops at 10,000 requests a minute. Its bucket lets the first 100 through, then one every 0.6 s; everything else is a 429 that costs the backend nothing.',
    params: { runawayPerMin: 10000, durationSec: 60 },
    seed: 3,
  },
  {
    id: 'stall-no-jitter',
    title: 'A 5-second stall, exponential backoff without jitter',
    summary: 'The backend freezes for 5 s. Requests time out and clients retry on a doubling schedule, but the server still works through requests whose clients have gone: the line keeps growing and nothing succeeds in time again.',
    params: { ...stall, retryPolicy: policy('exponential') },
    seed: 5,
  },
  {
    id: 'stall-full-jitter',
    title: 'The same stall, full jitter',
    summary: 'Full jitter sleeps half as long on average, so more retries land while the line is still long; the server keeps working for clients that have gone.',
    params: { ...stall, retryPolicy: policy('full-jitter') },
    seed: 5,
  },
  {
    id: 'stall-shedding',
    title: 'The stall with load shedding',
    summary: 'Past 20 waiting, the edge answers 503 with Retry-After at once; the line never holds work nobody waits for.',
    params: { ...stall, retryPolicy: policy('full-jitter'), shedding: 1, shedQueueMax: 20 },
    seed: 5,
  },
  {
    id: 'ignore-headers',
    title: 'Clients over their limit that ignore the headers',
    summary: 'Three clients want 200 a minute against 100. They retry by their own schedule and collect 429s.',
    params: { ...overLimit, obeyHints: 0 },
    seed: 7,
  },
  {
    id: 'obey-headers',
    title: 'The same clients, reading RateLimit and Retry-After',
    summary: 'The clients send no more than the RateLimit field’s r in the next t seconds, one every t/r: almost no 429s for the same work.',
    params: { ...overLimit, obeyHints: 1 },
    seed: 7,
  },
  {
    id: 'double-charge',
    title: 'Retried writes without idempotency keys',
    summary: 'Every request charges a card. After the stall, retries of requests that did run, late, run again: double charges.',
    params: { ...stall, writePct: 100, retryPolicy: policy('exponential'), idempotencyKeys: 0 },
    seed: 5,
  },
  {
    id: 'idempotency-keys',
    title: 'The same writes with an Idempotency-Key store',
    summary: 'The server claims each key before the work; a retry gets 409 while the first attempt runs and the stored result afterwards. No double charges.',
    params: { ...stall, writePct: 100, retryPolicy: policy('exponential'), idempotencyKeys: 1 },
    seed: 5,
  },
];
