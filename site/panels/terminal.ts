/**
 * Parameter groups placed as a terminal (`placement: 'terminal'`): each host choice followed by the
 * command typed on it, above the timeline. The inputs are ordinary parameter inputs
 * (`data-param-input`), which the player's controls read and keep in step with the run.
 *
 * What a command printed when it failed (a usage error, a refused forward) sits right under the
 * line it is about, as that input's description.
 */
import type { AnySimulation, ParamSpec, ParamValues, Trace } from '../../sim/core/index.ts';
import { esc } from '../charts/escape.ts';
import type { PanelKind } from './frame.ts';

/**
 * The error a command line produced in this run: the model logs a failed command as an `error`
 * line reading `host$ command`, with what the program printed as its detail.
 */
export function commandError(trace: Trace, host: string, command: string): string {
  const line = trace.log.find((l) => l.kind === 'error' && l.text === `${host}$ ${command}`);
  return line?.detail ?? '';
}

const groupsOf = (sim: AnySimulation) => sim.paramGroups.filter((g) => g.placement === 'terminal');

function renderTerminal(sim: AnySimulation, domId: string, keys: readonly string[], params: ParamValues, trace: Trace): string {
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
    const error = commandError(trace, String(params[hostKey]), String(params[textKey]));
    lines +=
      `<div class="term-line"><label class="visually-hidden" for="${esc(hostId)}">${esc(host.label)}</label>` +
      `<select id="${esc(hostId)}" class="term-host" data-param-input="${esc(hostKey)}" disabled>${options}</select>` +
      `<span class="term-prompt" aria-hidden="true">$</span>` +
      `<label class="visually-hidden" for="${esc(textId)}">${esc(text.label)}</label>` +
      `<input type="text" id="${esc(textId)}" class="term-input" data-param-input="${esc(textKey)}" value="${esc(String(params[textKey]))}"${textAttrs} ` +
      `aria-describedby="${esc(textId)}-error"${error ? ' aria-invalid="true"' : ''} spellcheck="false" autocomplete="off" autocapitalize="off" disabled></div>` +
      `<pre class="term-error" id="${esc(textId)}-error" data-term-error="${esc(hostKey)} ${esc(textKey)}"${error ? '' : ' hidden'}>${esc(error)}</pre>`;
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
          `<div class="terminal" role="group" aria-label="${esc(group.label)}">${renderTerminal(sim, domId, group.keys, trace.params, trace)}` +
          `<p class="term-help">Type a command and press Enter; the walk starts again from the first step.</p></div>`,
      )
      .join(''),
  mount(root) {
    const lines = [...root.querySelectorAll<HTMLElement>('[data-term-error]')].map((box) => {
      const [hostKey, textKey] = box.dataset.termError!.split(' ') as [string, string];
      return { box, hostKey, textKey, input: root.querySelector<HTMLInputElement>(`[aria-describedby="${box.id}"]`) };
    });
    return {
      // A new run is a new command (or host): its error, or none.
      run({ trace }) {
        for (const { box, hostKey, textKey, input } of lines) {
          const error = commandError(trace, String(trace.params[hostKey]), String(trace.params[textKey]));
          box.textContent = error;
          box.hidden = error === '';
          if (error) input?.setAttribute('aria-invalid', 'true');
          else input?.removeAttribute('aria-invalid');
        }
      },
      cursor: () => {},
    };
  },
};
