/**
 * The site's root folder, as an absolute address. On the site it is the build's base path. The
 * offline archive may be served under any path or opened from a file, so its pages carry their
 * way up to the root in data-site-root (written by the archive's bundle, scripts/offline/pages.ts).
 */
export function siteRoot(): URL {
  const up = document.documentElement.dataset.siteRoot;
  return new URL(up ?? import.meta.env.BASE_URL, window.location.href);
}

/** A page of the site by its folder (`embed/syn-queue/`); in the archive, its index.html, as file:// has no folder index. */
export function sitePage(folder: string): URL {
  const archived = document.documentElement.dataset.siteRoot !== undefined;
  return new URL(archived ? `${folder}index.html` : folder, siteRoot());
}
