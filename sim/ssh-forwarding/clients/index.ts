/**
 * The commands a reader may type on a host of the walk other than ssh itself (vncviewer, curl, nc,
 * ping), one file each, and the dispatch on argv[0].
 */
import type { CommandFailure } from '../failure.ts';
import { parseCurl, type CurlCommand } from './curl.ts';
import { parseNc, type NcCommand } from './nc.ts';
import { parsePing, type PingCommand } from './ping.ts';
import { parseVncViewer, type VncViewerCommand } from './vncviewer.ts';

export type { CurlCommand, CurlProxy, CurlProxyScheme, CurlUrl } from './curl.ts';
export type { NcCommand } from './nc.ts';
export type { PingCommand } from './ping.ts';
export type { VncViewerCommand } from './vncviewer.ts';

export type ClientCommand = VncViewerCommand | CurlCommand | NcCommand | PingCommand;

export const CLIENT_PROGRAMS = ['vncviewer', 'curl', 'nc', 'ping'] as const;
export type ClientProgram = (typeof CLIENT_PROGRAMS)[number];

export function isClientProgram(name: string): name is ClientProgram {
  return (CLIENT_PROGRAMS as readonly string[]).includes(name);
}

/** Dispatch on argv[0], which must be one of CLIENT_PROGRAMS. */
export function parseClientArgv(program: ClientProgram, argv: readonly string[]): ClientCommand | CommandFailure {
  switch (program) {
    case 'vncviewer':
      return parseVncViewer(argv);
    case 'curl':
      return parseCurl(argv);
    case 'nc':
      return parseNc(argv);
    case 'ping':
      return parsePing(argv);
  }
}
