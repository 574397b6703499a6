/**
 * Records the real-node case `fixtures/evm-anvil-exchange-drain/`:
 *   pnpm tsx packages/evm/scripts/generate-evm-case.ts
 *
 * Starts anvil (npm @foundry-rs/anvil-linux-amd64) on a fixed loopback port, plays the exchange-drain scenario
 * (packages/evm/scripts/anvil-scenario.ts: contracts compiled by solc, deterministic keys, fees and block times), then
 * traces every asset from the victim's hot wallet through the real JsonRpcSource with recording on. The expected FIFO
 * cash-outs come from the scenario's own bookkeeping (FifoLedger, not the tracer); the script refuses to write the
 * case if the trace disagrees with it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  type TraceParams,
  traceForward,
} from '@fundflow/core';
import { builtinPackPaths, loadPackFile, writeCaseFolder } from '@fundflow/core/node';
import { JsonRpcSource } from '../src/index';
import { compareWithGroundTruth, expectedFromGroundTruth } from '../src/scenario/index';
import { startAnvil } from './anvil';
import { EVM_SCENARIO_ANVIL_OPTIONS, runEvmScenario, SCRIPT_PATH } from './anvil-scenario';

export const EVM_CASE_NAME = 'evm-anvil-exchange-drain';
/** A fixed port, so the recorded requests (keyed by URL) are the same on every run of this script. */
const PORT = 18545;
const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = join(root, 'fixtures', EVM_CASE_NAME);

/** The trace the case runs: every asset the victim's hot wallet lost in the theft window, three policies. */
export function evmCaseParams(victim: string, window: { since: number; until: number }): TraceParams {
  return {
    seeds: [victim],
    since: window.since,
    until: window.until,
    asset: 'all',
    policies: ['fifo', 'haircut', 'poison'] satisfies PolicyName[],
    stop: { maxHops: 20, minAmount: 0n, fanOutCap: 100, stopCategories: DEFAULT_STOP_CATEGORIES },
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const anvil = await startAnvil({ ...EVM_SCENARIO_ANVIL_OPTIONS, port: PORT });
  try {
    const truth = await runEvmScenario(anvil);
    // The same packs `fundflow replay` loads: the bundled ones and the case's own.
    const labels = new LabelRegistry();
    for (const path of builtinPackPaths()) labels.addPack(await loadPackFile(path));
    labels.addPack(parseCsvPack(truth.labelsCsv));

    const cassette = new Cassette();
    const transport = recording(http({ rateLimit: { requestsPerSecond: 500 } }), cassette);
    const source = new JsonRpcSource({ url: anvil.endpoint, chain: 'anvil', transport });
    const params = evmCaseParams(truth.roles.victimHotWallet, truth.theftWindow);
    const trace = await traceForward({ source, labels, params });

    const problems = compareWithGroundTruth(truth, trace);
    const internal = trace.transfers.filter((t) => t.kind === 'internal').length;
    if (internal === 0) problems.push('no internal transfer in the trace');
    if (problems.length > 0) throw new Error(`FIFO trace disagrees with the ground truth:\n  ${problems.join('\n  ')}`);

    const addresses = new Set<string>();
    for (const t of trace.transfers) addresses.add(t.from).add(t.to);
    const c: CaseFile = {
      format: 'fundflow.case/1',
      name: EVM_CASE_NAME,
      title: 'EVM exchange hot-wallet drain on anvil: ETH and two tokens, split, swapped, mixed, bridged, cashed out',
      description:
        'An exchange hot wallet loses 500 ETH, 1,000,000 SDOL (an ERC-20 with 6 decimals) and 25,000 ODD (an ERC-20 ' +
        'without decimals()) to an attacker, who deploys a disperser contract and splits the loot across 12 ' +
        'addresses. Three swap their SDOL for ETH in a constant-product pool (one swap reverts first), five deposit ' +
        '10-ETH lots into a fixed-denomination mixer, one locks ETH and SDOL in a bridge, the rest reaches a second ' +
        "exchange's deposit address (which sweeps to its hot wallet) and its forwarding deposit contract; one split " +
        `also receives clean ETH. ${truth.txs.length} transactions in ${truth.lastBlock} blocks; the trace reaches ` +
        `${addresses.size} addresses over ${trace.transfers.length} transfers (${internal} internal).`,
      provenance: {
        kind: 'recorded-node',
        statement: `recorded from ${anvil.version} through the JSON-RPC source, scenario ${SCRIPT_PATH}`,
        script: 'packages/evm/scripts/generate-evm-case.ts',
      },
      source: trace.sources[0]!,
      trace: {
        seeds: trace.params.seeds,
        ...(params.since !== undefined ? { since: params.since } : {}),
        ...(params.until !== undefined ? { until: params.until } : {}),
        asset: 'all',
        policies: trace.params.policies,
        maxHops: trace.params.maxHops,
        minAmount: trace.params.minAmount,
        fanOutCap: trace.params.fanOutCap,
      },
      labels: ['labels.csv'],
      cassette: 'cassette',
      expected: expectedFromGroundTruth(truth),
    };
    await writeCaseFolder(dir, { caseFile: c, cassette, trace, labelFiles: { 'labels.csv': truth.labelsCsv } });
    writeFileSync(join(dir, 'ground-truth.json'), `${canonicalJson(truth, 2)}\n`);
    process.stderr.write(
      `wrote ${dir}: ${cassette.size} cassette entries, ${trace.transfers.length} transfers, ` +
        `${Date.now() - started} ms\n`,
    );
  } finally {
    await anvil.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
