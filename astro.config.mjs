// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';

// OPSLAB_BASE lets the same site be served under a sub-path (the tests build it under one).
const base = process.env.OPSLAB_BASE ?? '/';

/** Code blocks can scroll sideways on a phone, so keyboard users must be able to focus them (axe: scrollable-region-focusable). */
function focusablePre() {
  const visit = (node) => {
    if (node.type === 'element' && node.tagName === 'pre') node.properties = { ...node.properties, tabIndex: 0 };
    for (const child of node.children ?? []) visit(child);
  };
  return (tree) => visit(tree);
}

export default defineConfig({
  srcDir: './site',
  outDir: process.env.OPSLAB_OUT ?? './dist',
  base,
  trailingSlash: 'always',
  output: 'static',
  integrations: [mdx()],
  // Plain code blocks: shell snippets read fine without colours, and highlighter themes fail contrast checks.
  markdown: { syntaxHighlight: false, rehypePlugins: [focusablePre] },
  build: { format: 'directory', inlineStylesheets: 'auto' },
  prefetch: false,
  devToolbar: { enabled: false },
  vite: { build: { assetsInlineLimit: 0 } },
});
