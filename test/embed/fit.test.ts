/**
 * The parts of an embed that fits its frame that need no browser: the scale a frame gets, the
 * `panels=` and `scale=` options, the lesson's default panels read from its article, and the
 * embed options an embed code carries.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { scenarioState } from '../../sim/core/index.ts';
import { simulations } from '../../sim/index.ts';
import { synQueue } from '../../sim/syn-queue/index.ts';
import { firstFigureShow } from '../../site/embed/default-panels.ts';
import { DESIGN_FRAME, FRAME_SCALE, frameScale } from '../../site/embed/frame-scale.ts';
import { decodeEmbedOptions, SCALE_RANGE } from '../../site/embed/protocol.ts';
import { readShow } from '../../site/player/show-tokens.ts';
import { embedOptionsShown, viewQuery } from '../../site/player/sharing.ts';

describe('frameScale', () => {
  test('a 16:9 frame scales with its size: 1 at 960x540, 2 at 1920x1080', () => {
    expect(frameScale(DESIGN_FRAME.widthPx, DESIGN_FRAME.heightPx)).toBe(1);
    expect(frameScale(1920, 1080)).toBe(2);
    expect(frameScale(1280, 720)).toBeCloseTo(1.33, 2);
  });
  test('a 4:3 frame scales by its width, the side that runs out first', () => {
    expect(frameScale(1024, 768)).toBeCloseTo(1024 / 960, 2);
  });
  test('a small or empty frame keeps the smallest readable scale', () => {
    expect(frameScale(640, 360)).toBe(FRAME_SCALE.min);
    expect(frameScale(0, 0)).toBe(1);
  });
});

describe('panels= and scale=', () => {
  test('panels= is kept as written, with no note', () => {
    const { options, notes } = decodeEmbedOptions('panels=picture,chart:queues&scenario=busy-hour');
    expect(options.panels).toBe('picture,chart:queues');
    expect(notes).toEqual([]);
  });
  test('an empty panels= is the default', () => {
    expect(decodeEmbedOptions('panels=').options.panels).toBeNull();
  });
  test(`scale= takes a number from ${SCALE_RANGE.min} to ${SCALE_RANGE.max}, and notes anything else`, () => {
    expect(decodeEmbedOptions('scale=1.5').options.scale).toBe(1.5);
    for (const raw of ['0.1', '9', 'big', '']) {
      const { options, notes } = decodeEmbedOptions(`scale=${raw}`);
      expect(options.scale).toBeNull();
      expect(notes.join(' ')).toContain('scale=');
    }
  });
});

describe('the tokens of show and panels=', () => {
  test('commas and spaces both separate tokens, in the order named', () => {
    const shown = readShow(synQueue, 'chart:latency, picture diagram');
    expect(shown).toMatchObject({ charts: ['latency'], order: ['chart:latency', 'picture', 'diagram'] });
  });
  test('an unknown token is named with the valid ones', () => {
    const shown = readShow(synQueue, 'picture,map');
    expect(shown).toEqual({ problem: expect.stringMatching(/no panel map; valid: .*picture.*chart:<id>/) });
    expect(readShow(synQueue, 'chart:nope')).toEqual({ problem: expect.stringMatching(/no chart nope; valid: queues, throughput, latency/) });
  });
});

describe("a lesson's default panels", () => {
  test('are those of the first <Figure> in its article', () => {
    expect(firstFigureShow('text\n<Figure id="a" scenario="x" t={0} show="picture chart:q"\n controls="k">\n<Figure id="b" show="log">')).toBe('picture chart:q');
    expect(firstFigureShow('no figure here')).toBe('');
  });
  test.each(Object.keys(simulations))('%s: its article names a first figure whose panels are valid', (id) => {
    const show = firstFigureShow(readFileSync(`content/articles/${id}.mdx`, 'utf8'));
    expect(show).not.toBe('');
    expect(readShow(simulations[id]!, show)).not.toHaveProperty('problem');
  });
});

describe('what an embed code carries', () => {
  const state = scenarioState(synQueue, 'busy-hour');
  test("an embed's theme, controls, panels and scale, as shown", () => {
    const { options } = decodeEmbedOptions('theme=projector&controls=minimal&panels=picture chart:queues&scale=1.5');
    const query = new URLSearchParams(viewQuery(synQueue, state, embedOptionsShown(options, undefined)));
    expect(Object.fromEntries([...query].filter(([k]) => ['theme', 'controls', 'panels', 'scale'].includes(k)))).toEqual({ theme: 'projector', controls: 'minimal', panels: 'picture chart:queues', scale: '1.5' });
  });
  test('from an article in projector mode, the projector theme; otherwise no embed option', () => {
    expect(new URLSearchParams(viewQuery(synQueue, state, embedOptionsShown(null, 'projector'))).get('theme')).toBe('projector');
    expect(viewQuery(synQueue, state, embedOptionsShown(null, undefined))).toBe(viewQuery(synQueue, state, null));
    expect(viewQuery(synQueue, state, null)).not.toContain('theme');
  });
});
