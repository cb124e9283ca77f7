/**
 * Builds the site under a sub-path (proving nothing assumes the root) into
 * dist-test/ as `npm run build` does, offline archive included, and serves it
 * on a free port for the browser tests.
 */
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { rmSync } from 'node:fs';
import { serveStatic } from '../../scripts/static-server.ts';
import { publishedArchive, unpackArchive } from './offline-archive.ts';

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
  // The site's own build (package.json), so the tests see what `npm start` serves: the search
  // index and the published offline archive made from this very build.
  // Its progress log is kept out of the tests' output; warnings and errors still show.
  execFileSync('npm', ['run', '-s', 'build'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, OPSLAB_BASE: BASE, OPSLAB_OUT: OUT, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  const server = serveStatic(OUT, BASE);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  project.provide('siteUrl', `http://127.0.0.1:${port}${BASE}`);
  // Unpacked once for the tests that open it (offline, CSP), not once per file.
  const archive = unpackArchive(publishedArchive(OUT));
  project.provide('offlineRoot', archive.root);
  project.provide('offlineEntries', archive.entries);
  return () =>
    new Promise<void>((resolve) => server.close(() => resolve())).then(() => rmSync(archive.work, { recursive: true, force: true }));
}
