/**
 * The address a room joins the site at, from the page the instructor has open: the site's root
 * as this page was reached, unless that address means "this machine" to every other device too
 * (localhost, 127.0.0.1, a file on disk), in which case the instructor types the machine's LAN
 * address and the root is built from that.
 */

/** Why the page's own address cannot be shared with the room, or null when it can. */
export type AddressProblem = 'file' | 'loopback' | 'unspecified';

/** The port the serving commands on the room page use, for a typed address without one when the page has none to lend. */
export const ROOM_PORT = 8000;

const LOOPBACK_NAMES = /^(localhost|localhost\.localdomain|ip6-localhost|ip6-loopback)$|\.localhost$/;

/** Why an address (a page's, or one the instructor typed) would not reach the site from another device. */
export function addressProblem(url: URL): AddressProblem | null {
  if (url.protocol === 'file:') return 'file';
  const host = url.hostname.toLowerCase();
  if (LOOPBACK_NAMES.test(host) || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]') return 'loopback';
  // 0.0.0.0 and [::] are what a server binds to for "every interface", never an address to visit.
  if (host === '0.0.0.0' || host === '[::]') return 'unspecified';
  return null;
}

/** The site's root for a page one level below it (`<root>room/`), without the page's query or fragment. */
export function siteRoot(pageHref: string): URL {
  const root = new URL('../', pageHref);
  root.search = '';
  root.hash = '';
  return root;
}

/**
 * The room's address from what the instructor typed (`192.168.1.20`, `192.168.1.20:8000`,
 * `laptop.local:8000/opslab/`, with or without `http://`). A missing port is the page's own
 * (the server is the same, only its name changes), else 8000, the commands' port; a missing
 * path is the site's root as the page sees it, or `/` for a page opened from a file, whose
 * folder a server will serve as its root. Null when it is not an address another device can
 * open.
 */
export function typedRoomAddress(typed: string, pageHref: string): URL | null {
  const text = typed.trim();
  if (text === '' || /\s/.test(text)) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.hostname === '' || addressProblem(url) !== null) return null;
  const page = new URL(pageHref);
  const hasPort = /^[a-z]+:\/\/(\[[^\]]*\]|[^/?#[]*?):\d+/i.test(withScheme);
  if (!hasPort) url.port = page.protocol === 'file:' ? String(ROOM_PORT) : page.port;
  const hasPath = /^[a-z]+:\/\/[^/?#]*\/./i.test(withScheme);
  if (!hasPath) url.pathname = page.protocol === 'file:' ? '/' : siteRoot(pageHref).pathname;
  url.search = '';
  url.hash = '';
  return url;
}
