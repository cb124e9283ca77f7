/**
 * The network map's layout: for every frame of every SSH scenario, wide and
 * narrow, boxes stay inside the drawing and never overlap, every line fits
 * its box, and the drawing has one arrow for the step's path.
 */
import { describe, expect, test } from 'vitest';
import { scenarioState } from '../../sim/core/index.ts';
import type { NetworkScene } from '../../sim/core/index.ts';
import { sshForwarding } from '../../sim/ssh-forwarding/index.ts';
import { COMPACT_METRICS, mapLayout, renderNetworkMap, sceneInWords } from '../../site/pictures/network-map.ts';
import { expectSnapshot } from './snapshot.ts';

const CHAR_W = 6.7;
const traces = sshForwarding.scenarios.map((s) => {
  const st = scenarioState(sshForwarding, s.id);
  return [s.id, sshForwarding.run(st.params, st.seed)] as const;
});

describe('the network map', () => {
  test.each([false, true])('vertical=%s: boxes inside the drawing, apart, and every line within its box', (vertical) => {
    for (const [id, trace] of traces) {
      const scene = (trace.scene as NetworkScene);
      scene.frames.forEach((frame, i) => {
        const { boxes, width, height } = mapLayout(scene, frame, vertical);
        const list = [...boxes.values()];
        expect(list.length, id).toBe(scene.nodes.length);
        for (const b of list) {
          expect(b.x >= 0 && b.x + b.w <= width && b.y >= 0 && b.y + b.h <= height, `${id} frame ${i} ${b.node.id}`).toBe(true);
          for (const line of [...b.lines, ...b.listening]) expect(line.length * CHAR_W + 14, `${id}: ${line}`).toBeLessThanOrEqual(b.w + 0.01);
        }
        for (const a of list) {
          for (const b of list) {
            if (a === b) continue;
            const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
            expect(apart, `${id} frame ${i}: ${a.node.id} and ${b.node.id} overlap`).toBe(true);
          }
        }
      });
    }
  });

  test('one arrow for the step’s path, the focus outlined, and the same words in the drawing as under it', () => {
    const [, trace] = traces.find(([id]) => id === 'vnc-desktop2-via-desktop1')!;
    const relay = trace.log.findIndex((l) => l.kind === 'relay');
    const svg = renderNetworkMap((trace.scene as NetworkScene), relay, { id: 'm', title: 'Map', vertical: false });
    expect(svg.match(/marker-end=/g)).toHaveLength(1);
    expect(svg).toContain('class="path kind-relay current"');
    expect(svg).toMatch(/<g class="host focus" data-host="laptop"/);
    const words = sceneInWords((trace.scene as NetworkScene), relay);
    expect(words).toContain('It sends bytes relayed end to end: laptop → router → desktop1 → desktop2.');
    expect(svg).toContain(`<desc id="m-desc">${words}</desc>`);
  });

  test('compact: boxes inside a wide, short drawing, apart, every line within its box at 13 units', () => {
    for (const [id, trace] of traces) {
      const scene = trace.scene as NetworkScene;
      scene.frames.forEach((frame, i) => {
        const { boxes, width, height } = mapLayout(scene, frame, false, true);
        const list = [...boxes.values()];
        expect(list.length, id).toBe(scene.nodes.length);
        // Wide enough to lead a slide above its charts (fit.ts's 1.6), with the loops' 16 units above.
        expect(width / (height + 16), `${id} frame ${i}`).toBeGreaterThanOrEqual(2.9);
        for (const b of list) {
          expect(b.x >= 0 && b.x + b.w <= width && b.y >= 0 && b.y + b.h <= height, `${id} frame ${i} ${b.node.id}`).toBe(true);
          for (const line of [...b.lines, ...b.listening]) expect(line.length * COMPACT_METRICS.charW + 14, `${id}: ${line}`).toBeLessThanOrEqual(b.w + 0.01);
        }
        for (const a of list) for (const b of list) {
          if (a === b) continue;
          expect(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y, `${id} frame ${i}: ${a.node.id} and ${b.node.id} overlap`).toBe(true);
        }
      });
    }
  });

  test('compact: every listener and service stays; only bare addresses go, and the words still give them', () => {
    const [, trace] = traces.find(([id]) => id === 'vnc-desktop2-via-desktop1')!;
    const scene = trace.scene as NetworkScene;
    const i = scene.frames.findIndex((f) => f.listening.length > 0);
    expect(i).toBeGreaterThanOrEqual(0);
    const full = mapLayout(scene, scene.frames[i]!, false);
    const compact = mapLayout(scene, scene.frames[i]!, false, true);
    const words = sceneInWords(scene, i);
    for (const [host, b] of full.boxes) {
      const kept = compact.boxes.get(host)!;
      expect(kept.listening).toEqual(b.listening);
      // A line too long for its box is cut with an ellipsis, as in the wide map; the words have it whole.
      const dropped = b.lines.filter((l) => !kept.lines.some((k) => k === l || (k.endsWith('…') && l.startsWith(k.slice(0, -1)))));
      for (const line of dropped) {
        expect(line).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
        expect(words).toContain(line);
      }
    }
    expect(full.boxes.get('router')!.lines.length - compact.boxes.get('router')!.lines.length).toBe(2);
    const svg = renderNetworkMap(scene, i, { id: 'm', title: 'Map', vertical: false, compact: true });
    expect(svg).toMatch(/^<svg class="netmap compact"/);
    expectSnapshot('network-map-vnc-desktop2-via-desktop1-compact', svg);
  });
});
