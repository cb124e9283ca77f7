// omggif ships no types; the reader's parts the tests use (see its README).
declare module 'omggif' {
  export class GifReader {
    constructor(bytes: Uint8Array);
    width: number;
    height: number;
    numFrames(): number;
    loopCount(): number | null;
    frameInfo(i: number): { x: number; y: number; width: number; height: number; delay: number; disposal: number; transparent_index: number | null };
    decodeAndBlitFrameRGBA(i: number, into: Uint8Array): void;
  }
  const omggif: { GifReader: typeof GifReader };
  export default omggif;
}
