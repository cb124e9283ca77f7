/**
 * The embed's postMessage protocol, version 1 (documented at /docs/embedding/).
 *
 * Every message, both ways, carries `protocol: 'opslab-embed'` and `version: 1`.
 * The parent sends commands; the embed answers with events. Commands that arrive
 * before the embed's `ready` are kept and applied in order once it is ready. Parsing never
 * throws: anything that is not addressed to us is ignored silently (browser
 * extensions post messages too), and a message that claims our protocol but
 * has the wrong shape is ignored with a reason the embed logs once.
 */

export const PROTOCOL = 'opslab-embed';
export const PROTOCOL_VERSION = 1;

export type Command =
  | { type: 'play'; until?: number }
  | { type: 'pause' }
  | { type: 'step'; seconds: number }
  | { type: 'seek'; t: number }
  | { type: 'setSpeed'; speed: number }
  | { type: 'setScenario'; scenario: string }
  | { type: 'setParams'; params: Record<string, string | number> }
  | { type: 'reset' }
  | { type: 'getState' };

export interface StateEvent {
  type: 'state';
  simId: string;
  t: number;
  duration: number;
  playing: boolean;
  scenario: string;
  seed: number;
  params: Record<string, string | number>;
  hash: string;
  /** What the embed changed about the last command's values (clamped, unknown, ...), in words. */
  notes: string[];
}

export type EmbedEvent =
  | {
      type: 'ready';
      simId: string;
      title: string;
      scenarios: { id: string; title: string }[];
      params: Record<string, unknown>;
    }
  | StateEvent
  | { type: 'ended'; simId: string; t: number }
  /** `autoplay=1` was asked for and not done: the reader's system asks for reduced motion. */
  | { type: 'autoplay-refused'; simId: string; reason: 'reduced-motion' }
  | { type: 'key'; key: string; code: string; shiftKey: boolean; altKey: boolean; ctrlKey: boolean; metaKey: boolean };

export type Envelope<T> = T & { protocol: typeof PROTOCOL; version: typeof PROTOCOL_VERSION };

export function envelope<T extends object>(message: T): Envelope<T> {
  return { protocol: PROTOCOL, version: PROTOCOL_VERSION, ...message };
}

export type Parsed = { command: Command } | { ignore: 'not-ours' } | { ignore: 'invalid'; reason: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function parseCommand(data: unknown): Parsed {
  try {
    if (!isRecord(data) || data.protocol !== PROTOCOL) return { ignore: 'not-ours' };
    if (data.version !== PROTOCOL_VERSION) {
      return { ignore: 'invalid', reason: `version ${String(data.version)} is not supported (this embed speaks version ${PROTOCOL_VERSION})` };
    }
    switch (data.type) {
      case 'play':
        if (data.until !== undefined && !finite(data.until)) return { ignore: 'invalid', reason: 'play.until must be a number of seconds' };
        return { command: data.until === undefined ? { type: 'play' } : { type: 'play', until: data.until } };
      case 'pause':
      case 'reset':
      case 'getState':
        return { command: { type: data.type } };
      case 'step':
        if (data.seconds !== undefined && !finite(data.seconds)) return { ignore: 'invalid', reason: 'step.seconds must be a number' };
        return { command: { type: 'step', seconds: (data.seconds as number | undefined) ?? 1 } };
      case 'seek':
        if (!finite(data.t)) return { ignore: 'invalid', reason: 'seek.t must be a number of seconds' };
        return { command: { type: 'seek', t: data.t } };
      case 'setSpeed':
        if (!finite(data.speed) || data.speed <= 0) return { ignore: 'invalid', reason: 'setSpeed.speed must be a positive number (simulated seconds per second)' };
        return { command: { type: 'setSpeed', speed: data.speed } };
      case 'setScenario':
        if (typeof data.scenario !== 'string') return { ignore: 'invalid', reason: 'setScenario.scenario must be a string' };
        return { command: { type: 'setScenario', scenario: data.scenario } };
      case 'setParams': {
        if (!isRecord(data.params)) return { ignore: 'invalid', reason: 'setParams.params must be an object' };
        const params: Record<string, string | number> = {};
        for (const [key, value] of Object.entries(data.params)) {
          if (typeof value !== 'string' && !finite(value)) return { ignore: 'invalid', reason: `setParams.params.${key} must be a number or a string` };
          params[key] = value;
        }
        return { command: { type: 'setParams', params } };
      }
      default:
        return { ignore: 'invalid', reason: `unknown command type ${JSON.stringify(String(data.type)).slice(0, 40)}` };
    }
  } catch {
    // A getter that throws, a revoked proxy: still nothing the parent sends may break the embed.
    return { ignore: 'invalid', reason: 'the message could not be read' };
  }
}

/** How the embed is shown: `?theme=&controls=&autoplay&speed=&panels=&scale=`, next to the simulation's own state keys. */
export interface EmbedOptions {
  theme: 'auto' | 'light' | 'dark' | 'projector';
  controls: 'full' | 'minimal' | 'none';
  autoplay: boolean;
  /** Simulated seconds per second, as asked; the player takes the nearest speed its clock offers. */
  speed: number | null;
  /**
   * The panels to show, as an article figure's `show` names them (site/player/show-tokens.ts),
   * checked against the lesson once it is loaded; null for the lesson's default.
   */
  panels: string | null;
  /** How much larger than at 960x540 to draw everything; null to follow the frame's size (fit.ts). */
  scale: number | null;
}

/** The range `scale=` accepts: below it text is unreadable on any screen, above it one chart fills a wall. */
export const SCALE_RANGE = { min: 0.5, max: 4 } as const;

export const EMBED_KEYS = ['theme', 'controls', 'autoplay', 'speed', 'panels', 'scale'] as const;

export function decodeEmbedOptions(query: string | URLSearchParams): { options: EmbedOptions; notes: string[] } {
  const search = typeof query === 'string' ? new URLSearchParams(query) : query;
  const notes: string[] = [];
  const pick = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const raw = search.get(key);
    if (raw === null) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    notes.push(`${key}=${JSON.stringify(raw.slice(0, 24))} is not one of ${allowed.join(', ')}; using ${fallback}`);
    return fallback;
  };
  const autoplayRaw = search.get('autoplay');
  const speedRaw = search.get('speed');
  const speed = speedRaw === null ? null : Number(speedRaw);
  if (speed !== null && !(Number.isFinite(speed) && speed > 0)) notes.push(`speed=${JSON.stringify(speedRaw!.slice(0, 24))} is not a positive number; using the default speed`);
  const scaleRaw = search.get('scale');
  const scaleAsked = scaleRaw === null || scaleRaw.trim() === '' ? null : Number(scaleRaw);
  const scaleOk = scaleAsked !== null && scaleAsked >= SCALE_RANGE.min && scaleAsked <= SCALE_RANGE.max;
  if (scaleRaw !== null && !scaleOk) notes.push(`scale=${JSON.stringify(scaleRaw.slice(0, 24))} is not a number from ${SCALE_RANGE.min} to ${SCALE_RANGE.max}; fitting the frame instead`);
  const panelsRaw = search.get('panels')?.trim() ?? '';
  return {
    options: {
      theme: pick('theme', ['auto', 'light', 'dark', 'projector'], 'auto'),
      controls: pick('controls', ['full', 'minimal', 'none'], 'full'),
      autoplay: autoplayRaw !== null && autoplayRaw !== '0' && autoplayRaw !== 'false',
      speed: speed !== null && Number.isFinite(speed) && speed > 0 ? speed : null,
      panels: panelsRaw === '' ? null : panelsRaw,
      scale: scaleOk ? scaleAsked : null,
    },
    notes,
  };
}
