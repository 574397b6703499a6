import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { FundflowError, parseTrace, type TraceFile } from '@fundflow/core';
import { buildGraph } from './build-graph';
import { toCsv } from './export/to-csv';
import { toGexf } from './export/to-gexf';
import { toGraphml } from './export/to-graphml';
import { toJson } from './export/to-json';
import { forceLayout } from './layout/force-layout';
import { applyLayout, layeredLayout } from './layout/layered-layout';
import { buildReport, type ReportOptions } from './report/build-report';
import type { FlowGraph, GraphLevel } from './types';

export * from './index';

export type ExportFormat = 'json' | 'csv' | 'gexf' | 'graphml';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['json', 'csv', 'gexf', 'graphml'];
export type LayoutChoice = 'hop' | 'time' | 'force' | 'none';

/**
 * Reads and validates a trace file; a missing or unreadable file is `NOT_FOUND`, a bad one `TRACE_INVALID`.
 * @example const trace = readTraceFile('fixtures/sim-utxo-exchange-drain/expected.trace.json')
 */
export function readTraceFile(path: string): TraceFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new FundflowError('NOT_FOUND', `Cannot read the trace file ${path}: does it exist?`, {
      cause,
      details: { path },
    });
  }
  return parseTrace(text);
}

/**
 * Builds the graph of a trace at a level and lays it out (`hop` / `time`: layered; `force`: ForceAtlas2; `none`).
 * @example const graph = graphOf(trace, 'address', 'hop')
 */
export function graphOf(trace: TraceFile, level: GraphLevel, layout: LayoutChoice): FlowGraph {
  const graph = buildGraph(trace, { level });
  if (layout === 'hop' || layout === 'time') applyLayout(graph, layeredLayout(graph, { x: layout }));
  else if (layout === 'force') forceLayout(graph);
  return graph;
}

/**
 * The files of one export format: path suffix → content. CSV gives two files (nodes, edges).
 * @example exportFiles(graph, trace, 'csv') // { '.nodes.csv': '…', '.edges.csv': '…' }
 */
export function exportFiles(graph: FlowGraph, trace: TraceFile, format: ExportFormat): Record<string, string> {
  switch (format) {
    case 'json':
      return { '.graph.json': toJson(graph, trace) };
    case 'csv': {
      const { nodes, edges } = toCsv(graph);
      return { '.nodes.csv': nodes, '.edges.csv': edges };
    }
    case 'gexf':
      return { '.gexf': toGexf(graph) };
    case 'graphml':
      return { '.graphml': toGraphml(graph) };
  }
}

/**
 * Writes an export next to `base` (a path without extension), creating folders; returns the paths written.
 * @example writeExport(graph, trace, 'json', 'out/case') // ['out/case.graph.json']
 */
export function writeExport(graph: FlowGraph, trace: TraceFile, format: ExportFormat, base: string): string[] {
  const written: string[] = [];
  for (const [suffix, text] of Object.entries(exportFiles(graph, trace, format))) {
    const path = base + suffix;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    written.push(path);
  }
  return written;
}

/**
 * Writes `<base>.md`, `<base>.html` and `<base>.svg` (the Markdown links the SVG by its file name).
 * @example writeReport(trace, 'out/report') // ['out/report.md', 'out/report.html', 'out/report.svg']
 */
export function writeReport(trace: TraceFile, base: string, options: ReportOptions = {}): string[] {
  const svgName = `${base.split(/[\\/]/).pop()}.svg`;
  const report = buildReport(trace, { ...options, svgName });
  mkdirSync(dirname(base + '.md'), { recursive: true });
  const files: [string, string][] = [
    [`${base}.md`, report.markdown],
    [`${base}.html`, report.html],
    [`${base}.svg`, report.svg],
  ];
  for (const [path, text] of files) writeFileSync(path, text);
  return files.map(([p]) => p);
}
