import { canonicalJson, isFundflowError, sha256Hex, type Transfer } from '@fundflow/core';
import { describe, expect, it } from 'vitest';
import { generateScenario } from './generate-scenario';
import type { UtxoScenario } from './scenario';
import { SimAccountSource, SimUtxoSource } from './sim-sources';

const utxo = generateScenario({ seed: 11, model: 'utxo', size: 2000 });
const account = generateScenario({ seed: 11, model: 'account', size: 2000 });

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return isFundflowError(e) ? e.code : `not a FundflowError: ${String(e)}`;
  }
  return undefined;
}

/** Every txid touching `address`, newest first, straight from the scenario. */
function expectedHistory(s: UtxoScenario, address: string): string[] {
  return s.transactions
    .filter(
      (tx) => tx.vout.some((o) => o.address === address) || tx.vin.some((i) => !i.coinbase && i.address === address),
    )
    .map((tx) => tx.txid)
    .reverse();
}

describe('SimUtxoSource', () => {
  const source = new SimUtxoSource(utxo);

  it('describes itself', () => {
    expect(source.info).toEqual({
      chain: 'bitcoin',
      kind: 'sim',
      endpoint: 'sim://seed/11/size/2000',
      network: 'regtest',
    });
    expect(source.model).toBe('utxo');
    expect(source.nativeAsset).toEqual({ chain: 'bitcoin', symbol: 'BTC', decimals: 8 });
  });

  it('pages an address history newest first, 25 at a time, each transaction exactly once', async () => {
    for (const address of [utxo.seedAddress, ...utxo.attackerAddresses]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await source.getAddressHistory(address, cursor);
        expect(page.txids.length).toBeLessThanOrEqual(25);
        if (page.next !== undefined) expect(page.txids.length).toBe(25);
        seen.push(...page.txids);
        cursor = page.next;
        pages++;
      } while (cursor !== undefined);
      expect(seen).toEqual(expectedHistory(utxo, address));
      expect(new Set(seen).size).toBe(seen.length);
      if (address === utxo.seedAddress) expect(pages).toBeGreaterThan(3);
    }
  });

  it('returns transactions with resolved inputs and evidence', async () => {
    const drain = await source.getTransaction(utxo.drainIds[0] as string);
    const inSum = drain.inputs.reduce((a, i) => a + i.value, 0n);
    const outSum = drain.outputs.reduce((a, o) => a + o.value, 0n);
    expect(inSum).toBe(outSum + drain.fee);
    expect(drain.inputs.every((i) => i.address === utxo.seedAddress && !i.coinbase)).toBe(true);
    expect(drain.outputs.some((o) => o.address === utxo.attackerAddresses[0])).toBe(true);
    expect(drain.time).toBeGreaterThanOrEqual(utxo.since);
    const { evidence, ...served } = drain;
    expect(evidence).toEqual([sha256Hex(canonicalJson(served))]);

    const coinbase = await source.getTransaction(utxo.transactions[0]?.txid as string);
    expect(coinbase.inputs).toEqual([{ value: coinbase.outputs.reduce((a, o) => a + o.value, 0n), coinbase: true }]);
    expect(coinbase.outputs[1]).toMatchObject({ scriptType: 'op_return', hasAddress: false, value: 0n });
    expect(coinbase.outputs[1]?.address).toMatch(/^script:op_return:[0-9a-f]{32}$/);
  });

  it('gives the spender of every output with its height', async () => {
    const drain = utxo.drainIds[1] as string;
    const outspends = await source.getOutspends(drain);
    const tx = utxo.transactions.find((t) => t.txid === drain);
    expect(outspends.length).toBe(tx?.vout.length);
    for (const [vout, o] of outspends.entries()) {
      if (!o.spent) continue;
      const spender = utxo.transactions.find((t) => t.txid === o.txid);
      expect(spender?.vin[o.vin]).toMatchObject({ txid: drain, vout });
      expect(o.height).toBe(spender?.height);
    }
    expect(outspends.some((o) => o.spent)).toBe(true);
  });

  it('throws NOT_FOUND for unknown transactions and INVALID_ARGUMENT for malformed ids or cursors', async () => {
    expect(await codeOf(source.getTransaction('ab'.repeat(32)))).toBe('NOT_FOUND');
    expect(await codeOf(source.getOutspends('ab'.repeat(32)))).toBe('NOT_FOUND');
    expect(await codeOf(source.getTransaction('xyz'))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(source.getAddressHistory(utxo.seedAddress, 'ab'.repeat(32)))).toBe('INVALID_ARGUMENT');
  });

  it('normalizes regtest addresses and rejects everything else with INVALID_ADDRESS', async () => {
    expect(source.normalizeAddress(utxo.seedAddress.toUpperCase())).toBe(utxo.seedAddress);
    const broken = `${utxo.seedAddress.slice(0, -1)}${utxo.seedAddress.endsWith('q') ? 'p' : 'q'}`;
    for (const bad of [
      'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
      'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
      broken,
      'garbage',
      '',
      '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2',
    ]) {
      expect(await codeOf(() => source.normalizeAddress(bad)), bad).toBe('INVALID_ADDRESS');
    }
    expect(await codeOf(source.getAddressHistory('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'))).toBe(
      'INVALID_ADDRESS',
    );
  });
});

describe('SimAccountSource', () => {
  const source = new SimAccountSource(account);

  async function all(query: Parameters<SimAccountSource['getTransfers']>[0], from = source): Promise<Transfer[]> {
    const out: Transfer[] = [];
    let cursor: string | undefined;
    do {
      const page = await from.getTransfers(cursor === undefined ? query : { ...query, cursor });
      expect(page.transfers.length).toBeLessThanOrEqual(100);
      if (page.next !== undefined) expect(page.transfers.length).toBe(100);
      out.push(...page.transfers);
      cursor = page.next;
    } while (cursor !== undefined);
    return out;
  }

  it('describes itself', () => {
    expect(source.info).toEqual({ chain: 'sim-account', kind: 'sim', endpoint: 'sim://seed/11/size/2000' });
    expect(source.nativeAsset).toEqual({ chain: 'sim-account', symbol: 'SIM', decimals: 18 });
  });

  it('pages transfers 100 at a time, covering each exactly once', async () => {
    const larger = generateScenario({ seed: 12, model: 'account', size: 6000 });
    const paged = new SimAccountSource(larger);
    const receiver = larger.labels.find((l) => l.category === 'mixer')?.address as string;
    for (const address of [larger.seedAddress, receiver]) {
      for (const direction of ['in', 'out'] as const) {
        const got = await all({ address, direction }, paged);
        const want = larger.transfers.filter((t) => (direction === 'in' ? t.to : t.from) === address).map((t) => t.id);
        // A genesis allocation shows as the first incoming transfer, so the history explains the whole balance.
        const funded = direction === 'in' && larger.genesis.some((g) => g.address === address);
        expect(got.map((t) => t.id)).toEqual(funded ? [`genesis:${address}`, ...want] : want);
        expect(new Set(got.map((t) => t.id)).size).toBe(got.length);
      }
    }
    expect((await all({ address: larger.seedAddress, direction: 'in' }, paged)).length).toBeGreaterThan(200);
  });

  it('filters by the inclusive time window: the seed window is exactly the drain', async () => {
    const drain = await all({
      address: account.seedAddress,
      direction: 'out',
      since: account.since,
      until: account.until,
    });
    expect(drain.map((t) => t.id)).toEqual(account.drainIds);
    const t = drain[0] as Transfer;
    expect(t).toMatchObject({ kind: 'native', asset: account.nativeAsset, from: account.seedAddress });
    expect(t.fee).toBeGreaterThan(0n);
    const { evidence, ...served } = t;
    expect(evidence).toEqual([sha256Hex(canonicalJson(served))]);
    expect(await all({ address: account.seedAddress, direction: 'out', since: account.endTime + 1 })).toEqual([]);
  });

  it('rejects bad addresses, directions and cursors', async () => {
    expect(source.normalizeAddress(account.seedAddress.toUpperCase().replace('0X', '0x'))).toBe(account.seedAddress);
    for (const bad of ['0x1234', `${account.seedAddress}00`, 'garbage', account.seedAddress.slice(2)]) {
      expect(await codeOf(() => source.normalizeAddress(bad)), bad).toBe('INVALID_ADDRESS');
    }
    const q = { address: account.seedAddress, direction: 'in' as const };
    expect(await codeOf(source.getTransfers({ ...q, cursor: 'nope' }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(source.getTransfers({ ...q, cursor: '999999' }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(source.getTransfers({ ...q, direction: 'both' as 'in' }))).toBe('INVALID_ARGUMENT');
  });
});
