import forceAtlas2 from 'graphology-layout-forceatlas2';
import type { FlowGraph } from '../types';
import { applyLayout, layeredLayout } from './layered-layout';

export interface ForceLayoutOptions {
  /** ForceAtlas2 iterations (default 100). */
  iterations?: number;
}

/**
 * ForceAtlas2 as an alternative to the layered layout: starts from the layered positions (so the result is
 * deterministic), weights edges by `drawWeight`, and writes `x` / `y` into the nodes.
 * @example forceLayout(graph, { iterations: 200 }); graph.getNodeAttribute(seed, 'x')
 */
export function forceLayout(graph: FlowGraph, options: ForceLayoutOptions = {}): void {
  const start = layeredLayout(graph);
  applyLayout(graph, start);
  const settings = forceAtlas2.inferSettings(graph);
  forceAtlas2.assign(graph, {
    iterations: options.iterations ?? 100,
    settings: { ...settings, edgeWeightInfluence: 1 },
    getEdgeWeight: 'drawWeight',
  });
}
