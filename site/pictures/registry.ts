/**
 * Every picture renderer, by the name a lesson's view gives (`view.picture.renderer`). Each is
 * imported only when a page draws it, so no other lesson downloads it.
 */
import type { PictureRenderer } from './picture.ts';

export const PICTURES: Record<string, () => Promise<PictureRenderer>> = {
  'network-map': () => import('./network-map.ts').then((m) => m.networkMap),
  'backup-mx': () => import('./backup-mx.ts').then((m) => m.backupMxPicture),
};
