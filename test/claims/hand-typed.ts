/**
 * Finds numbers in an article's prose that are typed by hand rather than computed by <Num>.
 * The heuristic, kept simple on purpose:
 * - ignored: the front matter, code (fenced and inline), every tag's attributes (scenario
 *   names, `set`, `t`, a claim's threshold) and whole <Num /> tags; a <Note>'s or <Claim>'s
 *   text stays, since it is prose;
 * - flagged: numerals of 10 or more, decimals and percentages. Single digits are left
 *   alone: they are mostly definitions ("beta 1", "EX 5"), and the single-digit results
 *   that carry the argument ("one query per expiry") are checked by <Claim>s;
 * - not seen: numbers written as words ("a thousand keys"). The words say what a scenario
 *   sets up; the results the argument rests on are claims.
 */
import { blankCode, lineAt, readAttributes } from '../../site/claims/mdx-scan.ts';

export interface HandTyped {
  line: number;
  number: string;
  context: string;
}

/** Blanks (keeping newlines and offsets) the front matter, code, attributes, <Num /> tags and the exempt phrases. */
export function proseOnly(text: string, exempt: readonly string[]): string {
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  let src = blankCode(text).replace(/^---\n[\s\S]*?\n---/, blank);
  for (const phrase of exempt) src = src.split(phrase).join(blank(phrase));
  const out = src.split('');
  const tag = /<\/?([A-Za-z]\w*)/g;
  for (let m = tag.exec(src); m; m = tag.exec(src)) {
    const end = m[0].startsWith('</') ? src.indexOf('>', m.index) + 1 : readAttributes(src, m.index + m[0].length).end;
    for (let i = m.index; i < end; i++) if (out[i] !== '\n') out[i] = ' ';
    tag.lastIndex = end;
  }
  return out.join('');
}

export function handTypedNumbers(text: string, exempt: readonly string[]): HandTyped[] {
  const prose = proseOnly(text, exempt);
  const found: HandTyped[] = [];
  const numeral = /(?<![\w.,])\d+(?:,\d{3})*(?:\.\d+)?%?(?![\w.]\d|\w)/g;
  for (let m = numeral.exec(prose); m; m = numeral.exec(prose)) {
    const n = m[0];
    if (/^\d$/.test(n)) continue;
    const context = text.slice(Math.max(0, m.index - 50), m.index + n.length + 30).replace(/\s+/g, ' ').trim();
    found.push({ line: lineAt(prose, m.index), number: n, context });
  }
  return found;
}
