import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareWithGroundTruth, type EvmGroundTruth } from '@fundflow/evm/scenario';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Anvil, hasAnvil, startAnvil } from '../../packages/evm/scripts/anvil';
import { EVM_SCENARIO_ANVIL_OPTIONS, runEvmScenario } from '../../packages/evm/scripts/anvil-scenario';
import { runCli } from '../helpers';

// Real node: anvil from the npm package @foundry-rs/anvil-linux-amd64 (pnpm install brings it). Skip loudly without.
const available = hasAnvil();
if (!available) console.warn('skipping the live anvil tests: @foundry-rs/anvil-linux-amd64 is not installed');

describe.skipIf(!available)('live trace against anvil through the JSON-RPC source', () => {
  let anvil: Anvil;
  let truth: EvmGroundTruth;

  beforeAll(async () => {
    anvil = await startAnvil(EVM_SCENARIO_ANVIL_OPTIONS);
    truth = await runEvmScenario(anvil);
  }, 120_000);

  afterAll(async () => {
    await anvil?.stop();
  });

  it('fundflow trace anvil reaches the mixer, bridge and exchange with the exact FIFO amounts per asset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ff-evm-live-'));
    writeFileSync(join(dir, 'labels.csv'), truth.labelsCsv);
    const out = join(dir, 'live.trace.json');
    const r = await runCli([
      'trace',
      'anvil',
      truth.roles.victimHotWallet.toLowerCase(),
      '--endpoint',
      anvil.endpoint,
      '--since',
      String(truth.theftWindow.since),
      '--until',
      String(truth.theftWindow.until),
      '--asset',
      'all',
      '--labels',
      join(dir, 'labels.csv'),
      '--rps',
      '200',
      '--no-progress',
      '-o',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const trace = JSON.parse(readFileSync(out, 'utf8'));
    expect(trace.sources[0].kind).toBe('jsonrpc:trace_filter+debug_trace');
    expect(compareWithGroundTruth(truth, trace)).toEqual([]);
    // Internal transfers found: the disperser's payouts, the pool's ETH back to swappers, the forwarder's hand-on.
    const internal = trace.transfers.filter((t: { kind: string }) => t.kind === 'internal');
    const froms = new Set(internal.map((t: { from: string }) => t.from));
    for (const c of [truth.contracts.disperser, truth.contracts.pool, truth.contracts.forwarder]) {
      expect(froms.has(c), `internal transfer from ${c}`).toBe(true);
    }
    // The reverted swap moved nothing but its fee is in the ledger: its tx has no value transfer in the trace.
    expect(
      trace.transfers.some(
        (t: { txid: string; amount: string }) => t.txid === truth.probes.reverted && t.amount !== '0',
      ),
    ).toBe(false);
  }, 120_000);
});
