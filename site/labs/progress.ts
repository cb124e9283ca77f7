/**
 * Which lab exercises this browser has passed, with the settings that passed
 * (as a link). Kept in localStorage; anything unreadable or from another
 * version is discarded with a notice, never trusted and never fatal.
 */

export const PROGRESS_KEY = 'opslab:labs';
const VERSION = 1;

export interface Progress {
  version: typeof VERSION;
  /** `<lab>/<exercise>` -> the query string of the settings that passed. */
  passed: Record<string, string>;
}

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function emptyProgress(): Progress {
  return { version: VERSION, passed: {} };
}

/** Reads progress; `discarded` is true when something was stored but could not be used. */
export function loadProgress(storage: Storage | null): { progress: Progress; discarded: boolean } {
  let raw: string | null = null;
  try {
    raw = storage?.getItem(PROGRESS_KEY) ?? null;
  } catch {
    return { progress: emptyProgress(), discarded: false };
  }
  if (raw === null) return { progress: emptyProgress(), discarded: false };
  try {
    const data = JSON.parse(raw) as unknown;
    if (typeof data !== 'object' || data === null || (data as Progress).version !== VERSION) throw new Error('shape');
    const passed = (data as Progress).passed;
    if (typeof passed !== 'object' || passed === null || Array.isArray(passed)) throw new Error('shape');
    const clean: Record<string, string> = {};
    for (const [key, value] of Object.entries(passed)) {
      if (typeof value !== 'string' || !/^[a-z0-9-]+\/[a-z0-9-]+$/.test(key)) throw new Error('entry');
      clean[key] = value;
    }
    return { progress: { version: VERSION, passed: clean }, discarded: false };
  } catch {
    try {
      storage?.removeItem(PROGRESS_KEY);
    } catch {
      // Nothing more to do: the page starts from empty progress either way.
    }
    return { progress: emptyProgress(), discarded: true };
  }
}

export function saveProgress(storage: Storage | null, progress: Progress): boolean {
  try {
    storage?.setItem(PROGRESS_KEY, JSON.stringify(progress));
    return storage !== null;
  } catch {
    return false;
  }
}
