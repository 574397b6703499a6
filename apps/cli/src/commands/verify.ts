import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  assetId,
  DEFAULT_STOP_CATEGORIES,
  FundflowError,
  LabelRegistry,
  paramsFromRecord,
  parseCaseFile,
  parseTrace,
  replaying,
  serializeTrace,
  type TraceFile,
  traceForward,
} from '@fundflow/core';
import { builtinPackPaths, loadCassette, loadPackFile } from '@fundflow/core/node';
import { createSource } from '../sources';

export interface VerifyOptions {
  cassette?: string;
  labels: string[];
}

/**
 * `fundflow verify <trace.json>`: re-runs the trace offline from its own parameters through the cassette and proves
 * the file is byte-identical. The cassette is checked entry by entry on load (FIXTURE_CORRUPT on any altered byte).
 */
export async function verifyCommand(file: string, o: VerifyOptions): Promise<{ trace: TraceFile; entries: number }> {
  const text = readFileSync(file, 'utf8');
  const trace = parseTrace(text);
  const caseDir = findCaseDir(file);
  let cassetteDir = o.cassette;
  const packFiles = [...builtinPackPaths(), ...o.labels];
  if (caseDir) {
    const c = parseCaseFile(readFileSync(join(caseDir, 'case.json'), 'utf8'));
    cassetteDir ??= join(caseDir, c.cassette);
    packFiles.push(...c.labels.map((l) => join(caseDir, l)));
  }
  if (!cassetteDir) {
    throw new FundflowError('INVALID_ARGUMENT', 'Which cassette proves this trace? Pass --cassette <dir>', {
      details: { file },
    });
  }
  const cassette = await loadCassette(cassetteDir);
  const labels = new LabelRegistry();
  const wanted = new Map(trace.labelPacks.map((p) => [p.sha256, p]));
  for (const path of packFiles) {
    const pack = await loadPackFile(path);
    if (wanted.delete(pack.info.sha256)) labels.addPack(pack);
  }
  for (const missing of wanted.values()) {
    throw new FundflowError(
      'FIXTURE_MISSING',
      `Label pack ${missing.name} (sha256 ${missing.sha256}) used by the trace was not found; pass it with --labels`,
      {
        details: { pack: missing.name, sha256: missing.sha256 },
      },
    );
  }
  const source = createSource(trace.sources[0]!, replaying(cassette));
  const again = await traceForward({
    source,
    labels,
    params: paramsFromRecord(
      trace.asset.id !== assetId(source.nativeAsset) ? { ...trace.params, asset: trace.asset.id } : trace.params,
      DEFAULT_STOP_CATEGORIES,
    ),
    ...(trace.createdAt ? { createdAt: trace.createdAt } : {}),
  });
  const rerun = serializeTrace(again);
  if (rerun !== text) {
    const a = text.split('\n');
    const b = rerun.split('\n');
    const line = a.findIndex((l, i) => l !== b[i]);
    throw new FundflowError(
      'VERIFY_FAILED',
      `The trace does not reproduce from the cassette: first difference at line ${line + 1}`,
      {
        details: { line: line + 1, file: a[line] ?? '', rerun: b[line] ?? '' },
      },
    );
  }
  return { trace, entries: cassette.size };
}

function findCaseDir(file: string): string | undefined {
  const dir = dirname(file);
  return existsSync(join(dir, 'case.json')) ? dir : undefined;
}
