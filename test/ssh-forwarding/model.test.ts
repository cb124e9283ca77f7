/**
 * The walk as a trace: every scenario and any text the reader types gives a
 * trace (never an exception), the connection machine the page draws follows
 * the walk's phases (the model throws if it would not), and the same input
 * gives the same trace.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Ledger, compileMachine, defaultParams, scenarioState } from '../../sim/core/index.ts';
import { sshForwarding } from '../../sim/ssh-forwarding/index.ts';
import { runSshForwarding, stepCount, walkFor } from '../../sim/ssh-forwarding/model.ts';
import { HOSTS, sshForwardingParams, type SshForwardingParams } from '../../sim/ssh-forwarding/params.ts';
import { CONNECTION_STATES, SERIES_KEYS, type SeriesKey } from '../../sim/ssh-forwarding/keys.ts';
import { connectionMachine } from '../../sim/ssh-forwarding/machine.ts';
import { parseCommandLine } from '../../sim/ssh-forwarding/shell.ts';
import { ACTION_OUTCOMES, NOT_REACHED, REACHED } from '../../sim/ssh-forwarding/summary.ts';

const defaults = defaultParams(sshForwardingParams);
const paramsOf = (id: string) => scenarioState(sshForwarding, id).params as SshForwardingParams;

/** Whether both boxes hold a command the walk runs: ssh in the first, a client program in the second. */
function ranClientProgram(p: SshForwardingParams): boolean {
  const ssh = parseCommandLine(p.command, 'debian-9.2');
  const action = parseCommandLine(p.action, 'debian-9.2');
  return ssh.ok && ssh.command.program === 'ssh' && action.ok && action.command.program !== 'ssh';
}

describe('ssh-forwarding model', () => {
  test('every scenario walks to a trace with one log line a step, and the same input gives the same trace', () => {
    for (const s of sshForwarding.scenarios) {
      const p = paramsOf(s.id);
      const trace = runSshForwarding(p, s.seed);
      expect(trace.log.length).toBe(stepCount(p));
      expect(trace.durationMs).toBe(stepCount(p) * 1000);
      expect(runSshForwarding(p, s.seed).hash).toBe(trace.hash);
      // One box of the diagram is lit at every step of the walk: where the walk is.
      const states = Object.keys(trace.series).filter((k) => k.startsWith('st_'));
      const firstStep = trace.log.findIndex((l) => l.kind !== 'error');
      for (let i = Math.max(0, firstStep); i < trace.log.length; i++) {
        expect(states.filter((k) => trace.series[k]![i] === 1).length).toBe(1);
      }
    }
  });

  test('the source post’s second desktop sees desktop1 as the source; “localhost” in -L is the server', () => {
    const two = walkFor(paramsOf('vnc-desktop2-via-desktop1')).walk!;
    expect(two.outcome!.reached).toMatchObject({ host: 'desktop2', port: 5900, sourceAddress: '192.168.10.2' });
    const one = walkFor(paramsOf('vnc-desktop1')).walk!;
    expect(one.outcome!.reached).toMatchObject({ host: 'desktop1', port: 5900, sourceAddress: '127.0.0.1' });
  });

  test('the occupied port shows the lines OpenSSH prints at its default LogLevel, and the viewer reaches the laptop itself', () => {
    const run = walkFor(paramsOf('port-in-use'));
    expect(run.walk!.sshStderr).toEqual([
      'bind [127.0.0.1]:5900: Address already in use',
      'channel_setup_fwd_listener_tcpip: cannot listen to port: 5900',
      'Could not request local forwarding.',
    ]);
    expect(run.walk!.outcome!.reached!.host).toBe('laptop');
    expect(run.walk!.outcome!.throughTunnel).toBe(false);
  });

  test('a command that does not parse is a one-step walk showing the program’s own message', () => {
    const trace = runSshForwarding({ ...defaults, command: 'ssh -L 5901:localhost me@home.example.net' }, 1);
    expect(trace.log).toHaveLength(1);
    expect(trace.log[0]!.detail).toBe("Bad local forwarding specification '5901:localhost'");
    expect(trace.summary.parsed).toBe(0);
  });

  test('any text in either box, on any host, gives a trace', () => {
    const words = fc.constantFrom('ssh', '-N', '-g', '-L', '-R', '-D', '5901:localhost:5900', '0:localhost:80', '9999', '*:8080:web:80', 'me@home.example.net', '-p', '2222', 'vncviewer', 'localhost:1', 'curl', '--socks5', 'localhost:9999', 'http://router.lan/', 'nc', '-u', 'ping', '192.168.10.5', '"', 'x');
    const line = fc.array(words, { maxLength: 8 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(line, line, fc.constantFrom(...HOSTS), fc.constantFrom(...HOSTS), fc.constantFrom(0, 1), (command, action, typedOn, actionOn, laptopVnc) => {
        const p = { ...defaults, command, action, typedOn, actionOn, laptopVnc };
        const trace = runSshForwarding(p, 1);
        expect(trace.log.length).toBeGreaterThan(0);
        // The client program's row in the outcome table is the walk's own outcome, counted once.
        const sum = (k: SeriesKey) => trace.series[k]!.reduce((a, b) => a + b, 0);
        const outcome = walkFor(p).walk?.outcome ?? null;
        expect(sum('actions')).toBe(ranClientProgram(p) ? 1 : 0);
        expect(sum('reached')).toBe(outcome?.reached ? 1 : 0);
        expect(sum('notReached')).toBe(outcome && !outcome.reached ? 1 : 0);
        expect(trace.summary.reached).toBe(sum('reached'));
        // One event a step of the walk, the lines for what could not be used excepted.
        expect(trace.events).toBe(walkFor(p).walk?.steps.length ?? 0);
      }),
      { numRuns: 300 },
    );
  });

  test('the trace has a series for every state of the machine the page draws, and no other state', () => {
    const machineStates = compileMachine(connectionMachine, {}).info.states.map((s) => s.id);
    expect([...CONNECTION_STATES]).toEqual(machineStates);
    const stateKeys = SERIES_KEYS.filter((k) => k.startsWith('st_'));
    expect(stateKeys).toEqual(machineStates.map((s) => `st_${s}`));
    const trace = runSshForwarding(paramsOf('vnc-desktop1'), 1);
    expect(Object.keys(trace.series).sort()).toEqual([...SERIES_KEYS].sort());
  });

  test('a client program that reached a service and then ended again would throw', () => {
    const actions = new Ledger(ACTION_OUTCOMES);
    const id = actions.open();
    actions.end(id, REACHED, 0);
    expect(() => actions.end(id, NOT_REACHED, 1000)).toThrow(/ended twice \(reached, then notReached\)/);
    expect(actions.count(REACHED)).toBe(1);
    expect(actions.pending()).toBe(0);
  });

  test('the reader can add a host, a service and a router port forward, and reach them', () => {
    const p = {
      ...paramsOf('vnc-desktop1'),
      network: 'host nas 192.168.10.7; service nas 8080 web-app; forward 8022 nas:22',
      command: 'ssh -N -p 8022 -L 8080:localhost:8080 me@home.example.net',
      action: 'curl http://localhost:8080/',
    };
    const run = walkFor(p);
    expect(run.networkProblems).toEqual([]);
    expect(run.walk!.outcome!.reached).toMatchObject({ host: 'nas', port: 8080, service: 'web-app', sourceAddress: '127.0.0.1' });
  });

  test('a change that cannot apply is one line of the walk, and the rest still runs', () => {
    const p = { ...paramsOf('vnc-desktop1'), network: 'host desktop1 192.168.10.9; service ghost 80; forward 22 nas:22; teleport x' };
    const run = walkFor(p);
    expect(run.networkProblems).toEqual([
      'host desktop1 192.168.10.9: there is already a host called desktop1',
      'service ghost 80: no host called ghost',
      'forward 22 nas:22: nas is not on the home LAN',
      'teleport x: unknown change "teleport"; use host, service or forward',
    ]);
    const trace = runSshForwarding(p, 1);
    expect(trace.log[0]!.kind).toBe('error');
    expect(trace.log.length).toBe(stepCount(p));
    expect(run.walk!.outcome!.reached!.host).toBe('desktop1');
  });
});
