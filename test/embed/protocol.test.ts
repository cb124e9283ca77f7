/**
 * The embed protocol's parsing of what a deck sends, the embed's own URL options, and the plugin's
 * rule for replaying a fragment's command when a slide is shown again.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeEmbedOptions, parseCommand, PROTOCOL, PROTOCOL_VERSION } from '../../site/embed/protocol.ts';
import { asReplay } from '../../site/embed/reveal-plugin.ts';

const message = (command: object) => ({ protocol: PROTOCOL, version: PROTOCOL_VERSION, ...command });

describe('setSpeed', () => {
  test('a positive number of simulated seconds per second is a command', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e9, noNaN: true }), (speed) => {
        expect(parseCommand(message({ type: 'setSpeed', speed }))).toEqual({ command: { type: 'setSpeed', speed } });
      }),
    );
  });

  test.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, '10', null, undefined])('speed %s is refused with a reason', (speed) => {
    const parsed = parseCommand(message({ type: 'setSpeed', speed }));
    expect(parsed).toMatchObject({ ignore: 'invalid' });
    expect((parsed as { reason: string }).reason).toContain('setSpeed.speed');
  });
});

describe('the embed address options', () => {
  test('speed= is read as a positive number, and anything else is noted and left at the default', () => {
    expect(decodeEmbedOptions('speed=30').options.speed).toBe(30);
    expect(decodeEmbedOptions('').options.speed).toBeNull();
    for (const raw of ['0', '-5', 'fast', '']) {
      const { options, notes } = decodeEmbedOptions(`speed=${raw}`);
      expect(options.speed, raw).toBeNull();
      expect(notes.join(' '), raw).toContain('speed=');
    }
  });
});

describe('replaying a fragment when its slide is shown again', () => {
  test('a play to a time becomes a seek to that time; a play with no end is not replayed; other commands stay as they are', () => {
    expect(asReplay({ type: 'play', until: 16 })).toEqual({ type: 'seek', t: 16 });
    expect(asReplay({ type: 'play' })).toBeNull();
    for (const command of [{ type: 'setScenario', scenario: 'herd' }, { type: 'seek', t: 3 }, { type: 'setSpeed', speed: 2 }, { type: 'pause' }] as const) {
      expect(asReplay(command)).toEqual(command);
    }
  });
});
