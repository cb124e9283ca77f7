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
  /** `moving`: from a control still moving (a slider dragged), which `settle` says has come to rest. */
  param(key: string, raw: string | number, moving?: boolean): void;
  settle(): void;
  seed(text: string): void;
  exportChart(chartId: string, format: 'svg' | 'png'): void;
}

export function bindControls(root: HTMLElement, sim: AnySimulation, on: Intents): void {
  // An inline figure has no scenario picker and no seed: it starts from the state its article names.
  const scenario = root.querySelector<HTMLSelectElement>('[data-role=scenario]');
  scenario?.addEventListener('change', () => on.scenario(scenario.value));
  const speed = need<HTMLSelectElement>(root, '[data-role=speed]');
  speed.addEventListener('change', () => on.speed(Number(speed.value) || 1));
  const timeline = need<HTMLInputElement>(root, '[data-role=timeline]');
  timeline.addEventListener('input', () => on.seek(Number(timeline.value)));
  const seed = root.querySelector<HTMLInputElement>('[data-role=seed]');
  seed?.addEventListener('change', () => on.seed(seed.value));

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
    slider.addEventListener('input', () => on.param(key, sliderValue(spec, Number(slider.value)), true));
    // A range input says `change` once the reader lets go of it (or at each key press).
    slider.addEventListener('change', () => on.settle());
  }
  for (const input of root.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-param-input]')) {
    const key = input.dataset.paramInput!;
    input.addEventListener('change', () => on.param(key, input.value));
  }
}
