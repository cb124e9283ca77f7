/**
 * The static file server for the built site (npm start, the browser tests, the bench), mounted
 * under any base path: the tests use a sub-path to prove the site does not assume the root.
 *
 * sirv does the serving. It lists the folder once, when the server is made, and answers only from
 * that list, so no request path (`..`, `%2f`, a malformed escape) can reach a file outside it. The
 * site must therefore be built before the server is made, as every caller does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import sirv from 'sirv';

/** Pagefind's index files and PGlite's data have no registered type; sirv would send an empty one. */
const UNTYPED_DATA = /\.(pf_[a-z]+|pagefind|data)$/;

export function serveStatic(rootDir: string, base = '/'): Server {
  return createServer(staticHandler(rootDir, base));
}

/** serveStatic's request handler, for a server made before the site is built (it lists the folder when called). */
export function staticHandler(rootDir: string, base = '/'): RequestListener {
  const root = resolve(rootDir);
  const prefix = base.endsWith('/') ? base : `${base}/`;
  // The site's own not-found page when it has one, as static hosts serve it.
  const notFoundPath = join(root, '404.html');
  const notFoundPage = existsSync(notFoundPath) ? readFileSync(notFoundPath) : null;

  function notFound(res: ServerResponse): void {
    if (notFoundPage) res.writeHead(404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' }).end(notFoundPage);
    else res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
  }

  const files = sirv(root, {
    etag: true,
    setHeaders(res, pathname) {
      // Files under _astro/ carry a hash of their content in their name, so they never change: the
      // browser may keep them, and a worker importing the page's chunks then reads them from its cache.
      const immutable = pathname.startsWith('/_astro/');
      res.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      if (UNTYPED_DATA.test(pathname)) res.setHeader('content-type', 'application/octet-stream');
    },
    onNoMatch: (_req, res) => notFound(res),
  });

  return (req, res) => {
    const url = req.url ?? '/';
    if (!url.startsWith(prefix)) {
      notFound(res);
      return;
    }
    // sirv sees the path below the base (nothing to rewrite when the base is the root).
    if (prefix !== '/') req.url = url.slice(prefix.length - 1);
    files(req, res);
  };
}
