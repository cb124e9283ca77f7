/**
 * Builds the site under a sub-path (proving nothing assumes the root) into
 * dist-test/ and serves it on a free port for the browser tests.
 */
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { rmSync } from 'node:fs';
import { serveStatic } from '../../scripts/static-server.ts';
import { buildOfflineArchive } from './offline-archive.ts';

export const BASE = '/opslab-test/sub/';
export const OUT = 'dist-test';

declare module 'vitest' {
  export interface ProvidedContext {
    siteUrl: string;
    /** The offline archive, unpacked: its opslab/ folder and the zip's entries. */
    offlineRoot: string;
    offlineEntries: string[];
  }
}

export default async function setup(project: TestProject) {
  execFileSync('npx', ['astro', 'build', '--silent'], {
    stdio: 'inherit',
    env: { ...process.env, OPSLAB_BASE: BASE, OPSLAB_OUT: OUT, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  execFileSync(process.execPath, ['scripts/index-search.mjs', OUT], { stdio: 'inherit' });
  const server = serveStatic(OUT, BASE);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  project.provide('siteUrl', `http://127.0.0.1:${port}${BASE}`);
  // Built once for the tests that open it (offline, CSP), not once per file.
  const archive = buildOfflineArchive();
  project.provide('offlineRoot', archive.root);
  project.provide('offlineEntries', archive.entries);
  return () =>
    new Promise<void>((resolve) => server.close(() => resolve())).then(() => rmSync(archive.work, { recursive: true, force: true }));
}
