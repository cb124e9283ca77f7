/**
 * Seeded pseudo-random numbers that every JavaScript engine reproduces bit for bit.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counting generator):
 * four 32-bit words updated with additions, shifts, xors and `Math.imul`, all done
 * with `| 0` / `>>> 0`, so Node and every browser agree. Floats are built from 32
 * random bits divided by 2^32, which is exact in IEEE doubles.
 *
 * `Math.log` is not used: the ECMAScript spec lets engines differ in the last
 * bit of transcendental functions, so `ln()` below uses only + - * / (which IEEE
 * rounds identically everywhere).
 */

export interface Rng {
  /** A uniform integer in [0, 2^32). */
  nextUint32(): number;
  /** A uniform float in [0, 1). */
  next(): number;
  /** A uniform float in (0, 1]: safe to take the logarithm of. */
  nextOpen(): number;
  /** An exponential variate with the given mean (inter-arrival times of a Poisson process). */
  exponential(mean: number): number;
  /** A uniform integer in [0, n). */
  int(n: number): number;
}

const TWO_POW_32 = 4294967296;

/** Spreads a user seed over the four state words (splitmix32), so seeds 1 and 2 differ at once. */
function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * sfc32 as a class: its methods live once on the prototype, so a model's hot loop calls the same
 * function every run and the engine inlines it (a fresh closure per run was a fresh call target,
 * and every draw returned a boxed number).
 */
class Sfc32 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    const mix = splitmix32(seed);
    this.a = mix() | 0;
    this.b = mix() | 0;
    this.c = mix() | 0;
    this.d = mix() | 0;
    // Discard the first outputs: sfc32's authors recommend a short warm-up.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const { a, b, c, d } = this;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  nextOpen(): number {
    return (this.nextUint32() + 1) / TWO_POW_32;
  }

  exponential(mean: number): number {
    return -ln((this.nextUint32() + 1) / TWO_POW_32) * mean;
  }

  int(n: number): number {
    return Math.floor((this.nextUint32() / TWO_POW_32) * n);
  }
}

export function createRng(seed: number): Rng {
  return new Sfc32(seed);
}

const LN2 = 0.6931471805599453;
/** Terms of the series every m in [0.75, 1.5) needs: |s| < 0.2 makes the 12th term (k = 23) too small to count. */
const SURE_TERMS = 12;

/**
 * Natural logarithm for x > 0 from basic arithmetic only (see the header).
 * Range-reduce to m in [0.75, 1.5) by powers of two, then ln(m) = 2 atanh(s)
 * with s = (m - 1) / (m + 1), |s| < 0.2, whose series converges to double
 * precision in under 20 terms.
 *
 * The first SURE_TERMS terms are added without asking whether each changed the sum, and the result
 * is still, bit for bit, the sum the plain loop (ask after every term) stops at; test/core/prng.test.ts
 * holds the two together: every term has the sign of s and is no larger than the one before, so once a
 * term leaves the sum unchanged, rounding (which is monotone) leaves it unchanged for every later
 * term too. With random arguments (every Poisson arrival) the loop's exit came at an unpredictable
 * term, and the mispredicted branch was half the cost of a call.
 */
export function ln(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return Infinity;
  let e = 0;
  let m = x;
  while (m >= 1.5) { m /= 2; e++; }
  while (m < 0.75) { m *= 2; e--; }
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  let term = s;
  let sum = 0;
  let k = 1;
  for (; k < 2 * SURE_TERMS; k += 2) {
    sum += term / k;
    term *= s2;
  }
  for (; k < 40; k += 2) {
    const next = sum + term / k;
    if (next === sum) break;
    sum = next;
    term *= s2;
  }
  return 2 * sum + e * LN2;
}
