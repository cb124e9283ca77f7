/**
 * An embed's panels when its address names none: those of the first <Figure> in the lesson's
 * article, whose author chose them as the picture and the one chart the story starts from, sized
 * to fit one screen. Read from the article's source at build time; '' when it has no figure (the
 * embed then shows the picture and the first chart, fit.ts).
 */
const FIGURE_SHOW = /<Figure\b[^>]*?\sshow="([^"]+)"/;

export function firstFigureShow(mdx: string): string {
  return FIGURE_SHOW.exec(mdx)?.[1]?.trim() ?? '';
}
