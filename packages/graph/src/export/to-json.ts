import { canonicalJson, type TraceFile } from '@fundflow/core';
import { MultiDirectedGraph } from 'graphology';
import type { SerializedGraph } from 'graphology-types';
import type { FlowEdgeAttributes, FlowGraph, FlowGraphAttributes, FlowNodeAttributes } from '../types';

/** The JSON export: graphology's serialisation plus the trace's metadata. */
export interface GraphJson {
  format: 'fundflow.graph-json/1';
  trace: Pick<
    TraceFile,
    'format' | 'engine' | 'chain' | 'model' | 'asset' | 'params' | 'sources' | 'labelPacks' | 'createdAt'
  > & {
    summary: Partial<
      Record<
        string,
        TraceFile['results'][keyof TraceFile['results']] extends infer R
          ? R extends { summary: infer S }
            ? S
            : never
          : never
      >
    >;
  };
  graph: SerializedGraph<FlowNodeAttributes, FlowEdgeAttributes, FlowGraphAttributes>;
}

/**
 * JSON export: `graph.export()` (nodes and edges in graph order) with the trace's metadata and per-policy summaries,
 * keys sorted, two-space indent, trailing newline: the same graph always gives the same bytes.
 * @example writeFileSync('case.graph.json', toJson(graph, trace))
 */
export function toJson(graph: FlowGraph, trace: TraceFile): string {
  const summary: Record<string, unknown> = {};
  for (const [p, r] of Object.entries(trace.results)) if (r) summary[p] = r.summary;
  const doc = {
    format: 'fundflow.graph-json/1',
    trace: {
      format: trace.format,
      engine: trace.engine,
      createdAt: trace.createdAt,
      chain: trace.chain,
      model: trace.model,
      asset: trace.asset,
      params: trace.params,
      sources: trace.sources,
      labelPacks: trace.labelPacks,
      summary,
    },
    graph: graph.export(),
  };
  return canonicalJson(doc, 2) + '\n';
}

/**
 * Reads a JSON export back into a graph.
 * @example const graph = fromJson(readFileSync('case.graph.json', 'utf8'))
 */
export function fromJson(text: string): FlowGraph {
  const doc = JSON.parse(text) as GraphJson;
  const graph: FlowGraph = new MultiDirectedGraph<FlowNodeAttributes, FlowEdgeAttributes, FlowGraphAttributes>({
    allowSelfLoops: true,
  });
  graph.import(doc.graph);
  return graph;
}
