import { describe, expect, test } from 'vitest';
import { clampTime, scenarioState } from '../../sim/core/index.ts';
import { simulations } from '../../sim/index.ts';
import { cumulate, sampleIndex, type BuildFrame } from '../../site/panels/frame.ts';
import { PANELS } from '../../site/panels/registry.ts';

/** The element each panel kind redraws in the browser, which its first frame must therefore carry. */
const MOUNT_POINT: Record<keyof typeof PANELS, string> = {
  terminal: 'class="terminal"',
  picture: 'data-role="picture-text"',
  chart: 'data-role="chart-table"',
  diagram: 'data-role="diagram-text"',
  outcomes: 'data-role="outcomes"',
  counters: 'data-role="counters"',
  log: 'data-role="log-note"',
  inspector: 'data-role="inspect-detail"',
};

function firstFrame(sim: (typeof simulations)[keyof typeof simulations], staticPanels: boolean): BuildFrame {
  const state = scenarioState(sim, sim.scenarios[0]!.id);
  const trace = sim.run(state.params, state.seed);
  const tSec = clampTime(trace, state.tSec);
  return { sim, domId: sim.id, trace, cum: cumulate(trace), tSec, index: sampleIndex(trace, tSec), chartSize: { width: 600, height: 170 }, vertical: false, playing: false, reducedMotion: false, staticPanels };
}

describe.each(Object.values(simulations).map((s) => [s.id, s] as const))('the panels of %s', (_id, sim) => {
  const frame = firstFrame(sim, true);

  const present = Object.entries(PANELS).filter(([, panel]) => panel.present(sim));
  test.each(present)('the %s panel builds the element it redraws', async (kind, panel) => {
    expect(await panel.build(frame)).toContain(MOUNT_POINT[kind as keyof typeof PANELS]);
  });

  test.each(present)('the %s panel’s first frame carries its mark, by which the player finds what the page built', async (_kind, panel) => {
    // The marks are simple selectors: [attr=value], [attr] or .class.
    const m = /^\[([a-z-]+)(?:=([a-z-]+))?\]$|^\.([a-z-]+)$/.exec(panel.mark);
    expect(m, panel.mark).not.toBeNull();
    const html = await panel.build({ ...frame, staticPanels: false });
    if (m![3]) expect(html).toMatch(new RegExp(`class="(?:[^"]* )?${m![3]}[ "]`));
    else expect(html).toContain(m![2] ? `${m![1]}="${m![2]}"` : `${m![1]}=`);
  });

  test('the chart panel builds one figure per chart in the view, with a download button for each format', async () => {
    const html = await PANELS.chart.build(frame);
    expect(html.match(/<figure class="chart-figure"/g)?.length ?? 0).toBe(sim.view.charts.length);
    expect(html.match(/data-export="png"/g)?.length ?? 0).toBe(sim.view.charts.length);
  });

  test('without static panels the log is left empty for the script to fill', async () => {
    const html = await PANELS.log.build(firstFrame(sim, false));
    expect(html).toMatch(/<ol class="log"[^>]*><\/ol>/);
  });
});

test('every lesson has a picture of its mechanism, drawn by a renderer the site knows, from a scene with a frame per sample', async () => {
  const { PICTURES } = await import('../../site/pictures/registry.ts');
  for (const sim of Object.values(simulations)) {
    expect(PANELS.picture.present(sim), sim.id).toBe(true);
    expect(Object.keys(PICTURES), sim.id).toContain(sim.view.picture!.renderer);
    const state = scenarioState(sim, sim.scenarios[0]!.id);
    const trace = sim.run(state.params, state.seed);
    expect(trace.scene?.frames.length, sim.id).toBe(Object.values(trace.series)[0]!.length);
  }
});

describe('the picture’s described mode, when the reader steps and nothing much changed', () => {
  test('says the opening of the picture in words: whole sentences, at least 40 characters when there are', async () => {
    const { leadOf } = await import('../../site/panels/picture.ts');
    expect(leadOf('At 3 s. SYN queue: 12 of 128 slots taken. Accept queue: 0 of 129.')).toBe('At 3 s. SYN queue: 12 of 128 slots taken.');
    expect(leadOf('The primary is down since 10:00 and the backup holds 12 messages. More.')).toBe('The primary is down since 10:00 and the backup holds 12 messages.');
    expect(leadOf('Short.')).toBe('Short.');
  });
});
