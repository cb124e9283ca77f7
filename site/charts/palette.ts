/**
 * Okabe and Ito's colour-blind-safe palette, with a marker shape per series (marks.ts) so no
 * line is told apart by colour alone (and a printout in grey still works).
 */
import type { MarkShape } from './marks.ts';

export const SERIES_STYLES: readonly { color: string; mark: MarkShape }[] = [
  { color: '#0072B2', mark: 'none' },
  { color: '#D55E00', mark: 'circle' },
  { color: '#009E73', mark: 'square' },
  { color: '#CC79A7', mark: 'triangle' },
  // The palette's orange (#E69F00) darkened until it keeps 3:1 against both themes' backgrounds.
  { color: '#9A6700', mark: 'diamond' },
];

export const TONE_COLORS = { good: '#009E73', bad: '#D55E00', neutral: '#6b6b6b' } as const;
