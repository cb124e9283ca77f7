/**
 * What a printed page says instead of a link: the whole address it opens, resolved against the
 * page's own address, so it names whatever server (or unpacked folder) the room reads the site
 * from. Computed in the page, because the build cannot know that server.
 */

/**
 * The absolute address `href` (as written in the page) opens from the page at `pageHref`. The
 * page's own query and fragment play no part: a link in the text may just have put its state
 * into the address bar, and `#sim` names the workbench of the page itself, not of that state.
 */
export function resolvedAddress(href: string, pageHref: string): string {
  const page = new URL(pageHref);
  page.search = '';
  page.hash = '';
  return new URL(href, page).href;
}

/** What print shows after a link in the text: its address, or nothing for a place on the same page (a source's number). */
export function printedAddress(href: string, pageHref: string): string | null {
  return href === '' || href.startsWith('#') ? null : resolvedAddress(href, pageHref);
}

/**
 * Marks every link in the text with the address print shows after it (`data-print-href`, printed
 * by site/styles/print.css) and fills every `[data-print-address]` element (a figure's reference
 * line, a worksheet's start link) with the address it names.
 */
export function markPrintAddresses(root: ParentNode, pageHref: string): void {
  for (const a of root.querySelectorAll<HTMLAnchorElement>('.prose a[href]')) {
    const address = printedAddress(a.getAttribute('href')!, pageHref);
    if (address === null) a.removeAttribute('data-print-href');
    else a.dataset.printHref = address;
  }
  for (const el of root.querySelectorAll<HTMLElement>('[data-print-address]')) {
    el.textContent = resolvedAddress(el.dataset.printAddress!, pageHref);
  }
}
