/**
 * The walk as a picture (sim/ssh-forwarding/scene.ts): one frame per step,
 * every line drawn between hosts that exist, and the picture saying what the
 * lesson says: where "localhost" is, which hosts the SSH connection crosses,
 * and from where each far connection is made.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { scenarioState, type NetworkScene as Scene } from '../../sim/core/index.ts';
import { sshForwarding } from '../../sim/ssh-forwarding/index.ts';
import { runSshForwarding } from '../../sim/ssh-forwarding/model.ts';
import { HOSTS, type SshForwardingParams } from '../../sim/ssh-forwarding/params.ts';

const paramsOf = (id: string) => scenarioState(sshForwarding, id).params as SshForwardingParams;
const sceneOf = (p: SshForwardingParams) => runSshForwarding(p, 1).scene as Scene;
const route = (hops: readonly string[]) => hops.join('>');
/** The frame of the step whose log line starts with `kind` (the n-th such step). */
function frameOf(p: SshForwardingParams, kind: string, n = 0) {
  const trace = runSshForwarding(p, 1);
  const index = trace.log.map((l, i) => [l.kind, i] as const).filter(([k]) => k === kind)[n]![1];
  return (trace.scene as Scene).frames[index]!;
}

function problemsOf(scene: Scene, samples: number): string[] {
  const problems: string[] = [];
  const ids = new Set(scene.nodes.map((n) => n.id));
  if (scene.frames.length !== samples) problems.push(`${scene.frames.length} frames for ${samples} samples`);
  for (const n of scene.nodes) if (!(n.band >= 0 && n.band < scene.bands.length)) problems.push(`${n.id} in band ${n.band}`);
  scene.frames.forEach((f, i) => {
    if (f.focus !== null && !ids.has(f.focus)) problems.push(`frame ${i}: focus ${f.focus}`);
    if (f.paths.filter((p) => p.current).length > 1) problems.push(`frame ${i}: more than one current path`);
    if (f.paths.filter((p) => p.kind === 'session').length > 1) problems.push(`frame ${i}: two SSH connections`);
    for (const p of f.paths) {
      if (p.hops.length === 0 || p.hops.some((h) => !ids.has(h))) problems.push(`frame ${i}: path ${route(p.hops)}`);
      if (p.hops.some((h, k) => k > 0 && p.hops[k - 1] === h)) problems.push(`frame ${i}: a host twice in a row in ${route(p.hops)}`);
    }
    for (const s of f.listening) if (!ids.has(s.node)) problems.push(`frame ${i}: listener on ${s.node}`);
  });
  return problems;
}

describe('the SSH walk drawn on the network', () => {
  test('every scenario: one frame per step, every line between hosts that exist, the listeners at the end as the walk says', () => {
    for (const s of sshForwarding.scenarios) {
      const trace = runSshForwarding(paramsOf(s.id), s.seed);
      expect(problemsOf((trace.scene as Scene), trace.series.steps!.length), s.id).toEqual([]);
      const last = (trace.scene as Scene).frames.at(-1)!;
      expect(last.listening.length, s.id).toBe(trace.summary.listenersAtEnd);
    }
  });

  test('whatever is typed, the picture stays consistent', () => {
    const words = fc.constantFrom('ssh', '-N', '-g', '-L', '-R', '-D', '5901:localhost:5900', '0:localhost:80', '9999', '*:8080:web:80', 'me@home.example.net', '-p', '2222', 'vncviewer', 'localhost:1', 'curl', '--socks5', 'localhost:9999', 'http://router.lan/', 'nc', '-u', 'ping', '192.168.10.5', 'x');
    const line = fc.array(words, { maxLength: 8 }).map((w) => w.join(' '));
    const network = fc.constantFrom('', 'host nas 192.168.10.7; service nas 8080 app; forward 8022 nas:22', 'forward 22 nowhere:22');
    fc.assert(
      fc.property(line, line, fc.constantFrom(...HOSTS), fc.constantFrom(...HOSTS), network, (command, action, typedOn, actionOn, net) => {
        const p = { ...paramsOf('vnc-desktop1'), command, action, typedOn, actionOn, network: net };
        const trace = runSshForwarding(p, 1);
        const problems = problemsOf((trace.scene as Scene), trace.series.steps!.length);
        if (problems.length > 0) throw new Error(problems.join('; '));
      }),
      { numRuns: 300 },
    );
  });

  test('the SSH connection crosses the router’s port forward 22 to desktop1, and is drawn from the session onwards', () => {
    const p = paramsOf('vnc-desktop1');
    expect(route(frameOf(p, 'tcp-connect').paths.find((x) => x.current)!.hops)).toBe('laptop>router>desktop1');
    const bind = frameOf(p, 'bind');
    expect(bind.paths.find((x) => x.kind === 'session')!.hops).toEqual(['laptop', 'router', 'desktop1']);
    expect(bind.listening).toEqual([{ node: 'laptop', label: '[::1]:5901 -L' }]);
  });

  test('“localhost” in -L is the server’s own loopback: the far connection is drawn inside desktop1', () => {
    const far = frameOf(paramsOf('vnc-desktop1'), 'far-connect');
    expect(far.focus).toBe('desktop1');
    expect(far.paths.find((x) => x.current)).toEqual({ hops: ['desktop1'], kind: 'tcp', current: true });
    // The viewer's own connection to the listener stays drawn, inside the laptop.
    expect(far.paths.filter((x) => !x.current && x.kind === 'tcp').map((x) => route(x.hops))).toEqual(['laptop']);
  });

  test('the second desktop is reached from desktop1, and the relay runs end to end', () => {
    const p = paramsOf('vnc-desktop2-via-desktop1');
    expect(route(frameOf(p, 'far-connect').paths.find((x) => x.current)!.hops)).toBe('desktop1>desktop2');
    expect(frameOf(p, 'relay').paths.find((x) => x.current)).toEqual({ hops: ['laptop', 'router', 'desktop1', 'desktop2'], kind: 'relay', current: true });
    // Once the viewer has closed, nothing of the connection is left but the SSH pipe.
    expect(frameOf(p, 'close').paths.map((x) => x.kind)).toEqual(['session']);
  });

  test('-R runs the other way: sshd opens the channel back to the laptop, which connects out to the web server', () => {
    const p = paramsOf('remote-forward');
    expect(frameOf(p, 'remote-bind').listening).toEqual([
      { node: 'desktop1', label: '[::1]:8080 -R' },
      { node: 'desktop1', label: '127.0.0.1:8080 -R' },
    ]);
    expect(frameOf(p, 'channel-open').paths.find((x) => x.current)).toEqual({ hops: ['desktop1', 'router', 'laptop'], kind: 'channel', current: true });
    expect(route(frameOf(p, 'far-connect').paths.find((x) => x.current)!.hops)).toBe('laptop>web');
  });

  test('a refused far connection is drawn as a failed attempt where it happened; UDP is never inside the pipe', () => {
    const refused = frameOf(paramsOf('destination-refused'), 'open-failed');
    expect(refused.paths.find((x) => x.current)).toEqual({ hops: ['desktop1'], kind: 'failed', current: true });
    const udp = frameOf(paramsOf('udp-not-forwarded'), 'not-forwardable');
    const current = udp.paths.find((x) => x.current)!;
    expect(['datagram', 'failed']).toContain(current.kind);
    expect(current.hops[0]).toBe(scenarioState(sshForwarding, 'udp-not-forwarded').params.actionOn);
  });

  test('when ssh exits its listeners and its pipe go with it', () => {
    const p = { ...paramsOf('vnc-desktop1'), command: 'ssh -o ExitOnForwardFailure=yes -L 5900:localhost:5900 me@home.example.net', laptopVnc: 1 };
    const last = sceneOf(p).frames.at(-1)!;
    expect(last.listening).toEqual([]);
    expect(last.paths.filter((x) => x.kind === 'session')).toEqual([]);
  });
});
