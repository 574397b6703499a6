import { z } from 'zod';
import { FundflowError } from '../errors';
import { type TraceFile, traceParamsRecordSchema } from '../trace-file/schema';
import { paramsFromRecord } from '../trace-file/trace-file';
import type { TraceParams } from '../tracer/types';
import { POLICIES } from '../tracer/types';
import { LABEL_CATEGORIES } from '../types';

const amount = z.string().regex(/^(0|[1-9][0-9]*)$/);
const policy = z.enum(POLICIES);
const category = z.enum(LABEL_CATEGORIES);

/**
 * `fixtures/<case>/case.json`: what a recorded case is, how it was made, how to trace it and what it must give.
 */
export const caseFileSchema = z.object({
  format: z.literal('fundflow.case/1'),
  name: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string(),
  description: z.string(),
  provenance: z.object({
    /** recorded-live: from a public API; recorded-node: from real node software running a scenario script; simulated. */
    kind: z.enum(['recorded-live', 'recorded-node', 'simulated']),
    /** One sentence a reader sees first, e.g. "simulated: …" or "recorded from litecoind 0.21 regtest, scenario …". */
    statement: z.string(),
    script: z.string().optional(),
    recordedAt: z.string().optional(),
    /** Published facts a simulated case follows. */
    follows: z.array(z.string()).optional(),
  }),
  source: z.object({
    kind: z.string(),
    chain: z.string(),
    network: z.string().optional(),
    endpoint: z.string(),
  }),
  /** The trace to run: as a trace file's params; stop categories default to the usual cash-out ones. */
  trace: traceParamsRecordSchema.extend({
    stopCategories: z.array(category).optional(),
  }),
  /** Label pack files, relative to the case folder. */
  labels: z.array(z.string()).default([]),
  /** Cassette folder, relative to the case folder. */
  cassette: z.string().default('cassette'),
  /** What the trace must find, per policy: every cash-out with its exact amount, and optionally totals per reason. */
  expected: z.partialRecord(
    policy,
    z.object({
      stolen: amount.optional(),
      /** `asset`: the asset id, in all-asset traces. */
      cashOuts: z.array(z.object({ address: z.string(), amount, asset: z.string().optional() })),
      byReason: z.record(z.string(), amount).optional(),
    }),
  ),
});

export type CaseFile = z.infer<typeof caseFileSchema>;

/** Parses a case.json; `INVALID_ARGUMENT` names the first problem. */
export function parseCaseFile(text: string, where = 'case.json'): CaseFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new FundflowError('INVALID_ARGUMENT', `${where} is not JSON`, { cause, details: { where } });
  }
  const parsed = caseFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FundflowError('INVALID_ARGUMENT', `${where}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`, {
      details: { where },
    });
  }
  return parsed.data;
}

/** The tracer parameters a case asks for. */
export function caseTraceParams(
  c: CaseFile,
  defaultStopCategories: TraceParams['stop']['stopCategories'],
): TraceParams {
  return paramsFromRecord(c.trace, defaultStopCategories);
}

/**
 * Differences between a case's expected results and a trace (empty when it reproduces): every expected cash-out with
 * its exact amount and no other, the stolen total and the totals per stop reason it lists.
 * @example if (compareExpected(caseFile.expected, trace).length > 0) throw new Error('does not reproduce')
 */
export function compareExpected(expected: CaseFile['expected'], trace: TraceFile): string[] {
  const out: string[] = [];
  for (const [policy, want] of Object.entries(expected)) {
    const got = trace.results[policy as keyof TraceFile['results']];
    if (!want) continue;
    if (!got) {
      out.push(`${policy}: not traced`);
      continue;
    }
    if (want.stolen !== undefined && want.stolen !== got.summary.stolen) {
      out.push(`${policy}: stolen ${got.summary.stolen}, expected ${want.stolen}`);
    }
    const key = (x: { address: string; asset?: string | undefined }) =>
      x.asset === undefined ? x.address : `${x.address} ${x.asset}`;
    const have = new Map(got.summary.cashOuts.map((x) => [key(x), x.amount]));
    for (const w of want.cashOuts) {
      const h = have.get(key(w));
      if (h !== w.amount) out.push(`${policy}: cash-out ${key(w)} got ${h ?? 'nothing'}, expected ${w.amount}`);
      have.delete(key(w));
    }
    for (const [where, amount] of have) out.push(`${policy}: unexpected cash-out ${where} ${amount}`);
    if (want.byReason) {
      // Listed totals are exact, and a reason the trace has but the case does not list counts as a difference.
      for (const reason of new Set([...Object.keys(want.byReason), ...Object.keys(got.summary.byReason)])) {
        const expected = want.byReason[reason] ?? '0';
        const found = got.summary.byReason[reason] ?? '0';
        if (found !== expected) out.push(`${policy}: ${reason} ${found}, expected ${expected}`);
      }
    }
  }
  return out;
}
