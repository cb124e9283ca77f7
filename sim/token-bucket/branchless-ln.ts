import { ln } from '../core/prng.ts';

/**
 * Core's `ln` (sim/core/prng.ts), bit for bit, without the branches whose
 * outcome depends on the number: the contention sweep takes some 60 million
 * logarithms, and each of core's mispredicted loop exits also throws away the
 * queue work the CPU was overlapping with it.
 *
 * Core scales x by halving or doubling into m in [0.75, 1.5) (exact for a
 * normal double); here the exponent is read from x's bits and x multiplied by
 * the power of two that lands it there: the same m and e. Core then sums the
 * series until a term no longer changes the sum; here a fixed 14 terms. Both
 * give the same sum: every term has the sign of the sum and is smaller than
 * the one before, and rounding is monotonic, so once a term leaves the sum
 * unchanged every later one does too; and with |s| < 0.2 core stops by its
 * 12th term (s^2 < 0.04 shrinks each term more than 25-fold). Anything that is
 * not a positive normal double goes to core's own `ln`.
 */
const LN2 = 0.6931471805599453;
const TERMS = 14;

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

export function branchlessLn(x: number): number {
  bits[0] = x;
  const high = words[HIGH]!;
  const biased = high >>> 20;
  // Zero, subnormals, Infinity, NaN and negatives (sign bit set: biased ≥ 2048).
  if ((biased - 1) >>> 0 >= 2046) return ln(x);
  // The first fraction bit says whether the significand is 1.5 or more: then one more halving.
  const up = (high >>> 19) & 1;
  const e = biased - 1023 + up;
  const m = x * SCALE[biased + up]!;
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  let term = s;
  let sum = 0;
  for (let k = 1; k < 2 * TERMS; k += 2) {
    sum += term / k;
    term *= s2;
  }
  return 2 * sum + e * LN2;
}
