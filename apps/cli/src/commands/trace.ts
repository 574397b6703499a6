import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { type CaseFile, type Cassette, type TraceFile, type TraceParams, traceForward } from '@fundflow/core';
import { expectedFromTrace, writeCaseFolder } from '@fundflow/core/node';
import { loadLabels } from '../label-set';
import { parseAmount, parseCategories, parsePolicies, parseTime, parseWhole } from '../options';
import { summaryText, writeTrace } from '../output';
import { progressReporter } from '../progress';
import { createSource, DEFAULT_API_KEY_ENV, resolveSourceSpec } from '../sources';
import { buildTransport } from '../transports';

export interface TraceCommandOptions {
  since?: string;
  until?: string;
  followUntil?: string;
  policy: string;
  maxHops: string;
  minAmount: string;
  fanOut: string;
  stop: string;
  labels: string[];
  builtinLabels: boolean;
  endpoint?: string;
  network?: string;
  source?: string;
  rps: string;
  record?: string;
  replay?: string;
  checkpoint?: string;
  out: string;
  json?: boolean;
  progress: boolean;
  apiKeyEnv?: string;
  asset?: string;
}

/** `fundflow trace <chain> <seed...>`: live (or replayed) trace → trace file; with --record, a replayable case. */
export async function traceCommand(chain: string, seeds: string[], o: TraceCommandOptions): Promise<TraceFile> {
  const params: TraceParams = {
    seeds,
    ...(o.since !== undefined ? { since: parseTime(o.since, '--since') } : {}),
    ...(o.until !== undefined ? { until: parseTime(o.until, '--until') } : {}),
    ...(o.followUntil !== undefined ? { followUntil: parseTime(o.followUntil, '--follow-until') } : {}),
    policies: parsePolicies(o.policy),
    ...(o.asset !== undefined ? { asset: o.asset } : {}),
    stop: {
      maxHops: parseWhole(o.maxHops, '--max-hops', 1),
      minAmount: parseAmount(o.minAmount, '--min-amount'),
      fanOutCap: parseWhole(o.fanOut, '--fan-out', 1),
      stopCategories: parseCategories(o.stop),
    },
  };
  const spec = resolveSourceSpec(chain, {
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    ...(o.network ? { network: o.network } : {}),
    ...(o.source ? { kind: o.source } : {}),
  });
  const keyEnv = o.apiKeyEnv ?? DEFAULT_API_KEY_ENV[spec.kind];
  const apiKey = keyEnv && !o.replay ? process.env[keyEnv] || undefined : undefined;
  const built = await buildTransport({
    ...(o.replay ? { replayDir: o.replay } : {}),
    ...(o.record ? { record: true } : {}),
    ...(o.checkpoint ? { checkpoint: o.checkpoint } : {}),
    requestsPerSecond: Number(o.rps),
    ...(apiKey ? { secrets: [apiKey] } : {}),
  });
  const source = createSource(spec, built.transport, apiKey);
  const labels = await loadLabels(o.labels, o.builtinLabels);
  const progress = progressReporter(() => built.stats().sent, o.progress);
  // SIGINT: stop cleanly; the checkpoint journal already holds every answer received.
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  let trace: TraceFile;
  try {
    trace = await traceForward({ source, params, labels, signal: abort.signal, onProgress: (p) => progress.update(p) });
  } finally {
    built.finish();
    progress.done();
    process.off('SIGINT', onSigint);
  }
  writeTrace(o.out, trace);
  if (o.record) await writeRecordedCase(o.record, trace, built.cassette!, o.labels);
  const stats = built.stats();
  process.stderr.write(
    `${summaryText(trace)}\nwrote ${o.out} · ${stats.sent} requests sent · ${stats.fromCheckpoint} answered from the checkpoint\n`,
  );
  return trace;
}

/** With --record: the folder becomes a case that `fundflow replay` reproduces offline, with copies of the user's packs. */
async function writeRecordedCase(dir: string, trace: TraceFile, cassette: Cassette, packs: string[]): Promise<void> {
  const p = trace.params;
  const name = basename(resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-');
  const today = new Date().toISOString().slice(0, 10);
  const labelFiles = Object.fromEntries(packs.map((path) => [basename(path), readFileSync(path, 'utf8')]));
  const caseFile: CaseFile = {
    format: 'fundflow.case/1',
    name,
    title: `${trace.chain} trace from ${p.seeds.join(', ')}`,
    description: 'Recorded with fundflow trace --record.',
    provenance: {
      kind: 'recorded-live',
      // The source's own endpoint description has credentials removed; the raw --endpoint may carry them.
      statement: `recorded live from ${trace.sources[0]!.endpoint} on ${today}`,
      recordedAt: today,
    },
    source: trace.sources[0]!,
    trace: trace.params,
    labels: Object.keys(labelFiles),
    cassette: 'cassette',
    expected: expectedFromTrace(trace),
  };
  await writeCaseFolder(dir, { caseFile, cassette, trace, labelFiles });
}
