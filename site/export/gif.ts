/**
 * Frames (RGBA pixels) into an animated GIF that loops, with gifenc. One palette serves every
 * frame: it is taken from a few frames spread over the export, so a colour keeps one index from
 * frame to frame (no flicker), and each frame is only mapped to it. After the first, a frame
 * writes only what changed: every pixel equal to the one already shown is the transparent colour
 * over a frame left in place (disposal 1), so the long unchanged stretches compress to almost
 * nothing. A frame equal to the one before it is not written again: the earlier frame is shown for
 * longer instead, as a slide program plays each frame for its own delay.
 *
 * Deterministic: the same frames give the same bytes (gifenc uses no clock and no randomness).
 */
import { applyPalette, GIFEncoder, quantize, type Palette } from 'gifenc/dist/gifenc.esm.js';

export type Rgba = Uint8Array | Uint8ClampedArray;

/** A palette from sample frames: each is cut to at most this many pixels first, which keeps quantizing quick. */
const SAMPLE_PIXELS = 200_000;

export function paletteOf(samples: readonly Rgba[]): Palette {
  const parts = samples.map((rgba) => {
    const pixels = rgba.length / 4;
    const every = Math.max(1, Math.ceil(pixels / SAMPLE_PIXELS));
    const out = new Uint8Array(Math.ceil(pixels / every) * 4);
    for (let p = 0, o = 0; p < pixels; p += every, o += 4) out.set(rgba.subarray(p * 4, p * 4 + 4), o);
    return out;
  });
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  // The last of 256 colours is kept for "unchanged" (see gifWriter): frames are mapped to the 255 before it.
  return quantize(all, 255);
}

export interface GifWriter {
  /** Adds a frame shown for `delayMs` (a multiple of 10: GIF counts hundredths of a second). */
  add(rgba: Rgba, delayMs: number): void;
  /** The whole file. */
  finish(): Uint8Array;
  /** Frames written so far (repeats merged). */
  readonly frames: number;
}

export function gifWriter(width: number, height: number, palette: Palette): GifWriter {
  const encoder = GIFEncoder();
  const unchanged = palette.length;
  const full = [...palette, ...Array.from({ length: 256 - palette.length }, () => [255, 255, 255])];
  let pending: { index: Uint8Array; delayMs: number } | null = null;
  /** What the viewer shows after the frames written so far. */
  let shown: Uint8Array | null = null;
  let written = 0;
  const flush = () => {
    if (!pending) return;
    if (!shown) {
      // The first frame carries the palette as the global one and the loop count (0: for ever).
      encoder.writeFrame(pending.index, width, height, { delay: pending.delayMs, palette: full, repeat: 0 });
    } else {
      const delta = pending.index.slice();
      for (let i = 0; i < delta.length; i++) if (delta[i] === shown[i]) delta[i] = unchanged;
      encoder.writeFrame(delta, width, height, { delay: pending.delayMs, transparent: true, transparentIndex: unchanged, dispose: 1 });
    }
    shown = pending.index;
    written++;
  };
  return {
    add(rgba, delayMs) {
      if (rgba.length !== width * height * 4) throw new Error(`a frame of ${rgba.length / 4} pixels in a ${width}×${height} animation`);
      const index = applyPalette(rgba, palette);
      if (pending && sameBytes(pending.index, index)) {
        pending.delayMs += delayMs;
        return;
      }
      flush();
      pending = { index, delayMs };
    },
    finish() {
      flush();
      pending = null;
      encoder.finish();
      return encoder.bytes();
    },
    get frames() {
      return written + (pending ? 1 : 0);
    },
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
