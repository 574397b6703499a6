import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type CaseFile,
  caseTraceParams,
  compareExpected,
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
  return { caseFile, trace, mismatches: compareExpected(caseFile.expected, trace) };
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
