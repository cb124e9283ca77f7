/**
 * When a lesson's picture takes its compact layout (site/pictures/picture.ts): in an embed at any
 * size, and in a box narrower than the 600 units the wide layouts are drawn in; never on a phone,
 * whose vertical layout is drawn for its width; and every renderer draws something different when
 * asked for it.
 */
import { describe, expect, test } from 'vitest';
import { scenarioState } from '../../sim/core/index.ts';
import { simulations } from '../../sim/index.ts';
import { drawsCompact } from '../../site/pictures/picture.ts';
import { PICTURES } from '../../site/pictures/registry.ts';

describe('the compact rule', () => {
  test('an embed draws compact, an article\'s page never (its text points at what the wide layout shows), a phone never', () => {
    expect(drawsCompact(false, true)).toBe(true);
    expect(drawsCompact(false, false)).toBe(false);
    expect(drawsCompact(true, true)).toBe(false);
    expect(drawsCompact(true, false)).toBe(false);
  });
});

describe('every picture has a compact layout', () => {
  test.each(Object.values(simulations).filter((s) => s.view.picture).map((s) => [s.id, s] as const))('%s: compact is a different, narrower-or-shorter drawing with the same words', async (_id, sim) => {
    const render = await PICTURES[sim.view.picture!.renderer]!();
    const st = scenarioState(sim, sim.scenarios[0]!.id);
    const trace = sim.run(st.params, st.seed);
    const i = Math.floor((trace.scene as { frames: unknown[] }).frames.length / 2);
    const wide = render.render(trace, i, { id: 'p', title: 'T', vertical: false });
    const compact = render.render(trace, i, { id: 'p', title: 'T', vertical: false, compact: true });
    expect(compact).not.toBe(wide);
    expect(compact).toMatch(/^<svg class="[a-z]+ compact"/);
    const box = (svg: string) => /viewBox="([-\d. ]+)"/.exec(svg)![1]!.split(' ').map(Number);
    const [, , ww = 0, wh = 0] = box(wide);
    const [, , cw = 0, ch = 0] = box(compact);
    // Shown in the same box, its words come out larger: it is narrower, or no wider and shorter.
    expect(cw < ww || ch < wh, `${cw}x${ch} against ${ww}x${wh}`).toBe(true);
    const desc = (svg: string) => /<desc[^>]*>([^<]*)<\/desc>/.exec(svg)![1];
    expect(desc(compact)).toBe(desc(wide));
  });
});
