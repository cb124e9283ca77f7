/**
 * A participant's lab results as something a room can collect without a server: a small JSON file,
 * or a short code to paste. Both carry the lab, the format's version, an optional name and, for each
 * exercise passed, the settings that passed as the site's own URL query (sim/core/url.ts), so a link
 * reopens them. The code is the same data, deflated, in base64url, with six check characters: a
 * mistyped or cut code is refused with a reason, never read as other results.
 */
import { Hasher } from '../../sim/core/hash.ts';

export const RESULTS_FORMAT = 'opslab-lab-results';
export const RESULTS_VERSION = 1;
const CODE_PREFIX = `OPSLAB${RESULTS_VERSION}-`;
const MAX_NAME = 60;
const MAX_SETTINGS = 2000;
const MAX_CODE = 20000;

export interface PassedExercise {
  id: string;
  /** The passing state as the URL codec writes it: `scenario=herd&timeoutMs=2000`. */
  settings: string;
}

export interface LabResults {
  lab: string;
  /** Who they are, as they typed it; empty when they gave no name. */
  name: string;
  exercises: PassedExercise[];
}

/** Why a file or a code could not be read, in words for the page. */
export class ResultsError extends Error {}

const ID = /^[a-z0-9-]{1,60}$/;

/** Checks anything parsed from a file or a code, and returns it as results; throws ResultsError naming what is wrong. */
export function validResults(data: unknown): LabResults {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ResultsError('it holds no lab results');
  const d = data as Record<string, unknown>;
  if (d.format !== undefined && d.format !== RESULTS_FORMAT) throw new ResultsError(`it is a ${JSON.stringify(String(d.format).slice(0, 40))} file, not lab results`);
  if (d.version !== RESULTS_VERSION) throw new ResultsError(`it is version ${JSON.stringify(d.version)} of the results format; this page reads version ${RESULTS_VERSION}`);
  if (typeof d.lab !== 'string' || !ID.test(d.lab)) throw new ResultsError('it names no lab');
  const name = d.name === undefined ? '' : d.name;
  if (typeof name !== 'string' || name.length > MAX_NAME) throw new ResultsError(`its name is not text of at most ${MAX_NAME} characters`);
  if (!Array.isArray(d.exercises)) throw new ResultsError('it has no list of exercises');
  const seen = new Set<string>();
  const exercises = d.exercises.map((e: unknown, i) => {
    const x = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
    if (typeof x.id !== 'string' || !ID.test(x.id)) throw new ResultsError(`exercise ${i + 1} has no id`);
    if (seen.has(x.id)) throw new ResultsError(`exercise ${x.id} is listed twice`);
    seen.add(x.id);
    if (typeof x.settings !== 'string' || x.settings.length > MAX_SETTINGS || !new URLSearchParams(x.settings).has('scenario')) {
      throw new ResultsError(`exercise ${x.id} has no settings that name a scenario`);
    }
    return { id: x.id, settings: x.settings };
  });
  return { lab: d.lab, name: name.trim(), exercises };
}

/** The results file's text: one small JSON document. */
export function resultsFile(results: LabResults): string {
  return `${JSON.stringify({ format: RESULTS_FORMAT, version: RESULTS_VERSION, lab: results.lab, name: results.name, exercises: results.exercises }, null, 1)}\n`;
}

export function readResultsFile(text: string): LabResults {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ResultsError('it is not a results file (not JSON)');
  }
  return validResults(data);
}

async function through(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Six check characters over the code's body: a changed, lost or swapped character changes them. */
function checkCharacters(body: string): string {
  return new Hasher().string(body).digest().slice(0, 6).toUpperCase();
}

/** The results as a code to copy: `OPSLAB1-<deflated JSON, base64url>-<six check characters>`. */
export async function encodeResultsCode(results: LabResults): Promise<string> {
  const compact = JSON.stringify([results.lab, results.name, results.exercises.map((e) => [e.id, e.settings])]);
  const body = toBase64Url(await through(new TextEncoder().encode(compact), new CompressionStream('deflate-raw')));
  return `${CODE_PREFIX}${body}-${checkCharacters(body)}`;
}

/** Reads a pasted code (spaces and line breaks a mail or a chat put in are ignored); throws ResultsError saying what is wrong. */
export async function decodeResultsCode(pasted: string): Promise<LabResults> {
  const code = pasted.replace(/\s+/g, '');
  if (code === '') throw new ResultsError('the code is empty');
  if (code.length > MAX_CODE) throw new ResultsError('it is far longer than any results code');
  const version = /^OPSLAB(\d+)-/i.exec(code);
  if (!version) throw new ResultsError('it is not a results code (a code starts with OPSLAB1-)');
  if (version[1] !== String(RESULTS_VERSION)) throw new ResultsError(`it is a version ${version[1]} code; this page reads version ${RESULTS_VERSION}`);
  const rest = code.slice(version[0].length);
  const dash = rest.lastIndexOf('-');
  const body = rest.slice(0, dash);
  const check = rest.slice(dash + 1);
  if (dash <= 0 || check.length !== 6) throw new ResultsError('the code is cut short: it ends in a dash and six check characters');
  if (checkCharacters(body) !== check.toUpperCase()) throw new ResultsError('its check characters do not match: a character was mistyped, lost or added; copy the code again');
  let compact: unknown;
  try {
    compact = JSON.parse(new TextDecoder().decode(await through(fromBase64Url(body), new DecompressionStream('deflate-raw'))));
  } catch {
    throw new ResultsError('the code could not be unpacked, though its check characters match');
  }
  if (!Array.isArray(compact) || compact.length !== 3 || !Array.isArray(compact[2])) throw new ResultsError('the code holds no lab results');
  const [lab, name, exercises] = compact as [unknown, unknown, unknown[]];
  return validResults({
    version: RESULTS_VERSION,
    lab,
    name,
    exercises: exercises.map((e) => (Array.isArray(e) ? { id: e[0], settings: e[1] } : e)),
  });
}
