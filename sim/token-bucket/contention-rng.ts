/**
 * Core's generator (sfc32, seeded by splitmix32, twelve outputs discarded:
 * sim/core/prng.ts) with its four state words in an Int32Array instead of
 * closure variables. V8 keeps a closure variable as a small integer only up to
 * 2^30, so about half of core's state words are boxed into a fresh heap number
 * on every draw; a typed array stores them as they are. The contention sweep
 * draws some 150 million numbers, where that boxing was a third of its time.
 * The stream is core's, number for number (the tests compare them).
 */
const TWO_POW_32 = 4294967296;

export class UnboxedRng {
  private readonly state = new Int32Array(4);

  constructor(seed: number) {
    let mix = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      mix = (mix + 0x9e3779b9) | 0;
      let z = mix;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.state[i] = z ^ (z >>> 16);
    }
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A uniform integer in [0, 2^32). */
  nextUint32(): number {
    const s = this.state;
    const a = s[0]!;
    const b = s[1]!;
    const c = s[2]!;
    const d = s[3]!;
    const t = (((a + b) | 0) + d) | 0;
    s[3] = (d + 1) | 0;
    s[0] = b ^ (b >>> 9);
    s[1] = (c + (c << 3)) | 0;
    s[2] = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }
}
