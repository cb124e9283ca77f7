/** Escapes text for HTML and SVG markup built as strings (charts render at build time and in the browser alike). */
export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Numbers for people: 12,345 / 12.3 / 0.45; '–' for a missing value. */
export function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return '–';
  const fixed = Math.abs(value) >= 1000 ? Math.round(value).toString() : value.toFixed(digits);
  const [int, frac] = fixed.split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac ? `${grouped}.${frac}` : grouped;
}
