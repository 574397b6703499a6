import { basename, dirname, join } from 'node:path';
import { FundflowError, POLICIES, type PolicyName, type TraceFile } from '@fundflow/core';
import { assetView, traceAssets } from '@fundflow/graph';
import {
  EXPORT_FORMATS,
  type ExportFormat,
  GRAPH_LEVELS,
  type GraphLevel,
  graphOf,
  type LayoutChoice,
  readTraceFile,
  writeExport,
} from '@fundflow/graph/node';

export interface ExportOptions {
  format: string;
  level: string;
  layout: string;
  out?: string;
  asset?: string;
}

export interface ExportResult {
  format: ExportFormat;
  level: GraphLevel;
  files: string[];
  nodes: number;
  edges: number;
}

const LAYOUTS: readonly LayoutChoice[] = ['hop', 'time', 'force', 'none'];

/** `fundflow export <trace.json>`: the trace as a graph file (JSON, CSV, GEXF or GraphML) with a layout. */
export function exportCommand(file: string, o: ExportOptions): ExportResult {
  const format = choice('--format', o.format, EXPORT_FORMATS);
  const level = choice('--level', o.level, GRAPH_LEVELS);
  const layout = choice('--layout', o.layout, LAYOUTS);
  const trace = oneAsset(readTraceFile(file), o.asset);
  const graph = graphOf(trace, level, layout);
  const base = o.out !== undefined ? stripExtension(o.out, format) : defaultBase(file);
  const files = writeExport(graph, trace, format, base);
  process.stderr.write(`${graph.order} nodes, ${graph.size} edges (${level} level) → ${files.join(', ')}\n`);
  return { format, level, files, nodes: graph.order, edges: graph.size };
}

/**
 * An all-asset trace is exported one asset at a time (node totals of different assets never add up): `--asset`, or
 * the trace's own asset with a note naming the others.
 */
function oneAsset(trace: TraceFile, asset: string | undefined): TraceFile {
  const ids = traceAssets(trace);
  if (asset !== undefined && !ids.includes(asset)) {
    throw new FundflowError('INVALID_ARGUMENT', `--asset must be one of ${ids.join(', ')} (got ${asset})`, {
      details: { asset },
    });
  }
  if (!trace.assets) return trace;
  const id = asset ?? trace.asset.id;
  const others = ids.filter((x) => x !== id);
  if (asset === undefined && others.length > 0) {
    process.stderr.write(`exporting ${id}; this trace also holds ${others.join(', ')} (--asset <id>)\n`);
  }
  return assetView(trace, id);
}

export interface ReportCommandOptions {
  policy?: string;
  x: string;
  level: string;
  out?: string;
}

/** Checks `--policy`. */
export function choicePolicy(policy: string | undefined): PolicyName | undefined {
  return policy === undefined ? undefined : choice('--policy', policy, POLICIES);
}

/** Checks a flag's value against its choices; a wrong one is a usage error (exit 2). */
export function choice<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new FundflowError('INVALID_ARGUMENT', `${flag} must be one of ${choices.join(', ')} (got ${value})`, {
    details: { flag, value },
  });
}

/** `case.trace.json` → `case`, beside the trace file. */
export function defaultBase(file: string): string {
  return join(dirname(file), basename(file).replace(/(\.trace)?\.json$/, ''));
}

function stripExtension(out: string, format: ExportFormat): string {
  const suffix = { json: /(\.graph)?\.json$/, csv: /(\.(nodes|edges))?\.csv$/, gexf: /\.gexf$/, graphml: /\.graphml$/ }[
    format
  ];
  return out.replace(suffix, '');
}
