/**
 * The player's keys: Space plays or pauses, the arrows step (ten with Shift), Home and End jump.
 * Form controls keep their own keys (a slider's arrows, a select's letters, a button's space);
 * the timeline keeps its arrows, Home and End, and gives up only Space.
 */
export type KeyAction = { type: 'toggle' } | { type: 'step'; steps: number } | { type: 'start' } | { type: 'end' };

export function keyAction(e: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'altKey' | 'ctrlKey' | 'metaKey'>, target: Element): KeyAction | null {
  const isTimeline = target.matches('[data-role=timeline]');
  const ownsKeys = target.matches('input, select, textarea, button, summary, a') && !isTimeline;
  if (ownsKeys || e.altKey || e.ctrlKey || e.metaKey) return null;
  if (e.key === ' ') return { type: 'toggle' };
  if (isTimeline) return null;
  const steps = e.shiftKey ? 10 : 1;
  switch (e.key) {
    case 'ArrowLeft':
      return { type: 'step', steps: -steps };
    case 'ArrowRight':
      return { type: 'step', steps };
    case 'Home':
      return { type: 'start' };
    case 'End':
      return { type: 'end' };
    default:
      return null;
  }
}
