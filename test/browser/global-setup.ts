/**
 * Builds the site under a sub-path (proving nothing assumes the root) into dist-test/ as
 * `npm run build` does, offline archive included, and serves it on a free port for the browser tests.
 *
 * The build runs in the background while the unit tests run (the sequencer in vitest.config.ts puts
 * them first): it keeps about one core busy for a minute or more, which the suite would otherwise
 * spend waiting. A browser test file waits for it by importing built-site.ts; the server holds any
 * request that comes earlier.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { staticHandler } from '../../scripts/static-server.ts';
import { publishedArchive, unpackArchive } from './offline-archive.ts';

export const BASE = '/opslab-test/sub/';
export const OUT = 'dist-test';

/** What the build left for the tests, written when it ends (built-site.ts reads it). */
export interface BuildReport {
  /** Why the build failed; null when it succeeded. */
  error: string | null;
  /** The offline archive, unpacked: its opslab/ folder and the zip's entries. */
  offlineRoot: string;
  offlineEntries: string[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    siteUrl: string;
    /** Where the BuildReport appears once the build has ended. */
    buildReport: string;
  }
}

/** The site's own build (package.json), so the tests see what `npm start` serves: the search index and the archive included. */
function build(): { done: Promise<void>; stop: () => void } {
  // Its progress log is kept out of the tests' output; warnings and errors still show.
  const child = spawn('npm', ['run', '-s', 'build'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, OPSLAB_BASE: BASE, OPSLAB_OUT: OUT, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`npm run build ended with ${signal ?? `exit code ${code}`}`))));
  });
  return { done, stop: () => child.exitCode === null && child.kill() };
}

export default async function setup(project: TestProject) {
  const work = mkdtempSync(join(tmpdir(), 'opslab-browser-tests-'));
  const reportPath = join(work, 'build-report.json');
  const { done, stop } = build();
  const ready = done.then(() => {
    // Unpacked once for the tests that open it (offline, CSP), not once per file.
    const archive = unpackArchive(publishedArchive(OUT), join(work, 'offline'));
    return { handle: staticHandler(OUT, BASE), archive };
  });
  // Written whole, then renamed into place, so a reader never sees half of it.
  const report = (r: BuildReport) => {
    writeFileSync(`${reportPath}.part`, JSON.stringify(r));
    renameSync(`${reportPath}.part`, reportPath);
  };
  const ended = ready.then(
    ({ archive }) => report({ error: null, offlineRoot: archive.root, offlineEntries: archive.entries }),
    (error: Error) => report({ error: error.message, offlineRoot: '', offlineEntries: [] }),
  );

  const server = createServer((req, res) => {
    ready.then(
      ({ handle }) => handle(req, res),
      () => res.writeHead(503, { 'content-type': 'text/plain' }).end('the site did not build'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  project.provide('siteUrl', `http://127.0.0.1:${port}${BASE}`);
  project.provide('buildReport', reportPath);
  return async () => {
    stop();
    await ended;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(work, { recursive: true, force: true });
  };
}
