/**
 * The installed curl, run for real so that a test can compare its words with the lesson's model of
 * them. The model imitates Debian 12's curl, 7.88.1 (sim/ssh-forwarding/clients/curl.ts); other
 * versions word several messages differently, so a test skips itself unless that is the one here.
 */
import { execFile, spawnSync } from 'node:child_process';

export const MODELLED_CURL = '7.88.1';

/** The installed curl's version ("7.88.1"), or null when there is none. */
export function curlVersion(): string | null {
  const r = spawnSync('curl', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  return /^curl (\S+)/.exec(r.stdout)?.[1] ?? null;
}

export interface CurlRun {
  status: number;
  /**
   * curl's own messages, each "curl: …" line once the progress meter is taken out: curl draws the
   * meter on stderr when stdout is not a terminal, and its message may follow a "\r" on the same line.
   */
  said: string[];
}

/** Runs `curl ARGS` (the words after "curl"), its output thrown away; never rejects. */
export function runCurl(args: readonly string[], timeoutMs = 10_000): Promise<CurlRun> {
  return new Promise((resolve) => {
    execFile('curl', [...args], { timeout: timeoutMs, encoding: 'utf8' }, (error, _stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      const said = stderr
        .split(/[\r\n]/)
        .map((l) => l.slice(Math.max(0, l.indexOf('curl: '))))
        .filter((l) => l.startsWith('curl: '));
      resolve({ status, said });
    });
  });
}

/** The elapsed time in "… after 12 ms: …" is the run's; the model says 0 ms (or the SYN timeout). */
export const anyElapsed = (line: string) => line.replace(/ after \d+ ms: /, ' after N ms: ');
