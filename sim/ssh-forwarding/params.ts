/** The knobs of the SSH forwarding walk: what the reader types, where, and how the servers are set up. */
import { onOffParam, type ChoiceParamSpec, type ParamSpecs } from '../core/index.ts';
import { SOURCE_POST } from './topology.ts';

export type SshForwardingParams = {
  typedOn: string;
  command: string;
  actionOn: string;
  action: string;
  laptopVnc: number;
  allowTcpForwarding: string;
  permitOpen: string;
  gatewayPorts: string;
  network: string;
};

/** Hosts a command can run on; a host added under “Changes to the home network” is reached with ssh from these. */
export const HOSTS = ['laptop', 'desktop1', 'desktop2', 'router', 'web'] as const;
const hostChoice = (label: string, help: string, fallback: string): ChoiceParamSpec<string> => ({
  kind: 'choice',
  label,
  options: HOSTS.map((h) => ({ value: h, label: h })),
  default: fallback,
  help,
});

export const sshForwardingParams: ParamSpecs<SshForwardingParams> = {
  typedOn: hostChoice('ssh runs on', 'The host whose terminal you type the ssh command into.', 'laptop'),
  command: {
    kind: 'text',
    label: 'ssh command',
    default: `ssh -N -L 5901:localhost:5900 me@${SOURCE_POST.homeName}`,
    maxLength: 300,
    placeholder: 'ssh [-p port] [-N] [-g] [-L …] [-R …] [-D …] user@host',
    help: `Parsed as OpenSSH parses it. ${SOURCE_POST.homeName} is the home router's public name: port 22 reaches desktop1’s sshd, port 2222 desktop2’s.`,
  },
  actionOn: hostChoice('then, on', 'The host where the client program runs once the forwards are up.', 'laptop'),
  action: {
    kind: 'text',
    label: 'client command',
    default: 'vncviewer localhost:1',
    maxLength: 200,
    placeholder: 'vncviewer localhost:1 · curl --socks5 localhost:9999 http://… · nc -u … · ping …',
    help: 'What the reader runs next: vncviewer host:display (display 1 is port 5901), curl through a SOCKS proxy, nc, ping. Empty: no client action.',
  },
  laptopVnc: onOffParam('VNC already running on the laptop', 'The laptop shares its own desktop on port 5900, so a forward on 5900 there cannot bind.'),
  allowTcpForwarding: {
    kind: 'choice',
    label: 'AllowTcpForwarding (desktops)',
    options: [
      { value: 'yes', label: 'yes' },
      { value: 'no', label: 'no' },
      { value: 'local', label: 'local (-L and -D only)' },
      { value: 'remote', label: 'remote (-R only)' },
    ],
    default: 'yes',
    help: 'sshd_config on both desktops: which forwardings sshd allows.',
  },
  permitOpen: {
    kind: 'choice',
    label: 'PermitOpen (desktops)',
    options: [
      { value: 'any', label: 'any' },
      { value: 'localhost:5900', label: 'localhost:5900 only' },
      { value: 'none', label: 'none' },
    ],
    default: 'any',
    help: 'Where -L and -D channels may go, compared with the name the client sent.',
  },
  gatewayPorts: {
    kind: 'choice',
    label: 'GatewayPorts (desktops)',
    options: [
      { value: 'no', label: 'no' },
      { value: 'yes', label: 'yes' },
      { value: 'clientspecified', label: 'clientspecified' },
    ],
    default: 'no',
    help: 'Whether -R listeners on the server take connections from other machines.',
  },
  network: {
    kind: 'text',
    label: 'Changes to the home network',
    default: '',
    maxLength: 300,
    placeholder: 'host nas 192.168.10.7; service nas 8080 web-app; forward 8022 nas:22',
    help: 'Add to the source post’s network, statements separated by semicolons: “host NAME 192.168.10.N” (a LAN machine with sshd), “service HOST [udp] PORT [LABEL]”, “forward PORT HOST:PORT” (a port forward on the router).',
  },
};

export const sshForwardingParamGroups = [
  { label: 'Terminal', keys: ['typedOn', 'command', 'actionOn', 'action'], placement: 'terminal' },
  { label: 'Machines', keys: ['laptopVnc', 'allowTcpForwarding', 'permitOpen', 'gatewayPorts', 'network'] },
] as const satisfies readonly { label: string; keys: readonly (keyof SshForwardingParams)[]; placement?: 'terminal' }[];
