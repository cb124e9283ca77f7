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
 * and every draw returned a boxed number). The four state words sit in an Int32Array: V8 keeps a
 * field as a small integer only up to 2^30, so in plain fields about half the words were heap
 * numbers, and a draw cost some 8 ns instead of about 1.2 (the contention sweep, which draws some
 * 150 million numbers, uses this same generator).
 */
class Sfc32 implements Rng {
  /** a, b, c, d. */
  private readonly state = new Int32Array(4);

  constructor(seed: number) {
    const mix = splitmix32(seed);
    for (let i = 0; i < 4; i++) this.state[i] = mix();
    // Discard the first outputs: sfc32's authors recommend a short warm-up.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

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

// Reading a double's exponent from its bits, to scale it into [0.75, 1.5) by one exact multiplication.
const bits = new Float64Array(1);
const words = new Int32Array(bits.buffer);
/** Which of the two 32-bit words holds the sign and exponent (the high one on little-endian machines). */
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
/** SCALE[b] = 2^(1023 − b): multiplied by it, a double with biased exponent b lies in [1, 2); b + 1 gives [0.5, 1). */
const SCALE = new Float64Array(2048);
{
  let p = 1;
  for (let b = 1023; b >= 0; b--, p *= 2) SCALE[b] = p;
  p = 1;
  for (let b = 1023; b < SCALE.length; b++, p /= 2) SCALE[b] = p;
}

/**
 * Natural logarithm for x > 0 from basic arithmetic only (see the header).
 * Range-reduce to m in [0.75, 1.5) by powers of two, then ln(m) = 2 atanh(s)
 * with s = (m - 1) / (m + 1), |s| < 0.2, whose series converges to double
 * precision in under 20 terms.
 *
 * Written so that no branch depends on the number (every Poisson arrival and every backoff draw
 * takes one, with random arguments, and a mispredicted branch cost as much as the arithmetic): a
 * positive normal double is scaled by the power of two its exponent bits name, which gives the
 * same m and e as halving or doubling step by step; and the first SURE_TERMS terms are added
 * without asking whether each changed the sum. The result is still, bit for bit, the sum the plain
 * loop (ask after every term) stops at; test/core/prng.test.ts holds the two together: every term
 * has the sign of s and is no larger than the one before, so once a term leaves the sum unchanged,
 * rounding (which is monotone) leaves it unchanged for every later term too.
 */
export function ln(x: number): number {
  bits[0] = x;
  const high = words[HIGH]!;
  const biased = high >>> 20;
  // Zero, subnormals, Infinity, NaN and negatives (sign bit set: biased ≥ 2048) go step by step.
  if ((biased - 1) >>> 0 >= 2046) return lnStepByStep(x);
  // The first fraction bit says whether the significand is 1.5 or more: then one more halving.
  const up = (high >>> 19) & 1;
  return series(x * SCALE[biased + up]!, biased - 1023 + up);
}

/** ln for what has no normal exponent to read: scaled by halving or doubling, one step at a time. */
function lnStepByStep(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return Infinity;
  let e = 0;
  let m = x;
  while (m >= 1.5) { m /= 2; e++; }
  while (m < 0.75) { m *= 2; e--; }
  return series(m, e);
}

/** ln(m · 2^e) for m in [0.75, 1.5). */
function series(m: number, e: number): number {
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
