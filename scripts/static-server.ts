/**
 * A small static file server for the built site, mounted under any base path
 * (the tests use a sub-path to prove the site does not assume the root).
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export function serveStatic(rootDir: string, base = '/'): Server {
  const root = resolve(rootDir);
  const prefix = base.endsWith('/') ? base : `${base}/`;
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = decodeURIComponent(url.pathname);
    if (!path.startsWith(prefix)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    let file = normalize(join(root, path.slice(prefix.length)));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      statSync(file);
    } catch {
      // The site's own not-found page when it has one, as static hosts serve it.
      const notFound = join(root, '404.html');
      try {
        statSync(notFound);
        res.writeHead(404, { 'content-type': TYPES['.html']! });
        createReadStream(notFound).pipe(res);
      } catch {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      }
      return;
    }
    // Files under _astro/ carry a hash of their content in their name, so they never change: the
    // browser may keep them, and a worker importing the page's chunks then reads them from its cache.
    const immutable = path.slice(prefix.length).startsWith('_astro/');
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    createReadStream(file).pipe(res);
  });
}
