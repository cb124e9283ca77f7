/**
 * The built site the browser tests read. The global setup builds it beside the unit tests; importing
 * this module waits until that build has ended (a file's tests, including those generated from the
 * built pages, are collected only then) and fails, naming why, if it failed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import type { BuildReport } from './global-setup.ts';

/** The site's address, under its sub-path, ending in a slash. */
export const site = inject('siteUrl');

/** A guard against a hung build, not a speed check: a cold build takes one to three minutes on a busy two-core machine. */
const BUILD_WAIT_MS = 20 * 60_000;

async function builtReport(): Promise<BuildReport> {
  const path = inject('buildReport');
  const deadline = Date.now() + BUILD_WAIT_MS;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`the site's build had not ended after ${BUILD_WAIT_MS / 60_000} minutes`);
    await sleep(200);
  }
  const report = JSON.parse(readFileSync(path, 'utf8')) as BuildReport;
  if (report.error !== null) throw new Error(`the site did not build: ${report.error}`);
  return report;
}

const report = await builtReport();

/** The offline archive as the build published it, unpacked: its opslab/ folder and the zip's entries. */
export const offlineArchive = { root: report.offlineRoot, entries: report.offlineEntries };
