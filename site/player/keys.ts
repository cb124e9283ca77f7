/**
 * The player's keys, wherever focus is in it: Space plays or pauses, the arrows step (ten with
 * Shift), Home and End jump. The timeline, the transport's buttons, a disclosure and a link take
 * the arrows, Home and End as the player's (a button has no use for them, and the timeline then
 * steps exactly as the buttons do, Shift included). Controls that need their own keys keep them:
 * a text or number field, a select, a parameter's slider; and a button, a disclosure or a link
 * keeps Space, which presses it.
 */
export type KeyAction = { type: 'toggle' } | { type: 'step'; steps: number } | { type: 'start' } | { type: 'end' };

export function keyAction(e: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'altKey' | 'ctrlKey' | 'metaKey'>, target: Element): KeyAction | null {
  if (e.altKey || e.ctrlKey || e.metaKey) return null;
  const isTimeline = target.matches('[data-role=timeline]');
  const ownsAllKeys = !isTimeline && target.matches('input, select, textarea');
  if (ownsAllKeys) return null;
  if (e.key === ' ') return isTimeline || !target.matches('button, summary, a') ? { type: 'toggle' } : null;
  const steps = e.shiftKey ? 10 : 1;
  switch (e.key) {
    case 'ArrowLeft':
    case 'ArrowDown':
      return e.key === 'ArrowDown' && !isTimeline ? null : { type: 'step', steps: -steps };
    case 'ArrowRight':
    case 'ArrowUp':
      return e.key === 'ArrowUp' && !isTimeline ? null : { type: 'step', steps };
    case 'Home':
      return { type: 'start' };
    case 'End':
      return { type: 'end' };
    default:
      return null;
  }
}
