/**
 * A trace as a script: the library is the product too.
 *
 *   pnpm tsx packages/core/examples/trace-a-case.ts [out.trace.json]
 *
 * It traces the bundled simulated case offline (its cassette answers every request), with a FIFO and a haircut
 * policy, a hop limit, a dust floor, the case's exchange labels plus the bundled OFAC pack, and writes a
 * fundflow.trace/1 file. For a live trace, swap `replaying(...)` for `http({ rateLimit: { requestsPerSecond: 4 } })`
 * and the base URL for a public Esplora (https://blockstream.info/api).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EsploraSource } from '@fundflow/bitcoin';
import {
  DEFAULT_STOP_CATEGORIES,
  LabelRegistry,
  parseCaseFile,
  replaying,
  serializeTrace,
  traceForward,
} from '@fundflow/core';
import { builtinPackPaths, loadCassette, loadPackFile } from '@fundflow/core/node';

const caseDir = fileURLToPath(new URL('../../../fixtures/sim-utxo-exchange-drain/', import.meta.url));
const caseFile = parseCaseFile(await import('node:fs').then((fs) => fs.readFileSync(`${caseDir}case.json`, 'utf8')));

// 1. A source: Esplora's API, answered offline from the recorded cassette.
const transport = replaying(await loadCassette(`${caseDir}cassette`));
const source = new EsploraSource({ baseUrl: caseFile.source.endpoint, network: 'regtest', transport });

// 2. Labels with provenance: the bundled OFAC SDN pack and the case's own exchange labels.
const labels = new LabelRegistry();
for (const path of [...builtinPackPaths(), ...caseFile.labels.map((l) => `${caseDir}${l}`)]) {
  labels.addPack(await loadPackFile(path));
}

// 3. Trace: from the hot wallet, inside the theft window, under two policies, with stop rules.
const trace = await traceForward({
  source,
  labels,
  params: {
    seeds: caseFile.trace.seeds,
    ...(caseFile.trace.since !== undefined ? { since: caseFile.trace.since } : {}),
    ...(caseFile.trace.until !== undefined ? { until: caseFile.trace.until } : {}),
    policies: ['fifo', 'haircut'],
    stop: { maxHops: 40, minAmount: 1_000n, fanOutCap: 100, stopCategories: DEFAULT_STOP_CATEGORIES },
  },
  onProgress: (p) => process.stderr.write(`\r${p.policy}: ${p.processed} transactions, ${p.edges} tainted outputs`),
});
process.stderr.write('\n');

// 4. Where did the money go? Per policy, the cash-out points with exact amounts (satoshi, bigint-safe strings).
for (const [policy, result] of Object.entries(trace.results)) {
  for (const c of result?.summary.cashOuts ?? []) console.error(`${policy}\t${c.label}\t${c.address}\t${c.amount} sat`);
}

const out = process.argv[2];
if (out) writeFileSync(out, serializeTrace(trace));
else process.stdout.write(serializeTrace(trace));
