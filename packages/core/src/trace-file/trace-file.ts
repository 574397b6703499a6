import { FundflowError } from '../errors';
import { canonicalJson } from '../util/canonical-json';
import { type TraceFile, traceFileSchema } from './schema';

/**
 * Serialises a trace deterministically: sorted keys, two-space indent, trailing newline.
 * The same trace always gives the same bytes.
 * @example writeFileSync('case.trace.json', serializeTrace(trace))
 */
export function serializeTrace(trace: TraceFile): string {
  return canonicalJson(trace, 2) + '\n';
}

/**
 * Parses and validates a `fundflow.trace/1` file. Throws `TRACE_INVALID` naming the first problem.
 * @example const trace = parseTrace(readFileSync('case.trace.json', 'utf8'))
 */
export function parseTrace(text: string): TraceFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new FundflowError('TRACE_INVALID', 'The trace file is not JSON (truncated or not a trace file?)', { cause });
  }
  const format = (raw as { format?: unknown } | null)?.format;
  if (typeof format === 'string' && format !== 'fundflow.trace/1') {
    throw new FundflowError(
      'TRACE_INVALID',
      `Unsupported trace format ${format}; this version reads fundflow.trace/1`,
      {
        details: { format },
      },
    );
  }
  const parsed = traceFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') : '';
    throw new FundflowError(
      'TRACE_INVALID',
      `Invalid trace file at ${where || '(root)'}: ${issue?.message ?? 'invalid'}`,
      {
        details: { path: where },
      },
    );
  }
  return parsed.data;
}
