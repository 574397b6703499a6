/**
 * Records the simulated UTXO case `fixtures/sim-utxo-exchange-drain/`:
 *   pnpm tsx packages/sim/scripts/record-fixture.ts [--seed 7] [--size 300]
 *
 * A seeded scenario (hot-wallet drain → split → peel chains → merges → exchange deposits, with noise and dust) is
 * served by the Esplora-format server on 127.0.0.1:38291 and traced through the real Esplora source and HTTP
 * transport with recording on. The expected results come from the scenario's own ground truth (computed inside
 * @fundflow/sim, not by the tracer); the script refuses to write the case if the FIFO trace disagrees with it.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EsploraSource } from '@fundflow/bitcoin';
import {
  type CaseFile,
  Cassette,
  canonicalJson,
  DEFAULT_STOP_CATEGORIES,
  http,
  LabelRegistry,
  type PolicyName,
  parseCsvPack,
  recording,
  serializeCsvPack,
  serializeTrace,
  traceForward,
} from '@fundflow/core';
import { builtinPackPaths, loadPackFile, saveCassette } from '@fundflow/core/node';
import { generateScenario, startEsploraServer, type UtxoScenario } from '../src/index';

const { values } = parseArgs({
  options: { seed: { type: 'string', default: '7' }, size: { type: 'string', default: '300' } },
});
const seed = Number(values.seed);
const size = Number(values.size);
const NAME = 'sim-utxo-exchange-drain';
const PORT = 38291;
const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = join(root, 'fixtures', NAME);

const scenario = generateScenario({ seed, model: 'utxo', size }) as UtxoScenario;
const server = await startEsploraServer(scenario, { port: PORT });
try {
  const labelsText = serializeCsvPack({
    info: {
      name: `${NAME}-labels`,
      title: 'Simulated exchange and mixer addresses of the sim-utxo-exchange-drain case',
      source: `simulated by @fundflow/sim generateScenario(seed ${seed}, size ${size})`,
      asOf: scenario.asOf,
    },
    labels: scenario.labels,
  });
  // The same packs `fundflow replay` loads: the bundled ones (OFAC SDN) and the case's own.
  const labels = new LabelRegistry();
  for (const path of builtinPackPaths()) labels.addPack(await loadPackFile(path));
  labels.addPack(parseCsvPack(labelsText));

  const cassette = new Cassette();
  const source = new EsploraSource({
    baseUrl: server.url,
    network: 'regtest',
    transport: recording(http({ rateLimit: { requestsPerSecond: 500 } }), cassette),
  });
  const policies: PolicyName[] = ['fifo', 'haircut', 'poison'];
  const stop = { maxHops: 200, minAmount: 0n, fanOutCap: 1000, stopCategories: DEFAULT_STOP_CATEGORIES };
  const trace = await traceForward({
    source,
    labels,
    params: { seeds: [scenario.seedAddress], since: scenario.since, until: scenario.until, policies, stop },
  });

  // Expected results from the simulator's ground truth, per address.
  const truth = new Map<string, bigint>();
  const byReason: Record<string, bigint> = {};
  for (const g of scenario.groundTruth) {
    byReason[g.status] = (byReason[g.status] ?? 0n) + g.amount;
    if (g.status === 'cash-out') truth.set(g.address, (truth.get(g.address) ?? 0n) + g.amount);
  }
  const fifo = trace.results.fifo!.summary;
  const got = new Map(fifo.cashOuts.map((c) => [c.address, BigInt(c.amount)]));
  const problems: string[] = [];
  if (BigInt(fifo.stolen) !== scenario.stolenTotal) problems.push(`stolen ${fifo.stolen} ≠ ${scenario.stolenTotal}`);
  for (const [a, v] of truth) if (got.get(a) !== v) problems.push(`cash-out ${a}: traced ${got.get(a)} ≠ truth ${v}`);
  for (const [a, v] of got) if (!truth.has(a)) problems.push(`unexpected cash-out ${a} ${v}`);
  for (const [r, v] of Object.entries(byReason)) {
    if (BigInt(fifo.byReason[r] ?? '0') !== v) problems.push(`${r}: traced ${fifo.byReason[r] ?? 0} ≠ truth ${v}`);
  }
  if (problems.length > 0) throw new Error(`FIFO trace disagrees with the ground truth:\n  ${problems.join('\n  ')}`);

  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'labels.csv'), labelsText);
  await saveCassette(join(dir, 'cassette'), cassette);
  writeFileSync(join(dir, 'expected.trace.json'), serializeTrace(trace));
  const c: CaseFile = {
    format: 'fundflow.case/1',
    name: NAME,
    title: 'Simulated exchange hot-wallet drain on a Bitcoin regtest chain',
    description:
      `A simulated exchange hot wallet (${scenario.counts.hotWalletTxs} transactions) is drained in ` +
      `${scenario.counts.drains} transactions to attacker addresses; the loot is split into ${scenario.counts.branches} ` +
      `branches, peeled (${scenario.counts.peelSteps} peel steps), merged (${scenario.counts.merges} merges, ` +
      `${scenario.counts.mergesWithClean} with clean funds) and deposited at a labelled exchange ` +
      `(${scenario.counts.exchangeDeposits} deposits) and a mixer (${scenario.counts.mixerDeposits}), among ` +
      `${scenario.counts.noiseTxs} unrelated transactions. ${scenario.counts.transactions} transactions in all.`,
    provenance: {
      kind: 'simulated',
      statement:
        `simulated: generated by @fundflow/sim generateScenario(seed ${seed}, size ${size}), served by its ` +
        'Esplora-format server and recorded through the Esplora source and HTTP transport; no real chain data',
      script: 'packages/sim/scripts/record-fixture.ts',
    },
    source: { kind: 'esplora', chain: 'bitcoin', network: 'regtest', endpoint: server.url },
    trace: {
      seeds: [scenario.seedAddress],
      since: scenario.since,
      until: scenario.until,
      policies,
      maxHops: stop.maxHops,
      minAmount: '0',
      fanOutCap: stop.fanOutCap,
    },
    labels: ['labels.csv'],
    cassette: 'cassette',
    expected: {
      fifo: {
        stolen: scenario.stolenTotal.toString(),
        cashOuts: [...truth]
          .sort((a, b) => (a[0] < b[0] ? -1 : 1))
          .map(([address, v]) => ({ address, amount: v.toString() })),
        byReason: Object.fromEntries(Object.entries(byReason).map(([k, v]) => [k, v.toString()])),
      },
    },
  };
  writeFileSync(join(dir, 'case.json'), canonicalJson(c, 2) + '\n');
  console.error(
    `${NAME}: ${cassette.size} cassette entries, ${trace.results.fifo!.edges.length} fifo edges, ` +
      `${truth.size} cash-out addresses; FIFO matches the ground truth exactly`,
  );
} finally {
  await server.close();
}
