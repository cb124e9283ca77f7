/**
 * The GIF writer (site/export/gif.ts), read back with an independent decoder (omggif): frames
 * written as changes over the one before still show exactly the frames given, repeats become a
 * longer delay, the animation loops, and the same frames give the same bytes.
 */
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { gifWriter, paletteOf } from '../../site/export/gif.ts';
import { decodeGif } from './gif-decode.ts';

const W = 40;
const H = 30;
const COLOURS = [
  [251, 250, 247],
  [0, 114, 178],
  [213, 94, 0],
  [0, 158, 115],
] as const;

/** A light background with a blue square at `x` and an orange bar `bar` pixels high: a few colours, as a chart has. */
function frame(x: number, bar: number): Uint8Array {
  const rgba = new Uint8Array(W * H * 4);
  for (let y = 0; y < H; y++)
    for (let i = 0; i < W; i++) {
      const c = i >= x && i < x + 8 && y >= 4 && y < 12 ? COLOURS[1] : i >= 30 && H - y <= bar ? COLOURS[2] : y === 20 ? COLOURS[3] : COLOURS[0];
      rgba.set([...c, 255], (y * W + i) * 4);
    }
  return rgba;
}

function encode(frames: Uint8Array[], delayMs = 100): Uint8Array {
  const writer = gifWriter(W, H, paletteOf([frames[0]!, frames[frames.length - 1]!]));
  for (const f of frames) writer.add(f, delayMs);
  return writer.finish();
}

describe('gifWriter', () => {
  const frames = [frame(0, 3), frame(4, 3), frame(8, 9), frame(8, 9), frame(8, 9), frame(12, 20)];

  test('each frame, written as its changes over the one before, shows exactly the pixels given', () => {
    const decoded = decodeGif(encode(frames));
    const distinct = [frames[0]!, frames[1]!, frames[2]!, frames[5]!];
    expect(decoded.shown).toHaveLength(distinct.length);
    decoded.shown.forEach((shown, i) => expect(Buffer.from(shown).equals(Buffer.from(distinct[i]!)), `frame ${i}`).toBe(true));
  });

  test('a frame equal to the one before lengthens its delay instead of being written again, and the animation loops for ever', () => {
    const decoded = decodeGif(encode(frames, 100));
    expect(decoded.delaysMs).toEqual([100, 100, 300, 100]);
    expect(decoded.loop).toBe(0);
    expect([decoded.width, decoded.height]).toEqual([W, H]);
  });

  test('the same frames give the same bytes, and a different frame different bytes', () => {
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    expect(sha(encode(frames))).toBe(sha(encode(frames.map((f) => f.slice()))));
    expect(sha(encode([...frames.slice(0, 5), frame(13, 20)]))).not.toBe(sha(encode(frames)));
  });

  test('a frame of the wrong size is refused', () => {
    const writer = gifWriter(W, H, paletteOf([frames[0]!]));
    expect(() => writer.add(new Uint8Array(W * H * 4 - 4), 100)).toThrow(/1199 pixels in a 40×30/);
  });
});
