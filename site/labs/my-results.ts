/**
 * "My results" on a lab's page: the exercises this browser has passed, each with a link that
 * reopens the settings that passed and those settings in words, and three ways to hand them in
 * without a server: a code to copy, a small file to download, and a printout of this box alone.
 */
import { decodeState, encodeState, findScenario, type AnySimulation } from '../../sim/core/index.ts';
import { changesFrom, scenarioRequest } from '../player/requests.ts';
import { encodeResultsCode, resultsFile, type LabResults, type PassedExercise } from './results-format.ts';

const NAME_KEY = 'opslab:lab-name';

/** Settings as stored (an older page kept the address bar's query, with its `?` and cursor) written again by the URL codec, so they always name a scenario and nothing else. */
export function passedSettings(sim: AnySimulation, stored: string): string {
  const { state } = decodeState(sim, stored.replace(/^\?/, ''));
  return encodeState(sim, { ...state, tSec: null });
}

/** The settings in words: the scenario's title and what differs from it ("Query time 300 ms (was 50 ms)"). */
export function settingsWords(sim: AnySimulation, settings: string): string {
  const { state } = decodeState(sim, settings);
  const changes = changesFrom(sim, scenarioRequest(sim, state.scenario), { scenario: state.scenario, seed: state.seed, params: state.params });
  const title = findScenario(sim, state.scenario)?.title ?? state.scenario;
  return changes.length > 0 ? `${title}, with ${changes.join('; ')}` : `${title}, as it opens`;
}

export class MyResults {
  private name = '';
  private readonly root: HTMLElement;
  private readonly lab: string;
  private readonly storage: Storage | null;
  /** What this browser has passed now, in the exercises' order. */
  private readonly passed: () => PassedExercise[];

  constructor(root: HTMLElement, lab: string, storage: Storage | null, passed: () => PassedExercise[]) {
    this.root = root;
    this.lab = lab;
    this.storage = storage;
    this.passed = passed;
    try {
      this.name = storage?.getItem(NAME_KEY) ?? '';
    } catch {
      this.name = '';
    }
    const nameInput = this.q<HTMLInputElement>('[data-role=results-name]');
    nameInput.value = this.name;
    nameInput.addEventListener('input', () => {
      this.name = nameInput.value.trim();
      try {
        this.storage?.setItem(NAME_KEY, this.name);
      } catch {
        // The name is then asked again on the next visit; the results themselves are unaffected.
      }
      this.q('[data-role=results-code-box]').hidden = true;
      this.printHead();
    });
    this.q('[data-role=results-code]').addEventListener('click', () => void this.showCode());
    this.q('[data-role=results-copy]').addEventListener('click', () => void this.copyCode());
    this.q('[data-role=results-download]').addEventListener('click', () => this.download());
    this.q('[data-role=results-print]').addEventListener('click', () => this.print());
  }

  results(): LabResults {
    return { lab: this.lab, name: this.name, exercises: this.passed() };
  }

  /** Shows or hides the ways to hand results in, and drops a code that no longer says what passed. */
  update(): void {
    const any = this.passed().length > 0;
    this.q('[data-role=results-export]').hidden = !any;
    this.q('[data-role=results-code-box]').hidden = true;
    this.printHead();
  }

  /** The printout's first line: the lab's title, and the name when one is given. */
  private printHead(): void {
    const who = this.name ? ` · ${this.name}` : '';
    this.q('[data-role=results-print-head]').textContent = `${document.querySelector('h1')?.textContent ?? this.lab}${who}`;
  }

  private async showCode(): Promise<void> {
    const box = this.q('[data-role=results-code-box]');
    const text = this.q<HTMLTextAreaElement>('[data-role=results-code-text]');
    text.value = await encodeResultsCode(this.results());
    this.q('[data-role=results-copied]').textContent = '';
    box.hidden = false;
    text.focus();
    text.select();
  }

  private async copyCode(): Promise<void> {
    const text = this.q<HTMLTextAreaElement>('[data-role=results-code-text]');
    const said = this.q('[data-role=results-copied]');
    try {
      await navigator.clipboard.writeText(text.value);
      said.textContent = 'Copied.';
    } catch {
      // file:// pages and some browsers refuse the clipboard: the code is selected for Ctrl+C instead.
      text.focus();
      text.select();
      said.textContent = 'Press Ctrl+C (or ⌘C) to copy the selected code.';
    }
  }

  private download(): void {
    const url = URL.createObjectURL(new Blob([resultsFile(this.results())], { type: 'application/json' }));
    const who = this.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    const a = Object.assign(document.createElement('a'), { href: url, download: `opslab-${this.lab}${who ? `-${who}` : ''}-results.json` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  /** Prints this box alone: the print styles keep only it while the page carries the mark. */
  private print(): void {
    const html = document.documentElement;
    html.dataset.print = 'lab-results';
    window.addEventListener('afterprint', () => delete html.dataset.print, { once: true });
    window.print();
  }

  private q<T extends HTMLElement = HTMLElement>(selector: string): T {
    return this.root.querySelector<T>(selector)!;
  }
}
