/** The rate-limiting simulation: the one thing site/ and the tests import from this folder. */
import type { ParamValues, Simulation } from '../core/index.ts';
import { clientActive } from './clients.ts';
import { RATELIMIT_DRAFT } from './headers.ts';
import { requestMachine } from './machine.ts';
import { CLIENTS, clientName, REQUEST_STATES, type SeriesKey, type SummaryKey } from './keys.ts';
import { runTokenBucket } from './model.ts';
import { tokenBucketParamGroups, tokenBucketParams, type TokenBucketParams } from './params.ts';
import { tokenBucketScenarios } from './scenarios.ts';

export type { TokenBucketParams } from './params.ts';

// A client that takes no part in a run (a fourth when there are three) has no line, legend entry or column.
const perClient = (family: 'admitted' | 'rejected' | 'bucket') =>
  CLIENTS.map((c) => ({
    key: `${family}_c${c}` as const,
    label: clientName(c),
    shownWhen: (p: ParamValues) => clientActive(p as TokenBucketParams, c),
  }));

export const tokenBucket: Simulation<TokenBucketParams, SeriesKey, SummaryKey> = {
  id: 'token-bucket',
  title: 'Rate limits and retries',
  summary: 'A token bucket per client answers 429 at the edge; RateLimit and Retry-After tell clients when to come back; backoff with jitter, load shedding and idempotency keys keep a stall from becoming a storm.',
  params: tokenBucketParams,
  paramGroups: tokenBucketParamGroups,
  scenarios: tokenBucketScenarios,
  durationSec: (p) => p.durationSec,
  run: runTokenBucket,
  machines: { request: requestMachine },
  view: {
    charts: [
      {
        id: 'buckets',
        title: 'Tokens in each client’s bucket',
        unit: 'tokens',
        series: perClient('bucket'),
        limits: [{ summaryKey: 'burst', label: 'burst' }],
        describe: 'How many tokens each client’s bucket held at the start of each second; a client with an empty bucket gets 429.',
      },
      {
        id: 'admitted',
        title: 'Admitted per second, by client',
        unit: 'per second',
        series: perClient('admitted'),
        describe: 'Attempts each client’s bucket let through to the backend in each second.',
      },
      {
        id: 'refused',
        title: 'Refused with 429 per second, by client',
        unit: 'per second',
        series: perClient('rejected'),
        describe: 'Attempts refused at the edge for want of a token, per client, in each second: the runaway client’s refusals cost the backend nothing.',
      },
      {
        id: 'storm',
        title: 'Attempts per second: new requests and retries',
        unit: 'per second',
        series: [
          { key: 'attempts', label: 'all attempts' },
          { key: 'requests', label: 'new requests' },
          { key: 'retries', label: 'retries' },
          { key: 'shed503', label: 'shed with 503' },
        ],
        describe: 'Attempts sent in each second, new requests and retries among them, and those shed with 503: a retry storm shows as retries rising above the new work.',
      },
      {
        id: 'backend',
        title: 'Backend: working and waiting',
        unit: 'requests',
        series: [
          { key: 'backendBusy', label: 'working' },
          { key: 'backendQueue', label: 'waiting' },
        ],
        limits: [{ summaryKey: 'concurrency', label: 'concurrency' }],
        describe: 'The most requests the backend worked on at once, and the most waiting in line, in each second, with its concurrency.',
      },
      {
        id: 'latency',
        title: 'Time to success, first attempt to answer',
        unit: 'seconds',
        series: [
          { key: 'latencyP50Sec', label: 'median' },
          { key: 'latencyP99Sec', label: '99th pct' },
        ],
        describe: 'How long successful requests took from their first attempt to the answer, retries and waits included, by the second they ended.',
      },
    ],
    outcomeGroups: [
      {
        title: 'Attempts',
        attempts: 'attempts',
        outcomes: [
          { key: 'ok', label: '200 from the backend', series: 'ok', tone: 'good' },
          { key: 'replayed', label: '200 replayed from the key store', series: 'replayed', tone: 'good' },
          { key: 'rejected429', label: '429 at the edge', series: 'rejected429', tone: 'bad' },
          { key: 'shed503', label: '503 shed', series: 'shed503', tone: 'bad' },
          { key: 'conflict409', label: '409 key still running', series: 'conflict409', tone: 'bad' },
          { key: 'timeout', label: 'timed out', series: 'timeout', tone: 'bad' },
        ],
      },
      {
        title: 'Requests',
        attempts: 'requests',
        outcomes: [
          { key: 'succeededFirst', label: 'succeeded first time', series: 'succeededFirst', tone: 'good' },
          { key: 'succeededRetried', label: 'succeeded after retries', series: 'succeededRetried', tone: 'neutral' },
          { key: 'gaveUp', label: 'gave up', series: 'gaveUp', tone: 'bad' },
        ],
      },
    ],
    counters: [
      { series: 'executions', label: 'charges run' },
      { series: 'duplicates', label: 'duplicate charges' },
      { series: 'held', label: 'requests held by obedient clients' },
    ],
    countersTitle: 'Side effects so far',
    countersNote: 'A duplicate is a write the backend ran again for a request it had already run: a double charge.',
    diagram: {
      machine: 'request',
      title: 'One request: the edge decides, the client retries',
      caption: 'The number in each box is how many requests entered that state during the current second.',
      counting: 'requests',
      stateSeries: Object.fromEntries(REQUEST_STATES.map((s) => [s, `st_${s}` as const])),
    },
    picture: {
      renderer: 'token-bucket',
      title: 'Buckets, retries and the backend, second by second',
      caption: 'Each client’s bucket at the start of the second (tokens of its capacity), what its attempts met during that second (passed, 429, shed with 503, timed out), how many requests wait at the clients, and the backend’s workers and line. The last 429’s header lines are shown as the edge sent them.',
    },
    inspector: {
      title: 'A response, header by header',
      caption: `Pick a response logged up to the cursor to read its status line and rate-limit fields, as ${RATELIMIT_DRAFT} defines them (or the older form, if chosen).`,
      kinds: ['200', '429', '503', '409', 'replay'],
      pickLabel: 'Response',
    },
  },
};
