/**
 * Every panel kind the player knows, in the order it shows them within a slot. A new kind is one
 * module in this folder plus one line here; Player.astro and the <ops-player> element draw
 * whichever kinds a lesson's view asks for (`present`).
 */
import { chartPanel } from './chart.ts';
import { countersPanel } from './counters.ts';
import { diagramPanel } from './diagram.ts';
import type { PanelKind } from './frame.ts';
import { inspectorPanel } from './inspector.ts';
import { logPanel } from './log.ts';
import { picturePanel } from './picture.ts';
import { outcomesPanel } from './outcomes.ts';
import { terminalPanel } from './terminal.ts';

export const PANELS = {
  terminal: terminalPanel,
  picture: picturePanel,
  chart: chartPanel,
  diagram: diagramPanel,
  outcomes: outcomesPanel,
  counters: countersPanel,
  log: logPanel,
  inspector: inspectorPanel,
} satisfies Record<string, PanelKind>;

export type PanelKindName = keyof typeof PANELS;
