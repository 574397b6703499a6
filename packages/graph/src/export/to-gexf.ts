import { MultiDirectedGraph } from 'graphology';
import { parse, write } from 'graphology-gexf';
import type { FlowEdgeAttributes, FlowGraph, FlowGraphAttributes, FlowNodeAttributes } from '../types';
import { xmlSafe } from './xml-text';

const clean = (a: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(a)) out[k] = typeof v === 'string' ? xmlSafe(v) : v;
  return out;
};

/**
 * GEXF 1.3 export through graphology-gexf: node `label` and `x`/`y` as GEXF label and viz position, every other
 * attribute declared and typed (amounts as strings). Deterministic: graph order, no modification date.
 * @example writeFileSync('case.gexf', toGexf(graph))
 */
export function toGexf(graph: FlowGraph): string {
  return write(graph, {
    version: '1.3',
    pretty: true,
    formatNode: (_key, attributes) => {
      const { label, x, y, ...rest } = attributes;
      return {
        label: xmlSafe(label),
        ...(x !== undefined && y !== undefined ? { viz: { x, y } } : {}),
        attributes: clean(rest),
      };
    },
    formatEdge: (_key, attributes) => ({ attributes: clean(attributes) }),
  });
}

/**
 * Reads GEXF (as written by `toGexf`) back into a graph; string attributes GEXF dropped because they were empty
 * come back as ''.
 * @example const graph = fromGexf(readFileSync('case.gexf', 'utf8'))
 */
export function fromGexf(text: string): FlowGraph {
  const parsed = parse(MultiDirectedGraph, text, { allowUndeclaredAttributes: true });
  return restoreEmptyStrings(parsed);
}

const NODE_STRINGS = ['kind', 'label', 'address', 'labelName', 'category', 'labelSource', 'received', 'sent'];
const EDGE_STRINGS = ['transfer', 'txid', 'asset', 'kind', 'amount', 'rule', 'evidence', 'memo'];
const POLICY_NODE = ['in', 'out', 'stopped', 'cashout', 'fee', 'stop'];

/** Re-creates '' string attributes that a format leaves out, and copies into a MultiDirectedGraph in the same order. */
export function restoreEmptyStrings(parsed: {
  getAttributes(): Record<string, unknown>;
  forEachNode(cb: (key: string, a: Record<string, unknown>) => void): void;
  forEachEdge(cb: (key: string, a: Record<string, unknown>, s: string, t: string) => void): void;
}): FlowGraph {
  const graph: FlowGraph = new MultiDirectedGraph<FlowNodeAttributes, FlowEdgeAttributes, FlowGraphAttributes>({
    allowSelfLoops: true,
  });
  const g = { ...parsed.getAttributes() };
  // GEXF keeps graph attributes as text.
  if (typeof g.decimals === 'string') g.decimals = Number(g.decimals);
  graph.replaceAttributes(g as FlowGraphAttributes);
  const policies = typeof g.policies === 'string' && g.policies !== '' ? g.policies.split(',') : [];
  const nodeStrings = [...NODE_STRINGS, ...policies.flatMap((p) => POLICY_NODE.map((x) => `${x}_${p}`))];
  const edgeStrings = [...EDGE_STRINGS, ...policies.map((p) => `taint_${p}`)];
  parsed.forEachNode((key, a) => {
    const out = { ...a };
    for (const s of nodeStrings) if (out[s] === undefined) out[s] = '';
    graph.addNode(key, out as FlowNodeAttributes);
  });
  parsed.forEachEdge((key, a, s, t) => {
    const out = { ...a };
    for (const name of edgeStrings) if (out[name] === undefined) out[name] = '';
    graph.addDirectedEdgeWithKey(key, s, t, out as FlowEdgeAttributes);
  });
  return graph;
}
