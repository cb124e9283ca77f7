/**
 * How a number from a run is written in prose. A small named set, each built on
 * Intl.NumberFormat('en'), so an article says `format="pct"` rather than spelling out options.
 */
export const FORMATS = {
  /** A whole number with grouping: 1086.45 → "1,086". */
  int: { describe: 'whole number with grouping', format: (v: number) => nf({ maximumFractionDigits: 0 }).format(v) },
  /** One decimal place, always shown: 285.67 → "285.7". */
  '1dp': { describe: 'one decimal place', format: (v: number) => nf({ minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v) },
  /** A value already in percent, whole: 97.85 → "98%". */
  pct: { describe: 'value in percent, whole, with %', format: (v: number) => nf({ style: 'percent', maximumFractionDigits: 0 }).format(v / 100) },
  /** A value already in percent, one decimal: 97.85 → "97.8%". */
  pct1: { describe: 'value in percent, one decimal, with %', format: (v: number) => nf({ style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v / 100) },
  /** Milliseconds shown as seconds with one decimal and the unit: 1373.7 → "1.4 s". */
  sec1: { describe: 'milliseconds shown in seconds, one decimal, with s', format: (v: number) => `${nf({ minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v / 1000)}\u00a0s` },
  /** Milliseconds as whole milliseconds with the unit: 175.97 → "176 ms". */
  ms: { describe: 'whole milliseconds, with ms', format: (v: number) => `${nf({ maximumFractionDigits: 0 }).format(v)}\u00a0ms` },
  /** A ratio, whole, with ×: 28.6 → "29×". */
  x: { describe: 'ratio, whole, with ×', format: (v: number) => `${nf({ maximumFractionDigits: 0 }).format(v)}×` },
} as const;

export type FormatName = keyof typeof FORMATS;

function nf(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return new Intl.NumberFormat('en', options);
}

export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(FORMATS, name);
}

/** Two significant figures, for "about 290" where the exact 294 would claim a precision the model does not have. */
export function roundAbout(value: number): number {
  return value === 0 || !Number.isFinite(value) ? value : Number(value.toPrecision(2));
}

export function formatNumber(value: number, format: string = 'int', round?: 'about'): string {
  if (!isFormatName(format)) throw new Error(`format="${format}" is not one of ${Object.keys(FORMATS).join(', ')}`);
  if (round !== undefined && round !== 'about') throw new Error(`round="${String(round)}" is not "about"`);
  // sec1 shows the value divided by 1000, so rounding applies to the number as shown.
  const shownScale = format === 'sec1' ? 1000 : 1;
  const v = round === 'about' ? roundAbout(value / shownScale) * shownScale : value;
  return FORMATS[format].format(v);
}
