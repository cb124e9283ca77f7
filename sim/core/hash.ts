/**
 * A streaming 64-bit hash (two independent 32-bit lanes in the style of cyrb53)
 * over numbers and strings. Doubles are fed as their IEEE bytes in little-endian
 * order through a DataView, so the hash does not depend on the machine's byte order.
 */
export class Hasher {
  private h1 = 0xdeadbeef;
  private h2 = 0x41c6ce57;
  private readonly view = new DataView(new ArrayBuffer(8));

  word(w: number): this {
    this.h1 = Math.imul(this.h1 ^ w, 2654435761);
    this.h2 = Math.imul(this.h2 ^ w, 1597334677);
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
      h1 = Math.imul(h1 ^ w, 2654435761);
      h2 = Math.imul(h2 ^ w, 1597334677);
    }
    this.h1 = h1;
    this.h2 = h2;
    if (i < s.length) this.word(s.charCodeAt(i));
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
