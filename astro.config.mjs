// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { satteri } from '@astrojs/markdown-satteri';
import noOutsideLinks from './site/markdown/no-outside-links.mjs';
import { createHash } from 'node:crypto';
import { SERIES_STYLES, TONE_COLORS } from './site/charts/palette.ts';

/** @type {(text: string) => `sha256-${string}`} */
const sha256 = (text) => `sha256-${createHash('sha256').update(text).digest('base64')}`;
/**
 * The only inline style attributes the site writes, in its HTML and in the SVG and tables its
 * scripts render: a chart series' colour, an outcome's swatch, a number input's width in digits.
 * 'unsafe-hashes' with their hashes allows exactly these values and no other inline style.
 */
const STYLE_ATTRIBUTES = [
  ...SERIES_STYLES.map((s) => `--series:${s.color}`),
  ...Object.values(TONE_COLORS).map((color) => `background:${color}`),
  ...Array.from({ length: 16 }, (_, i) => `--digits: ${i + 1}`),
];
/** The one inline event handler: the player's parameter form applies each change itself and never submits. */
const SCRIPT_ATTRIBUTES = ['return false'];

// OPSLAB_BASE lets the same site be served under a sub-path (the tests build it under one).
const base = process.env.OPSLAB_BASE ?? '/';

export default defineConfig({
  srcDir: './site',
  outDir: process.env.OPSLAB_OUT ?? './dist',
  base,
  // The public address, when known: oEmbed responses need absolute URLs.
  ...(process.env.OPSLAB_SITE ? { site: process.env.OPSLAB_SITE } : {}),
  trailingSlash: 'always',
  output: 'static',
  integrations: [mdx()],
  // Plain code blocks: shell snippets read fine without colours, and highlighter themes fail contrast checks.
  // Addresses in the text stay text: nothing in the site links outside it (site/markdown/no-outside-links.mjs).
  markdown: { syntaxHighlight: false, processor: satteri({ mdastPlugins: [noOutsideLinks] }) },
  build: { format: 'directory', inlineStylesheets: 'auto' },
  prefetch: false,
  // A strict Content-Security-Policy on every page, as a <meta> tag (a static site sets no headers):
  // Astro adds script-src and style-src with 'self' and the hashes of the inline scripts and styles it
  // emits. Nothing else may load from outside the site, nothing may be evaluated, and no page may
  // start a worker unless its layout says it needs one (worker-src is set per page: site/layouts/).
  security: {
    csp: {
      algorithm: 'SHA-256',
      directives: [
        "default-src 'none'",
        "connect-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "frame-src 'self'",
        "manifest-src 'self'",
        "media-src 'self'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
      ],
      styleDirective: {
        resources: [{ resource: "'unsafe-hashes'", kind: 'attribute' }],
        hashes: STYLE_ATTRIBUTES.map((value) => ({ hash: sha256(value), kind: 'attribute' })),
      },
      scriptDirective: {
        resources: [{ resource: "'unsafe-hashes'", kind: 'attribute' }],
        hashes: SCRIPT_ATTRIBUTES.map((value) => ({ hash: sha256(value), kind: 'attribute' })),
      },
    },
  },
  devToolbar: { enabled: false },
  vite: {
    // Module workers can split: the worker then fetches only the simulation its page shows,
    // instead of carrying every lesson's model (each adds about 8 kB gzip).
    worker: { format: 'es' },
    build: {
      assetsInlineLimit: 0,
      rolldownOptions: {
        output: {
          // The simulations, their core and the loaders live in chunks of their own, never inside the
          // player's: the simulation worker imports those same chunks (sim-worker.ts), so a reader's
          // first interaction downloads no second copy of the model.
          codeSplitting: { groups: [{ name: 'sim-core', test: /[\\/](sim[\\/](core[\\/]|loaders\.ts|lessons\.ts)|node_modules[\\/]xstate[\\/])/ }] },
          // The worker reads `simulationLoaders` from that chunk by name, so exports between chunks keep their names.
          minifyInternalExports: false,
        },
      },
    },
    plugins: [noPreloadInScripts()],
  },
});

/**
 * A dynamic import in a script preloads nothing. Vite's preload helper, which fetches a dynamic
 * import's other chunks ahead, reads `document`; the simulation worker imports the same loaders as
 * the page (sim-worker.ts), so a lesson whose model shares a chunk with its picture (backup MX,
 * pagination) could not load there and every run fell back to the page. Those chunks are a few kB,
 * fetched as the import asks for them. Set per environment, because Astro sets the client build's
 * modulePreload itself and would overwrite a top-level setting.
 * @returns {import('vite').Plugin}
 */
function noPreloadInScripts() {
  return {
    name: 'opslab-no-preload-in-scripts',
    configEnvironment(name) {
      if (name === 'client') return { build: { modulePreload: { polyfill: false, resolveDependencies: (_file, deps, { hostType }) => (hostType === 'html' ? deps : []) } } };
    },
  };
}
