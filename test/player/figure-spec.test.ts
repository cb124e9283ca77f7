/** An inline figure's props are checked at build: what it names must exist, or the build fails saying which figure and why. */
import { describe, expect, test } from 'vitest';
import { decodeState } from '../../sim/core/index.ts';
import { synQueue } from '../../sim/syn-queue/index.ts';
import { sshForwarding } from '../../sim/ssh-forwarding/index.ts';
import { figureSpec } from '../../site/player/figure-spec.ts';

describe('an inline figure as an article names it', () => {
  test('its state is the scenario with the overrides and the moment, and its query decodes back to that state', () => {
    const spec = figureSpec(synQueue, { id: 'fix', scenario: 'fastmail-fix', set: { tcp_synack_retries: 5 }, t: 40, show: 'chart:queues diagram', controls: 'tcp_max_syn_backlog' });
    expect(spec.state.params.tcp_synack_retries).toBe(5);
    expect(spec.state.tSec).toBe(40);
    expect(decodeState(synQueue, spec.query)).toEqual({ state: spec.state, notes: [] });
    expect([...spec.kinds]).toEqual(['chart', 'diagram']);
    expect(spec.charts).toEqual(['queues']);
    expect(spec.controls).toEqual(['tcp_max_syn_backlog']);
  });

  test('"charts" shows every chart of the view, once', () => {
    const spec = figureSpec(synQueue, { id: 'all', scenario: 'busy-hour', show: 'chart:latency charts' });
    expect(spec.charts).toEqual(['latency', ...synQueue.view.charts.map((c) => c.id).filter((id) => id !== 'latency')]);
  });

  test.each([
    [{ id: 'Bad Id', scenario: 'busy-hour', show: 'diagram' }, /lower-case letters/],
    [{ id: 'x', scenario: 'no-such', show: 'diagram' }, /no scenario no-such; valid: busy-hour/],
    [{ id: 'x', scenario: 'busy-hour', set: { tcp_synack_retries: 99 }, show: 'diagram' }, /tcp_synack_retries/],
    [{ id: 'x', scenario: 'busy-hour', t: 100_000, show: 'diagram' }, /t=100000 is outside 0\.\.60/],
    [{ id: 'x', scenario: 'busy-hour', show: 'chart:nope' }, /no chart nope; valid: queues/],
    [{ id: 'x', scenario: 'busy-hour', show: 'map' }, /no panel map/],
    [{ id: 'x', scenario: 'busy-hour', show: 'inspector' }, /this lesson has no inspector panel/],
    [{ id: 'x', scenario: 'busy-hour', show: '  ' }, /show names no panel/],
    [{ id: 'x', scenario: 'busy-hour', show: 'diagram', controls: 'nope' }, /no parameter nope/],
    [{ id: 'x', scenario: 'busy-hour', show: 'diagram', controls: 'rttMs rttMs' }, /named twice/],
  ])('%j fails the build: %s', (props, message) => {
    expect(() => figureSpec(synQueue, props)).toThrow(message);
    expect(() => figureSpec(synQueue, props)).toThrow(`Figure ${JSON.stringify(props.id)} (syn-queue)`);
  });

  test('a parameter typed in the terminal is not a control: the figure shows the terminal instead', () => {
    const key = sshForwarding.paramGroups.find((g) => g.placement === 'terminal')!.keys[1]!;
    expect(() => figureSpec(sshForwarding, { id: 'x', scenario: sshForwarding.scenarios[0]!.id, show: 'log', controls: key })).toThrow(/show "terminal" instead/);
  });
});
