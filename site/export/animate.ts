/**
 * An animation from drawings: each frame's SVG drawn on a canvas by the browser, its pixels into
 * the GIF (gif.ts). The page runs it on a click; the command line runs this same code in headless
 * Chromium (scripts/export-gif.ts), so a file made either way is drawn by the same engine.
 */
import { svgToCanvas } from '../panels/chart-export.ts';
import { gifWriter, paletteOf, type Rgba } from './gif.ts';

export interface AnimationJob {
  width: number;
  height: number;
  count: number;
  delayMs: number;
  /** The drawing of frame i (figureSvg at its moment). */
  svgAt(i: number): string | Promise<string>;
  onProgress?(done: number, total: number): void;
  signal?: AbortSignal;
}

/** Pixels of a drawing (browser only). */
export async function rasterize(svg: string, width: number, height: number): Promise<Uint8ClampedArray> {
  const canvas = await svgToCanvas(svg, { width, height }, 1);
  return canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
}

export async function encodeAnimation(job: AnimationJob): Promise<Uint8Array> {
  const draw = async (i: number): Promise<Rgba> => {
    job.signal?.throwIfAborted();
    return rasterize(await job.svgAt(i), job.width, job.height);
  };
  // The palette from the start, the middle and the end: most of what the animation will show.
  const samples = [...new Set([0, Math.floor((job.count - 1) / 2), job.count - 1])];
  const palette = paletteOf(await Promise.all(samples.map(draw)));
  const writer = gifWriter(job.width, job.height, palette);
  for (let i = 0; i < job.count; i++) {
    writer.add(await draw(i), job.delayMs);
    job.onProgress?.(i + 1, job.count);
    // Let the page breathe (the progress bar, the cancel button) between frames.
    if (i % 4 === 3) await new Promise((r) => setTimeout(r, 0));
  }
  return writer.finish();
}
