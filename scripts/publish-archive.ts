/**
 * The last step of `npm run build`: makes the offline archive from the site just built
 * (scripts/offline/archive.ts), publishes it in the site as downloads/opslab-offline-<version>.zip
 * with its checksum file (`sha256sum -c` format), and fills each page's download block with its
 * size and SHA-256. With OPSLAB_WITH_PG=1 it also makes and publishes the archive with PostgreSQL.
 *
 * Env: OPSLAB_OUT (the built site, default dist), OPSLAB_BASE (the base it was built for).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { archiveName, DOWNLOADS_DIR } from '../site/archive.ts';
import { offlineArchive } from './offline/archive.ts';
import { fillArchiveDownload, sizeInWords, type ArchiveFacts } from './offline/pages.ts';

const site = process.env.OPSLAB_OUT ?? 'dist';
const base = process.env.OPSLAB_BASE ?? '/';
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const downloads = join(site, DOWNLOADS_DIR);

function pagesOf(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? pagesOf(path) : path.endsWith('.html') ? [path] : [];
  });
}

async function publish(withPostgres: boolean): Promise<ArchiveFacts & { name: string }> {
  const name = archiveName(version, withPostgres);
  const zip = zipSync(await offlineArchive({ site, base, version, withPostgres }), { level: 9 });
  const sha256 = createHash('sha256').update(zip).digest('hex');
  mkdirSync(downloads, { recursive: true });
  writeFileSync(join(downloads, name), zip);
  // Two spaces between hash and name: the text format `sha256sum -c` reads.
  writeFileSync(join(downloads, `${name}.sha256`), `${sha256}  ${name}\n`);
  return { name, sha256, bytes: zip.length };
}

// Timed on the clock: esbuild works in a process of its own, which this process's CPU time leaves out.
const started = performance.now();
const archives = [await publish(false)];
if (process.env.OPSLAB_WITH_PG === '1') archives.push(await publish(true));
// The site's pages offer the archive without PostgreSQL: small enough for a slow link.
const offered = archives[0]!;
for (const page of pagesOf(site)) {
  if (page.startsWith(downloads)) continue;
  const html = readFileSync(page, 'utf8');
  const filled = fillArchiveDownload(html, 'published', offered);
  if (filled !== html) writeFileSync(page, filled);
}
for (const a of archives) console.log(`Published ${join(downloads, a.name)} (${sizeInWords(a.bytes)}, SHA-256 ${a.sha256}).`);
console.log(`The offline archive took ${((performance.now() - started) / 1000).toFixed(1)} s.`);
