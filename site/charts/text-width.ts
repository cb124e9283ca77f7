/**
 * How wide a label will be, estimated without a DOM, so the renderers can leave room for it at
 * build time and in a worker alike. The widths are DejaVu Sans's (in ems), the broadest of the
 * system fonts the stylesheet asks for and what Linux gives `system-ui`: a label that fits with
 * these fits with the narrower fonts of other systems.
 */
const NARROW = new Set([...'ijlIft!|.,:;\'’ ']);
const SEMI = new Set([...'r()[]-/"“”']);
const WIDE = new Set([...'mwMW%@']);

function emWidth(ch: string): number {
  if (NARROW.has(ch)) return ch === 'f' || ch === 't' ? 0.39 : 0.32;
  if (SEMI.has(ch)) return 0.42;
  if (WIDE.has(ch)) return ch === 'm' ? 0.98 : 1.0;
  if (ch >= '0' && ch <= '9') return 0.64;
  if (ch >= 'A' && ch <= 'Z') return 0.74;
  // Lower-case letters, and anything else (×, →, accented letters) at a generous average.
  return 0.62;
}

/** Estimated width in CSS pixels of `text` set at `fontPx`; bold type (600 and up) is about a tenth wider. */
export function textWidthPx(text: string, fontPx: number, bold = false): number {
  let em = 0;
  for (const ch of text) em += emWidth(ch);
  return em * fontPx * (bold ? 1.1 : 1);
}
