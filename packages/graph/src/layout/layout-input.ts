import type { FlowGraph } from '../types';

/**
 * What `layeredLayout` reads from a graph, as columns in the graph's node order and edge order: node keys, `hop`,
 * `firstTime`; each edge's source and target (as node indices) and weight (`1 + drawWeight`).
 */
export interface LayoutInput {
  nodes: readonly string[];
  hop: Float64Array;
  firstTime: Float64Array;
  source: Int32Array;
  target: Int32Array;
  weight: Float64Array;
}

/**
 * The columns buildGraph had at hand when it built a graph. Reading them back from graphology costs two look-ups of a
 * node by key per edge (a second at a million edges); with them the layout only has to check that the graph still
 * says the same (`layoutInputOf`). Weakly held: they go with the graph.
 */
const fromBuild = new WeakMap<FlowGraph, LayoutInput>();

export function rememberLayoutInput(graph: FlowGraph, input: LayoutInput): void {
  fromBuild.set(graph, input);
}

/**
 * The layout's input for `graph`: the columns buildGraph left, if the graph still matches them exactly (same nodes and
 * edges in the same order, same `hop`, `firstTime` and `1 + drawWeight`: whoever changed the graph since, through the
 * API or not, gets a layout of the graph as it is); else read from the graph. The check is one pass over nodes and
 * edges, comparing, with no look-up by key.
 */
export function layoutInputOf(graph: FlowGraph): LayoutInput {
  const built = fromBuild.get(graph);
  if (built !== undefined && matches(graph, built)) return built;
  if (built !== undefined) fromBuild.delete(graph);
  return readLayoutInput(graph);
}

function matches(graph: FlowGraph, input: LayoutInput): boolean {
  const { nodes, hop, firstTime, source, target, weight } = input;
  if (graph.order !== nodes.length || graph.size !== source.length) return false;
  let i = 0;
  let same = true;
  graph.someNode((key, a) => {
    // Object.is: the same value, NaN and −0 included (the layout would read exactly this).
    same = key === nodes[i] && Object.is(a.hop, hop[i]) && Object.is(a.firstTime, firstTime[i]);
    i++;
    return !same;
  });
  if (!same) return false;
  let k = 0;
  graph.someEdge((_e, a, s, t) => {
    same = s === nodes[source[k]!] && t === nodes[target[k]!] && Object.is(1 + a.drawWeight, weight[k]);
    k++;
    return !same;
  });
  return same;
}

/** The layout's input from any graph (one look-up of each edge's source and target by key). */
function readLayoutInput(graph: FlowGraph): LayoutInput {
  const nodes = graph.nodes();
  const n = nodes.length;
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) index.set(nodes[i]!, i);
  const hop = new Float64Array(n);
  const firstTime = new Float64Array(n);
  let i = 0;
  graph.forEachNode((_key, a) => {
    hop[i] = a.hop;
    firstTime[i] = a.firstTime;
    i++;
  });
  const m = graph.size;
  const source = new Int32Array(m);
  const target = new Int32Array(m);
  const weight = new Float64Array(m);
  let k = 0;
  graph.forEachEdge((_e, a, s, t) => {
    source[k] = index.get(s)!;
    target[k] = index.get(t)!;
    weight[k] = 1 + a.drawWeight;
    k++;
  });
  return { nodes, hop, firstTime, source, target, weight };
}
