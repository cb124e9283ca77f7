/**
 * What C sees of a JavaScript string, for the files beside this one that follow OpenSSH's C:
 * a string ends at its first NUL, lengths are UTF-8 bytes, and isspace() is the C locale's.
 */

/** C's isspace() in the C locale. */
export function isCSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

/** C sees a string only up to its first NUL; argv and ssh's buffers can hold nothing after one. */
export function cString(text: string): string {
  const nul = text.indexOf('\0');
  return nul < 0 ? text : text.slice(0, nul);
}

export function utf8Bytes(text: string): number[] {
  const bytes: number[] = [];
  for (const ch of text) {
    let code = ch.codePointAt(0)!;
    // A lone surrogate has no UTF-8 form; an encoder writes U+FFFD in its place.
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 63));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
    else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
  }
  return bytes;
}

/** Bytes in the UTF-8 encoding, which is what C's strlen() counts for ssh's length limits. */
export function utf8Length(text: string): number {
  return utf8Bytes(text).length;
}
