/**
 * <ops-lab>: checks the reader's current settings against an exercise's goal
 * by reading the run the player beside it has already computed, keeps
 * progress in this browser (progress.ts), and shows it as "My results"
 * (my-results.ts), which the reader can hand in as a code, a file or on paper.
 */
import type { AnySimulation } from '../../sim/core/index.ts';
import { encodeState } from '../../sim/core/index.ts';
import type { OpsPlayer } from '../player/player-element.ts';
import { evaluate, type Check } from './checks.ts';
import { MyResults, passedSettings, settingsWords } from './my-results.ts';
import { emptyProgress, loadProgress, saveProgress, type Progress } from './progress.ts';

class OpsLab extends HTMLElement {
  private progress: Progress = emptyProgress();
  private storage: Storage | null = null;
  private sim: AnySimulation | null = null;
  private results: MyResults | null = null;

  connectedCallback(): void {
    try {
      this.storage = window.localStorage;
    } catch {
      this.storage = null;
    }
    const loaded = loadProgress(this.storage);
    this.progress = loaded.progress;
    if (loaded.discarded) this.notice('Saved lab progress in this browser could not be read, so it was cleared.');
    const checks = JSON.parse(this.dataset.checks ?? '{}') as Record<string, Check[]>;
    this.results = new MyResults(this.q('[data-role=lab-results]'), this.dataset.lab ?? '', this.storage, () => this.passed());
    void customElements.whenDefined('ops-player').then(async () => {
      const player = document.querySelector<OpsPlayer>('ops-player');
      if (!player) return;
      await player.ready;
      this.sim = player.simulation;
      for (const button of this.querySelectorAll<HTMLButtonElement>('button[data-check]')) {
        button.disabled = false;
        button.addEventListener('click', () => this.check(player, button.dataset.check!, checks[button.dataset.check!] ?? []));
      }
      this.render();
      this.dataset.ready = 'true';
    });
    this.q('[data-role=reset-progress]').addEventListener('click', () => {
      this.progress = emptyProgress();
      saveProgress(this.storage, this.progress);
      for (const r of this.querySelectorAll('[data-result]')) r.replaceChildren();
      this.notice('Progress reset.');
      this.render();
    });
    this.render();
  }

  private check(player: OpsPlayer, exerciseId: string, checks: Check[]): void {
    const snapshot = player.snapshot();
    const { pass, results } = evaluate(player.simulation, checks, snapshot.params, player.summary());
    const box = this.q(`[data-result="${exerciseId}"]`);
    const lines = pass ? ['Pass: every check holds for this run.'] : ['Not yet:', ...results.filter((r) => !r.ok).map((r) => r.message)];
    box.replaceChildren(...lines.map((text) => Object.assign(document.createElement('p'), { textContent: text })));
    box.dataset.pass = String(pass);
    if (pass) {
      // The state that was checked, as the URL codec writes it (not the address bar, which may lag or carry a cursor).
      const state = { scenario: snapshot.scenario, seed: snapshot.seed, params: snapshot.params, tSec: null };
      this.progress.passed[`${this.dataset.lab}/${exerciseId}`] = encodeState(player.simulation, state);
      if (!saveProgress(this.storage, this.progress)) this.notice('This browser will not keep progress (storage is unavailable), but the check passed.');
      this.render();
    }
  }

  /** The exercises passed in this browser, in the page's order, with their settings; none until the simulation is known. */
  private passed(): { id: string; settings: string }[] {
    const sim = this.sim;
    if (!sim) return [];
    return this.exerciseIds().flatMap((id) => {
      const stored = this.progress.passed[`${this.dataset.lab}/${id}`];
      return stored === undefined ? [] : [{ id, settings: passedSettings(sim, stored) }];
    });
  }

  private exerciseIds(): string[] {
    return [...this.querySelectorAll<HTMLElement>('[data-exercise]')].map((e) => e.dataset.exercise!);
  }

  private render(): void {
    const lab = this.dataset.lab ?? '';
    const passed = this.passed();
    this.q('[data-role=progress-list]').replaceChildren(
      ...passed.map(({ id, settings }) => {
        const title = this.querySelector(`#ex-${CSS.escape(id)}`)?.textContent ?? id;
        const a = Object.assign(document.createElement('a'), { href: `?${settings}#sim`, textContent: 'the settings that passed' });
        a.dataset.simLink = this.sim?.id ?? '';
        const words = Object.assign(document.createElement('span'), { className: 'settings-words', textContent: settingsWords(this.sim!, settings) });
        const li = document.createElement('li');
        li.dataset.passed = id;
        li.append(`${title}: passed, with `, a, '. ', words);
        return li;
      }),
    );
    const total = this.exerciseIds().length;
    const count = Object.keys(this.progress.passed).filter((key) => key.startsWith(`${lab}/`)).length;
    this.q('[data-role=progress-summary]').textContent = `${count} of ${total} exercises passed in this browser.`;
    this.q<HTMLButtonElement>('[data-role=reset-progress]').hidden = count === 0;
    for (const badge of this.querySelectorAll<HTMLElement>('[data-status]')) {
      const done = Object.hasOwn(this.progress.passed, `${lab}/${badge.dataset.status}`);
      badge.textContent = done ? 'passed' : 'not passed yet';
      badge.classList.toggle('done', done);
    }
    this.results?.update();
  }

  private notice(text: string): void {
    this.q('[data-role=lab-notice]').replaceChildren(Object.assign(document.createElement('p'), { textContent: text }));
  }

  private q<T extends HTMLElement = HTMLElement>(selector: string): T {
    return this.querySelector<T>(selector)!;
  }
}

if (!customElements.get('ops-lab')) customElements.define('ops-lab', OpsLab);
