/**
 * Finds every <Num> and <Claim> in an MDX file's text, with its line and its props read as
 * data. The tests use it to check all content without a build; a failing component uses it
 * to say where it is written, by finding the tag whose props equal its own. Props are read,
 * never evaluated: a value must be a string, a number, true/false, or a flat object of those.
 */
import type { ClaimProps, NumProps } from './evaluate.ts';

export interface FoundTag {
  kind: 'Num' | 'Claim';
  line: number;
  /** The props as written, plus `sim` from the front matter when the tag does not name one. */
  props: Record<string, unknown>;
  /** A Claim's sentence, as written (markup included). */
  children?: string;
}

export type Literal = string | number | boolean | Record<string, string | number>;

/** Replaces fenced code blocks and inline code with spaces, keeping every newline, so lines still count. */
export function blankCode(text: string): string {
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, blank).replace(/`[^`\n]*`/g, blank);
}

export function frontMatterSim(text: string): string | undefined {
  const fm = /^---\n([\s\S]*?)\n---/.exec(text);
  return fm ? /^sim:\s*["']?([\w-]+)["']?\s*$/m.exec(fm[1]!)?.[1] : undefined;
}

export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function scanTags(text: string): FoundTag[] {
  const src = blankCode(text);
  const sim = frontMatterSim(text);
  const out: FoundTag[] = [];
  const open = /<(Num|Claim)(?=[\s/>])/g;
  for (let m = open.exec(src); m; m = open.exec(src)) {
    const kind = m[1] as 'Num' | 'Claim';
    const { props, end, selfClosing } = readAttributes(src, m.index + m[0].length);
    if (sim !== undefined && props.sim === undefined) props.sim = sim;
    const tag: FoundTag = { kind, line: lineAt(src, m.index), props };
    if (kind === 'Claim' && !selfClosing) {
      const close = src.indexOf('</Claim>', end);
      if (close < 0) throw new Error(`<Claim> on line ${tag.line} is never closed`);
      tag.children = src.slice(end, close);
    }
    out.push(tag);
    open.lastIndex = end;
  }
  return out;
}

/** Reads a tag's attributes from just after its name; `end` is just past its `>` or `/>`. */
export function readAttributes(src: string, from: number): { props: Record<string, unknown>; end: number; selfClosing: boolean } {
  const props: Record<string, unknown> = {};
  let i = from;
  for (;;) {
    while (/\s/.test(src[i] ?? '')) i++;
    if (src.startsWith('/>', i)) return { props, end: i + 2, selfClosing: true };
    if (src[i] === '>') return { props, end: i + 1, selfClosing: false };
    const name = /^[A-Za-z_][\w-]*/.exec(src.slice(i))?.[0];
    if (!name) throw new Error(`cannot read the tag at line ${lineAt(src, i)}`);
    i += name.length;
    if (src[i] !== '=') {
      props[name] = true;
      continue;
    }
    i++;
    const quote = src[i];
    if (quote === '"' || quote === "'") {
      const close = src.indexOf(quote, i + 1);
      props[name] = src.slice(i + 1, close);
      i = close + 1;
    } else if (quote === '{') {
      const close = matchingBrace(src, i);
      props[name] = parseLiteral(src.slice(i + 1, close).trim());
      i = close + 1;
    } else {
      throw new Error(`cannot read ${name}= at line ${lineAt(src, i)}`);
    }
  }
}

function matchingBrace(src: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < src.length; i++) {
    const c = src[i]!;
    if (quote) { if (c === quote) quote = undefined; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  throw new Error(`unclosed { at line ${lineAt(src, open)}`);
}

/** A JSX expression read as data: 100, -0.5, "x", 'x', true, false, or { key: 1, other: 'x' }. */
export function parseLiteral(expr: string): Literal {
  const scalar = parseScalar(expr);
  if (scalar !== undefined) return scalar;
  const obj = /^\{([\s\S]*)\}$/.exec(expr);
  if (!obj) throw new Error(`cannot read {${expr}} as data`);
  const out: Record<string, string | number> = {};
  for (const part of obj[1]!.split(',').map((p) => p.trim()).filter(Boolean)) {
    const kv = /^["']?([A-Za-z_]\w*)["']?\s*:\s*([\s\S]+)$/.exec(part);
    const value = kv ? parseScalar(kv[2]!.trim()) : undefined;
    if (!kv || value === undefined || typeof value === 'boolean') throw new Error(`cannot read "${part}" in {${expr}} as data`);
    out[kv[1]!] = value;
  }
  return out;
}

function parseScalar(expr: string): string | number | boolean | undefined {
  if (/^-?\d+(\.\d+)?$/.test(expr)) return Number(expr);
  if (expr === 'true' || expr === 'false') return expr === 'true';
  const str = /^(["'])(.*)\1$/.exec(expr);
  return str ? str[2] : undefined;
}

/** The props that decide a number: two tags with the same key compute the same thing. */
export function identity(kind: 'Num' | 'Claim', p: Partial<ClaimProps> & Partial<NumProps>): string {
  const set = Object.entries(p.set ?? {}).map(([k, v]) => [k, String(v)]).sort();
  const base = [p.sim, p.scenario, set, p.value];
  return JSON.stringify(kind === 'Num' ? [...base, p.format ?? 'int', p.round ?? ''] : [...base, p.is, p.than, p.min, p.max]);
}
