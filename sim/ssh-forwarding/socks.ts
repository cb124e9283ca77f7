/**
 * A connection accepted on a SOCKS listener (-D, or -R with no destination): only a client that
 * speaks SOCKS gets anywhere, and who resolves the name (curl, or the far side) depends on the
 * proxy scheme the reader chose (socks5 against socks5h).
 */
import type { ClientCommand } from './clients/index.ts';
import { resolveOn } from './routing.ts';
import { forwardFlag } from './sockets.ts';
import { isIPv6, type Host } from './topology.ts';
import type { Builder, ForwardListener, Outcome } from './walk.ts';

export type SocksRequest = { ok: true; farHost: string; farPort: number } | { ok: false; outcome: Outcome };

/** What the SOCKS client asks the far side to connect to, or how it failed before asking. */
export function socksRequest(b: Builder, app: Host, acceptingSide: Host, command: ClientCommand, listener: ForwardListener): SocksRequest {
  const program = command.program;
  const proxy = program === 'curl' ? command.proxy : null;
  if (program !== 'curl' || !proxy || !proxy.scheme.startsWith('socks')) {
    const what = program === 'vncviewer' ? 'vncviewer waits for the server to speak first, ssh waits for a SOCKS request, and nothing happens' : `${program} does not speak SOCKS; ssh reads its first bytes as a bad SOCKS request and closes the connection`;
    b.step('socks', acceptingSide.name, `This port is a SOCKS proxy: ${what}.`, { connection: program === 'vncviewer' ? 'accepted' : 'closed' });
    if (program === 'vncviewer') b.step('close', app.name, 'The reader gives up and closes vncviewer; ssh closes its side.', { connection: 'closed' });
    return {
      ok: false,
      outcome: { reached: null, failure: { where: 'application', message: `the port is ssh's SOCKS proxy (${forwardFlag(listener.kind)} ${listener.spec}); ${program} needs a SOCKS-speaking client` }, applicationSees: program === 'vncviewer' ? 'nothing' : 'closed', throughTunnel: false },
    };
  }
  let farHost: string;
  if (proxy.resolvesNames === 'client') {
    const r = resolveOn(app, command.url.host);
    if (!r.ok) {
      // curl resolves before sending the request, after the TCP connection to the proxy is made. Its
      // resolver's failf() comes first, and curl 7.88.1 prints only the first message of a transfer:
      // socks.c's "Failed to resolve … for SOCKS5 connect." never shows, only its exit status, 97.
      const line = `curl: (97) Could not resolve host: ${command.url.host}`;
      b.step('socks', app.name, `${proxy.via}: curl must resolve ${command.url.host} itself, on ${app.name}, and cannot; it closes the connection to the proxy.`, {
        connection: 'closed',
        output: { program: 'curl', host: app.name, lines: [line] },
        detail: `${proxy.scheme}h (--socks5-hostname) would send the name for the far side to resolve.`,
      });
      return { ok: false, outcome: { reached: null, failure: { where: 'application', message: line }, applicationSees: 'error', throughTunnel: false } };
    }
    farHost = r.addresses.find((a) => !isIPv6(a)) ?? r.addresses[0]!;
    b.step('socks', app.name, `${proxy.via}: curl resolves ${command.url.host} on ${app.name} to ${farHost} and asks the proxy for ${farHost}:${command.url.port}.`);
  } else {
    farHost = command.url.host;
    b.step('socks', app.name, `${proxy.via}: curl sends the name ${command.url.host} and port ${command.url.port}; the far side will resolve it.`);
  }
  return { ok: true, farHost, farPort: command.url.port };
}
