/**
 * Parameter groups placed as a terminal (`placement: 'terminal'`): each host choice followed by the
 * command typed on it, above the timeline. The inputs are ordinary parameter inputs
 * (`data-param-input`), which the player's controls read and keep in step with the run.
 */
import type { AnySimulation, ParamSpec, ParamValues } from '../../sim/core/index.ts';
import { esc } from '../charts/escape.ts';
import type { PanelKind } from './frame.ts';

const groupsOf = (sim: AnySimulation) => sim.paramGroups.filter((g) => g.placement === 'terminal');

function renderTerminal(sim: AnySimulation, domId: string, keys: readonly string[], params: ParamValues): string {
  let lines = '';
  for (let i = 0; i + 1 < keys.length; i += 2) {
    const [hostKey, textKey] = [keys[i]!, keys[i + 1]!];
    const host = sim.params[hostKey] as ParamSpec;
    const text = sim.params[textKey] as ParamSpec;
    const hostId = `t-${domId}-${hostKey}`;
    const textId = `t-${domId}-${textKey}`;
    const options =
      host.kind === 'choice'
        ? host.options.map((o) => `<option value="${esc(String(o.value))}"${String(o.value) === String(params[hostKey]) ? ' selected' : ''}>${esc(o.label)}</option>`).join('')
        : '';
    const textAttrs = text.kind === 'text' ? ` maxlength="${text.maxLength}"${text.placeholder ? ` placeholder="${esc(text.placeholder)}"` : ''}` : '';
    lines +=
      `<div class="term-line"><label class="visually-hidden" for="${esc(hostId)}">${esc(host.label)}</label>` +
      `<select id="${esc(hostId)}" class="term-host" data-param-input="${esc(hostKey)}" disabled>${options}</select>` +
      `<span class="term-prompt" aria-hidden="true">$</span>` +
      `<label class="visually-hidden" for="${esc(textId)}">${esc(text.label)}</label>` +
      `<input type="text" id="${esc(textId)}" class="term-input" data-param-input="${esc(textKey)}" value="${esc(String(params[textKey]))}"${textAttrs} spellcheck="false" autocomplete="off" autocapitalize="off" disabled></div>`;
  }
  return lines;
}

export const terminalPanel: PanelKind = {
  slot: 'head',
  present: (sim) => groupsOf(sim).length > 0,
  mark: '.terminal',
  build: ({ sim, domId, trace }) =>
    groupsOf(sim)
      .map(
        (group) =>
          `<div class="terminal" role="group" aria-label="${esc(group.label)}">${renderTerminal(sim, domId, group.keys, trace.params)}` +
          `<p class="term-help">Type a command and press Enter; the walk starts again from the first step.</p></div>`,
      )
      .join(''),
  mount: () => ({ cursor: () => {} }),
};
