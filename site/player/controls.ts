/**
 * The player's controls and keys, turned into intents: which button, which parameter, which key.
 * What an intent does is the element's business (player-element.ts); this module only listens.
 */
import type { AnySimulation, NumberParamSpec } from '../../sim/core/index.ts';
import { need } from '../panels/frame.ts';
import { keyAction, type KeyAction } from './keys.ts';
import { sliderValue } from './slider.ts';

export interface Intents {
  /** A `data-act` button: play, start, back, forward, new-seed, copy-link, copy-embed, reset-params. */
  act(action: string): void;
  key(action: KeyAction): void;
  scenario(id: string): void;
  speed(simSecPerSec: number): void;
  seek(tSec: number): void;
  param(key: string, raw: string | number): void;
  seed(text: string): void;
  exportChart(chartId: string, format: 'svg' | 'png'): void;
  /** A link in the article (`<a data-sim-link>`) to this simulation, clicked plainly. */
  articleLink(link: HTMLAnchorElement): void;
}

export function bindControls(root: HTMLElement, sim: AnySimulation, on: Intents): void {
  const scenario = need<HTMLSelectElement>(root, '[data-role=scenario]');
  scenario.addEventListener('change', () => on.scenario(scenario.value));
  const speed = need<HTMLSelectElement>(root, '[data-role=speed]');
  speed.addEventListener('change', () => on.speed(Number(speed.value) || 1));
  const timeline = need<HTMLInputElement>(root, '[data-role=timeline]');
  timeline.addEventListener('input', () => on.seek(Number(timeline.value)));
  const seed = need<HTMLInputElement>(root, '[data-role=seed]');
  seed.addEventListener('change', () => on.seed(seed.value));

  root.addEventListener('click', (e) => {
    const exporter = (e.target as Element).closest<HTMLButtonElement>('button[data-export]');
    if (exporter) on.exportChart(exporter.dataset.chart ?? '', exporter.dataset.export === 'png' ? 'png' : 'svg');
    const button = (e.target as Element).closest<HTMLButtonElement>('button[data-act]');
    if (button && root.contains(button)) on.act(button.dataset.act ?? '');
  });
  root.addEventListener('keydown', (e) => {
    const action = keyAction(e, e.target as Element);
    if (!action) return;
    e.preventDefault();
    on.key(action);
  });

  for (const slider of root.querySelectorAll<HTMLInputElement>('[data-param-slider]')) {
    const key = slider.dataset.paramSlider!;
    const spec = sim.params[key] as NumberParamSpec;
    slider.addEventListener('input', () => on.param(key, sliderValue(spec, Number(slider.value))));
  }
  for (const input of root.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-param-input]')) {
    const key = input.dataset.paramInput!;
    input.addEventListener('change', () => on.param(key, input.value));
  }

  document.addEventListener('click', (e) => {
    const link = (e.target as Element).closest<HTMLAnchorElement>('a[data-sim-link]');
    if (!link || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    if ((link.dataset.simLink || sim.id) !== sim.id) return;
    e.preventDefault();
    on.articleLink(link);
  });
}
