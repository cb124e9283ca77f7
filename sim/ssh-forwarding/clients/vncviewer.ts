/**
 * `vncviewer`, TigerVNC's, as a reader types it on a host of the walk.
 *
 * Like every parser of the lesson it takes the argument vector the shell produced (shell.ts) and
 * never throws. It models the part of the program's syntax the lesson needs; where the real
 * program's wording is known from its source a comment says so, and everything else is a modelled
 * message, shaped like the real one but not a transcript of it.
 */
import { failure, unsupported, type CommandFailure } from '../failure.ts';

export interface VncViewerCommand {
  program: 'vncviewer';
  argv: string[];
  /** The argument as typed, e.g. `localhost:1`. */
  target: string;
  /** The host to connect to; `localhost` when the argument names none (`:1`). */
  host: string;
  /** The TCP port: 5900 + display for `host:N` with N < 100, else the number as given. */
  port: number;
  /** The display number when the argument named one (`host`, `host:N` with N < 100); null for `host::port` and `host:N` with N ≥ 100. */
  display: number | null;
}

/**
 * `vncviewer [host][:display]` or `vncviewer host::port`, as TigerVNC's rfb::getHostAndPort()
 * (common/rfb/Hostname.h) reads it: one colon is a display number, added to 5900 when it is below
 * 100 and used as a port otherwise; two colons are a raw port; an address with more colons is an
 * IPv6 literal with no port unless bracketed (`[::1]:1`); no host means localhost. TigerVNC lets a
 * port outside 1–65535 through (`:-1` is 5899); here it is refused, with TigerVNC's own words
 * for a malformed port.
 */
export function parseVncViewer(argv: readonly string[]): VncViewerCommand | CommandFailure {
  const args = argv.slice(1);
  if (args.some((a) => a.startsWith('-') && a.length > 1)) {
    return unsupported('vncviewer', 'options are outside this lesson; type the server only, e.g. vncviewer localhost:1');
  }
  if (args.length === 0) {
    return unsupported('vncviewer', 'with no server vncviewer opens a connection dialog; this lesson needs one, e.g. vncviewer localhost:1');
  }
  if (args.length > 1) {
    return failure('vncviewer', 'usage', ['vncviewer: too many arguments; usage: vncviewer [options] [host][:display#]'], 1);
  }
  const target = args[0]!;
  const text = target.replace(/^\s+/, '');
  let host: string;
  let portText: string | null;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return vncBad('unmatched [ in host');
    host = text.slice(1, close);
    const rest = text.slice(close + 1);
    portText = rest.trim() === '' ? null : rest;
  } else {
    const last = text.lastIndexOf(':');
    if (last < 0) {
      host = text;
      portText = null;
    } else {
      let hostEnd = last;
      if (hostEnd > 0 && text[hostEnd - 1] === ':') hostEnd--;
      if (text.indexOf(':') !== hostEnd) {
        // More colons than a `host:N` or `host::N` has: an IPv6 literal, with the default port.
        host = text;
        portText = null;
      } else {
        host = text.slice(0, hostEnd);
        portText = text.slice(hostEnd);
      }
    }
  }
  host = host.replace(/\s+$/, '');
  if (host === '') host = 'localhost';
  if (portText === null) return { program: 'vncviewer', argv: [...argv], target, host, port: 5900, display: 0 };
  if (!portText.startsWith(':')) return vncBad('invalid port specified');
  const raw = portText.startsWith('::');
  const digits = portText.slice(raw ? 2 : 1).trim();
  // strtol(): an empty string reads as 0, so `host:` is display 0.
  if (digits !== '' && !/^[+-]?[0-9]+$/.test(digits)) return vncBad('invalid port specified');
  const number = digits === '' ? 0 : Number(digits.length > 7 ? '9999999' : digits);
  const display = !raw && number < 100 ? number : null;
  const port = display === null ? number : 5900 + display;
  if (port < 1 || port > 65535 || (display !== null && display < 0)) return vncBad('invalid port specified');
  return { program: 'vncviewer', argv: [...argv], target, host, port, display };
}

function vncBad(message: string): CommandFailure {
  return failure('vncviewer', 'usage', [`vncviewer: ${message}`], 1);
}
