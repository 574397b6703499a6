/**
 * The replay row's recording, in a process of its own (run.ts starts it before the replay processes): generates the
 * simulated scenario, records a trace of it through the real Esplora source against an in-process Esplora, and writes
 * the cassette, the label pack and the trace parameters to a folder; prints one JSON line. In a process of its own
 * so that the replay processes that follow share the machine with nothing: a benchmark process still holding the
 * scenario and the recording (gigabytes of heap for its garbage collector threads to sweep) took a core from them.
 *
 *   tsx test/bench/replay-record.ts <size> <folder>
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { EsploraSource } from '@fundflow/bitcoin';
import {
  Cassette,
  DEFAULT_STOP_CATEGORIES,
  recording,
  serializeCsvPack,
  sha256Hex,
  type Transport,
  traceForward,
} from '@fundflow/core';
import {
  esploraAnswer,
  generateScenario,
  scenarioLabelPack,
  scenarioLabels,
  scenarioParams,
  type UtxoScenario,
} from '@fundflow/sim';

const [sizeArg, dir] = process.argv.slice(2);
const size = Number(sizeArg);
if (dir === undefined || !Number.isSafeInteger(size) || size <= 0) {
  throw new Error('usage: replay-record.ts <size> <folder>');
}

/** In-process Esplora: the simulated server's answers without a socket (for recording big cassettes). */
function inProcessEsplora(s: UtxoScenario, base: string): Transport {
  let sent = 0;
  return {
    async request(req) {
      sent++;
      const a = esploraAnswer(s, req.method, req.url.slice(base.length));
      const ok = a.status >= 200 && a.status < 300;
      return {
        status: a.status,
        headers: { 'content-type': a.contentType },
        body: a.body,
        sha256: sha256Hex(a.body),
        ...(ok && req.expect !== 'text' ? { json: JSON.parse(a.body) } : {}),
      };
    },
    stats: () => ({ sent, retries: 0, rateLimited: 0, cacheHits: 0, dedupeHits: 0 }),
  };
}

const g0 = performance.now();
const s = generateScenario({ seed: 1, model: 'utxo', size }) as UtxoScenario;
const generateMs = performance.now() - g0;
const base = 'http://sim.invalid';
const cassette = new Cassette();
const stop = { maxHops: 10_000, minAmount: 0n, fanOutCap: 100_000, stopCategories: DEFAULT_STOP_CATEGORIES };
const params = scenarioParams(s, ['fifo'], stop);
await traceForward({
  source: new EsploraSource({
    baseUrl: base,
    network: 'regtest',
    transport: recording(inProcessEsplora(s, base), cassette),
  }),
  labels: scenarioLabels(s),
  params,
});
const files = cassette.serialize();
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'cassette.json'), files.cassette);
writeFileSync(join(dir, 'manifest.json'), files.manifest);
writeFileSync(join(dir, 'labels.csv'), serializeCsvPack(scenarioLabelPack(s)));
const runParams = { ...params, stop: { ...params.stop, minAmount: params.stop.minAmount.toString() } };
writeFileSync(join(dir, 'run.json'), JSON.stringify({ base, params: runParams }));
console.log(JSON.stringify({ transactions: s.counts.transactions, generateMs }));
