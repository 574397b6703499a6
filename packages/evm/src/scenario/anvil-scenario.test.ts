import { parseCsvPack } from '@fundflow/core';
import { Interface } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Anvil, hasAnvil, startAnvil } from '../../scripts/anvil';
import { EVM_SCENARIO_ANVIL_OPTIONS, runEvmScenario } from '../../scripts/anvil-scenario';
import type { AssetAmounts, EvmGroundTruth } from './ground-truth';

const ETH = 10n ** 18n;
const erc20 = new Interface([
  'function balanceOf(address) view returns (uint256)',
  'function decimals() view returns (uint8)',
]);

const sum = (m: AssetAmounts | undefined, asset: string) => BigInt(m?.[asset] ?? '0');

describe.skipIf(!hasAnvil())('anvil exchange-drain scenario', { timeout: 60_000 }, () => {
  const nodes: Anvil[] = [];
  let first: EvmGroundTruth;
  let second: EvmGroundTruth;
  let node: Anvil;

  beforeAll(async () => {
    nodes.push(await startAnvil(EVM_SCENARIO_ANVIL_OPTIONS), await startAnvil(EVM_SCENARIO_ANVIL_OPTIONS));
    node = nodes[0]!;
    first = await runEvmScenario(nodes[0]!);
    second = await runEvmScenario(nodes[1]!);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
  });

  it('is deterministic: two fresh nodes give the same transactions and the same ground truth', () => {
    expect(second.txs.map((t) => t.hash)).toEqual(first.txs.map((t) => t.hash));
    expect(second).toEqual(first);
  });

  it('agrees with the balances on chain', async () => {
    const tokenOf: Record<string, string> = { SDOL: first.contracts.token, ODD: first.contracts.oddToken };
    let checked = 0;
    for (const [address, byAsset] of Object.entries(first.balances)) {
      for (const [asset, amount] of Object.entries(byAsset)) {
        const onChain =
          asset === 'ETH'
            ? await node.rpc<string>('eth_getBalance', [address, 'latest'])
            : await node.rpc<string>('eth_call', [
                { to: tokenOf[asset], data: erc20.encodeFunctionData('balanceOf', [address]) },
                'latest',
              ]);
        expect(BigInt(onChain), `${address} ${asset}`).toBe(BigInt(amount));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
    // Every mixer recipient got exactly one lot.
    for (const w of first.mixerWithdrawals) expect(first.balances[w.recipient]?.ETH).toBe((10n * ETH).toString());
  });

  it('states the story in numbers, and the bookkeeping balances per asset', () => {
    const f = first.fifo;
    expect(f.stolen).toEqual({ ETH: (500n * ETH).toString(), SDOL: '1000000000000', ODD: (25_000n * ETH).toString() });
    expect(f.reached.mixer).toEqual({ ETH: (140n * ETH).toString() });
    expect(f.reached.bridge).toEqual({ ETH: (79n * ETH).toString(), SDOL: '200000000000' });
    expect(f.reached.service).toEqual({ SDOL: '300000000000' });
    expect(f.reached.exchange?.SDOL).toBe('500000000000');
    expect(f.reached.exchange?.ODD).toBe((25_000n * ETH).toString());
    expect(f.exchangeDeposits.ETH).toBe(((3897n * ETH) / 10n).toString());
    // The deposit address's sweep fees came out of stolen ETH: the hot wallet got a little less.
    expect(sum(f.reached.exchange, 'ETH')).toBeLessThan(sum(f.exchangeDeposits, 'ETH'));
    for (const asset of ['ETH', 'SDOL', 'ODD']) {
      const inflow = sum(f.stolen, asset) + sum(f.swappedOut, asset);
      const reached = Object.values(f.reached).reduce((s, m) => s + sum(m, asset), 0n);
      const left = Object.values(f.remaining).reduce((s, m) => s + sum(m, asset), 0n);
      expect(reached + sum(f.fees, asset) + left, asset).toBe(inflow);
    }
    // Swaps of wholly stolen SDOL carry all their ETH on.
    expect(first.swaps).toHaveLength(3);
    for (const s of first.swaps) expect(s.stolenEthOut).toBe(s.ethOut);
    expect(first.roles.splits.length).toBeGreaterThanOrEqual(10);
  });

  it('has a theft window around exactly the drains', () => {
    const { since, until } = first.theftWindow;
    const inWindow = first.txs.filter(
      (t) => t.time >= since && t.time <= until && t.from === first.roles.victimHotWallet,
    );
    expect(inWindow.map((t) => t.hash)).toEqual(first.probes.drains);
    expect(first.txs.filter((t) => t.from === first.roles.victimHotWallet && t.time < since).length).toBeGreaterThan(0);
  });

  it('has the edge cases on chain: a revert, a creation by a traced address, a token without decimals()', async () => {
    const reverted = await node.rpc<{ status: string; logs: unknown[]; gasUsed: string }>('eth_getTransactionReceipt', [
      first.probes.reverted,
    ]);
    expect(reverted.status).toBe('0x0');
    expect(reverted.logs).toEqual([]);
    expect(first.txs.find((t) => t.hash === first.probes.reverted)?.fee).toBe(
      (BigInt(reverted.gasUsed) * BigInt(first.gasPrice)).toString(),
    );
    const creation = await node.rpc<{ contractAddress: string; from: string }>('eth_getTransactionReceipt', [
      first.probes.contractCreation,
    ]);
    expect(creation.contractAddress.toLowerCase()).toBe(first.contracts.disperser.toLowerCase());
    expect(creation.from.toLowerCase()).toBe(first.roles.attacker.toLowerCase());
    const decimals = (to: string) =>
      node.rpc<string>('eth_call', [{ to, data: erc20.encodeFunctionData('decimals', []) }, 'latest']);
    expect(BigInt(await decimals(first.contracts.token))).toBe(6n);
    await expect(decimals(first.contracts.oddToken)).rejects.toThrow(/revert/i);
  });

  it('writes labels that parse as a fundflow CSV pack', () => {
    const pack = parseCsvPack(first.labelsCsv);
    expect(pack.labels.map((l) => l.category).sort()).toEqual([
      'attacker',
      'bridge',
      'exchange',
      'mixer',
      'service',
      'victim',
    ]);
    expect(pack.labels.find((l) => l.category === 'exchange')?.address).toBe(first.roles.exchangeHotWallet);
  });
});
