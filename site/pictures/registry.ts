/**
 * Every picture renderer, by the name a lesson's view gives (`view.picture.renderer`). Each is
 * imported only when a page draws it, so no other lesson downloads it.
 */
import type { PictureRenderer } from './picture.ts';

export const PICTURES: Record<string, () => Promise<PictureRenderer>> = {
  'network-map': () => import('./network-map.ts').then((m) => m.networkMap),
  'token-bucket': () => import('./token-bucket.ts').then((m) => m.tokenBucketPicture),
  'cache-stampede': () => import('./cache-stampede.ts').then((m) => m.cacheStampedePicture),
  pagination: () => import('./pagination.ts').then((m) => m.pagination),
  'syn-queue': () => import('./syn-queue.ts').then((m) => m.synQueuePicture),
  'backup-mx': () => import('./backup-mx.ts').then((m) => m.backupMxPicture),
};
