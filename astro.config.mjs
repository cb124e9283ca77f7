// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { satteri } from '@astrojs/markdown-satteri';
import noOutsideLinks from './site/markdown/no-outside-links.mjs';

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
      // The offline bundle (npm run bundle) inlines every chunk into classic scripts; preloading the
      // original chunks would only fail from file://.
      ...(process.env.OPSLAB_OFFLINE ? { modulePreload: { polyfill: false, resolveDependencies: () => [] } } : {}),
    },
  },
});
