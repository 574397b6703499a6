import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CaseFile, canonicalJson, type TraceFile, type TraceParams, traceForward } from '@fundflow/core';
import { loadLabels } from '../label-set';
import { parseAmount, parseCategories, parsePolicies, parseTime, parseWhole } from '../options';
import { summaryText, writeTrace } from '../output';
import { progressReporter } from '../progress';
import { createSource, resolveSourceSpec } from '../sources';
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
}

/** `fundflow trace <chain> <seed...>`: live (or replayed) trace → trace file; with --record, a replayable case. */
export async function traceCommand(chain: string, seeds: string[], o: TraceCommandOptions): Promise<TraceFile> {
  const params: TraceParams = {
    seeds,
    ...(o.since !== undefined ? { since: parseTime(o.since, '--since') } : {}),
    ...(o.until !== undefined ? { until: parseTime(o.until, '--until') } : {}),
    ...(o.followUntil !== undefined ? { followUntil: parseTime(o.followUntil, '--follow-until') } : {}),
    policies: parsePolicies(o.policy),
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
  const apiKey = o.apiKeyEnv ? process.env[o.apiKeyEnv] : undefined;
  const built = await buildTransport({
    ...(o.replay ? { replayDir: o.replay } : {}),
    ...(o.record ? { recordDir: join(o.record, 'cassette') } : {}),
    ...(o.checkpoint ? { checkpoint: o.checkpoint } : {}),
    requestsPerSecond: Number(o.rps),
    ...(apiKey ? { secrets: [apiKey] } : {}),
  });
  const source = createSource(spec, built.transport);
  const labels = await loadLabels(o.labels, o.builtinLabels);
  const progress = progressReporter(() => built.stats().sent, o.progress);
  // SIGINT: stop cleanly; the checkpoint journal already holds every answer received.
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  let trace: TraceFile;
  try {
    trace = await traceForward({ source, params, labels, signal: abort.signal, onProgress: (p) => progress.update(p) });
  } catch (e) {
    await built.finish(false);
    throw e;
  } finally {
    progress.done();
    process.off('SIGINT', onSigint);
  }
  await built.finish(true);
  writeTrace(o.out, trace);
  // The source's own endpoint description has credentials removed; the raw --endpoint may carry them.
  if (o.record) writeRecordedCase(o.record, trace, trace.sources[0]!.endpoint, o.labels.length > 0);
  const stats = built.stats();
  process.stderr.write(
    `${summaryText(trace)}\nwrote ${o.out} · ${stats.sent} requests sent · ${stats.fromCheckpoint} answered from the checkpoint\n`,
  );
  return trace;
}

/** With --record: the folder becomes a case that `fundflow replay` reproduces offline. */
function writeRecordedCase(dir: string, trace: TraceFile, endpoint: string, userLabels: boolean): void {
  mkdirSync(dir, { recursive: true });
  const p = trace.params;
  const name = dir
    .replace(/\/+$/, '')
    .split('/')
    .pop()!
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-');
  const today = new Date().toISOString().slice(0, 10);
  const c: CaseFile = {
    format: 'fundflow.case/1',
    name,
    title: `${trace.chain} trace from ${p.seeds.join(', ')}`,
    description: 'Recorded with fundflow trace --record.',
    provenance: {
      kind: 'recorded-live',
      statement: `recorded live from ${endpoint} on ${today}`,
      recordedAt: today,
    },
    source: trace.sources[0]!,
    trace: {
      seeds: p.seeds,
      ...(p.since !== undefined ? { since: p.since } : {}),
      ...(p.until !== undefined ? { until: p.until } : {}),
      ...(p.followUntil !== undefined ? { followUntil: p.followUntil } : {}),
      policies: p.policies,
      maxHops: p.maxHops,
      minAmount: p.minAmount,
      fanOutCap: p.fanOutCap,
      stopCategories: p.stopCategories as NonNullable<CaseFile['trace']['stopCategories']>,
    },
    labels: [],
    cassette: 'cassette',
    expected: Object.fromEntries(
      Object.entries(trace.results).map(([policy, r]) => [
        policy,
        {
          stolen: r!.summary.stolen,
          cashOuts: r!.summary.cashOuts.map((c) => ({ address: c.address, amount: c.amount })),
          byReason: r!.summary.byReason,
        },
      ]),
    ),
  };
  writeFileSync(join(dir, 'case.json'), canonicalJson(c, 2) + '\n');
  if (userLabels) {
    process.stderr.write(
      `note: copy your label packs into ${dir} and list them in case.json "labels" to replay with them\n`,
    );
  }
}
