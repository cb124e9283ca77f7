/**
 * Nothing in the built site points outside it: no link, script, style,
 * image or frame with an absolute address to another host. Citations give
 * their address as text, and addresses written in an article become code.
 * A room without internet therefore meets no dead link, and nothing loads
 * from elsewhere (the Chromium tests check the requests themselves).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
// The built site, once the global setup's build has ended (built-site.ts).
import './built-site.ts';
import { OUT } from './global-setup.ts';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

test('no page of the built site links to, or loads from, another host', () => {
  const pages = walk(OUT).filter((f) => /\.(html|xml|json)$/.test(f));
  expect(pages.length).toBeGreaterThan(10);
  const outside: string[] = [];
  for (const page of pages) {
    const text = readFileSync(page, 'utf8');
    for (const m of text.matchAll(/\b(href|src|action|poster|data)\s*=\s*["']?\s*((?:https?:)?\/\/[^"'\s>]+)/gi)) outside.push(`${page}: ${m[1]}=${m[2]}`);
  }
  expect(outside).toEqual([]);
});
