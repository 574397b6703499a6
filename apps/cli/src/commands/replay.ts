import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type CaseFile,
  caseTraceParams,
  DEFAULT_STOP_CATEGORIES,
  FundflowError,
  parseCaseFile,
  replaying,
  type TraceFile,
  traceForward,
} from '@fundflow/core';
import { loadCassette } from '@fundflow/core/node';
import { loadLabels } from '../label-set';
import { summaryText, writeTrace } from '../output';
import { createSource } from '../sources';

export interface CaseRun {
  caseFile: CaseFile;
  trace: TraceFile;
  /** Differences from case.json's expected results; empty when the case reproduces. */
  mismatches: string[];
}

/** Loads a fixture folder and traces it offline through its cassette. */
export async function runCase(dir: string, builtinLabels: boolean): Promise<CaseRun> {
  const caseFile = parseCaseFile(readCaseText(dir), join(dir, 'case.json'));
  const cassette = await loadCassette(join(dir, caseFile.cassette));
  const source = createSource(caseFile.source, replaying(cassette));
  const labels = await loadLabels(
    caseFile.labels.map((l) => join(dir, l)),
    builtinLabels,
  );
  const trace = await traceForward({
    source,
    params: caseTraceParams(caseFile, DEFAULT_STOP_CATEGORIES),
    labels,
  });
  return { caseFile, trace, mismatches: compareExpected(caseFile, trace) };
}

function readCaseText(dir: string): string {
  try {
    return readFileSync(join(dir, 'case.json'), 'utf8');
  } catch (cause) {
    throw new FundflowError('FIXTURE_MISSING', `No case.json in ${resolve(dir)}: is this a fixture folder?`, {
      cause,
      details: { dir },
    });
  }
}

/** Every expected cash-out must be found with its exact amount, and no unexpected one. */
export function compareExpected(c: CaseFile, trace: TraceFile): string[] {
  const out: string[] = [];
  for (const [policy, want] of Object.entries(c.expected)) {
    const got = trace.results[policy as keyof TraceFile['results']];
    if (!want) continue;
    if (!got) {
      out.push(`${policy}: not traced`);
      continue;
    }
    if (want.stolen !== undefined && want.stolen !== got.summary.stolen) {
      out.push(`${policy}: stolen ${got.summary.stolen}, expected ${want.stolen}`);
    }
    const have = new Map(got.summary.cashOuts.map((x) => [x.address, x.amount]));
    for (const w of want.cashOuts) {
      const h = have.get(w.address);
      if (h !== w.amount) out.push(`${policy}: cash-out ${w.address} got ${h ?? 'nothing'}, expected ${w.amount}`);
      have.delete(w.address);
    }
    for (const [address, amount] of have) out.push(`${policy}: unexpected cash-out ${address} ${amount}`);
    for (const [reason, amount] of Object.entries(want.byReason ?? {})) {
      if (got.summary.byReason[reason] !== amount) {
        out.push(`${policy}: ${reason} ${got.summary.byReason[reason] ?? '0'}, expected ${amount}`);
      }
    }
  }
  return out;
}

export interface ReplayOptions {
  out?: string;
  builtinLabels: boolean;
}

/** `fundflow replay <fixture>`: offline trace of a recorded case, checked against its expected results. */
export async function replayCommand(dir: string, o: ReplayOptions): Promise<CaseRun> {
  const run = await runCase(dir, o.builtinLabels);
  const out = o.out ?? `${run.caseFile.name}.trace.json`;
  writeTrace(out, run.trace);
  process.stderr.write(
    `${run.caseFile.title}\n${run.caseFile.provenance.statement}\n${summaryText(run.trace)}\nwrote ${out}\n`,
  );
  return run;
}
