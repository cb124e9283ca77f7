/**
 * What a lesson's picture of its mechanism provides: a renderer over the frames the model put in
 * its trace (sim/core/scene.ts). The picture panel (site/panels/picture.ts) calls it at the
 * cursor's sample; it draws nothing the frame does not hold, so the picture is as true as the model.
 */
import type { Trace } from '../../sim/core/index.ts';

export interface PictureOptions {
  /** Unique within the page: the SVG's title and description ids start with it. */
  id: string;
  title: string;
  /** A narrow column (a phone): lay out top to bottom. */
  vertical: boolean;
  /**
   * Drawn for a slide (drawsCompact): fewer, larger words; what they leave out is in the picture in
   * words. A phone's vertical layout is already drawn for its width and wins.
   */
  compact?: boolean;
  /**
   * Compact, in a cell at least twice as wide as tall (a 4:3 slide puts a wide picture above its
   * chart): a renderer that has one draws an arrangement side by side, which the cell's height then
   * lets grow; one that has none draws its compact layout.
   */
  wide?: boolean;
}

/**
 * Whether a picture draws its compact layout: in an embed, which a slide shows from across a room
 * and whose frame, not the words, decides its height. An article's figures keep the wide layout:
 * their text points at what it shows (a 429's header lines, each sender's row), which the compact
 * layout leaves to its words. A phone's vertical layout is drawn for its width and wins.
 */
export function drawsCompact(vertical: boolean, inEmbed: boolean): boolean {
  return !vertical && inEmbed;
}

export interface PictureRenderer {
  /** The picture at a sample, as an SVG string with role="img", a <title> and a <desc>. */
  render(trace: Trace, index: number, o: PictureOptions): string;
  /** The picture at a sample in words: a few plain sentences, for the "in words" disclosure. */
  words(trace: Trace, index: number): string;
  /**
   * One short sentence saying what changed from sample `from` to sample `to` ("SYN queue full:
   * 512 of 512; new SYNs now get cookies"), or '' when nothing worth saying did. The described
   * mode speaks it through a live region while the reader plays or steps.
   */
  change(trace: Trace, from: number, to: number): string;
  /**
   * Display-only motion between two samples, for a picture just drawn into `box`: returns a
   * function that places what moves at `fraction` (0 to 1) of the step, or hides it at null.
   * It never changes what the frame says, and the panel never calls it under reduced motion.
   */
  motion?(box: Element): ((fraction: number | null) => void) | null;
}
