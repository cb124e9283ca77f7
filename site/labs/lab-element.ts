/**
 * <ops-lab>: checks the reader's current settings against an exercise's goal
 * by reading the run the player beside it has already computed, and keeps
 * progress in this browser (progress.ts).
 */
import type { OpsPlayer } from '../player/player-element.ts';
import { evaluate, type Check } from './checks.ts';
import { emptyProgress, loadProgress, saveProgress, type Progress } from './progress.ts';

class OpsLab extends HTMLElement {
  private progress: Progress = emptyProgress();
  private storage: Storage | null = null;

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
    void customElements.whenDefined('ops-player').then(async () => {
      const player = document.querySelector<OpsPlayer>('ops-player');
      if (!player) return;
      await player.ready;
      for (const button of this.querySelectorAll<HTMLButtonElement>('button[data-check]')) {
        button.disabled = false;
        button.addEventListener('click', () => this.check(player, button.dataset.check!, checks[button.dataset.check!] ?? []));
      }
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
      this.progress.passed[`${this.dataset.lab}/${exerciseId}`] = window.location.search;
      if (!saveProgress(this.storage, this.progress)) this.notice('This browser will not keep progress (storage is unavailable), but the check passed.');
      this.render();
    }
  }

  private render(): void {
    const lab = this.dataset.lab ?? '';
    const list = this.q('[data-role=progress-list]');
    const passed = Object.entries(this.progress.passed).filter(([key]) => key.startsWith(`${lab}/`));
    list.replaceChildren(
      ...passed.map(([key, query]) => {
        const id = key.slice(lab.length + 1);
        const title = this.querySelector(`#ex-${CSS.escape(id)}`)?.textContent ?? id;
        const a = Object.assign(document.createElement('a'), { href: query || '?', textContent: 'the settings that passed' });
        a.dataset.simLink = '';
        const li = document.createElement('li');
        li.append(`${title}: passed, with `, a);
        return li;
      }),
    );
    const total = this.querySelectorAll('[data-exercise]').length;
    this.q('[data-role=progress-summary]').textContent = `${passed.length} of ${total} exercises passed in this browser.`;
    this.q<HTMLButtonElement>('[data-role=reset-progress]').hidden = passed.length === 0;
    for (const badge of this.querySelectorAll<HTMLElement>('[data-status]')) {
      const done = Object.hasOwn(this.progress.passed, `${lab}/${badge.dataset.status}`);
      badge.textContent = done ? 'passed' : 'not passed yet';
      badge.classList.toggle('done', done);
    }
  }

  private notice(text: string): void {
    this.q('[data-role=lab-notice]').replaceChildren(Object.assign(document.createElement('p'), { textContent: text }));
  }

  private q<T extends HTMLElement = HTMLElement>(selector: string): T {
    return this.querySelector<T>(selector)!;
  }
}

if (!customElements.get('ops-lab')) customElements.define('ops-lab', OpsLab);
