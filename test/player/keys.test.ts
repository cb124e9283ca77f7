import { describe, expect, test } from 'vitest';
import { keyAction } from '../../site/player/keys.ts';

/** A stand-in for the focused element: only `matches` is read. */
const target = (kind: 'player' | 'timeline' | 'input' | 'button') => ({
  matches: (selector: string) =>
    selector === '[data-role=timeline]' ? kind === 'timeline' : kind === 'input' || kind === 'button' || kind === 'timeline',
}) as unknown as Element;
const key = (k: string, mods: Partial<{ shiftKey: boolean; altKey: boolean; ctrlKey: boolean; metaKey: boolean }> = {}) => ({ key: k, shiftKey: false, altKey: false, ctrlKey: false, metaKey: false, ...mods });

describe('the player keys', () => {
  test.each([
    ['Space on the player plays or pauses', key(' '), 'player', { type: 'toggle' }],
    ['an arrow steps one clock step', key('ArrowRight'), 'player', { type: 'step', steps: 1 }],
    ['Shift with an arrow steps ten', key('ArrowLeft', { shiftKey: true }), 'player', { type: 'step', steps: -10 }],
    ['Home goes to the start', key('Home'), 'player', { type: 'start' }],
    ['End goes to the end', key('End'), 'player', { type: 'end' }],
    ['the timeline keeps its own arrows', key('ArrowRight'), 'timeline', null],
    ['the timeline gives up Space', key(' '), 'timeline', { type: 'toggle' }],
    ['a text field keeps Space', key(' '), 'input', null],
    ['a button keeps its arrows', key('ArrowLeft'), 'button', null],
    ['Ctrl with an arrow belongs to the browser', key('ArrowRight', { ctrlKey: true }), 'player', null],
    ['any other key does nothing', key('x'), 'player', null],
  ] as const)('%s', (_title, e, on, expected) => {
    expect(keyAction(e, target(on))).toEqual(expected);
  });
});
