/**
 * Builds the offline archive (npm run bundle) in a temporary folder and unpacks it as an instructor
 * would. The browser tests' global setup builds it once; the tests that need it inject its folder.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';

/** The unpacked archive's opslab/ folder, the zip's entries, and the temporary folder to remove afterwards. */
export function buildOfflineArchive(): { root: string; entries: string[]; work: string } {
  const work = mkdtempSync(join(tmpdir(), 'opslab-offline-'));
  const out = join(work, 'dist-offline');
  const zip = join(work, 'opslab.zip');
  const env = { ...process.env, OPSLAB_OFFLINE: '1', OPSLAB_OUT: out, OPSLAB_ZIP: zip, ASTRO_TELEMETRY_DISABLED: '1' };
  execFileSync('npx', ['astro', 'build', '--silent'], { env, stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/index-search.mjs', out], { env, stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/bundle.ts'], { env, stdio: 'inherit' });
  const unpacked = join(work, 'unpacked');
  const files = unzipSync(readFileSync(zip));
  for (const [name, data] of Object.entries(files)) {
    const path = join(unpacked, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
  }
  return { root: join(unpacked, 'opslab'), entries: Object.keys(files), work };
}
