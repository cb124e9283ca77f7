/**
 * How large an embed draws everything, from its frame's size: a slide is laid out once at 960x540
 * (the embed code's size) and shown larger or smaller as a whole, so a deck looks the same on a
 * laptop and on a 1920x1080 projector, text included. Below 0.8 the type would be too small to
 * read from a desk, so a smaller frame gets a little less room instead (embed.css fits the panels).
 */
export const DESIGN_FRAME = { widthPx: 960, heightPx: 540 } as const;
export const FRAME_SCALE = { min: 0.8, max: 3 } as const;

export function frameScale(widthPx: number, heightPx: number): number {
  if (!(widthPx > 0 && heightPx > 0)) return 1;
  const fit = Math.min(widthPx / DESIGN_FRAME.widthPx, heightPx / DESIGN_FRAME.heightPx);
  // Two decimals: a frame a few pixels larger redraws nothing.
  return Math.round(Math.min(FRAME_SCALE.max, Math.max(FRAME_SCALE.min, fit)) * 100) / 100;
}

/** The frame sizes the layout tests hold every embed to (test/browser/embed-fit.test.ts), and the docs list. */
export const TESTED_FRAMES = [[640, 360], [960, 540], [1280, 720], [1920, 1080], [640, 480], [1024, 768]] as const;
