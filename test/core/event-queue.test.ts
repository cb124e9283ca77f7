import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { EventQueue, runEvents } from '../../sim/core/event-queue.ts';

function drain(q: EventQueue): [number, number, number][] {
  const out: [number, number, number][] = [];
  const ev = { timeMs: 0, kind: 0, arg: 0 };
  while (q.pop(ev)) out.push([ev.timeMs, ev.kind, ev.arg]);
  return out;
}

describe('event queue', () => {
  test('pops by time, and events at the same time in the order they were scheduled', () => {
    const q = new EventQueue(2);
    q.push(5, 1, 0);
    q.push(1, 2, 0);
    q.push(5, 3, 0);
    q.push(1, 4, 0);
    q.push(0, 5, 0);
    expect(drain(q).map(([t, k]) => [t, k])).toEqual([[0, 5], [1, 2], [1, 4], [5, 1], [5, 3]]);
  });

  test('any sequence of pushes pops as a stable sort by time', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 400 }), (times) => {
        const q = new EventQueue(1);
        times.forEach((t, i) => q.push(t, 0, i));
        const expected = times.map((t, i) => [t, 0, i] as [number, number, number]).sort((a, b) => a[0] - b[0] || a[2] - b[2]);
        expect(drain(q)).toEqual(expected);
      }),
    );
  });

  test('interleaved pushes and pops never yield an event earlier than one already popped when scheduled in the future', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 100 })), { maxLength: 300 }), (ops) => {
        const q = new EventQueue(1);
        const ev = { timeMs: 0, kind: 0, arg: 0 };
        let now = 0;
        for (const [isPush, dt] of ops) {
          if (isPush) q.push(now + dt, 0, 0);
          else if (q.pop(ev)) {
            expect(ev.timeMs).toBeGreaterThanOrEqual(now);
            now = ev.timeMs;
          }
        }
      }),
    );
  });

  test('lanes and the heap together pop in exactly (time, scheduling order), as one heap would', () => {
    // Each op: advance the clock, then schedule on the heap (any future time) or on a lane (now + its delay).
    const op = fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: -1, max: 3 }), fc.integer({ min: 0, max: 40 }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const q = new EventQueue(1);
        const delays = [0, 5, 5.5, 40];
        const lanes = delays.map((d) => q.lane(d));
        const expected: [number, number][] = [];
        const popped: [number, number][] = [];
        const ev = { timeMs: 0, kind: 0, arg: 0 };
        let now = 0;
        let seq = 0;
        for (const [advance, target, dt] of ops) {
          // Pop what is due before moving the clock, as a run loop would.
          while (q.peekTimeMs() <= now && q.pop(ev)) popped.push([ev.timeMs, ev.arg]);
          now += advance;
          const time = target < 0 ? now + dt : now + delays[target]!;
          if (target < 0) q.push(time, 0, seq);
          else q.pushAfter(lanes[target]!, now, 0, seq);
          expected.push([time, seq++]);
        }
        while (q.pop(ev)) popped.push([ev.timeMs, ev.arg]);
        expected.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        // Events popped early were due at the time; the full order must match the reference sort.
        expect(popped.map((p) => p[1]).sort((a, b) => a - b)).toEqual(expected.map((e) => e[1]).sort((a, b) => a - b));
        const sortedPopped = [...popped].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(popped).toEqual(sortedPopped);
      }),
      { numRuns: 300 },
    );
  });

  test('a lane of delay 0 fed a stream of future times that never go backwards (a Poisson process\'s next arrival) pops in exactly (time, scheduling order) with the heap', () => {
    // Each op: advance the clock, then schedule on the heap (any future time) or on the stream lane (its last time or later).
    const op = fc.tuple(fc.integer({ min: 0, max: 5 }), fc.boolean(), fc.integer({ min: 0, max: 40 }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const q = new EventQueue(1);
        const stream = q.lane(0);
        const expected: [number, number][] = [];
        const popped: [number, number][] = [];
        const ev = { timeMs: 0, kind: 0, arg: 0 };
        let now = 0;
        let streamLast = 0;
        let seq = 0;
        for (const [advance, onStream, dt] of ops) {
          while (q.peekTimeMs() <= now && q.pop(ev)) popped.push([ev.timeMs, ev.arg]);
          now += advance;
          const time = onStream ? (streamLast = Math.max(streamLast, now) + dt) : now + dt;
          if (onStream) q.pushAfter(stream, time, 0, seq);
          else q.push(time, 0, seq);
          expected.push([time, seq++]);
        }
        while (q.pop(ev)) popped.push([ev.timeMs, ev.arg]);
        expected.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(popped).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  test('a lane whose ring wraps around and grows while it is being drained keeps first-in first-out order', () => {
    const q = new EventQueue(1);
    const lane = q.lane(7);
    const ev = { timeMs: 0, kind: 0, arg: 0 };
    const popped: number[] = [];
    let now = 0;
    let next = 0;
    // Bursts larger than the ring's first capacity, each followed by a partial drain, so the head moves off slot 0 before each growth.
    for (let burst = 0; burst < 12; burst++) {
      for (let k = 0; k < 100 + 40 * burst; k++) q.pushAfter(lane, now, burst, next++);
      for (let k = 0; k < 60 && q.pop(ev); k++) {
        popped.push(ev.arg);
        now = ev.timeMs;
      }
      now += 1;
    }
    while (q.pop(ev)) popped.push(ev.arg);
    expect(popped).toEqual(Array.from({ length: next }, (_, i) => i));
  });

  test('kinds and arguments come back as 32-bit integers, wrapped as an Int32Array would store them', () => {
    const q = new EventQueue();
    const lane = q.lane(1);
    q.push(5, -3, 2 ** 31);
    q.pushAfter(lane, 0, 7, -(2 ** 31) - 1);
    expect(drain(q)).toEqual([[1, 7, 2 ** 31 - 1], [5, -3, -(2 ** 31)]]);
  });

  test('a lane refuses an event earlier than its last (the clock went backwards)', () => {
    const q = new EventQueue();
    const lane = q.lane(10);
    q.pushAfter(lane, 100, 0, 0);
    expect(() => q.pushAfter(lane, 50, 0, 0)).toThrow(RangeError);
  });

  test('rejects times that are negative, NaN or infinite', () => {
    const q = new EventQueue();
    expect(() => q.push(-1, 0, 0)).toThrow(RangeError);
    expect(() => q.push(NaN, 0, 0)).toThrow(RangeError);
    expect(() => q.push(Infinity, 0, 0)).toThrow(RangeError);
  });

  test('the run loop stops at the end time and reports the events it handled', () => {
    const q = new EventQueue();
    const seen: number[] = [];
    for (const t of [10, 20, 30, 40]) q.push(t, 0, t);
    const result = runEvents(q, 30, 100, (t) => seen.push(t));
    expect(seen).toEqual([10, 20, 30]);
    expect(result).toEqual({ events: 3, truncated: false, endMs: 30 });
  });

  test('the run loop stops at the event budget and says the run is truncated', () => {
    const q = new EventQueue();
    // A handler that always schedules another event: without a budget this would never end.
    q.push(0, 0, 0);
    const result = runEvents(q, Infinity, 1000, (t) => q.push(t + 1, 0, 0));
    expect(result.events).toBe(1000);
    expect(result.truncated).toBe(true);
    expect(result.endMs).toBe(999);
  });
});
