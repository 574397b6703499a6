import { GRAPH_LEVELS } from '@fundflow/graph';
import { readTraceFile, writeReport } from '@fundflow/graph/node';
import { choice, choicePolicy, defaultBase, type ReportCommandOptions } from './export';

export interface ReportResult {
  files: string[];
}

/**
 * `fundflow report <trace.json>`: writes `<out>.md`, `<out>.html` (self-contained: inline CSS and SVG, no scripts)
 * and `<out>.svg`; default `<out>` is `<trace name>.report` beside the trace.
 */
export function reportCommand(file: string, o: ReportCommandOptions): ReportResult {
  const x = choice('--x', o.x, ['hop', 'time'] as const);
  const level = choice('--level', o.level, GRAPH_LEVELS);
  const policy = choicePolicy(o.policy);
  const trace = readTraceFile(file);
  const base = o.out !== undefined ? o.out.replace(/\.(md|html)$/, '') : `${defaultBase(file)}.report`;
  const files = writeReport(trace, base, { x, level, ...(policy !== undefined ? { policy } : {}) });
  process.stderr.write(`wrote ${files.join(', ')}\n`);
  return { files };
}
