import type { FlowGraph } from '../types';
import { layoutInputOf } from './layout-input';
import { stableSort } from './stable-sort';

export interface LayeredLayoutOptions {
  /** x axis: the hop (one column per hop) or the time value first arrived (default `hop`). */
  x?: 'hop' | 'time';
  /** Distance between hop columns, and the total width in `time` mode is (hops × layerGap). Default 240. */
  layerGap?: number;
  /** Smallest vertical distance between two nodes of one column. Default 24. */
  nodeGap?: number;
  /** Barycentre sweeps (down and up count as one each). Default 4. */
  sweeps?: number;
}

/** Positions of a layered layout, in node order of `nodes`. Coordinates are for drawing only. */
export interface LayeredLayout {
  nodes: string[];
  layer: Int32Array;
  /** Rank of the node inside its layer, top to bottom. */
  order: Int32Array;
  x: Float64Array;
  y: Float64Array;
  layers: number;
  bounds: { minX: number; maxX: number; minY: number; maxY: number };
}

/**
 * Hop-layered left→right layout (Sugiyama-style): the seeds in column 0, each node in the column of the hop at which
 * traced value first reached it; nodes of a column ordered by weighted barycentre sweeps to reduce crossings; then each
 * node placed level with its heaviest feeder where the column leaves room, so big flows run straight. With `x: 'time'`
 * the column order is kept and x is the time value first arrived. Runs on typed arrays: fit for a million edges.
 * No DOM or Node APIs, usable in the browser.
 * @example const layout = layeredLayout(graph, { x: 'hop' }); applyLayout(graph, layout)
 */
export function layeredLayout(graph: FlowGraph, options: LayeredLayoutOptions = {}): LayeredLayout {
  const layerGap = options.layerGap ?? 240;
  const nodeGap = options.nodeGap ?? 24;
  const sweeps = options.sweeps ?? 4;
  // Node and edge columns: from buildGraph when the graph is as it built it, else read from the graph.
  const input = layoutInputOf(graph);
  const nodes = input.nodes.slice();
  const n = nodes.length;
  const m = input.source.length;
  const src = input.source;
  const dst = input.target;
  const w = input.weight;

  // Columns: the hop traced value first arrived; addresses off the traced paths sit next to what they touch.
  const layer = new Int32Array(n).fill(-1);
  const time = input.firstTime;
  for (let v = 0; v < n; v++) if (input.hop[v]! >= 0) layer[v] = input.hop[v]!;
  const fixed = Uint8Array.from(layer, (l) => (l >= 0 ? 1 : 0));
  for (let e = 0; e < m; e++) {
    const s = src[e]!;
    const t = dst[e]!;
    if (!fixed[t] && fixed[s] && (layer[t]! < 0 || layer[s]! + 1 < layer[t]!)) layer[t] = layer[s]! + 1;
  }
  for (let e = 0; e < m; e++) {
    const s = src[e]!;
    const t = dst[e]!;
    if (layer[s]! < 0 && layer[t]! >= 0) layer[s] = Math.max(0, layer[t]! - 1);
  }
  let layers = 0;
  for (let v = 0; v < n; v++) {
    if (layer[v]! < 0) layer[v] = 0;
    if (layer[v]! + 1 > layers) layers = layer[v]! + 1;
  }

  // CSR adjacency towards earlier columns (in) and later columns (out); same-column edges do not order anything.
  const inCount = new Int32Array(n + 1);
  const outCount = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    const s = src[e]!;
    const t = dst[e]!;
    if (layer[s]! < layer[t]!) {
      inCount[t + 1]!++;
      outCount[s + 1]!++;
    } else if (layer[s]! > layer[t]!) {
      inCount[s + 1]!++;
      outCount[t + 1]!++;
    }
  }
  for (let v = 0; v < n; v++) {
    inCount[v + 1]! += inCount[v]!;
    outCount[v + 1]! += outCount[v]!;
  }
  // The CSR holds edge indices: the neighbour of v over edge e is src[e] + dst[e] − v (the ends are in different
  // columns), its weight w[e]. Smaller than neighbour and weight columns: typed arrays count as V8 "external memory",
  // and every 64 MB of it since the last full garbage collection starts another one, which at a million edges marks a
  // gigabyte of heap (see also the arrays reused below).
  const inEdge = new Int32Array(inCount[n]!);
  const outEdge = new Int32Array(outCount[n]!);
  const inFill = inCount.slice(0, n);
  const outFill = outCount.slice(0, n);
  for (let e = 0; e < m; e++) {
    let s = src[e]!;
    let t = dst[e]!;
    if (layer[s]! === layer[t]!) continue;
    if (layer[s]! > layer[t]!) [s, t] = [t, s];
    inEdge[inFill[t]!++] = e;
    outEdge[outFill[s]!++] = e;
  }

  // Members of each column, initially in key order (graph nodes are inserted sorted).
  const colStart = new Int32Array(layers + 1);
  for (let v = 0; v < n; v++) colStart[layer[v]! + 1]!++;
  for (let l = 0; l < layers; l++) colStart[l + 1]! += colStart[l]!;
  const col = new Int32Array(n);
  const colFill = colStart.slice(0, layers);
  for (let v = 0; v < n; v++) col[colFill[layer[v]!]!++] = v;
  const pos = new Float64Array(n);
  const setPositions = (l: number) => {
    const a = colStart[l]!;
    const b = colStart[l + 1]!;
    const half = (b - a - 1) / 2;
    for (let j = a; j < b; j++) pos[col[j]!] = j - a - half;
  };
  for (let l = 0; l < layers; l++) setPositions(l);

  const bary = new Float64Array(n);
  // stableSort's buffer: one allocation for all columns and sweeps.
  const scratch = new Int32Array(n);
  const sortColumn = (l: number, adjStart: Int32Array, adjEdge: Int32Array) => {
    const a = colStart[l]!;
    const b = colStart[l + 1]!;
    for (let j = a; j < b; j++) {
      const v = col[j]!;
      let sw = 0;
      let sp = 0;
      for (let q = adjStart[v]!; q < adjStart[v + 1]!; q++) {
        const e = adjEdge[q]!;
        sw += w[e]!;
        sp += w[e]! * pos[src[e]! + dst[e]! - v]!;
      }
      bary[v] = sw > 0 ? sp / sw : pos[v]!;
    }
    // The column is in position order and the sort is stable: ties in barycentre keep their order (the barycentre is
    // also the second key, which then ties too).
    stableSort(col, a, b, bary, bary, scratch);
    setPositions(l);
  };
  for (let s = 0; s < sweeps; s++) {
    if (s % 2 === 0) for (let l = 1; l < layers; l++) sortColumn(l, inCount, inEdge);
    else for (let l = layers - 2; l >= 0; l--) sortColumn(l, outCount, outEdge);
  }

  // y: priority placement. Heavier flows first, each node level with its heaviest feeder when the column order and
  // the nodes already placed leave room, else as close as they allow. Siblings of one feeder start from their middle.
  const y = new Float64Array(n);
  const want = new Float64Array(n);
  const prio = new Float64Array(n);
  // Arrays whose first use is over are reused (external memory, see the CSR above).
  const feeder = inFill.fill(-1);
  const groupSum = new Float64Array(n);
  const groupCount = outFill.fill(0);
  const placedTree = new Int32Array(n + 1);
  const centre = new Float64Array(n);
  const lighter = bary;
  const ranks = new Int32Array(n);
  for (let l = 0; l < layers; l++) {
    const a = colStart[l]!;
    const b = colStart[l + 1]!;
    const size = b - a;
    for (let j = a; j < b; j++) {
      const v = col[j]!;
      let best = -1;
      let bestW = -1;
      for (let q = inCount[v]!; q < inCount[v + 1]!; q++) {
        const e = inEdge[q]!;
        if (w[e]! > bestW) {
          bestW = w[e]!;
          best = src[e]! + dst[e]! - v;
        }
      }
      feeder[v] = best;
      prio[v] = best >= 0 ? bestW : 0;
      want[v] = best >= 0 ? y[best]! : pos[v]! * nodeGap;
      if (best >= 0) {
        groupSum[best]! += j - a;
        groupCount[best]!++;
      }
    }
    // Placement order: ranks in the column (j), heaviest feeder edge first, then nearest the middle of its siblings,
    // then the rank (a stable sort of the ranks in order).
    for (let j = 0; j < size; j++) {
      const v = col[a + j]!;
      const f = feeder[v]!;
      ranks[j] = j;
      lighter[j] = -prio[v]!;
      centre[j] = f >= 0 ? Math.abs(j - groupSum[f]! / groupCount[f]!) : 0;
    }
    stableSort(ranks, 0, size, lighter, centre, scratch);
    placedTree.fill(0, 0, size + 1);
    let placedCount = 0;
    for (let r = 0; r < size; r++) {
      const j = ranks[r]!;
      const v = col[a + j]!;
      // nearest placed node above (order < j) and below (order > j), found on a Fenwick tree of placed ranks
      const before = prefix(placedTree, j);
      let lo = Number.NEGATIVE_INFINITY;
      let hi = Number.POSITIVE_INFINITY;
      if (before > 0) {
        const i = kth(placedTree, size, before);
        lo = y[col[a + i]!]! + (j - i) * nodeGap;
      }
      if (before < placedCount) {
        const i = kth(placedTree, size, before + 1);
        hi = y[col[a + i]!]! - (i - j) * nodeGap;
      }
      y[v] = Math.min(Math.max(want[v]!, lo), hi);
      for (let i = j + 1; i <= size; i += i & -i) placedTree[i]!++;
      placedCount++;
    }
    for (let j = a; j < b; j++) {
      const f = feeder[col[j]!]!;
      if (f >= 0) {
        groupSum[f] = 0;
        groupCount[f] = 0;
      }
    }
  }

  const order = new Int32Array(n);
  for (let l = 0; l < layers; l++)
    for (let j = colStart[l]!; j < colStart[l + 1]!; j++) order[col[j]!] = j - colStart[l]!;

  const x = new Float64Array(n);
  if (options.x === 'time') {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let v = 0; v < n; v++) {
      if (time[v]! < 0) continue;
      lo = Math.min(lo, time[v]!);
      hi = Math.max(hi, time[v]!);
    }
    const width = Math.max(1, layers - 1) * layerGap;
    const span = hi > lo ? hi - lo : 1;
    for (let v = 0; v < n; v++) {
      x[v] = time[v]! < 0 ? 0 : Math.round(((time[v]! - lo) / span) * width * 100) / 100;
    }
  } else {
    for (let v = 0; v < n; v++) x[v] = layer[v]! * layerGap;
  }
  let minX = 0;
  let maxX = 0;
  let minY = 0;
  let maxY = 0;
  for (let v = 0; v < n; v++) {
    if (v === 0 || x[v]! < minX) minX = x[v]!;
    if (v === 0 || x[v]! > maxX) maxX = x[v]!;
    if (v === 0 || y[v]! < minY) minY = y[v]!;
    if (v === 0 || y[v]! > maxY) maxY = y[v]!;
  }
  return { nodes, layer, order, x, y, layers, bounds: { minX, maxX, minY, maxY } };
}

/** Number of placed ranks below `j` (ranks 0..j-1). */
function prefix(tree: Int32Array, j: number): number {
  let s = 0;
  for (let i = j; i > 0; i -= i & -i) s += tree[i]!;
  return s;
}

/** The rank of the k-th placed node (1-based k), by descent on the Fenwick tree. */
function kth(tree: Int32Array, size: number, k: number): number {
  let idx = 0;
  let step = 1;
  while (step * 2 <= size) step *= 2;
  for (; step > 0; step >>= 1) {
    const next = idx + step;
    if (next <= size && tree[next]! < k) {
      idx = next;
      k -= tree[next]!;
    }
  }
  return idx;
}

/**
 * Writes a layout's coordinates into the nodes' `x` / `y` attributes (what GEXF viz, sigma and ForceAtlas2 read).
 * @example applyLayout(graph, layeredLayout(graph))
 */
export function applyLayout(graph: FlowGraph, layout: Pick<LayeredLayout, 'nodes' | 'x' | 'y'>): void {
  const { nodes, x, y } = layout;
  // Usually the layout is of this graph, in its node order: one pass over the nodes, no look-up by key.
  let i = 0;
  let sameOrder = nodes.length === graph.order;
  if (sameOrder) {
    graph.forEachNode((key) => {
      if (nodes[i++] !== key) sameOrder = false;
    });
  }
  if (sameOrder) {
    i = 0;
    graph.updateEachNodeAttributes(
      (_key, a) => {
        a.x = x[i]!;
        a.y = y[i]!;
        i++;
        return a;
      },
      { attributes: ['x', 'y'] },
    );
    return;
  }
  for (let v = 0; v < nodes.length; v++) graph.mergeNodeAttributes(nodes[v]!, { x: x[v]!, y: y[v]! });
}

/**
 * Edge crossings between adjacent columns of a layout (edges spanning more columns are not counted), by inversion
 * counting: O(E log E).
 * @example countCrossings(graph, layeredLayout(graph)) // 12
 */
export function countCrossings(graph: FlowGraph, layout: Pick<LayeredLayout, 'nodes' | 'layer' | 'order'>): number {
  const index = new Map<string, number>();
  for (let i = 0; i < layout.nodes.length; i++) index.set(layout.nodes[i]!, i);
  const byLayer = new Map<number, [number, number][]>();
  graph.forEachEdge((_e, _a, s, t) => {
    let u = index.get(s)!;
    let v = index.get(t)!;
    if (layout.layer[u]! > layout.layer[v]!) [u, v] = [v, u];
    if (layout.layer[v]! !== layout.layer[u]! + 1) return;
    const l = layout.layer[u]!;
    let list = byLayer.get(l);
    if (list === undefined) {
      list = [];
      byLayer.set(l, list);
    }
    list.push([layout.order[u]!, layout.order[v]!]);
  });
  let crossings = 0;
  for (const list of byLayer.values()) {
    list.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let size = 0;
    for (const [, b] of list) size = Math.max(size, b + 1);
    const tree = new Int32Array(size + 1);
    let seen = 0;
    for (const [, b] of list) {
      // edges already seen whose target is strictly below b cross this one
      let greater = seen;
      for (let i = b + 1; i > 0; i -= i & -i) greater -= tree[i]!;
      crossings += greater;
      for (let i = b + 1; i <= size; i += i & -i) tree[i]!++;
      seen++;
    }
  }
  return crossings;
}
