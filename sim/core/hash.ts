/**
 * A streaming 64-bit hash (two independent 32-bit lanes in the style of cyrb53)
 * over numbers, strings and plain JSON values (a picture's frames). Doubles are
 * fed as their IEEE bytes in little-endian order through a DataView, so the hash
 * does not depend on the machine's byte order.
 */
/** Each lane's multiplier: every word goes into both lanes the same way (`word`, and its copies on locals in the loops). */
const MIX_1 = 2654435761;
const MIX_2 = 1597334677;

/** The tag word before each JSON value (Hasher.json). */
const TAG_INT = 1;
const TAG_NUMBER = 2;
const TAG_STRING = 3;
const TAG_TRUE = 4;
const TAG_FALSE = 5;
const TAG_NULL = 6;
const TAG_ARRAY = 7;
const TAG_OBJECT = 8;

/** A whole number that one word holds as it is (not -0, whose bits differ from 0's). */
function isInt31(x: number): boolean {
  return (x | 0) === x && (x !== 0 || 1 / x > 0);
}

export class Hasher {
  private h1 = 0xdeadbeef;
  private h2 = 0x41c6ce57;
  private readonly view = new DataView(new ArrayBuffer(8));

  word(w: number): this {
    this.h1 = Math.imul(this.h1 ^ w, MIX_1);
    this.h2 = Math.imul(this.h2 ^ w, MIX_2);
    return this;
  }

  number(x: number): this {
    // NaN has many bit patterns; engines may pick different ones.
    if (x !== x) return this.word(0x7ff80000).word(0);
    this.view.setFloat64(0, x, true);
    return this.word(this.view.getUint32(0, true)).word(this.view.getUint32(4, true));
  }

  string(s: string): this {
    this.word(s.length);
    // Two UTF-16 code units per word: half the mixing work for long log text. The same mixing as
    // `word`, on locals: a trace's log is megabytes of text, and fields written per word cost twice.
    let h1 = this.h1;
    let h2 = this.h2;
    let i = 0;
    for (; i + 1 < s.length; i += 2) {
      const w = (s.charCodeAt(i) << 16) | s.charCodeAt(i + 1);
      h1 = Math.imul(h1 ^ w, MIX_1);
      h2 = Math.imul(h2 ^ w, MIX_2);
    }
    this.h1 = h1;
    this.h2 = h2;
    if (i < s.length) this.word(s.charCodeAt(i));
    return this;
  }

  /**
   * A plain JSON value (numbers, strings, booleans, null, arrays and objects of them), walked as it
   * stands rather than written out with JSON.stringify and hashed as text: a week's picture is a third
   * of a megabyte of JSON, and printing its 76,000 numbers cost more than hashing them. Every value
   * starts with a tag word (and an array or object with its length), so two different shapes never
   * feed the same words; an object's keys go in their own order, as JSON.stringify writes them, and a
   * key whose value is undefined is left out as it leaves it out (an array's undefined is its null).
   * A whole number that fits 31 bits is one word, any other number its IEEE bytes.
   */
  json(v: unknown): this {
    switch (typeof v) {
      case 'number':
        return isInt31(v) ? this.word(TAG_INT).word(v) : this.word(TAG_NUMBER).number(v);
      case 'string':
        return this.word(TAG_STRING).string(v);
      case 'boolean':
        return this.word(v ? TAG_TRUE : TAG_FALSE);
      case 'undefined':
      case 'object':
        // undefined only as an array's item (an object's is left out): JSON.stringify writes null there.
        if (v === null || v === undefined) return this.word(TAG_NULL);
        return Array.isArray(v) ? this.array(v) : this.object(v as Record<string, unknown>);
      default:
        throw new TypeError(`Hasher.json: a ${typeof v} is not a JSON value`);
    }
  }

  /** An array; its whole-number items, most of a picture, mixed on locals as `string` mixes its words. */
  private array(items: readonly unknown[]): this {
    this.word(TAG_ARRAY).word(items.length);
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < items.length; i++) {
      const x = items[i];
      if (typeof x === 'number' && isInt31(x)) {
        h1 = Math.imul(Math.imul(h1 ^ TAG_INT, MIX_1) ^ x, MIX_1);
        h2 = Math.imul(Math.imul(h2 ^ TAG_INT, MIX_2) ^ x, MIX_2);
        continue;
      }
      this.h1 = h1;
      this.h2 = h2;
      this.json(x);
      h1 = this.h1;
      h2 = this.h2;
    }
    this.h1 = h1;
    this.h2 = h2;
    return this;
  }

  /** An object's own keys in their order, counted first: walked twice rather than listed, which made a week's picture allocate 0.8 MB more. */
  private object(o: Record<string, unknown>): this {
    let count = 0;
    for (const k in o) if (Object.hasOwn(o, k) && o[k] !== undefined) count++;
    this.word(TAG_OBJECT).word(count);
    for (const k in o) {
      const v = o[k];
      if (Object.hasOwn(o, k) && v !== undefined) this.string(k).json(v);
    }
    return this;
  }

  digest(): string {
    let h1 = this.h1;
    let h2 = this.h2;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
  }
}
