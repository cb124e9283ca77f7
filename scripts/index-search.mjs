// Builds the offline search index for a built site (Pagefind) and removes Pagefind's stock UI,
// which the site does not use (site/scripts/search.ts talks to the index directly).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const site = process.argv[2] ?? process.env.OPSLAB_OUT ?? 'dist';
execFileSync('pagefind', ['--site', site, '--output-subdir', 'pagefind', '--silent'], { stdio: 'inherit' });
const dir = join(site, 'pagefind');
for (const name of readdirSync(dir)) {
  if (/^pagefind-(component-|modular-)?ui\.|^pagefind-highlight\./.test(name)) rmSync(join(dir, name));
}
// The search page runs Pagefind on the main thread (noWorker: a dozen pages need no worker), so
// its worker script is never fetched.
rmSync(join(dir, 'pagefind-worker.js'), { force: true });
// Pagefind loads wasm.unknown only for a language without a build of its own; every page here says
// lang="en", which has one.
const entry = JSON.parse(readFileSync(join(dir, 'pagefind-entry.json'), 'utf8'));
if (Object.values(entry.languages).every((l) => l.wasm)) rmSync(join(dir, 'wasm.unknown.pagefind'), { force: true });
