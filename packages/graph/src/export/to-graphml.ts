import { MultiDirectedGraph } from 'graphology';
import { parse } from 'graphology-graphml';
import type { FlowGraph } from '../types';
import { restoreEmptyStrings } from './to-gexf';
import { escapeXml } from './xml-text';

type GraphmlType = 'boolean' | 'int' | 'long' | 'double' | 'string';
const RANK: Record<GraphmlType, number> = { boolean: 0, int: 1, long: 2, double: 3, string: 4 };

function typeOf(v: unknown): GraphmlType {
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return Math.abs(v) <= 0x7fffffff ? 'int' : 'long';
    return 'double';
  }
  return 'string';
}

function model(items: Record<string, unknown>[]): [string, GraphmlType][] {
  const types = new Map<string, GraphmlType>();
  for (const a of items) {
    for (const [k, v] of Object.entries(a)) {
      if (v === undefined || v === null) continue;
      const t = typeOf(v);
      const have = types.get(k);
      // Mixed kinds widen: int → long → double; a boolean mixed with anything else, or text, is a string.
      if (have === undefined) types.set(k, t);
      else if (have !== t) {
        const numeric = have !== 'boolean' && have !== 'string' && t !== 'boolean' && t !== 'string';
        types.set(k, numeric ? (RANK[have] > RANK[t] ? have : t) : 'string');
      }
    }
  }
  return [...types.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/**
 * GraphML writer (graphology-graphml only parses): typed `<key>`s for graph, node and edge attributes
 * (boolean / int / long / double / string; amounts stay strings), ids are the graph's keys, everything escaped.
 * Deterministic: attributes sorted, graph order.
 * @example writeFileSync('case.graphml', toGraphml(graph))
 */
export function toGraphml(graph: FlowGraph): string {
  const nodeAttrs: Record<string, unknown>[] = [];
  graph.forEachNode((_k, a) => {
    nodeAttrs.push(a);
  });
  const edgeAttrs: Record<string, unknown>[] = [];
  graph.forEachEdge((_k, a) => {
    edgeAttrs.push(a);
  });
  const graphAttrs = graph.getAttributes() as Record<string, unknown>;
  const gModel = model([graphAttrs]);
  const nModel = model(nodeAttrs);
  const eModel = model(edgeAttrs);
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
  ];
  const keys = (prefix: string, scope: string, m: [string, GraphmlType][]) => {
    for (const [name, type] of m) {
      out.push(
        `  <key id="${escapeXml(prefix + name)}" for="${scope}" attr.name="${escapeXml(name)}" attr.type="${type}"/>`,
      );
    }
  };
  keys('g_', 'graph', gModel);
  keys('n_', 'node', nModel);
  keys('e_', 'edge', eModel);
  const data = (indent: string, prefix: string, m: [string, GraphmlType][], a: Record<string, unknown>) => {
    for (const [name] of m) {
      const v = a[name];
      if (v === undefined || v === null) continue;
      out.push(`${indent}<data key="${escapeXml(prefix + name)}">${escapeXml(String(v))}</data>`);
    }
  };
  out.push('  <graph edgedefault="directed">');
  data('    ', 'g_', gModel, graphAttrs);
  graph.forEachNode((k, a) => {
    out.push(`    <node id="${escapeXml(k)}">`);
    data('      ', 'n_', nModel, a);
    out.push('    </node>');
  });
  graph.forEachEdge((k, a, s, t) => {
    out.push(`    <edge id="${escapeXml(k)}" source="${escapeXml(s)}" target="${escapeXml(t)}">`);
    data('      ', 'e_', eModel, a);
    out.push('    </edge>');
  });
  out.push('  </graph>', '</graphml>', '');
  return out.join('\n');
}

/**
 * Reads GraphML (as written by `toGraphml`) back through graphology-graphml.
 * @example const graph = fromGraphml(readFileSync('case.graphml', 'utf8'))
 */
export function fromGraphml(text: string): FlowGraph {
  return restoreEmptyStrings(parse(MultiDirectedGraph, text, { addMissingNodes: false }));
}
