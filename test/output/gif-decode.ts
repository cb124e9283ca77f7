/** An animated GIF read back with omggif, an independent decoder: each frame as the viewer shows it, and its delay. */
import omggif from 'omggif';

export interface Decoded {
  width: number;
  height: number;
  loop: number | null;
  /** Each frame's delay in milliseconds. */
  delaysMs: number[];
  /** What the viewer shows after each frame: frames drawn over the ones before, as their disposal says. */
  shown: Uint8Array[];
}

export function decodeGif(bytes: Uint8Array): Decoded {
  const reader = new omggif.GifReader(bytes);
  const canvas = new Uint8Array(reader.width * reader.height * 4);
  const shown: Uint8Array[] = [];
  const delaysMs: number[] = [];
  for (let i = 0; i < reader.numFrames(); i++) {
    reader.decodeAndBlitFrameRGBA(i, canvas);
    shown.push(canvas.slice());
    delaysMs.push(reader.frameInfo(i).delay * 10);
  }
  return { width: reader.width, height: reader.height, loop: reader.loopCount(), delaysMs, shown };
}
