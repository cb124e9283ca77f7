import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { serveStatic } from '../scripts/static-server.ts';

const BASE = '/opslab/sub/';
let server: Server;
let port: number;
let dist: string;

interface RawResponse {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/**
 * One HTTP/1.0 request (no chunked body) written byte for byte on a socket, so the path reaches the server as
 * given (a URL library would normalise `..` or re-encode the escapes away).
 */
function raw(path: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n`);
    });
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
  });
}

beforeAll(async () => {
  // dist/ and, beside it, a sibling whose name starts the same way: a prefix check confuses them.
  const work = mkdtempSync(join(tmpdir(), 'opslab-server-'));
  dist = join(work, 'dist');
  for (const dir of ['', '_astro', 'about', 'pg']) mkdirSync(join(dist, dir), { recursive: true });
  mkdirSync(join(work, 'dist-secret'));
  writeFileSync(join(work, 'dist-secret', 'key.txt'), 'SECRET');
  writeFileSync(join(work, 'outside.txt'), 'OUTSIDE');
  writeFileSync(join(dist, 'index.html'), '<h1>home</h1>');
  writeFileSync(join(dist, 'about', 'index.html'), '<h1>about</h1>');
  writeFileSync(join(dist, '404.html'), '<h1>not here</h1>');
  writeFileSync(join(dist, '_astro', 'player.abc123.js'), 'export {};');
  writeFileSync(join(dist, '_astro', 'pglite.abc123.wasm'), new Uint8Array([0, 97, 115, 109]));
  writeFileSync(join(dist, 'pg', 'worker.mjs'), 'export {};');
  writeFileSync(join(dist, 'pg', 'pglite.data'), 'data');
  server = serveStatic(dist, BASE);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the static server', () => {
  test('a directory under the base is answered with its index.html', async () => {
    const home = await raw(BASE);
    expect([home.status, home.body]).toEqual([200, '<h1>home</h1>']);
    const about = await raw(`${BASE}about/`);
    expect([about.status, about.body, about.headers.get('content-type')]).toEqual([200, '<h1>about</h1>', 'text/html;charset=utf-8']);
  });

  test('WebAssembly and .mjs files are sent with the types browsers require of them', async () => {
    expect((await raw(`${BASE}_astro/pglite.abc123.wasm`)).headers.get('content-type')).toBe('application/wasm');
    expect((await raw(`${BASE}pg/worker.mjs`)).headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await raw(`${BASE}pg/pglite.data`)).headers.get('content-type')).toBe('application/octet-stream');
  });

  test('content-hashed files under _astro/ are immutable and everything else is revalidated', async () => {
    expect((await raw(`${BASE}_astro/player.abc123.js`)).headers.get('cache-control')).toMatch(/immutable/);
    expect((await raw(`${BASE}about/`)).headers.get('cache-control')).toBe('no-cache');
  });

  test('a missing file and a path outside the base get a 404 with the site\'s not-found page', async () => {
    for (const path of [`${BASE}nothing/`, '/about/', `${BASE.slice(0, -1)}x/about/`]) {
      const r = await raw(path);
      expect([path, r.status, r.body]).toEqual([path, 404, '<h1>not here</h1>']);
    }
  });

  test('no path, whether with .. or an escaped slash, reaches a file beside the served folder', async () => {
    const attempts = [
      `${BASE}..%2f..%2f..%2fdist-secret/key.txt`,
      `${BASE}..%2fdist-secret/key.txt`,
      `/..%2fdist-secret/key.txt`,
      `${BASE}../../../dist-secret/key.txt`,
      `${BASE}%2e%2e/%2e%2e/%2e%2e/dist-secret/key.txt`,
      `${BASE}..%5c..%5c..%5coutside.txt`,
      `${BASE}../../../outside.txt`,
    ];
    for (const path of attempts) {
      const r = await raw(path);
      expect(r.body, path).not.toMatch(/SECRET|OUTSIDE/);
      expect(r.status, path).toBe(404);
    }
  });

  test('a malformed escape is answered with a 404 and the server keeps answering', async () => {
    for (const path of [`${BASE}%E0%A4%A`, `${BASE}%`, `${BASE}about/%zz`]) expect((await raw(path)).status, path).toBe(404);
    expect((await raw(BASE)).status).toBe(200);
  });
});
