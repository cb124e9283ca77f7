/**
 * Okabe and Ito's colour-blind-safe palette, with a dash pattern per series so
 * no line is told apart by colour alone (and a printout in grey still works).
 */
export const SERIES_STYLES = [
  { color: '#0072B2', dash: '' },
  { color: '#D55E00', dash: '7 4' },
  { color: '#009E73', dash: '2 3' },
  { color: '#CC79A7', dash: '10 3 2 3' },
  // The palette's orange (#E69F00) darkened until it keeps 3:1 against both themes' backgrounds.
  { color: '#9A6700', dash: '1 3' },
] as const;

export const TONE_COLORS = { good: '#009E73', bad: '#D55E00', neutral: '#6b6b6b' } as const;
