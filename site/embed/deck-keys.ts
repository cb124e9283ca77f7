/**
 * The keys a slide deck moves with, shared by the embed (which hands them to its deck) and the
 * reveal.js plugin (which replays them in the deck when they arrive as a message).
 */

/** The keys a deck uses, with their legacy keyCodes: reveal.js and many decks still match on keyCode. */
export const DECK_KEYS: ReadonlyMap<string, number> = new Map([
  ['ArrowLeft', 37], ['ArrowUp', 38], ['ArrowRight', 39], ['ArrowDown', 40],
  ['PageUp', 33], ['PageDown', 34], [' ', 32], ['Home', 36], ['End', 35],
]);

export interface DeckKey {
  key: string;
  code: string;
  shiftKey: boolean;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}

/** The key as a keydown dispatched where `doc`'s deck listens, legacy codes included. */
export function replayDeckKey(doc: Document, init: DeckKey): void {
  const event = new KeyboardEvent('keydown', { ...init, bubbles: true, cancelable: true });
  // KeyboardEvent's constructor cannot set the legacy codes; define them so keyCode-based decks see the key.
  const keyCode = DECK_KEYS.get(init.key) ?? 0;
  Object.defineProperty(event, 'keyCode', { value: keyCode });
  Object.defineProperty(event, 'which', { value: keyCode });
  (doc.activeElement ?? doc.body).dispatchEvent(event);
}
