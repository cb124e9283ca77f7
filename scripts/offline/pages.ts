/**
 * How a built page becomes a page of the offline archive, as pure text edits (no file access): the
 * archive is opened from any folder, served under any path or double-clicked (file://), so nothing
 * in it may name the site's root.
 */
import { posix } from 'node:path';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A site address (starting with the build's `base`) as seen from the page at `pagePath` (relative to the site's root), with folder links made explicit. */
export function relativeUrl(url: string, pagePath: string, base = '/'): string {
  // The query and the fragment stay as they are (split once: a link may carry both).
  const at = url.search(/[?#]/);
  const [path, rest] = at < 0 ? [url, ''] : [url.slice(0, at), url.slice(at)];
  // file:// has no folder index, so a folder link names its index.html.
  let target = `/${path.slice(base.length)}`;
  if (target.endsWith('/')) target += 'index.html';
  const fromDir = posix.dirname(`/${pagePath}`);
  const rel = posix.relative(fromDir, target) || posix.basename(target);
  return `${rel.startsWith('.') ? rel : `./${rel}`}${rest}`;
}

/** The site's root as seen from a page: what its scripts resolve site addresses against (site/player/site-root.ts reads it). */
export function rootFrom(pagePath: string): string {
  const depth = pagePath.split('/').length - 1;
  return depth === 0 ? './' : '../'.repeat(depth);
}

/** Every site address in an href, src or action attribute made relative to the page, and the page's root written on <html>. */
export function relativeAddresses(html: string, pagePath: string, base = '/'): string {
  const prefix = escapeRegExp(base);
  const addresses = new RegExp(`\\b(href|src|action)="(${prefix}(?!/)[^"]*)"`, 'g');
  return html
    .replace(addresses, (_all, attr: string, url: string) => `${attr}="${relativeUrl(url, pagePath, base)}"`)
    .replace(/<html\b/, `<html data-site-root="${rootFrom(pagePath)}"`);
}

/**
 * A built chunk names the files beside it from the site's root (Vite writes `/_astro/pglite-….wasm`
 * for PostgreSQL's WebAssembly); in the archive, served under any path, it names them from its own
 * folder, which is where a worker resolves a relative address.
 */
export function siblingAddresses(code: string, base: string): string {
  const prefix = escapeRegExp(`${base}_astro/`);
  return code.replace(new RegExp(`([\`'"])${prefix}`, 'g'), '$1./');
}

/**
 * The archive starts its simulation worker from a Blob URL (a worker script cannot load from a
 * file:// page), so where the site allows its own worker scripts the archive allows blob: instead;
 * `keepSelf` keeps 'self' too, for a page that also starts a worker from a file of the archive
 * (PostgreSQL's, which needs the folder served). Pages that start no worker keep 'none'.
 */
export function offlineWorkerPolicy(html: string, keepSelf: boolean): string {
  return html.replace(/(<meta http-equiv="content-security-policy" content="[^"]*\bworker-src )'self'/, `$1${keepSelf ? "'self' blob:" : 'blob:'}`);
}

/** What the site's download block says, filled in (site/components/ArchiveDownload.astro writes the two versions). */
export interface ArchiveFacts {
  sha256: string;
  bytes: number;
}

/** Bytes as a reader sizes a download: "870 kB", "5.7 MB". */
export function sizeInWords(bytes: number): string {
  return bytes < 1e6 ? `${Math.max(1, Math.round(bytes / 1e3))} kB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

// A block ends with its last template (templates hold no template of their own).
const BLOCK = /<div([^>]*) data-archive-download="pending"([^>]*)>([\s\S]*?<\/template>)\s*<\/div>/g;
const TEMPLATE = (variant: string) => new RegExp(`<template data-archive-variant="${variant}"[^>]*>([\\s\\S]*?)</template>`);

/**
 * Each download block of a page, which the build leaves hidden with its two versions as inert
 * templates (so a build without an archive shows no link), made visible in one version:
 * `published` (on the site, with the archive's size and SHA-256) or `archived` (in the archive
 * itself, which cannot know its own hash, saying where to get the latest instead).
 */
export function fillArchiveDownload(html: string, variant: 'published' | 'archived', facts: ArchiveFacts | null): string {
  return html.replace(BLOCK, (_all, before: string, after: string, inner: string) => {
    const chosen = TEMPLATE(variant).exec(inner)?.[1];
    if (chosen === undefined) throw new Error(`a download block without its "${variant}" template`);
    const text = facts ? chosen.replaceAll('@@ARCHIVE_SHA256@@', facts.sha256).replaceAll('@@ARCHIVE_SIZE@@', sizeInWords(facts.bytes)) : chosen;
    if (/@@ARCHIVE_[A-Z0-9]+@@/.test(text)) throw new Error(`the download block's "${variant}" version needs facts it was not given`);
    const attrs = `${before}${after}`.replace(/\s+hidden\b/, '');
    return `<div${attrs} data-archive-download="${variant}">${text}</div>`;
  });
}
