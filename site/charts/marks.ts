/**
 * Markers that tell a chart's series apart without colour: the first series is a plain line and
 * each other carries its own shape at intervals. Dashes are kept for limits and reference lines;
 * on a series that jumps every sample a dash pattern breaks up into noise.
 */
export type MarkShape = 'none' | 'circle' | 'square' | 'triangle' | 'diamond';

/** Path data for one marker of `shape` centred on (x, y), about 2r across. */
export function markPath(shape: MarkShape, x: number, y: number, r: number): string {
  const f = (n: number) => n.toFixed(1);
  switch (shape) {
    case 'none':
      return '';
    case 'circle':
      return `M${f(x - r)},${f(y)}a${f(r)},${f(r)} 0 1,0 ${f(2 * r)},0a${f(r)},${f(r)} 0 1,0 ${f(-2 * r)},0z`;
    case 'square':
      return `M${f(x - r)},${f(y - r)}h${f(2 * r)}v${f(2 * r)}h${f(-2 * r)}z`;
    case 'triangle':
      return `M${f(x)},${f(y - 1.25 * r)}L${f(x + 1.15 * r)},${f(y + 0.85 * r)}L${f(x - 1.15 * r)},${f(y + 0.85 * r)}z`;
    case 'diamond':
      return `M${f(x)},${f(y - 1.3 * r)}L${f(x + 1.3 * r)},${f(y)}L${f(x)},${f(y + 1.3 * r)}L${f(x - 1.3 * r)},${f(y)}z`;
  }
}
