/**
 * `pnpm bench` — speed and request-efficiency targets of the tracing spine, printed as a table.
 *
 *   pnpm bench            full run (several minutes: the naive crawler is slow by design)
 *   pnpm bench --quick    smaller scenario, for a quick look
 *   pnpm bench --only live|replay|graph|viewer
 *
 * 1. Live: the simulated Esplora-format server on localhost answers after 100 ms (as a public API over the internet)
 *    and allows 20 requests/s (nginx-style limit_req, burst 5). fundflow traces a ~2,000-transfer case through the
 *    real Esplora source and HTTP transport; a naive sequential crawler (one request at a time, no cache, the same
 *    traversal) runs in the same process for comparison.
 * 2. Replay: a trace over a 100k-transfer simulated chain is recorded and written to test-output/bench by a process
 *    of its own (replay-record.ts); then three fresh processes (replay-child.ts) each read and verify the cassette, as
 *    `fundflow replay` does, and time the replay. Then the bundled NEM case's replay (its issue: under a second).
 * 3. Graph: build + layered layout of a 1M-edge trace, and a report of a 10k-edge trace (test/bench/graph-bench.ts, in
 *    a process of its own with the fundflow command's Node flags).
 * 4. Viewer: a 20k-node / 40k-edge trace in headless Chromium: first frame and frame time while panning (viewer-bench.ts).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { EsploraSource } from '@fundflow/bitcoin';
import {
  Cassette,
  caseTraceParams,
  DEFAULT_STOP_CATEGORIES,
  http,
  LabelRegistry,
  parseCaseFile,
  recording,
  replaying,
  type TraceFile,
  traceForward,
} from '@fundflow/core';
import { builtinPackPaths, loadCassette, loadPackFile } from '@fundflow/core/node';
import { NisSource } from '@fundflow/nem';
import { generateScenario, scenarioLabels, scenarioParams, startEsploraServer, type UtxoScenario } from '@fundflow/sim';
import { NODE_FLAGS } from '../../apps/cli/bin/node-flags.mjs';
import { ROOT } from '../helpers';
import type { GraphBenchRow } from './graph-bench';
import { viewerBenchRows } from './viewer-bench';

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } },
});
const quick = values.quick === true;
const only = values.only;

interface Row {
  name: string;
  value: string;
  target: string;
  ok: boolean | undefined;
}
const rows: Row[] = [];
const row = (name: string, value: string, target = '', ok?: boolean) => {
  rows.push({ name, value, target, ok });
  process.stderr.write(`  ${name}: ${value}\n`);
};

const stop = { maxHops: 10_000, minAmount: 0n, fanOutCap: 1_000, stopCategories: DEFAULT_STOP_CATEGORIES };

/** A hand-written script's way: one request at a time, no cache, retry after 1 s on 429; same traversal. */
async function naiveCrawl(base: string, s: UtxoScenario, trace: TraceFile): Promise<{ requests: number; ms: number }> {
  let requests = 0;
  const get = async (path: string): Promise<unknown> => {
    for (;;) {
      requests++;
      const res = await fetch(base + path);
      if (res.status === 429) {
        await res.text();
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      return res.json();
    }
  };
  const t0 = performance.now();
  let last: string | undefined;
  for (;;) {
    const page = (await get(`/address/${s.seedAddress}/txs/chain${last ? `/${last}` : ''}`)) as {
      txid: string;
      status: { block_time: number };
    }[];
    for (const tx of page) await get(`/tx/${tx.txid}`);
    if (page.length < 25 || page.some((t) => t.status.block_time < s.since)) break;
    last = page[page.length - 1]!.txid;
  }
  for (const e of trace.results.fifo!.edges) {
    const [txid, vout] = e.transfer.split(':');
    const spend = (await get(`/tx/${txid}/outspend/${vout}`)) as { spent: boolean; txid?: string };
    if (spend.spent && spend.txid) await get(`/tx/${spend.txid}`);
  }
  return { requests, ms: performance.now() - t0 };
}

async function live(): Promise<void> {
  const size = quick ? 300 : 1500;
  const rate = 20;
  const s = generateScenario({ seed: 1, model: 'utxo', size }) as UtxoScenario;
  process.stderr.write(`live: simulated scenario seed 1 size ${size}, 100 ms latency, ${rate} req/s (burst 5)\n`);
  const server = await startEsploraServer(s, { latencyMs: 100, rateLimit: { requestsPerSecond: rate, burst: 5 } });
  try {
    const cassette = new Cassette();
    const transport = http({ rateLimit: { requestsPerSecond: rate } });
    const source = new EsploraSource({
      baseUrl: server.url,
      network: 'regtest',
      transport: recording(transport, cassette),
    });
    const t0 = performance.now();
    const trace = await traceForward({
      source,
      labels: scenarioLabels(s),
      params: scenarioParams(s, ['fifo'], stop),
    });
    const ms = performance.now() - t0;
    const made = server.stats().requests;
    const limited = server.stats().rateLimited;
    const minimum = cassette.size;
    const physical = (minimum / rate) * 1000;
    const transfers = trace.results.fifo!.edges.length;
    row('live trace: tainted transfers followed', String(transfers), '~2,000');
    row(
      'live trace: requests made / minimum needed',
      `${made} / ${minimum} = ${(made / minimum).toFixed(3)}×`,
      '≤ 1.05×',
      made / minimum <= 1.05,
    );
    row('live trace: duplicate requests', String(made - limited - minimum), '0', made - limited - minimum === 0);
    row('live trace: 429s received', String(limited), '0', limited === 0);
    row(
      'live trace: wall time / (minimum requests ÷ rate)',
      `${(ms / 1000).toFixed(1)} s / ${(physical / 1000).toFixed(1)} s = ${(ms / physical).toFixed(3)}×`,
      '≤ 1.1×',
      ms / physical <= 1.1,
    );
    const before = server.stats().requests;
    const naive = await naiveCrawl(server.url, s, trace);
    row('naive sequential crawler: requests', `${naive.requests} (${server.stats().requests - before} at the server)`);
    row(
      'naive crawler time / fundflow time',
      `${(naive.ms / 1000).toFixed(1)} s / ${(ms / 1000).toFixed(1)} s = ${(naive.ms / ms).toFixed(2)}× faster`,
      '≥ 2×',
      naive.ms / ms >= 2,
    );
  } finally {
    await server.close();
  }
}

/** Runs a script of test/bench in a process of its own (with `flags`) and returns the JSON line it printed last. */
function runScript<T>(script: string, args: string[], flags: readonly string[] = []): T {
  const path = join(ROOT, 'test', 'bench', script);
  const out = execFileSync(process.execPath, [...flags, '--import', 'tsx', path, ...args], {
    encoding: 'utf8',
    cwd: ROOT,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

/** Records a 100k-transfer case, then replays it in a fresh process (replay-child.ts), as `fundflow replay` runs. */
async function replay(): Promise<void> {
  const size = quick ? 20_000 : 100_000;
  process.stderr.write(`replay: simulated scenario seed 1 size ${size}\n`);
  const dir = join(ROOT, 'test-output', 'bench', `replay-${size}`);
  // Recorded in a process of its own, as the replays run in theirs (see replay-record.ts).
  const recorded = runScript<{ transactions: number; generateMs: number }>('replay-record.ts', [String(size), dir]);
  row('generate scenario', `${recorded.transactions} transactions in ${(recorded.generateMs / 1000).toFixed(1)} s`);
  // Five fresh processes with the Node flags `fundflow replay` runs with, the median reported with the range: on a
  // shared machine one run can be a quarter off.
  const RUNS = 5;
  const runs = Array.from({ length: RUNS }, () =>
    runScript<{
      ms: number;
      loadMs: number;
      entries: number;
      megabytes: number;
      transfers: number;
      edges: number;
      heapAfter: number;
    }>('replay-child.ts', [dir], NODE_FLAGS),
  );
  const mid = (RUNS - 1) / 2;
  const r = [...runs].sort((a, b) => a.ms - b.ms)[mid]!;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const loads = runs.map((x) => x.loadMs).sort((a, b) => a - b);
  row(
    'replay: cassette',
    `${r.entries} entries, ${r.megabytes.toFixed(0)} MB, read and verified in ${seconds(loads[mid]!)} (median of ${RUNS})`,
  );
  row('replay: transfers read (inputs + outputs of traced transactions)', String(r.transfers));
  row('replay: tainted transfers followed', String(r.edges));
  const rate = (x: { ms: number }) => Math.round(r.transfers / (x.ms / 1000));
  const fastest = Math.min(...runs.map((x) => x.ms));
  const slowest = Math.max(...runs.map((x) => x.ms));
  row(
    `replay: transfers/s on one core (fresh process, median of ${RUNS})`,
    `${rate(r).toLocaleString('en-US')} (${seconds(r.ms)}; runs ${rate({ ms: slowest }).toLocaleString('en-US')}–${rate({ ms: fastest }).toLocaleString('en-US')})`,
    '≥ 50,000/s',
    rate(r) >= 50_000,
  );
  row('replay: heap in use after the trace (cassette included)', `${(r.heapAfter / 1e6).toFixed(0)} MB`);
}

/**
 * The bundled NEM case (fixtures/nem-2018-exchange-drain, simulated after the 2018 drain), which its issue wants
 * small enough to replay in under a second: the trace over its verified cassette, in this process, first run (the
 * code not yet compiled, as in `fundflow replay`) and second.
 */
async function nemCase(): Promise<void> {
  const dir = join(ROOT, 'fixtures', 'nem-2018-exchange-drain');
  const c = parseCaseFile(readFileSync(join(dir, 'case.json'), 'utf8'));
  const cassette = await loadCassette(join(dir, 'cassette'));
  const labels = new LabelRegistry();
  for (const p of [...builtinPackPaths(), join(dir, 'labels.csv')]) labels.addPack(await loadPackFile(p));
  const run = async () => {
    const t0 = performance.now();
    const trace = await traceForward({
      source: new NisSource({ baseUrl: c.source.endpoint, network: 'mainnet', transport: replaying(cassette) }),
      labels,
      params: caseTraceParams(c, DEFAULT_STOP_CATEGORIES),
    });
    return { ms: performance.now() - t0, transfers: trace.transfers.length };
  };
  const first = await run();
  const second = await run();
  row(
    `replay: NEM 2018 case (simulated, ${first.transfers} transfers), once its cassette is loaded`,
    `${first.ms.toFixed(0)} ms (second run ${second.ms.toFixed(0)} ms)`,
    '< 1 s',
    first.ms < 1000,
  );
}

if (only === undefined || only === 'live') await live();
if (only === undefined || only === 'replay') {
  await replay();
  await nemCase();
}
if (only === undefined || only === 'graph') {
  process.stderr.write('graph: build, layout and report on synthetic traces\n');
  // In a process of its own with the command's Node flags, as `fundflow export` and `fundflow report` run.
  const rows = runScript<GraphBenchRow[]>('graph-bench.ts', ['--json', ...(quick ? ['--quick'] : [])], NODE_FLAGS);
  for (const r of rows) row(r.name, r.value, r.target, r.ok);
}
if (only === undefined || only === 'viewer') {
  process.stderr.write('viewer: a 20k-node / 40k-edge trace in headless Chromium\n');
  for (const r of await viewerBenchRows(quick)) row(r.name, r.value, r.target, r.ok);
}

const w = [0, 0, 0];
for (const r of rows) {
  w[0] = Math.max(w[0]!, r.name.length);
  w[1] = Math.max(w[1]!, r.value.length);
  w[2] = Math.max(w[2]!, r.target.length);
}
const line = (a: string, b: string, c: string, d: string) =>
  `| ${a.padEnd(w[0]!)} | ${b.padEnd(w[1]!)} | ${c.padEnd(w[2]!)} | ${d.padEnd(4)} |`;
console.log(line('benchmark', 'measured', 'target', 'ok'));
console.log(line('-'.repeat(w[0]!), '-'.repeat(w[1]!), '-'.repeat(w[2]!), '----'));
for (const r of rows) console.log(line(r.name, r.value, r.target, r.ok === undefined ? '' : r.ok ? 'yes' : 'NO'));
