import { describe, expect, test } from 'vitest';
import { keyAction } from '../../site/player/keys.ts';

/** A stand-in for the focused element, answering `matches` for the selectors the keys ask about. */
const target = (kind: 'player' | 'timeline' | 'input' | 'select' | 'button' | 'link') => ({
  matches: (selector: string) => {
    const tag = { player: 'div', timeline: 'input', input: 'input', select: 'select', button: 'button', link: 'a' }[kind];
    if (selector === '[data-role=timeline]') return kind === 'timeline';
    return selector.split(',').map((s) => s.trim()).includes(tag);
  },
}) as unknown as Element;
const key = (k: string, mods: Partial<{ shiftKey: boolean; altKey: boolean; ctrlKey: boolean; metaKey: boolean }> = {}) => ({ key: k, shiftKey: false, altKey: false, ctrlKey: false, metaKey: false, ...mods });

describe('the player keys', () => {
  test.each([
    ['Space on the player plays or pauses', key(' '), 'player', { type: 'toggle' }],
    ['an arrow steps one clock step', key('ArrowRight'), 'player', { type: 'step', steps: 1 }],
    ['Shift with an arrow steps ten', key('ArrowLeft', { shiftKey: true }), 'player', { type: 'step', steps: -10 }],
    ['Home goes to the start', key('Home'), 'player', { type: 'start' }],
    ['End goes to the end', key('End'), 'player', { type: 'end' }],
    ['on the timeline an arrow steps as the buttons do', key('ArrowRight'), 'timeline', { type: 'step', steps: 1 }],
    ['on the timeline Shift with an arrow steps ten', key('ArrowRight', { shiftKey: true }), 'timeline', { type: 'step', steps: 10 }],
    ['on the timeline Home goes to the start', key('Home'), 'timeline', { type: 'start' }],
    ['on the timeline End goes to the end', key('End'), 'timeline', { type: 'end' }],
    ['the timeline gives up Space', key(' '), 'timeline', { type: 'toggle' }],
    ['a text field keeps Space', key(' '), 'input', null],
    ['a text field keeps its arrows', key('ArrowLeft'), 'input', null],
    ['a select keeps its arrows', key('ArrowRight'), 'select', null],
    ['on a focused button an arrow steps', key('ArrowLeft'), 'button', { type: 'step', steps: -1 }],
    ['on a focused button End goes to the end', key('End'), 'button', { type: 'end' }],
    ['a button keeps Space, which presses it', key(' '), 'button', null],
    ['on a link Home goes to the start', key('Home'), 'link', { type: 'start' }],
    ['an up arrow on a button is left to the page', key('ArrowUp'), 'button', null],
    ['Ctrl with an arrow belongs to the browser', key('ArrowRight', { ctrlKey: true }), 'player', null],
    ['any other key does nothing', key('x'), 'player', null],
  ] as const)('%s', (_title, e, on, expected) => {
    expect(keyAction(e, target(on))).toEqual(expected);
  });
});
