/**
 * A drawing redrawn at the cursor (the network map, the state diagram), with its heading, a
 * caption, and the same content in words under a disclosure. `kind` names the box the panel
 * fills (`data-role=<kind>`), and `<kind>-text` the words.
 */
import { esc } from '../charts/escape.ts';

export function wordedFigure(o: { kind: string; title: string; caption: string; drawing: string; wordsLabel: string; words: string }): string {
  return (
    `<figure class="${esc(o.kind)}-figure"><figcaption><span class="chart-title">${esc(o.title)}</span>` +
    `<span class="caption-note">${esc(o.caption)}</span></figcaption>` +
    `<div class="${esc(o.kind)}-box" data-role="${esc(o.kind)}">${o.drawing}</div>` +
    `<details class="chart-data"><summary>${esc(o.wordsLabel)}</summary><div data-role="${esc(o.kind)}-text">${o.words}</div></details></figure>`
  );
}
