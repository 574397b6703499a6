/**
 * The replay row's measurement, in a process of its own (run.ts starts it, with the Node flags of the fundflow command,
 * apps/cli/bin/node-flags.mjs): reads a recorded cassette from disk and verifies it, as `fundflow replay` does, then
 * times `traceForward` over it and prints one JSON line. A fresh process is what an analyst's replay runs in; timed
 * inside the benchmark's process, the replay would also pay for the scenario and the recording that process made first
 * (a bigger, older heap for the garbage collector to walk).
 *
 *   node --max-semi-space-size=64 --import tsx test/bench/replay-child.ts <folder with cassette.json, manifest.json,
 *   labels.csv, run.json>
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { EsploraSource } from '@fundflow/bitcoin';
import { Cassette, LabelRegistry, parseCsvPack, replaying, type TraceParams, traceForward } from '@fundflow/core';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: replay-child.ts <folder>');
const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as {
  base: string;
  params: Omit<TraceParams, 'stop'> & { stop: Omit<TraceParams['stop'], 'minAmount'> & { minAmount: string } };
};
const params: TraceParams = {
  ...run.params,
  stop: { ...run.params.stop, minAmount: BigInt(run.params.stop.minAmount) },
};
const labels = new LabelRegistry();
labels.addPack(parseCsvPack(readFileSync(join(dir, 'labels.csv'), 'utf8')));

const l0 = performance.now();
// The file's text is let go once parsed, as `fundflow replay` does (a 215 MB string kept alive would only make the
// collector's heap limits tighter).
const { loaded, megabytes } = load();
const loadMs = performance.now() - l0;

function load(): { loaded: Cassette; megabytes: number } {
  const text = readFileSync(join(dir!, 'cassette.json'), 'utf8');
  return {
    loaded: Cassette.parse(text, readFileSync(join(dir!, 'manifest.json'), 'utf8')),
    megabytes: text.length / 1e6,
  };
}

// No forced collection before the clock starts: `fundflow replay` runs the trace on the heap the loading left.
const t0 = performance.now();
const trace = await traceForward({
  source: new EsploraSource({ baseUrl: run.base, network: 'regtest', transport: replaying(loaded) }),
  labels,
  params,
});
const ms = performance.now() - t0;
const heapAfter = process.memoryUsage().heapUsed;
console.log(
  JSON.stringify({
    ms,
    loadMs,
    entries: loaded.size,
    megabytes,
    transfers: trace.transactions.reduce((n, tx) => n + tx.inputs.length + tx.outputs.length, 0),
    edges: Object.values(trace.results)[0]?.edges.length ?? 0,
    heapAfter,
  }),
);
