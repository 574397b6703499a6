import { FundflowError } from '../errors';
import type { TraceParams } from '../tracer/types';
import { compareStrings } from '../types';
import { canonicalJson } from '../util/canonical-json';
import { type TraceFile, type TraceParamsRecord, traceFileSchema } from './schema';

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

/** Tracer parameters as a file records them (sorted stop categories, amounts as strings). */
export function paramsToRecord(params: TraceParams): TraceParamsRecord {
  return {
    seeds: params.seeds,
    ...(params.since !== undefined ? { since: params.since } : {}),
    ...(params.until !== undefined ? { until: params.until } : {}),
    ...(params.followUntil !== undefined ? { followUntil: params.followUntil } : {}),
    policies: params.policies,
    maxHops: params.stop.maxHops,
    minAmount: params.stop.minAmount.toString(),
    fanOutCap: params.stop.fanOutCap,
    stopCategories: [...params.stop.stopCategories].sort(compareStrings),
    ...(params.asset !== undefined ? { asset: params.asset } : {}),
  };
}

/**
 * Tracer parameters from a trace file's or case's record; `asset` (account chains) when the record names one.
 * @example traceForward({ source, params: paramsFromRecord(trace.params, DEFAULT_STOP_CATEGORIES) })
 */
export function paramsFromRecord(
  r: Omit<TraceParamsRecord, 'stopCategories'> & {
    stopCategories?: TraceParamsRecord['stopCategories'] | undefined;
  },
  defaultStopCategories: TraceParams['stop']['stopCategories'],
): TraceParams {
  return {
    seeds: r.seeds,
    ...(r.since !== undefined ? { since: r.since } : {}),
    ...(r.until !== undefined ? { until: r.until } : {}),
    ...(r.followUntil !== undefined ? { followUntil: r.followUntil } : {}),
    ...(r.asset !== undefined ? { asset: r.asset } : {}),
    policies: r.policies,
    stop: {
      maxHops: r.maxHops,
      minAmount: BigInt(r.minAmount),
      fanOutCap: r.fanOutCap,
      stopCategories: r.stopCategories ?? defaultStopCategories,
    },
  };
}
