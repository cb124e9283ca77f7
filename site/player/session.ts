/**
 * The playback session, without the DOM: which run the reader asked for, which run is on screen,
 * where the cursor is, and whether it plays. The page sends it commands and draws what it holds.
 *
 *   loading ──traceArrived──> paused ──play──> playing ──tick reaches the end──> ended
 *                               ^  └──────pause / step / tick reaches `until`──────┘ │
 *                               └──────────────────seek / step──────────────────────┘
 *
 * Time belongs to the trace: a requested time (a link's `t`, a deck's seek) waits as a number, or
 * null for "the end", until a trace exists, and is then clamped once against it (clampTime).
 */
import { and, assign, setup } from 'xstate';
import { clampTime, type ParamValues, type Trace } from '../../sim/core/index.ts';

/** One run: what the runner computes, and what an answer says it answers. */
export interface RunRequest {
  scenario: string;
  seed: number;
  params: ParamValues;
}

export interface SessionContext {
  /** The newest run asked for. */
  request: RunRequest;
  /** The run on screen and the request it answers; null until the first one arrives. */
  shown: { request: RunRequest; trace: Trace } | null;
  tSec: number;
  /** A time asked for with the request, applied when its trace arrives: undefined keeps the cursor, null is the end. */
  pendingT: number | null | undefined;
  playOnArrival: boolean;
  /** Simulated seconds per real second. */
  speed: number;
  /** Where playback stops short of the end (a deck's "play to 120 s"). */
  untilSec: number | null;
  /** One step of the lesson's clock, in seconds: steps land on its grid. */
  stepSec: number;
}

export type SessionEvent =
  | { type: 'traceArrived'; request: RunRequest; trace: Trace }
  | { type: 'setState'; request: RunRequest; tSec?: number | null; play?: boolean }
  | { type: 'play'; until?: number }
  | { type: 'pause' }
  | { type: 'seek'; tSec: number }
  | { type: 'step'; steps: number }
  | { type: 'setSpeed'; speed: number }
  | { type: 'tick'; dtMs: number };

export interface SessionInput {
  request: RunRequest;
  /** The time the page opened at (the URL's `t`), or null for the end. */
  tSec: number | null;
  speed: number;
  stepSec: number;
}

/** A stalled tab resumes where it was, but a slow projector laptop does not play in slow motion. */
export const MAX_TICK_MS = 250;

export function sameRequest(a: RunRequest, b: RunRequest): boolean {
  if (a.scenario !== b.scenario || a.seed !== b.seed) return false;
  const keys = Object.keys(a.params);
  return keys.length === Object.keys(b.params).length && keys.every((k) => Object.is(a.params[k], b.params[k]));
}

const endOf = (c: SessionContext) => (c.shown ? c.shown.trace.durationMs / 1000 : 0);
const stopOf = (c: SessionContext) => (c.untilSec === null ? endOf(c) : Math.min(endOf(c), c.untilSec));
const advanced = (c: SessionContext, dtMs: number) => Math.min(stopOf(c), c.tSec + (Math.min(MAX_TICK_MS, Math.max(0, dtMs)) / 1000) * c.speed);

/** The cursor moved by whole clock steps, landing on the step grid (0:15, 0:30... for a 15-minute step). */
function stepped(c: SessionContext, steps: number): number {
  const t = c.tSec / c.stepSec;
  // A hair of slack so a cursor already on the grid (within float error) moves by exactly one step.
  const target = (steps > 0 ? Math.floor(t + 1e-9) + steps : Math.ceil(t - 1e-9) + steps) * c.stepSec;
  return c.shown ? clampTime(c.shown.trace, target) : c.tSec;
}

/** A run arrives: only the newest request's answer is shown, and a link that asked to play starts playing. */
const arrival = [
  { guard: and(['answersNewest', 'playsOnArrival']), target: '#session.playing', actions: ['show', 'clearUntil'] },
  { guard: 'answersNewest', target: '#session.paused', actions: 'show' },
] as const;

export const sessionMachine = setup({
  types: {} as { context: SessionContext; events: SessionEvent; input: SessionInput },
  guards: {
    answersNewest: ({ context, event }) => event.type === 'traceArrived' && sameRequest(event.request, context.request),
    playsOnArrival: ({ context }) => context.playOnArrival,
    hasTrace: ({ context }) => context.shown !== null,
    reachesEnd: ({ context, event }) => event.type === 'tick' && advanced(context, event.dtMs) >= endOf(context),
    reachesStop: ({ context, event }) => event.type === 'tick' && advanced(context, event.dtMs) >= stopOf(context),
  },
  actions: {
    show: assign(({ context, event }) => {
      if (event.type !== 'traceArrived') return {};
      const asked = context.pendingT !== undefined ? context.pendingT : context.tSec;
      return { shown: { request: event.request, trace: event.trace }, tSec: clampTime(event.trace, asked), pendingT: undefined, playOnArrival: false };
    }),
    ask: assign(({ event }) => {
      if (event.type !== 'setState') return {};
      return { request: event.request, pendingT: event.tSec, playOnArrival: event.play ?? false };
    }),
    setSpeed: assign(({ context, event }) => ({ speed: event.type === 'setSpeed' && event.speed > 0 ? event.speed : context.speed })),
    seek: assign(({ context, event }) => (event.type === 'seek' && context.shown ? { tSec: clampTime(context.shown.trace, event.tSec) } : {})),
    step: assign(({ context, event }) => (event.type === 'step' ? { tSec: stepped(context, event.steps), untilSec: null } : {})),
    // From the cursor; from the start when the cursor is already at the end or past `until`.
    startPlaying: assign(({ context, event }) => {
      const untilSec = event.type === 'play' && event.until !== undefined ? Math.max(0, event.until) : null;
      const rewind = (untilSec !== null && context.tSec >= untilSec) || context.tSec >= endOf(context);
      return { untilSec, tSec: rewind ? 0 : context.tSec };
    }),
    advance: assign(({ context, event }) => (event.type === 'tick' ? { tSec: advanced(context, event.dtMs) } : {})),
    clearUntil: assign({ untilSec: null }),
  },
}).createMachine({
  id: 'session',
  context: ({ input }) => ({
    request: input.request,
    shown: null,
    tSec: 0,
    pendingT: input.tSec,
    playOnArrival: false,
    speed: input.speed,
    untilSec: null,
    stepSec: input.stepSec,
  }),
  initial: 'loading',
  on: {
    setState: { actions: 'ask' },
    setSpeed: { actions: 'setSpeed' },
  },
  states: {
    loading: {
      on: { traceArrived: arrival },
    },
    paused: {
      on: {
        traceArrived: arrival,
        play: { guard: 'hasTrace', target: 'playing', actions: 'startPlaying' },
        seek: { actions: 'seek' },
        step: { actions: 'step' },
      },
    },
    playing: {
      on: {
        traceArrived: { guard: 'answersNewest', actions: 'show' },
        pause: { target: 'paused', actions: 'clearUntil' },
        play: { actions: 'startPlaying' },
        seek: { actions: 'seek' },
        step: { target: 'paused', actions: 'step' },
        tick: [
          { guard: 'reachesEnd', target: 'ended', actions: ['advance', 'clearUntil'] },
          { guard: 'reachesStop', target: 'paused', actions: ['advance', 'clearUntil'] },
          { actions: 'advance' },
        ],
      },
    },
    ended: {
      on: {
        traceArrived: arrival,
        play: { target: 'playing', actions: 'startPlaying' },
        seek: { target: 'paused', actions: 'seek' },
        step: { target: 'paused', actions: 'step' },
      },
    },
  },
});
