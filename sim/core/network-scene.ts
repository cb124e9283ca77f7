/**
 * A network scene (a kind of Scene, scene.ts): the hosts of a walk and, for
 * each sample, what the page draws between them. Simulations that follow
 * packets through a network (one step per sample) fill it; the site's network
 * map draws it.
 */
import type { Scene } from './scene.ts';

export interface SceneNode {
  id: string;
  /** Lines under the name: addresses, and what listens there from the start. */
  lines: string[];
  /** Which band the node sits in, left to right (top to bottom on a phone): an index into `Scene.bands`. */
  band: number;
}

/** A listening socket that the run opened (a forward), shown on its node until the run closes it. */
export interface SceneSocket {
  node: string;
  label: string;
}

export type ScenePathKind = 'session' | 'tcp' | 'channel' | 'relay' | 'failed' | 'datagram';

export interface ScenePath {
  /** Node ids in order; a single node is a connection inside it (loopback). */
  hops: string[];
  kind: ScenePathKind;
  /** Drawn strong: what this step does. Others are what is still open from earlier steps. */
  current: boolean;
}

export interface SceneFrame {
  /** The node where this step happens, or null. */
  focus: string | null;
  listening: SceneSocket[];
  paths: ScenePath[];
}

export interface NetworkScene extends Scene<SceneFrame> {
  /** Band titles ("Internet", "Router", "Home LAN"). */
  bands: string[];
  nodes: SceneNode[];
  /** One frame per sample of the trace. */
  frames: SceneFrame[];
}
