/** The knobs of the rate-limiting simulation; units in the names, switches as 0/1 choices. */
import { onOffParam, type ParamSpecs } from '../core/index.ts';
import { RETRY_POLICIES } from './backoff.ts';

export type TokenBucketParams = {
  clients: number;
  clientPerMin: number;
  runawayPerMin: number;
  limitPerMin: number;
  burst: number;
  retryPolicy: number;
  runawayRetryPolicy: number;
  baseMs: number;
  capMs: number;
  maxAttempts: number;
  obeyHints: number;
  headerStyle: number;
  concurrency: number;
  serviceMs: number;
  timeoutMs: number;
  stallAtSec: number;
  stallSec: number;
  shedding: number;
  shedQueueMax: number;
  shedRetryAfterSec: number;
  writePct: number;
  idempotencyKeys: number;
  durationSec: number;
};

const POLICY_LABELS: Record<(typeof RETRY_POLICIES)[number], string> = {
  none: 'none',
  immediate: 'immediate',
  fixed: 'fixed delay',
  exponential: 'exponential, no jitter',
  'full-jitter': 'full jitter',
  'equal-jitter': 'equal jitter',
  'decorrelated-jitter': 'decorrelated jitter',
};
const policyOptions = RETRY_POLICIES.map((p, i) => ({ value: i, label: POLICY_LABELS[p] }));


export const HEADER_STYLES = ['draft', 'legacy', 'off'] as const;

export const tokenBucketParams: ParamSpecs<TokenBucketParams> = {
  clients: { kind: 'number', label: 'Well-behaved clients', unit: '', min: 1, max: 4, step: 1, default: 3, help: 'Clients sending at a steady average rate (Poisson arrivals), each with its own bucket.' },
  clientPerMin: { kind: 'number', label: 'Each client’s rate', unit: '/min', min: 1, max: 6000, step: 1, default: 60, help: 'New requests a minute from each well-behaved client.', scale: 'log' },
  runawayPerMin: { kind: 'number', label: 'Runaway client', unit: '/min', min: 0, max: 20000, step: 100, default: 0, help: 'One more client stuck in a loop, sending this many requests a minute. 0 is off.' },
  limitPerMin: { kind: 'number', label: 'Limit per client', unit: '/min', min: 1, max: 12000, step: 1, default: 100, help: 'The bucket’s refill rate: tokens added per minute.', scale: 'log' },
  burst: { kind: 'number', label: 'Burst', unit: 'tokens', min: 1, max: 1000, step: 1, default: 100, help: 'The bucket’s capacity. It starts full, so a fresh client may send this many at once.' },
  retryPolicy: { kind: 'choice', label: 'Retry policy', options: policyOptions, default: 4, help: 'What a well-behaved client does after a 429, a 503, a 409 or a timeout.' },
  runawayRetryPolicy: { kind: 'choice', label: 'Runaway’s retry policy', options: policyOptions, default: 0, help: 'The runaway client’s own retries, on top of its loop.' },
  baseMs: { kind: 'number', label: 'Backoff base', unit: 'ms', min: 1, max: 5000, step: 1, default: 200, help: 'The fixed delay, and the base of the exponential policies.', scale: 'log' },
  capMs: { kind: 'number', label: 'Backoff cap', unit: 'ms', min: 10, max: 120000, step: 10, default: 20000, help: 'No computed sleep exceeds this.', scale: 'log' },
  maxAttempts: { kind: 'number', label: 'Attempts', unit: '', min: 1, max: 20, step: 1, default: 5, help: 'Attempts per request, the first one included.' },
  obeyHints: onOffParam('Clients obey the headers', 'Wait at least Retry-After before retrying, and spread new requests as RateLimit says: no more than r in the next t seconds.'),
  headerStyle: {
    kind: 'choice',
    label: 'RateLimit fields',
    options: [
      { value: 0, label: 'draft-11 (RateLimit, RateLimit-Policy)' },
      { value: 1, label: 'older (RateLimit-Limit, -Remaining, -Reset)' },
      { value: 2, label: 'none' },
    ],
    default: 0,
    help: 'Which rate-limit fields responses carry. A 429 always carries Retry-After.',
  },
  concurrency: { kind: 'number', label: 'Backend concurrency', unit: '', min: 1, max: 200, step: 1, default: 8, help: 'Requests the backend works on at once; the rest wait in line.' },
  serviceMs: { kind: 'number', label: 'Service time', unit: 'ms', min: 1, max: 5000, step: 1, default: 100, help: 'How long one request takes once a worker picks it up (±10%).', scale: 'log' },
  timeoutMs: { kind: 'number', label: 'Client timeout', unit: 'ms', min: 100, max: 30000, step: 100, default: 2000, help: 'A client stops waiting after this long; the backend may still do the work.' },
  stallAtSec: { kind: 'number', label: 'Stall starts at', unit: 's', min: 0, max: 300, step: 1, default: 20, help: 'When the backend stops answering.' },
  stallSec: { kind: 'number', label: 'Stall length', unit: 's', min: 0, max: 60, step: 1, default: 0, help: 'How long the backend freezes: no request starts or finishes. 0 is off.' },
  shedding: onOffParam('Load shedding', 'When the line is full, answer at once with 503 and Retry-After instead of letting the client time out.'),
  shedQueueMax: { kind: 'number', label: 'Shed above', unit: 'waiting', min: 0, max: 1000, step: 1, default: 20, help: 'With load shedding on, a request that finds this many already waiting is shed.' },
  shedRetryAfterSec: { kind: 'number', label: 'Retry-After on 503', unit: 's', min: 0, max: 60, step: 1, default: 2, help: 'The hint a shed response carries.' },
  writePct: { kind: 'number', label: 'Writes', unit: '%', min: 0, max: 100, step: 1, default: 0, help: 'Share of requests that charge a card: running one twice is a double charge.' },
  idempotencyKeys: onOffParam('Idempotency-Key store', 'Writes carry a key; the server claims it before the work and replays the stored result to a retry.'),
  durationSec: { kind: 'number', label: 'Simulated time', unit: 's', min: 10, max: 300, step: 10, default: 60, help: 'Length of the run.' },
};

export const tokenBucketParamGroups = [
  { label: 'Clients', keys: ['clients', 'clientPerMin', 'runawayPerMin', 'writePct'] },
  { label: 'Edge', keys: ['limitPerMin', 'burst', 'headerStyle', 'shedding', 'shedQueueMax', 'shedRetryAfterSec'] },
  { label: 'Retries', keys: ['retryPolicy', 'runawayRetryPolicy', 'baseMs', 'capMs', 'maxAttempts', 'obeyHints', 'idempotencyKeys'] },
  { label: 'Backend', keys: ['concurrency', 'serviceMs', 'timeoutMs', 'stallAtSec', 'stallSec'] },
  { label: 'Run', keys: ['durationSec'] },
] as const satisfies readonly { label: string; keys: readonly (keyof TokenBucketParams)[] }[];
