import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceFile } from '../trace-file/schema';
import { serializeTrace } from '../trace-file/trace-file';
import type { Cassette } from '../transport/cassette';
import { saveCassette } from '../transport/cassette-fs';
import { canonicalJson } from '../util/canonical-json';
import type { CaseFile } from './case-file';

export interface CaseFolder {
  caseFile: CaseFile;
  cassette: Cassette;
  /** The trace the case must reproduce, written as expected.trace.json (the golden file). */
  trace: TraceFile;
  /** Label pack files to write beside case.json, by file name (the names case.json lists). */
  labelFiles?: Record<string, string>;
}

/**
 * Writes a fixture folder: case.json, cassette/ (replaced whole), label packs and expected.trace.json. Other files in
 * the folder are left alone.
 * Everything is written deterministically, so recording the same case twice gives identical files.
 * @example writeCaseFolder('fixtures/my-case', { caseFile, cassette, trace, labelFiles: { 'labels.csv': text } })
 */
export async function writeCaseFolder(dir: string, folder: CaseFolder): Promise<void> {
  mkdirSync(dir, { recursive: true });
  rmSync(join(dir, folder.caseFile.cassette), { recursive: true, force: true });
  for (const [name, text] of Object.entries(folder.labelFiles ?? {})) writeFileSync(join(dir, name), text);
  await saveCassette(join(dir, folder.caseFile.cassette), folder.cassette);
  writeFileSync(join(dir, 'expected.trace.json'), serializeTrace(folder.trace));
  writeFileSync(join(dir, 'case.json'), `${canonicalJson(folder.caseFile, 2)}\n`);
}

/** A case's expected results as the trace found them: per policy, stolen, every cash-out and the totals per reason. */
export function expectedFromTrace(trace: TraceFile): CaseFile['expected'] {
  return Object.fromEntries(
    Object.entries(trace.results).map(([policy, r]) => [
      policy,
      {
        stolen: r!.summary.stolen,
        cashOuts: r!.summary.cashOuts.map((c) => ({
          address: c.address,
          amount: c.amount,
          ...(c.asset !== undefined ? { asset: c.asset } : {}),
        })),
        byReason: r!.summary.byReason,
      },
    ]),
  );
}
