/**
 * How a built page becomes a page of the offline archive (scripts/offline/pages.ts): its site
 * addresses, its worker policy and its download block.
 */
import { describe, expect, test } from 'vitest';
import { fillArchiveDownload, offlineWorkerPolicy, relativeAddresses, relativeUrl, rootFrom, siblingAddresses, sizeInWords } from '../../scripts/offline/pages.ts';

describe('site addresses', () => {
  test('a folder link from a page two folders deep names its index.html, keeping query and fragment', () => {
    expect(relativeUrl('/embed/syn-queue/?scenario=herd#sim', 'articles/syn-queue/index.html')).toBe('../../embed/syn-queue/index.html?scenario=herd#sim');
  });

  test('an address under the base the site was built for loses that base', () => {
    expect(relativeUrl('/room/3/_astro/a.css', 'about/index.html', '/room/3/')).toBe('../_astro/a.css');
    expect(relativeUrl('/room/3/', 'index.html', '/room/3/')).toBe('./index.html');
  });

  test('a page gets its way up to the root on <html>, and only its own-site addresses are rewritten', () => {
    const html = '<!DOCTYPE html><html lang="en"><a href="/sub/labs/x/">x</a><a href="//elsewhere.example/">y</a><img src="/sub/favicon.svg">';
    const out = relativeAddresses(html, 'labs/x/guide/index.html', '/sub/');
    expect(out).toContain('<html data-site-root="../../../" lang="en">');
    expect(out).toContain('href="../index.html"');
    expect(out).toContain('href="//elsewhere.example/"');
    expect(out).toContain('src="../../../favicon.svg"');
  });

  test("a chunk's addresses of its neighbours in _astro/ become relative to its own folder, wherever the site was built to live", () => {
    const code = 'new URL(`/sub/_astro/pglite-A.wasm`,""+import.meta.url);var d="/sub/_astro/pglite-B.data",o="/other/_astro/x.js"';
    expect(siblingAddresses(code, '/sub/')).toBe('new URL(`./pglite-A.wasm`,""+import.meta.url);var d="./pglite-B.data",o="/other/_astro/x.js"');
  });

  test('the root of the root page is its own folder', () => {
    expect(rootFrom('index.html')).toBe('./');
    expect(rootFrom('embed/syn-queue/index.html')).toBe('../../');
  });
});

describe('the worker policy', () => {
  const page = (workers: string) => `<meta http-equiv="content-security-policy" content="default-src 'none';worker-src ${workers}; script-src 'self'">`;

  test("a page that may start its own worker may start one from a Blob URL instead, and no other", () => {
    expect(offlineWorkerPolicy(page("'self'"), false)).toContain("worker-src blob:;");
  });

  test("the page with the PostgreSQL console keeps 'self' for its worker file beside blob:", () => {
    expect(offlineWorkerPolicy(page("'self'"), true)).toContain("worker-src 'self' blob:;");
  });

  test("a page that starts no worker still starts none", () => {
    expect(offlineWorkerPolicy(page("'none'"), false)).toContain("worker-src 'none';");
  });
});

describe('the download block', () => {
  const block =
    '<main><div class="archive-download" data-archive-download="pending" hidden data-astro-cid-x>' +
    '<template data-archive-variant="published" data-astro-cid-x><p>Get it (@@ARCHIVE_SIZE@@), SHA-256 @@ARCHIVE_SHA256@@</p></template>' +
    '<template data-archive-variant="archived" data-astro-cid-x><p>This is the archive.</p></template></div></main>';
  const facts = { sha256: 'ab'.repeat(32), bytes: 1_120_454 };

  test('on the site it shows the published version, with the size and hash filled in, and nothing else', () => {
    const out = fillArchiveDownload(block, 'published', facts);
    expect(out).toBe(`<main><div class="archive-download" data-astro-cid-x data-archive-download="published"><p>Get it (1.1 MB), SHA-256 ${'ab'.repeat(32)}</p></div></main>`);
  });

  test('in the archive it shows where to get the latest, and no template is left', () => {
    const out = fillArchiveDownload(block, 'archived', null);
    expect(out).toContain('<p>This is the archive.</p></div></main>');
    expect(out).not.toMatch(/template|hidden|@@/);
  });

  test('the published version cannot be shown without the facts it needs', () => {
    expect(() => fillArchiveDownload(block, 'published', null)).toThrow(/needs facts/);
  });

  test('a page without a block is left as it is', () => {
    expect(fillArchiveDownload('<main></main>', 'published', facts)).toBe('<main></main>');
  });

  test('sizes read as a download is sized', () => {
    expect([sizeInWords(870_400), sizeInWords(5_700_000), sizeInWords(120)]).toEqual(['870 kB', '5.7 MB', '1 kB']);
  });
});
