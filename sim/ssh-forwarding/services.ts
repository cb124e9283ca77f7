/**
 * Port names and numbers as the programs of the walk read them: getservbyname(3) for ssh's a2port()
 * and nc, and the digits-only ports curl, nc and ping take.
 */

/**
 * The TCP services getservbyname(3) finds in /etc/services on a stock Debian or Ubuntu machine
 * (the netbase package), for the names a reader of this lesson is likely to type. ssh's a2port()
 * (misc.c) and nc fall back to this lookup when a port is not a number, so `-L 8080:web:http` is a
 * valid forward. The real table is the machine's; this is a subset of it, and the lookup is
 * case-sensitive, as getservbyname is.
 */
const TCP_SERVICES: Readonly<Record<string, number>> = {
  ftp: 21,
  ssh: 22,
  telnet: 23,
  smtp: 25,
  domain: 53,
  http: 80,
  www: 80,
  pop3: 110,
  imap2: 143,
  imap: 143,
  https: 443,
  submission: 587,
  imaps: 993,
  pop3s: 995,
  socks: 1080,
  postgresql: 5432,
  postgres: 5432,
  x11: 6000,
};

/** getservbyname(name, "tcp"): the port, or null when /etc/services has no such name. */
export function lookupTcpService(name: string): number | null {
  return Object.hasOwn(TCP_SERVICES, name) ? TCP_SERVICES[name]! : null;
}

export const DIGITS = /^[0-9]+$/;

/** A decimal port from 1 to 65535, or null. Used where a program takes digits only. */
export function decimalPort(text: string): number | null {
  if (!DIGITS.test(text)) return null;
  const value = Number(text.length > 6 ? '999999' : text);
  return value >= 1 && value <= 65535 ? value : null;
}
