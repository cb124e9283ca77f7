/**
 * npm run bundle: the offline archive for an instructor, in the project's folder. `npm run build`
 * (which this script follows) has made it and published it in the site (scripts/publish-archive.ts);
 * this copies it, and its checksum file, out of the site. OPSLAB_WITH_PG=1 adds the archive with
 * PostgreSQL for the pagination lesson's live console.
 */
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { archiveName, DOWNLOADS_DIR } from '../site/archive.ts';

const site = process.env.OPSLAB_OUT ?? 'dist';
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const wanted = [archiveName(version, false), ...(process.env.OPSLAB_WITH_PG === '1' ? [archiveName(version, true)] : [])];
for (const name of wanted) {
  const from = join(site, DOWNLOADS_DIR, name);
  if (!existsSync(from)) throw new Error(`bundle: ${from} is missing; npm run build makes it`);
  copyFileSync(from, name);
  copyFileSync(`${from}.sha256`, `${name}.sha256`);
  console.log(`Wrote ${name} and ${name}.sha256: unpack it and read START-HERE.txt.`);
}
