/**
 * /embed/opslab-reveal.js: the reveal.js plugin (site/embed/reveal-plugin.ts) as one classic script
 * any deck can load, on any host or from file://. It defines `OpslabEmbeds` for
 * `Reveal.initialize({ plugins: [OpslabEmbeds] })` (see /docs/embedding/). Built from the same
 * TypeScript the demo deck imports, at build time, so the two cannot drift apart.
 */
import { resolve } from 'node:path';
import type { APIRoute } from 'astro';
import { build } from 'esbuild';

export const GET: APIRoute = async () => {
  // The build runs from the project's root (this module itself is bundled elsewhere, so its own URL says nothing).
  const entry = resolve(process.cwd(), 'site/embed/reveal-plugin.ts');
  const result = await build({
    stdin: { contents: `export { OpslabEmbeds } from ${JSON.stringify(entry)};`, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    format: 'iife',
    globalName: 'OpslabEmbedsModule',
    footer: { js: 'var OpslabEmbeds = OpslabEmbedsModule.OpslabEmbeds;' },
    minify: true,
    target: 'es2020',
    write: false,
    legalComments: 'none',
  });
  return new Response(result.outputFiles[0]!.text, { headers: { 'content-type': 'text/javascript' } });
};
