/**
 * The offline archive as the site publishes it (npm run build writes it into the built site's
 * downloads/), unpacked as an instructor would. The browser tests' global setup unpacks it once;
 * the tests that need it read its folder from built-site.ts.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { archiveName, DOWNLOADS_DIR } from '../../site/archive.ts';

export const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

/** Where the build published the archive in the site built into `out`. */
export function publishedArchive(out: string): string {
  return join(out, DOWNLOADS_DIR, archiveName(VERSION, false));
}

/** Unpacks the archive into `work` (made if missing): its opslab/ folder and the zip's entries. */
export function unpackArchive(zip: string, work: string): { root: string; entries: string[] } {
  const files = unzipSync(readFileSync(zip));
  for (const [name, data] of Object.entries(files)) {
    const path = join(work, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
  }
  return { root: join(work, 'opslab'), entries: Object.keys(files) };
}
