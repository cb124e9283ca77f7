/**
 * The SYN-queue picture's layout and words: for every frame of every scenario,
 * wide and narrow, everything lies inside the drawing and no two labels (or a
 * label and a slot) overlap; a queue's grid has exactly its limit's slots;
 * the words and the change sentence say the numbers the series say at moments
 * found by the series; and a real frame is kept as a snapshot.
 */
import { describe, expect, test } from 'vitest';
import { scenarioState, type Trace } from '../../sim/core/index.ts';
import { synQueue } from '../../sim/syn-queue/index.ts';
import type { SynQueueScene } from '../../sim/syn-queue/scene.ts';
import { fmt } from '../../site/charts/escape.ts';
import { COMPACT_WIDTH, MAX_CELLS, synQueueLayout, type Cell, type Label } from '../../site/pictures/syn-queue-layout.ts';
import { synQueuePicture } from '../../site/pictures/syn-queue.ts';
import { expectSnapshot } from './snapshot.ts';

const traces = synQueue.scenarios.map((s) => {
  const st = scenarioState(synQueue, s.id);
  return [s.id, synQueue.run(st.params, st.seed)] as const;
});
const traceOf = (id: string) => traces.find(([s]) => s === id)![1];
const sceneOf = (trace: Trace) => trace.scene as SynQueueScene;

interface Box { x0: number; x1: number; y0: number; y1: number; what: string }
const labelBox = (l: Label): Box => ({ x0: l.x, x1: l.x + l.w, y0: l.y - l.h + 4, y1: l.y + 4, what: l.text });
const cellBox = (c: Cell, what: string): Box => ({ x0: c.x, x1: c.x + c.size, y0: c.y, y1: c.y + c.size, what });
const apart = (a: Box, b: Box) => a.x1 <= b.x0 || b.x1 <= a.x0 || a.y1 <= b.y0 || b.y1 <= a.y0;

/** The SYN queue's snapshot total at each sample, from the series (young plus old). */
const synAt = (trace: Trace, k: number) => trace.series.synQueueYoung![k]! + trace.series.synQueueOld![k]!;

describe('the SYN-queue picture, compact (a small box or a slide)', () => {
  test('both queues’ counts with their peaks and block sizes on one line, the wire and a one-word legend in 420 units; the schedule and the blocks’ numbers go to the words', () => {
    const trace = traceOf('fastmail-2002');
    const scene = sceneOf(trace);
    const k = trace.series.synQueueOld!.findIndex((n) => n > 0);
    expect(k).toBeGreaterThan(0);
    const frame = scene.frames[k]!;
    const texts = synQueueLayout(scene, frame, false, true).labels.map((l) => l.text);
    const per = synQueueLayout(scene, frame, false, true).perBlock.syn;
    expect(texts).toContain(`SYN queue: ${fmt(synAt(trace, k))} of ${fmt(scene.synQueueCap)}, peak ${fmt(frame.peak[0])}${per === 1 ? '' : ` (block = ${per})`}`);
    expect(texts).toEqual(expect.arrayContaining(['legit', 'broken', 'spoofed', 'cookie', 'free']));
    expect(texts.some((t) => t.startsWith('SYN-ACKs go out'))).toBe(false);
    const words = synQueuePicture.words(trace, k);
    expect(words).toMatch(/SYN-ACKs go out [\d., ]+ s after the SYN/);
    expect(words).toContain(`at most ${fmt(frame.peak[0])} in the SYN queue in this second`);
    // Entries by SYN-ACKs had add up to the queue's length.
    const byAge = /Entries by SYN-ACKs had: ([^;]+);/.exec(words)![1]!.split(', ').map((x) => Number(x.split(': ')[1]!.replace(/,/g, '')));
    expect(byAge.reduce((a, b) => a + b, 0)).toBe(synAt(trace, k));
    expect(synQueuePicture.render(trace, k, { id: 's', title: 'S', vertical: false, compact: true })).toMatch(/viewBox="0 0 420 /);
  });
});

describe('the SYN-queue picture', () => {
  test.each([[false, false], [true, false], [false, true]])('vertical=%s, compact=%s: every frame lays out inside the drawing with no overlaps, and each grid has its limit’s slots', (vertical, compact) => {
    const problems: string[] = [];
    for (const [id, trace] of traces) {
      const scene = sceneOf(trace);
      scene.frames.forEach((frame, i) => {
        const l = synQueueLayout(scene, frame, vertical, compact);
        const where = `${id} frame ${i}`;
        if (l.width !== (vertical ? 340 : compact ? COMPACT_WIDTH : 600)) problems.push(`${where}: width ${l.width}`);
        const labels = l.labels.map(labelBox);
        const cells = [...l.cells.syn, ...l.cells.accept, ...l.cells.legend].map((c) => cellBox(c, c.kind));
        const marks = l.marks.map((m) => ({ x0: m.x, x1: m.x + 12, y0: m.y, y1: m.y + 10, what: m.shape }));
        for (const b of [...labels, ...cells, ...marks]) {
          if (!(b.x0 >= 0 && b.x1 <= l.width && b.y0 >= 0 && b.y1 <= l.height)) problems.push(`${where}: ${b.what} outside`);
        }
        for (const [n, a] of labels.entries()) {
          for (const b of [...labels.slice(n + 1), ...cells, ...marks]) if (!apart(a, b)) problems.push(`${where}: “${a.what}” overlaps ${b.what}`);
        }
        for (const [queue, cap, per] of [['syn', scene.synQueueCap, l.perBlock.syn], ['accept', scene.acceptQueueCap, l.perBlock.accept]] as const) {
          const grid = l.cells[queue];
          if (grid.length !== Math.ceil(cap / per) || grid.length > MAX_CELLS) problems.push(`${where}: ${grid.length} ${queue} slots for ${cap} in blocks of ${per}`);
          const total = queue === 'syn' ? frame.syn.flat().reduce((x, y) => x + y, 0) : frame.accept[0] + frame.accept[1];
          const filled = grid.filter((c) => c.kind !== 'empty' && c.kind !== 'reserved').length;
          if (filled !== Math.ceil(total / per)) problems.push(`${where}: ${filled} ${queue} slots filled for ${total} entries`);
        }
      });
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  test('one slot per entry when the queue is small: each kind fills exactly its own count of slots, labelled with its SYN-ACKs', () => {
    const trace = traceOf('fastmail-on-modern');
    const scene = sceneOf(trace);
    const k = scene.frames.findIndex((f, i) => i > 0 && synAt(trace, i) === scene.synQueueCap);
    const l = synQueueLayout(scene, scene.frames[k]!, false);
    expect(l.perBlock.syn).toBe(1);
    const frame = scene.frames[k]!;
    frame.syn[1]!.forEach((n, r) => expect(l.cells.syn.filter((c) => c.kind === 'broken' && c.synAcks === r + 1)).toHaveLength(n));
  });

  test('the flood: when the SYN queue fills, the change says so and that new SYNs get cookies, and the words say the second’s counts', () => {
    const trace = traceOf('syn-flood');
    const cap = trace.summary.synQueueCap!;
    const k = trace.series.synQueue!.findIndex((_, i) => i > 0 && synAt(trace, i) >= cap && synAt(trace, i - 1) < cap);
    expect(k).toBeGreaterThan(0);
    expect(trace.series.cookiesSent![k]).toBeGreaterThan(0);
    expect(synQueuePicture.change(trace, k - 1, k)).toBe(`SYN queue full: ${fmt(cap)} of ${fmt(cap)}; new SYNs now get cookies`);
    const words = synQueuePicture.words(trace, k);
    expect(words).toContain(`SYN queue: ${fmt(cap)} of ${fmt(cap)} slots taken`);
    expect(words).toContain(`In this second ${fmt(trace.series.synsReceived![k]!)} SYNs came in`);
    expect(words).toContain(`${fmt(trace.series.cookiesSent![k]!)} as cookies`);
    expect(words).toContain(`The application accepted ${fmt(trace.series.accepts![k]!)}.`);
    // Nothing worth saying between two identical moments.
    expect(synQueuePicture.change(trace, k, k)).toBe('');
  });

  test('FastMail 2002: the SYN queue stops at the proven-peers threshold, and the change says the other SYNs are dropped', () => {
    const trace = traceOf('fastmail-2002');
    const threshold = trace.summary.provenOnlyAbove!;
    const k = trace.series.synQueue!.findIndex((_, i) => i > 0 && synAt(trace, i) >= threshold && synAt(trace, i - 1) < threshold);
    expect(k).toBeGreaterThan(0);
    expect(trace.series.synDrops!.slice(k, k + 5).some((n) => n > 0)).toBe(true);
    const sentence = synQueuePicture.change(trace, k - 1, k);
    expect(sentence).toMatch(new RegExp(`^SYN queue at ${fmt(synAt(trace, k))} of ${fmt(trace.summary.synQueueCap!)}: only proven peers get in now`));
    expect(synQueuePicture.words(trace, k)).toContain(`Past ${fmt(threshold)} entries, only peers seen before get in.`);
  });

  test('the drawing carries its words as its description, and no more filled slots than the limit', () => {
    const trace = traceOf('syn-flood');
    const svg = synQueuePicture.render(trace, 50, { id: 'p', title: 'Queues', vertical: false });
    expect(svg).toContain(`<desc id="p-desc">${synQueuePicture.words(trace, 50)}</desc>`);
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    const filled = svg.match(/class="sq-cell k-(legit|broken|spoofed|cookie)/g) ?? [];
    const l = synQueueLayout(sceneOf(trace), sceneOf(trace).frames[50]!, false);
    const slots = l.cells.syn.length + l.cells.accept.length;
    // The legend draws one swatch per kind as well.
    expect(filled.length - 4).toBeLessThanOrEqual(slots);
  });
});

describe('SYN-queue picture snapshots: the flood at the moment the SYN queue fills', () => {
  test.each([['wide', false], ['narrow', true]] as const)('%s', (_layout, vertical) => {
    const trace = traceOf('syn-flood');
    const cap = trace.summary.synQueueCap!;
    const k = trace.series.synQueue!.findIndex((_, i) => i > 0 && synAt(trace, i) >= cap);
    expect(k).toBeGreaterThan(0);
    expectSnapshot(`syn-queue-syn-flood${vertical ? '-narrow' : ''}`, synQueuePicture.render(trace, k, { id: 'picture-syn-queue', title: synQueue.view.picture!.title, vertical }));
  });
});
