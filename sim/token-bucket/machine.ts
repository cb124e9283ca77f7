/**
 * One logical request's life, as an xstate machine: the edge's decision
 * (token or 429, shed or admit) and the client's retry loop (back off, try
 * again, give up). The model will step every request through this definition
 * (via compileMachine) so the diagram lit on the page is the one that ran.
 *
 * Events: ARRIVE (an attempt reaches the edge), REPLY (the backend answered in
 * time, or the key store replayed a stored answer), CONFLICT (409: a write
 * with the same Idempotency-Key is still running), TIMEOUT (the client
 * stopped waiting), FAIL (the client reads the 429,
 * the 503 or its own timeout and decides), TIMER (its backoff sleep ended).
 * The guards read an AttemptView the model fills in before each step.
 */
import { setup } from 'xstate';
import { xstateGuards } from '../core/machine-table.ts';

export interface AttemptView {
  /** The client's bucket held a whole token when this attempt arrived. */
  tokenAvailable: boolean;
  /** Load shedding is on and the backend's waiting line has reached its cap (shedQueueMax). */
  shedding: boolean;
  /** The retry policy allows another attempt (not `none`, attempts left). */
  mayRetry: boolean;
}

export type AttemptEvent =
  | { type: 'ARRIVE' }
  | { type: 'REPLY' }
  | { type: 'CONFLICT' }
  | { type: 'TIMEOUT' }
  | { type: 'FAIL' }
  | { type: 'TIMER' };

export const attemptGuards = {
  noToken: (v: AttemptView) => !v.tokenAvailable,
  shedding: (v: AttemptView) => v.shedding,
  mayRetry: (v: AttemptView) => v.mayRetry,
} as const;


/** Every failure (429, 503, 409, timeout) leads to the same decision: back off and retry, or give up. */
const retryOrGiveUp = [
  { guard: 'mayRetry', target: 'backingOff', description: 'retry later' },
  { target: 'gaveUp', description: 'no retries left' },
] as const;

export const requestMachine = setup({
  types: { context: {} as AttemptView, events: {} as AttemptEvent, input: {} as AttemptView },
  guards: xstateGuards(attemptGuards),
}).createMachine({
  id: 'request',
  context: ({ input }) => input,
  initial: 'sending',
  states: {
    sending: {
      description: 'on its way to the edge',
      meta: { label: 'sending', col: 0, row: 0 },
      on: {
        ARRIVE: [
          { guard: 'noToken', target: 'rejected', description: 'no whole token: 429' },
          { guard: 'shedding', target: 'shed', description: 'backend full: fast 503' },
          { target: 'inBackend', description: 'token taken: admitted' },
        ],
      },
    },
    inBackend: {
      description: 'admitted; the backend works on it',
      meta: { label: 'in backend', col: 1, row: 0 },
      on: {
        REPLY: { target: 'succeeded', description: '200 in time' },
        CONFLICT: { target: 'conflict', description: 'same key still running: 409' },
        TIMEOUT: { target: 'timedOut', description: 'client gave up waiting' },
      },
    },
    rejected: {
      description: '429 Too Many Requests, before any work',
      meta: { label: '429 refused', col: 0, row: 1, tone: 'bad' },
      on: { FAIL: retryOrGiveUp },
    },
    shed: {
      description: '503 Service Unavailable with Retry-After',
      meta: { label: '503 shed', col: 1, row: 1, tone: 'bad' },
      on: { FAIL: retryOrGiveUp },
    },
    timedOut: {
      description: 'no answer in time; the work may still run',
      meta: { label: 'timed out', col: 2, row: 1, tone: 'bad' },
      on: { FAIL: retryOrGiveUp },
    },
    conflict: {
      description: '409 Conflict: the first attempt with this key is still running',
      meta: { label: '409 key busy', col: 2, row: 2, tone: 'bad' },
      on: { FAIL: retryOrGiveUp },
    },
    backingOff: {
      description: 'sleeping its backoff (or the server’s hint)',
      meta: { label: 'backing off', col: 1, row: 2 },
      on: { TIMER: { target: 'sending', description: 'try again' } },
    },
    succeeded: {
      type: 'final',
      description: 'a response the client accepted',
      meta: { label: 'succeeded', col: 2, row: 0, tone: 'good' },
    },
    gaveUp: {
      type: 'final',
      description: 'the client stopped trying',
      meta: { label: 'gave up', col: 0, row: 2, tone: 'bad' },
    },
  },
});
