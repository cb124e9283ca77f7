/** What an animation export asks for (site/export/animation-options.ts): its frames' moments, its defaults and the problems it names. */
import { describe, expect, test } from 'vitest';
import { synQueue } from '../../sim/syn-queue/index.ts';
import { animationRequest, expandPanels, frameDelayMs, frameTimes, MAX_FRAMES } from '../../site/export/animation-options.ts';

describe('frameTimes', () => {
  test('steps by speed over frame rate from the start, and never passes the end', () => {
    expect(frameTimes({ fromSec: 10, toSec: 12, framesPerSec: 4, speed: 2 })).toEqual([10, 10.5, 11, 11.5, 12]);
    expect(frameTimes({ fromSec: 0, toSec: 1, framesPerSec: 3, speed: 1 }).at(-1)).toBeLessThanOrEqual(1);
  });

  test('counts its steps rather than adding them, so the hundredth frame sits exactly on its moment', () => {
    expect(frameTimes({ fromSec: 0, toSec: 10, framesPerSec: 10, speed: 1 })[100]).toBe(10);
  });
});

test('a GIF delay is whole hundredths of a second: 30 frames a second are shown 30 ms apart', () => {
  expect([frameDelayMs(10), frameDelayMs(30), frameDelayMs(7)]).toEqual([100, 30, 140]);
});

describe('animationRequest', () => {
  test('without options: the whole run, the picture and the first chart, at the player’s default speed', () => {
    const { request, problems } = animationRequest(synQueue, 300, {});
    expect(problems).toEqual([]);
    expect(request).toMatchObject({ panels: ['picture', 'chart:queues'], fromSec: 0, toSec: 300, speed: 10, framesPerSec: 10, widthPx: 960, theme: 'light' });
  });

  test('names each thing wrong: a backwards range, a frame rate and width out of range, an unknown panel', () => {
    const { problems } = animationRequest(synQueue, 300, { fromSec: 50, toSec: 20, framesPerSec: 60, widthPx: 100, panels: ['log'] });
    expect(problems.join('\n')).toMatch(/no panel log to animate; valid: picture, chart:queues, chart:throughput, chart:latency, charts/);
    expect(problems.join('\n')).toMatch(/0 <= from < to <= 300; got 50 to 20/);
    expect(problems.join('\n')).toMatch(/frames per second must be a whole number from 1 to 50; got 60/);
    expect(problems.join('\n')).toMatch(/width must be a whole number of pixels from 320 to 1920; got 100/);
  });

  test(`refuses more than ${MAX_FRAMES} frames, saying what to change`, () => {
    expect(animationRequest(synQueue, 300, { speed: 1, framesPerSec: 10 }).problems).toEqual([expect.stringMatching(/3001 frames, more than 1200/)]);
  });
});

test('`charts` stands for every chart, and a panel named twice is drawn once', () => {
  expect(expandPanels(synQueue, ['charts', 'chart:queues', 'picture']).panels).toEqual(['chart:queues', 'chart:throughput', 'chart:latency', 'picture']);
});
