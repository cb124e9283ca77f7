import { describe, expect, test } from 'vitest';
import { createActor } from 'xstate';
import type { Trace } from '../../sim/core/index.ts';
import { sessionMachine, type RunRequest, type SessionEvent } from '../../site/player/session.ts';

/** Only a trace's length matters to the session; the rest is never read. */
const traceOf = (durationSec: number) => ({ durationMs: durationSec * 1000 }) as Trace;
const ask = (scenario = 'a', seed = 1): RunRequest => ({ scenario, seed, params: { rate: 10 } });

/** A session whose first run (60 s unless said) is on screen, the cursor where `t` asks. */
function started(t: number | null = null, durationSec = 60, stepSec = 1) {
  const actor = createActor(sessionMachine, { input: { request: ask(), tSec: t, speed: 10, stepSec } }).start();
  actor.send({ type: 'traceArrived', request: ask(), trace: traceOf(durationSec) });
  return actor;
}

const view = (actor: ReturnType<typeof started>) => {
  const s = actor.getSnapshot();
  return { state: s.value, tSec: Math.round(s.context.tSec * 1000) / 1000 };
};

describe('the playback session', () => {
  test('before its first run it is loading, and commands that need a trace change nothing', () => {
    const actor = createActor(sessionMachine, { input: { request: ask(), tSec: 5, speed: 10, stepSec: 1 } }).start();
    actor.send({ type: 'play' });
    actor.send({ type: 'seek', tSec: 3 });
    expect(view(actor)).toEqual({ state: 'loading', tSec: 0 });
  });

  test.each([
    ['no t opens at the end of the run', null, 60],
    ['a t inside the run is taken as asked', 12.5, 12.5],
    ['a negative t opens at the start', -1, 0],
    ['a t past the end opens at the end', 999, 60],
  ])('%s', (_title, t, expected) => {
    expect(view(started(t))).toEqual({ state: 'paused', tSec: expected });
  });

  // Each row: the commands after a 60 s run opened at t = 10 s, at 10x, and where that leaves the session.
  test.each<[string, SessionEvent[], { state: string; tSec: number }]>([
    ['play then 100 ms of ticks advances the cursor by one simulated second', [{ type: 'play' }, { type: 'tick', dtMs: 100 }], { state: 'playing', tSec: 11 }],
    ['a stalled frame counts as at most 250 ms', [{ type: 'play' }, { type: 'tick', dtMs: 5000 }], { state: 'playing', tSec: 12.5 }],
    ['pause stops the clock', [{ type: 'play' }, { type: 'pause' }, { type: 'tick', dtMs: 100 }], { state: 'paused', tSec: 10 }],
    ['a tick while paused does nothing', [{ type: 'tick', dtMs: 100 }], { state: 'paused', tSec: 10 }],
    ['playing to the end ends', [{ type: 'play' }, ...Array.from({ length: 25 }, () => ({ type: 'tick', dtMs: 200 }) as const)], { state: 'ended', tSec: 60 }],
    ['play after the end starts again from 0', [{ type: 'seek', tSec: 60 }, { type: 'play' }, { type: 'tick', dtMs: 100 }], { state: 'playing', tSec: 1 }],
    ['play until 15 s stops there, paused', [{ type: 'play', until: 15 }, ...Array.from({ length: 5 }, () => ({ type: 'tick', dtMs: 200 }) as const)], { state: 'paused', tSec: 15 }],
    ['play until a time already passed starts from 0', [{ type: 'play', until: 5 }, { type: 'tick', dtMs: 100 }], { state: 'playing', tSec: 1 }],
    ['setSpeed changes how far a tick goes', [{ type: 'setSpeed', speed: 2 }, { type: 'play' }, { type: 'tick', dtMs: 250 }], { state: 'playing', tSec: 10.5 }],
    ['a seek while playing keeps playing from there', [{ type: 'play' }, { type: 'seek', tSec: 30 }, { type: 'tick', dtMs: 100 }], { state: 'playing', tSec: 31 }],
    ['a seek is clamped to the run', [{ type: 'seek', tSec: -4 }], { state: 'paused', tSec: 0 }],
    ['a step pauses and moves one clock step', [{ type: 'play' }, { type: 'tick', dtMs: 50 }, { type: 'step', steps: 1 }], { state: 'paused', tSec: 11 }],
    ['a step back from between steps lands on the step below', [{ type: 'seek', tSec: 10.5 }, { type: 'step', steps: -1 }], { state: 'paused', tSec: 10 }],
    ['ten steps past the end stop at the end', [{ type: 'seek', tSec: 55 }, { type: 'step', steps: 10 }], { state: 'paused', tSec: 60 }],
  ])('%s', (_title, events, expected) => {
    const actor = started(10);
    for (const event of events) actor.send(event);
    expect(view(actor)).toEqual(expected);
  });

  test('steps land on the clock grid of a lesson that counts in quarter hours', () => {
    const actor = started(1000, 86_400, 900);
    actor.send({ type: 'step', steps: 1 });
    expect(view(actor).tSec).toBe(1800);
    actor.send({ type: 'step', steps: -1 });
    expect(view(actor).tSec).toBe(900);
  });

  test('only the newest request is shown: an answer to an older one is dropped', () => {
    const actor = started(10);
    actor.send({ type: 'setState', request: ask('b'), tSec: null });
    actor.send({ type: 'setState', request: ask('c'), tSec: null });
    actor.send({ type: 'traceArrived', request: ask('b'), trace: traceOf(30) });
    expect(actor.getSnapshot().context.shown!.request.scenario).toBe('a');
    actor.send({ type: 'traceArrived', request: ask('c'), trace: traceOf(40) });
    expect(actor.getSnapshot().context.shown!.request.scenario).toBe('c');
    expect(view(actor)).toEqual({ state: 'paused', tSec: 40 });
  });

  test('a new run keeps the cursor where it was, clamped to the new run', () => {
    const actor = started(50);
    actor.send({ type: 'setState', request: ask('a', 2) });
    expect(view(actor).tSec).toBe(50);
    actor.send({ type: 'traceArrived', request: ask('a', 2), trace: traceOf(20) });
    expect(view(actor)).toEqual({ state: 'paused', tSec: 20 });
  });

  test('a link that asks to play starts playing when its run arrives, not before', () => {
    const actor = started(10);
    actor.send({ type: 'setState', request: ask('b'), tSec: 3, play: true });
    expect(view(actor)).toEqual({ state: 'paused', tSec: 10 });
    actor.send({ type: 'traceArrived', request: ask('b'), trace: traceOf(30) });
    actor.send({ type: 'tick', dtMs: 100 });
    expect(view(actor)).toEqual({ state: 'playing', tSec: 4 });
  });
});
