// Builds the offline search index for a built site (Pagefind) and removes Pagefind's stock UI,
// which the site does not use (site/scripts/search.ts talks to the index directly).
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const site = process.argv[2] ?? process.env.OPSLAB_OUT ?? 'dist';
execFileSync('pagefind', ['--site', site, '--output-subdir', 'pagefind', '--silent'], { stdio: 'inherit' });
const dir = join(site, 'pagefind');
for (const name of readdirSync(dir)) {
  if (/^pagefind-(component-|modular-)?ui\.|^pagefind-highlight\./.test(name)) rmSync(join(dir, name));
}
