/**
 * The network map's layout: for every frame of every SSH scenario, wide and
 * narrow, boxes stay inside the drawing and never overlap, every line fits
 * its box, and the drawing has one arrow for the step's path.
 */
import { describe, expect, test } from 'vitest';
import { scenarioState } from '../../sim/core/index.ts';
import type { NetworkScene } from '../../sim/core/index.ts';
import { sshForwarding } from '../../sim/ssh-forwarding/index.ts';
import { mapLayout, renderNetworkMap, sceneInWords } from '../../site/pictures/network-map.ts';

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
});
