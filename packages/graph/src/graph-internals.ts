import type { FlowEdgeAttributes, FlowGraph, FlowNodeAttributes } from './types';

/*
 * Speed-ups for big graphs (a million edges) that look into graphology 0.26 internals. Each is guarded: it checks
 * that the internals are as expected and otherwise falls back to the public API, and none changes what the graph holds
 * or how it behaves (the tests compare with a graph built through the public API). Only for graphs buildGraph has just
 * created: nobody else holds them yet, so no event listener can miss an event.
 */

/** graphology's per-node record (DirectedNodeData): adjacency objects keyed by neighbour key, degree counters. */
interface NodeData {
  key: string;
  in: Record<string, unknown>;
  out: Record<string, unknown>;
  inDegree: number;
  outDegree: number;
  directedLoops: number;
}

/** graphology's per-edge record (EdgeData); `attachMulti` links it into its nodes' adjacency. */
interface EdgeData {
  attachMulti(): void;
}

interface GraphInternals {
  _nodes?: unknown;
  _edges?: unknown;
  _directedSize?: unknown;
  _directedSelfLoopCount?: unknown;
}

const isNodeData = (d: unknown): d is NodeData => {
  const n = d as Partial<NodeData> | undefined;
  return (
    typeof n === 'object' &&
    n !== null &&
    typeof n.in === 'object' &&
    typeof n.out === 'object' &&
    typeof n.inDegree === 'number' &&
    typeof n.outDegree === 'number' &&
    typeof n.directedLoops === 'number'
  );
};

/**
 * graphology keeps each node's neighbours in objects keyed by neighbour key (`in`, `out`), created as `{}`: V8 then
 * builds hidden classes along each node's own sequence of address keys, which makes adding a million edges several
 * times slower and the heap bigger. Objects made from `Object.create(null)` start as hash tables; given back
 * `Object.prototype`, they are plain objects like `{}` to every reader. Call it before the first edge is added.
 */
export function useHashedAdjacency(graph: FlowGraph): void {
  const nodes = (graph as unknown as GraphInternals)._nodes;
  if (!(nodes instanceof Map) || graph.size > 0) return;
  const isEmpty = (o: unknown) => typeof o === 'object' && o !== null && Object.keys(o).length === 0;
  for (const data of nodes.values() as Iterable<{ in?: unknown; out?: unknown }>) {
    if (!isEmpty(data.in) || !isEmpty(data.out)) return;
    data.in = hashed();
    data.out = hashed();
  }
}

/**
 * Adds nodes `keys[i]` with `attributes(i)` to an empty graph buildGraph has just made, in order, and makes the
 * adjacency objects of nodes with edges hash tables (see useHashedAdjacency; `inDegree` / `outDegree`: how many edges
 * each node will get, counted by the caller; an empty side keeps graphology's `{}`). The same as `addNode` for each (and
 * it is what runs if the internals are not as expected), without a look-up of the key and an event object per node.
 * Returns graphology's record of each node, for addDirectedEdges; undefined after the public API.
 */
export function addNodes(
  graph: FlowGraph,
  keys: readonly string[],
  attributes: (i: number) => FlowNodeAttributes,
  inDegree: Int32Array,
  outDegree: Int32Array,
): NodeData[] | undefined {
  const g = graph as unknown as GraphInternals & { NodeDataClass?: unknown };
  const nodes = g._nodes;
  const NodeDataClass = g.NodeDataClass;
  const make = NodeDataClass as new (key: string, attributes: FlowNodeAttributes) => unknown;
  if (
    !(nodes instanceof Map) ||
    nodes.size !== 0 ||
    typeof NodeDataClass !== 'function' ||
    !isNodeData(new make('', {} as FlowNodeAttributes)) ||
    graph.listenerCount('nodeAdded') !== 0
  ) {
    for (let i = 0; i < keys.length; i++) graph.addNode(keys[i]!, attributes(i));
    useHashedAdjacency(graph);
    return undefined;
  }
  const data: NodeData[] = [];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    // A repeated key: the public call throws graphology's own error.
    if (nodes.has(key)) graph.addNode(key, attributes(i));
    const d = new make(key, attributes(i));
    if (!isNodeData(d)) throw new Error(`graphology internals changed while adding nodes (${key})`);
    if (inDegree[i]! > 0) d.in = hashed();
    if (outDegree[i]! > 0) d.out = hashed();
    nodes.set(key, d);
    data.push(d);
  }
  return data;
}

/** An empty object whose properties are a hash table (see useHashedAdjacency). */
function hashed(): Record<string, unknown> {
  return Object.setPrototypeOf(Object.create(null), Object.prototype) as Record<string, unknown>;
}

/**
 * Adds edges `e = 0 … source.length−1` (key `key(e)`, from node `nodeKeys[source[e]]` to `nodeKeys[target[e]]`) to a
 * directed multi graph buildGraph has just made, in order. The same as `addDirectedEdgeWithKey` for each (and it is
 * what runs if the internals are not as expected), without what a million calls pay for and a fresh graph does not
 * need: two node look-ups by key per edge (the nodes are looked up once each here), argument checks and an event
 * object per edge (nobody can listen yet). The bookkeeping is graphology 0.26's `addEdge`: register the edge, count
 * degrees and self-loops, link it into the adjacency (`attachMulti`), count the size.
 */
export function addDirectedEdges(
  graph: FlowGraph,
  nodeKeys: readonly string[],
  source: Int32Array,
  target: Int32Array,
  key: (e: number) => string,
  attributes: (e: number) => FlowEdgeAttributes,
  nodeData?: NodeData[],
): void {
  const count = source.length;
  if (count === 0) return;
  const publicAdd = (e: number) =>
    graph.addDirectedEdgeWithKey(key(e), nodeKeys[source[e]!]!, nodeKeys[target[e]!]!, attributes(e));
  // The first edge through the public API: it shows graphology's EdgeData class, and what one edge changes.
  publicAdd(0);
  const g = graph as unknown as GraphInternals;
  const nodes = g._nodes;
  const edges = g._edges;
  const first = edges instanceof Map ? (edges.get(key(0)) as Partial<EdgeData> | undefined) : undefined;
  const firstSource = nodes instanceof Map ? nodes.get(nodeKeys[source[0]!]!) : undefined;
  const usable =
    nodes instanceof Map &&
    edges instanceof Map &&
    edges.size === 1 &&
    typeof first?.attachMulti === 'function' &&
    g._directedSize === 1 &&
    typeof g._directedSelfLoopCount === 'number' &&
    isNodeData(firstSource) &&
    firstSource.outDegree === 1 &&
    graph.multi &&
    graph.type === 'directed' &&
    graph.listenerCount('edgeAdded') === 0;
  if (!usable) {
    for (let e = 1; e < count; e++) publicAdd(e);
    return;
  }
  const EdgeDataClass = first!.constructor as new (
    undirected: boolean,
    key: string,
    source: NodeData,
    target: NodeData,
    attributes: FlowEdgeAttributes,
  ) => EdgeData;
  let data = nodeData;
  if (data === undefined) {
    data = [];
    for (const k of nodeKeys) {
      const d = nodes.get(k);
      if (!isNodeData(d)) {
        for (let e = 1; e < count; e++) publicAdd(e);
        return;
      }
      data.push(d);
    }
  }
  const registry = edges as Map<string, EdgeData>;
  let added = 0;
  let loops = 0;
  const writeCounts = () => {
    g._directedSize = (g._directedSize as number) + added;
    g._directedSelfLoopCount = (g._directedSelfLoopCount as number) + loops;
    added = 0;
    loops = 0;
  };
  for (let e = 1; e < count; e++) {
    const k = key(e);
    if (registry.has(k)) {
      // A repeated key: the public call throws graphology's own error, with the graph's counts right so far.
      writeCounts();
      publicAdd(e);
    }
    const s = data[source[e]!]!;
    const t = data[target[e]!]!;
    const edge = new EdgeDataClass(false, k, s, t, attributes(e));
    registry.set(k, edge);
    s.outDegree++;
    t.inDegree++;
    if (s === t) {
      s.directedLoops++;
      loops++;
    }
    edge.attachMulti();
    added++;
  }
  writeCounts();
}
