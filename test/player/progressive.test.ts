/**
 * A run in two parts between the page and its worker: the worker posts a run's first part, then
 * the whole run; a newer run cancels an older one between its parts; the page hands on only the
 * newest request's parts, the first before the whole.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { runUpTo, scenarioState, type Trace } from '../../sim/core/index.ts';
import { chartGeometry } from '../../site/charts/time-chart.ts';
import { renderChart, renderChartTable } from '../../site/panels/chart.ts';
import { synQueue } from '../../sim/syn-queue/index.ts';
import { firstPartSec, FIRST_PART_SHARE, MAX_FIRST_PART_SHARE } from '../../site/player/progressive.ts';
import { SimRunner, type RunAnswer } from '../../site/player/runner.ts';
import { serveSimulations, type Loaders, type ServeOptions, type WorkerMessage, type WorkerReply } from '../../site/player/sim-service.ts';

describe('where a run\'s first part ends', () => {
  test('a tenth of the way in when the reader has no cursor set', () => {
    expect(firstPartSec(300, 0)).toBe(300 * FIRST_PART_SHARE);
  });

  test('just at the cursor when one is set, early or late in the first half', () => {
    expect(firstPartSec(300, 2)).toBe(2);
    expect(firstPartSec(300, 140)).toBe(140);
  });

  test('a tenth of the way in when the cursor lies past half the run or at its end', () => {
    expect(firstPartSec(300, 300 * MAX_FIRST_PART_SHARE + 1)).toBe(300 * FIRST_PART_SHARE);
    expect(firstPartSec(300, Infinity)).toBe(300 * FIRST_PART_SHARE);
  });
});

const busyHour = scenarioState(synQueue, 'busy-hour');
const fix = scenarioState(synQueue, 'fastmail-fix');
const runMessage = (requestId: number, state = busyHour, cursorSec = 0, moving = false): WorkerMessage => ({ kind: 'run', requestId, simId: 'syn-queue', params: state.params, seed: state.seed, cursorSec, moving });

describe('the worker', () => {
  const realSelf = (globalThis as { self?: unknown }).self;
  afterEach(() => void ((globalThis as { self?: unknown }).self = realSelf));

  /** A worker scope in Node: the messages the page sends are dispatched to it, its replies kept. */
  async function worker(onReply: (reply: WorkerReply, send: (m: WorkerMessage) => void) => void = () => {}, options: ServeOptions = {}) {
    const scope = new EventTarget();
    const replies: WorkerReply[] = [];
    const send = (data: WorkerMessage) => scope.dispatchEvent(new MessageEvent('message', { data }));
    (globalThis as { self?: unknown }).self = Object.assign(scope, { postMessage: (reply: WorkerReply) => (replies.push(reply), onReply(reply, send)) });
    serveSimulations(async () => ({ simulationLoaders: { 'syn-queue': async () => synQueue } }) as unknown as Loaders, options);
    send({ kind: 'load', simId: 'syn-queue', loadersUrl: 'unused' });
    await until(() => replies.length > 0);
    replies.length = 0;
    return { replies, send };
  }

  async function until(done: () => boolean): Promise<void> {
    for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(done()).toBe(true);
  }

  test('posts a run\'s first part, then the whole run, which is the one-shot run', async () => {
    const { replies, send } = await worker();
    send(runMessage(1));
    await until(() => replies.some((r) => r.kind === 'trace'));
    expect(replies.map((r) => r.kind)).toEqual(['partial', 'trace']);
    const [first, whole] = replies.map((r) => (r as { trace: Trace }).trace);
    expect(first!.computedToSec).toBe(60 * FIRST_PART_SHARE);
    expect(whole!.computedToSec).toBeUndefined();
    expect(whole!.hash).toBe(synQueue.run(busyHour.params, busyHour.seed).hash);
  });

  test('the first part reaches the cursor the page sends', async () => {
    const { replies, send } = await worker();
    send(runMessage(1, busyHour, 20.5));
    await until(() => replies.some((r) => r.kind === 'trace'));
    expect((replies[0] as { trace: Trace }).trace.computedToSec).toBe(21);
  });

  test('a run asked while the first part of an older one was on its way cancels the older: nothing more of it is posted', async () => {
    // The newer request arrives the moment the older's first part is posted, as a page's would while the worker computes.
    const { replies, send } = await worker((reply, sendNow) => {
      if (reply.kind === 'partial' && reply.requestId === 1) sendNow(runMessage(2, fix));
    });
    send(runMessage(1));
    await until(() => replies.some((r) => r.kind === 'trace'));
    await new Promise((r) => setTimeout(r, 50));
    expect(replies.map((r) => `${r.kind} ${'requestId' in r ? r.requestId : ''}`)).toEqual(['partial 1', 'partial 2', 'trace 2']);
  });

  test('of runs waiting together only the newest is computed', async () => {
    const { replies, send } = await worker();
    send(runMessage(1));
    send(runMessage(2, fix));
    await until(() => replies.some((r) => r.kind === 'trace'));
    expect(replies.every((r) => 'requestId' in r && r.requestId === 2)).toBe(true);
  });

  describe('a run asked by a control still moving (a slider dragged)', () => {
    const kinds = (replies: WorkerReply[]) => replies.map((r) => `${r.kind} ${'requestId' in r ? r.requestId : ''}`);
    /** Every moving control's run waits, and only a rest or a newer run ends the wait: nothing here depends on the machine's speed. */
    const waitsUntilSettled: ServeOptions = { settleMs: Infinity, restAboveMs: 0 };
    /** Turns of the worker's event loop, enough for a whole busy-hour run to be posted had it not waited. */
    const turns = async (n: number) => {
      for (let i = 0; i < n; i++) await new Promise((r) => setTimeout(r, 5));
    };
    /** Two positions of a drag, each run's first part posted, the second's whole run waiting. */
    async function twoPositions() {
      const w = await worker(undefined, waitsUntilSettled);
      w.send(runMessage(1, busyHour, 0, true));
      await until(() => w.replies.length > 0);
      w.send(runMessage(2, fix, 0, true));
      await until(() => w.replies.length > 1);
      return w;
    }
    /** The replies to one moving control's run, once its whole run is posted, under these options. */
    async function repliesUntilWhole(options: ServeOptions) {
      const { replies, send } = await worker(undefined, options);
      send(runMessage(1, busyHour, 0, true));
      await until(() => replies.some((r) => r.kind === 'trace'));
      return kinds(replies);
    }

    test('posts its first part, then waits: the whole run comes once the control is settled', async () => {
      const { replies, send } = await worker(undefined, waitsUntilSettled);
      send(runMessage(1, busyHour, 0, true));
      await until(() => replies.length > 0);
      await turns(20);
      expect(kinds(replies)).toEqual(['partial 1']);
      send({ kind: 'settled', requestId: 1 });
      await until(() => replies.some((r) => r.kind === 'trace'));
      expect(kinds(replies)).toEqual(['partial 1', 'trace 1']);
      expect((replies[1] as { trace: Trace }).trace.hash).toBe(synQueue.run(busyHour.params, busyHour.seed).hash);
    });

    test('a newer run ends the wait of the older, which posts nothing more', async () => {
      const { replies, send } = await twoPositions();
      send({ kind: 'settled', requestId: 2 });
      await until(() => replies.some((r) => r.kind === 'trace'));
      await turns(10);
      expect(kinds(replies)).toEqual(['partial 1', 'partial 2', 'trace 2']);
    });

    test('an older run\'s control coming to rest does not end a newer run\'s wait', async () => {
      const { replies, send } = await twoPositions();
      send({ kind: 'settled', requestId: 1 });
      await turns(20);
      expect(kinds(replies)).toEqual(['partial 1', 'partial 2']);
      send({ kind: 'settled', requestId: 2 });
      await until(() => replies.some((r) => r.kind === 'trace'));
      expect(kinds(replies)).toEqual(['partial 1', 'partial 2', 'trace 2']);
    });

    test('settled before its first part was done, it does not wait at all', async () => {
      const { replies, send } = await worker(undefined, waitsUntilSettled);
      send(runMessage(1, busyHour, 0, true));
      send({ kind: 'settled', requestId: 1 });
      await until(() => replies.some((r) => r.kind === 'trace'));
      expect(kinds(replies)).toEqual(['partial 1', 'trace 1']);
    });

    test('a control that stops without being let go gets its whole run after the wait', async () => {
      expect(await repliesUntilWhole({ settleMs: 1, restAboveMs: 0 })).toEqual(['partial 1', 'trace 1']);
    });

    test('one whose whole run is expected within restAboveMs does not wait: a light lesson\'s drag shows whole runs', async () => {
      expect(await repliesUntilWhole({ settleMs: Infinity, restAboveMs: Infinity })).toEqual(['partial 1', 'trace 1']);
    });
  });
});

describe('the page\'s runner', () => {
  const realWorker = (globalThis as { Worker?: unknown }).Worker;
  afterEach(() => void ((globalThis as { Worker?: unknown }).Worker = realWorker));

  /** A worker that only records what it was sent; the test answers for it. */
  function fakeWorker() {
    const sent: WorkerMessage[] = [];
    let listener: (e: MessageEvent<WorkerReply>) => void = () => {};
    (globalThis as { Worker?: unknown }).Worker = class {
      postMessage(m: WorkerMessage) { sent.push(m); }
      addEventListener(type: string, l: (e: MessageEvent<WorkerReply>) => void) { if (type === 'message') listener = l; }
      terminate() {}
    };
    return { sent, reply: (data: WorkerReply) => listener({ data } as MessageEvent<WorkerReply>) };
  }

  const request = (seed: number) => ({ scenario: 'busy-hour', seed, params: busyHour.params });
  const traceOf = (seed: number, computedToSec?: number) => ({ seed, hash: `h${seed}-${computedToSec ?? 'whole'}`, series: {}, ...(computedToSec === undefined ? {} : { computedToSec }) }) as unknown as Trace;

  test('hands on the newest request\'s first part, then resolves with its whole run; an older request\'s parts are dropped', async () => {
    const worker = fakeWorker();
    const runner = new SimRunner(synQueue);
    runner.warmUp();
    worker.reply({ kind: 'ready' });
    const heard: string[] = [];
    const onPartial = (a: RunAnswer) => heard.push(a.trace.hash);
    const older = runner.run(request(7001), { onPartial });
    const newer = runner.run(request(7002), { onPartial, cursorSec: 12 });
    expect(await older).toBeNull();
    const [m1, m2] = worker.sent.filter((m) => m.kind === 'run') as Extract<WorkerMessage, { kind: 'run' }>[];
    expect(m2!.cursorSec).toBe(12);
    worker.reply({ kind: 'partial', requestId: m1!.requestId, trace: traceOf(7001, 6) });
    worker.reply({ kind: 'partial', requestId: m2!.requestId, trace: traceOf(7002, 12) });
    worker.reply({ kind: 'trace', requestId: m1!.requestId, trace: traceOf(7001) });
    worker.reply({ kind: 'trace', requestId: m2!.requestId, trace: traceOf(7002) });
    expect((await newer)!.trace.hash).toBe('h7002-whole');
    expect(heard).toEqual(['h7002-12']);
  });

  test('tells the worker which runs a moving control asked for, and when that control comes to rest', async () => {
    const worker = fakeWorker();
    const runner = new SimRunner(synQueue);
    runner.warmUp();
    worker.reply({ kind: 'ready' });
    runner.settle(); // Nothing in flight: nothing to say.
    // Seeds no other test asked for: the page keeps recent runs and answers them without the worker.
    const dragged = runner.run(request(7101), { moving: true });
    runner.settle();
    const typed = runner.run(request(7102));
    const [m1, m2] = worker.sent.filter((m) => m.kind === 'run') as Extract<WorkerMessage, { kind: 'run' }>[];
    expect([m1!.moving, m2!.moving]).toEqual([true, false]);
    expect(worker.sent.filter((m) => m.kind === 'settled')).toEqual([{ kind: 'settled', requestId: m1!.requestId }]);
    expect(await dragged).toBeNull();
    worker.reply({ kind: 'trace', requestId: m2!.requestId, trace: traceOf(7102) });
    expect((await typed)!.trace.hash).toBe('h7102-whole');
  });
});

describe('a chart of a run\'s first part', () => {
  const whole = synQueue.run(fix.params, fix.seed);
  const first = runUpTo(30, () => synQueue.run(fix.params, fix.seed));
  const spec = synQueue.view.charts[0]!;
  const size = { width: 600, height: 170 };

  test('spans the whole run, shades from the moment computed to the end, and draws no line there', () => {
    const svg = renderChart(synQueue, spec, first, 10, size);
    const shade = /<rect class="not-computed" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/.exec(svg);
    expect(shade).not.toBeNull();
    const { x } = chartGeometry({ ...size, durationSec: 300 }, Number(/data-plot-left="([\d.]+)"/.exec(svg)![1]));
    expect(Number(shade![1])).toBeCloseTo(x(30), 0);
    expect(Number(shade![1]) + Number(shade![2])).toBeCloseTo(x(300), 0);
    // Every point of every line lies left of the shade.
    const xs = [...svg.matchAll(/class="past" d="([^"]+)"/g)].flatMap((m) => [...m[1]!.matchAll(/[ML]([\d.]+),/g)].map((p) => Number(p[1])));
    expect(xs.length).toBeGreaterThan(0);
    expect(Math.max(...xs)).toBeLessThan(x(30));
    expect(renderChart(synQueue, spec, whole, 10, size)).not.toContain('not-computed');
  });

  test('tabulates only the samples computed', () => {
    const rows = (trace: Trace) => renderChartTable(synQueue, spec, trace, 10).match(/<tr/g)!.length - 1;
    expect(rows(first)).toBeLessThan(rows(whole));
    expect(renderChartTable(synQueue, spec, first, 10)).not.toMatch(/<th scope="row">(4\d|[5-9]\d|\d{3})<\/th>/);
  });
});
