/**
 * File snapshots for the chart renderers, in the manner of Observable Plot's
 * tests: the drawing is written out as a file a person can open and review,
 * committed, and compared on every run. On a difference, the new drawing is
 * written beside the old as `<name>-changed.<ext>` (ignored by git) and the
 * test fails naming both, so the two can be opened side by side. If the
 * change is meant, move the -changed file over the committed one.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const OUTPUT_DIR = join('test', 'charts', 'output');

/**
 * Ids renumbered in order of appearance (chart-0, chart-1...), wherever they are referred to, so
 * a drawing does not change with the ids a page hands its renderers.
 */
export function normaliseIds(markup: string): string {
  const names = new Map<string, string>();
  for (const m of markup.matchAll(/\bid="([^"]+)"/g)) if (!names.has(m[1]!)) names.set(m[1]!, `chart-${names.size}`);
  const rename = (id: string) => names.get(id) ?? id;
  return markup
    .replace(/\b(id|href)="(#?)([^"]+)"/g, (_m, attr: string, hash: string, id: string) => `${attr}="${hash}${rename(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${rename(id)})`)
    .replace(/\b(aria-labelledby|aria-describedby)="([^"]+)"/g, (_m, attr: string, ids: string) => `${attr}="${ids.split(' ').map(rename).join(' ')}"`);
}

/** A style that lets a snapshot be read on its own, as the page's CSS would show it (for review only). */
const REVIEW_CSS = [
  'svg { font: 12px system-ui, sans-serif; background: #fff; }',
  '.grid line { stroke: #ddd; } .axis { stroke: #555; } .tick, .unit { fill: #444; }',
  '.series path { fill: none; stroke-width: 2; } .series path.future { opacity: 0.3; }',
  '.limit line { stroke: #222; stroke-dasharray: 3 4; } .limit text { fill: #222; font-size: 11px; }',
  '.cursor { stroke: #c2410c; stroke-width: 2; } .band { fill: #888; opacity: 0.2; }',
  '.edge { fill: none; stroke: #777; } .edge.lit { stroke: #0072B2; stroke-width: 2; } marker path { fill: #777; }',
  '.state rect { fill: #f4f4f0; stroke: #777; } .state.lit rect { stroke: #0072B2; stroke-width: 2; }',
  '.state.tone-good rect { fill: #e3f4ee; } .state.tone-bad rect { fill: #fbe9df; } .state text { text-anchor: middle; }',
  '.band-title { fill: #555; font-weight: 600; } .host rect { fill: #f4f4f0; stroke: #777; } .host.focus rect { stroke: #c2410c; stroke-width: 2; }',
  '.host-name { font-weight: 700; } .host-line { font: 11px monospace; } .listening { fill: #0072B2; }',
  '.path { fill: none; stroke: #777; stroke-width: 2; } .path.kind-session { stroke: #ccc; stroke-width: 10; }',
  '.path.current { stroke: #D55E00; stroke-width: 3; } .path.kind-failed { stroke-dasharray: 4 3; }',
].join('\n');

/** One element per line, the namespace a standalone file needs, and the review style. */
function asFile(markup: string, ext: string): string {
  const lines = normaliseIds(markup).replace(/></g, '>\n<');
  if (ext !== 'svg') return `${lines}\n`;
  return `${lines.replace(/^<svg /, '<svg xmlns="http://www.w3.org/2000/svg" ').replace(/^(<svg[^>]*>)/, `$1\n<style>\n${REVIEW_CSS}\n</style>`)}\n`;
}

/**
 * Compares `markup` with test/charts/output/<name>.<ext>. Throws, naming both files, when it
 * differs (writing <name>-changed.<ext>) or when there is no committed file yet (writing it).
 */
export function expectSnapshot(name: string, markup: string, ext: 'svg' | 'html' = 'svg', dir = OUTPUT_DIR): void {
  const actual = asFile(markup, ext);
  const expectedPath = join(dir, `${name}.${ext}`);
  const changedPath = join(dir, `${name}-changed.${ext}`);
  if (!existsSync(expectedPath)) {
    writeFileSync(expectedPath, actual);
    throw new Error(`no snapshot ${expectedPath} yet: wrote it; look at it, and commit it if it is right`);
  }
  if (readFileSync(expectedPath, 'utf8') === actual) {
    rmSync(changedPath, { force: true });
    return;
  }
  writeFileSync(changedPath, actual);
  throw new Error(`${name}.${ext} changed: compare ${expectedPath} (committed) with ${changedPath} (this run); if the change is meant, move the second over the first`);
}
