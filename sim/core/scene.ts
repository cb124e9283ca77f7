/**
 * A lesson's picture of its mechanism, as data: the model's own state at each
 * sample (the SYN queue's slots, the buckets, the shared cache entry, the
 * network a walk crosses), not a decoration drawn beside it. The model fills
 * it; a renderer in site/pictures draws a frame and says it in words. The
 * trace hash covers it, so Node and Chromium must agree on the picture as
 * well as on the numbers.
 *
 * A frame is plain JSON. When the model holds more entities than a picture
 * can show (hundreds of half-open connections), the frame stores counts by
 * the properties the picture distinguishes, and the lesson's scene module
 * says how it aggregates.
 */
export interface Scene<F = unknown> {
  /** One frame per sample of the trace. */
  frames: readonly F[];
}

/** The frame at a sample index, clamped to the run; undefined for a scene with no frames. */
export function frameOf<F>(scene: Scene<F>, index: number): F | undefined {
  return scene.frames[Math.min(scene.frames.length - 1, Math.max(0, index))];
}
