import { canonicalJson, isFundflowError } from '@fundflow/core';
import { describe, expect, it } from 'vitest';
import { decodeSegwitAddress } from './bech32';
import { computeTxid, txSizes } from './bitcoin-tx';
import { generateScenario } from './generate-scenario';
import type { AccountScenario, Scenario, SimUtxoTx, UtxoScenario } from './scenario';

const utxo = (seed: number, size: number): UtxoScenario => generateScenario({ seed, model: 'utxo', size });
const account = (seed: number, size: number): AccountScenario => generateScenario({ seed, model: 'account', size });

/** Every structural rule of a simulated UTXO chain; returns the number of checked spends. */
function checkUtxoInvariants(s: UtxoScenario): number {
  const outputs = new Map<string, { address: string | null; value: bigint; height: number; coinbase: boolean }>();
  const spent = new Set<string>();
  let spends = 0;
  let prevHeight = 0;
  let prevTime = 0;
  let blockFees = 0n;
  for (const [i, b] of s.blocks.entries()) {
    expect(b.height).toBe(i + 1);
    expect(b.hash).toMatch(/^[0-9a-f]{64}$/);
    if (i > 0) expect(b.time).toBeGreaterThan((s.blocks[i - 1] as { time: number }).time);
  }
  const blockTime = new Map(s.blocks.map((b) => [b.height, b.time]));
  s.transactions.forEach((tx: SimUtxoTx, position) => {
    expect(tx.txid).toMatch(/^[0-9a-f]{64}$/);
    expect(computeTxid(tx)).toBe(tx.txid);
    const sizes = txSizes(tx);
    expect([tx.size, tx.weight]).toEqual([sizes.size, sizes.weight]);
    expect(tx.height).toBeGreaterThanOrEqual(prevHeight);
    expect(tx.time).toBe(blockTime.get(tx.height));
    if (tx.height !== prevHeight) blockFees = 0n;
    prevHeight = tx.height;
    expect(tx.time).toBeGreaterThanOrEqual(prevTime);
    prevTime = tx.time;
    const coinbase = tx.vin[0]?.coinbase === true;
    // A block's coinbase comes first (the previous transaction belongs to an earlier block).
    const previous = s.transactions[position - 1];
    expect(coinbase).toBe(previous === undefined || previous.height < tx.height);
    let inSum = 0n;
    for (const input of tx.vin) {
      if (input.coinbase) {
        expect(coinbase && tx.vin.length === 1).toBe(true);
        continue;
      }
      const key = `${input.txid}:${input.vout}`;
      const prev = outputs.get(key);
      expect(prev, `input ${key} spends an earlier output`).toBeDefined();
      expect(spent.has(key), `double spend of ${key}`).toBe(false);
      spent.add(key);
      spends++;
      expect([input.address, input.value]).toEqual([prev?.address, prev?.value]);
      expect(tx.height).toBeGreaterThanOrEqual(prev?.height ?? Number.POSITIVE_INFINITY);
      if (prev?.coinbase) expect(tx.height - prev.height).toBeGreaterThanOrEqual(100);
      inSum += input.value;
    }
    const outSum = tx.vout.reduce((a, o) => a + o.value, 0n);
    if (coinbase) {
      expect(tx.fee).toBe(0n);
      const subsidy = 5_000_000_000n >> BigInt(Math.floor(tx.height / 150));
      // Fees of the block's other transactions are added by the time the next block starts: check at the end.
      expect(outSum).toBeGreaterThanOrEqual(subsidy);
    } else {
      expect(tx.fee).toBeGreaterThan(0n);
      expect(inSum).toBe(outSum + tx.fee);
      blockFees += tx.fee;
    }
    tx.vout.forEach((o, vout) => {
      if (o.address !== null) {
        const d = decodeSegwitAddress(o.address);
        expect(d?.hrp).toBe('bcrt');
        expect(d?.version).toBe(0);
        expect(o.scriptpubkey).toBe(`0014${Buffer.from(d?.program ?? []).toString('hex')}`);
        expect(o.type).toBe('v0_p2wpkh');
        // Above the dust threshold (coinbases excepted: late regtest subsidies are tiny).
        if (!coinbase) expect(o.value).toBeGreaterThanOrEqual(294n);
      } else {
        expect([o.type, o.value, coinbase]).toEqual(['op_return', 0n, true]);
      }
      outputs.set(`${tx.txid}:${vout}`, { address: o.address, value: o.value, height: tx.height, coinbase });
    });
  });
  expect(blockFees).toBeGreaterThanOrEqual(0n);
  return spends;
}

function checkAccountInvariants(s: AccountScenario): void {
  const balance = new Map<string, bigint>();
  for (const g of s.genesis) balance.set(g.address, (balance.get(g.address) ?? 0n) + g.amount);
  const senders = new Map<number, Set<string>>();
  const receivers = new Map<number, Set<string>>();
  let prev = 0;
  for (const t of s.transfers) {
    expect(t.id).toBe(`${t.txid}:native`);
    expect(t.txid).toMatch(/^0x[0-9a-f]{64}$/);
    expect(t.from).toMatch(/^0x[0-9a-f]{40}$/);
    expect(t.to).toMatch(/^0x[0-9a-f]{40}$/);
    expect(t.amount).toBeGreaterThan(0n);
    expect(t.fee).toBeGreaterThan(0n);
    expect(t.time).toBeGreaterThanOrEqual(prev);
    prev = t.time;
    const left = (balance.get(t.from) ?? 0n) - t.amount - t.fee;
    expect(left, `overdraft at ${t.from} in ${t.id}`).toBeGreaterThanOrEqual(0n);
    balance.set(t.from, left);
    balance.set(t.to, (balance.get(t.to) ?? 0n) + t.amount);
    const sent = senders.get(t.height) ?? new Set<string>();
    const got = receivers.get(t.height) ?? new Set<string>();
    // Within a block an address sends or receives, never both: same-time order cannot change whose funds moved.
    expect(got.has(t.from) || sent.has(t.to)).toBe(false);
    sent.add(t.from);
    got.add(t.to);
    senders.set(t.height, sent);
    receivers.set(t.height, got);
  }
}

/** The seed window selects exactly the drain: the hot wallet's outgoing moves in [since, until]. */
function drainInWindow(s: Scenario): string[] {
  if (s.model === 'account') {
    return s.transfers
      .filter((t) => t.from === s.seedAddress && t.time >= s.since && t.time <= s.until)
      .map((t) => t.id);
  }
  return s.transactions
    .filter((tx) => tx.time >= s.since && tx.time <= s.until)
    .filter((tx) => tx.vin.some((i) => !i.coinbase && i.address === s.seedAddress))
    .map((tx) => tx.txid);
}

function checkGroundTruth(s: Scenario): void {
  expect(s.groundTruth.reduce((a, e) => a + e.amount, 0n)).toBe(s.stolenTotal);
  expect(s.stolenTotal).toBeGreaterThan(0n);
  const exchange = s.groundTruth.filter((e) => e.status === 'cash-out' && e.label?.category === 'exchange');
  expect(exchange.length).toBeGreaterThan(0);
  for (const e of exchange) expect(s.labels).toContainEqual(e.label);
  expect(s.groundTruth.some((e) => e.status === 'unspent')).toBe(true);
  expect(s.groundTruth.some((e) => e.status === 'fee')).toBe(true);
  for (const e of s.groundTruth) expect(e.amount).toBeGreaterThan(0n);
}

describe('generateScenario', () => {
  it('is a pure function of its options; another seed gives another scenario', () => {
    for (const model of ['utxo', 'account'] as const) {
      const a = canonicalJson(generateScenario({ seed: 42, model, size: 2000 }));
      const b = canonicalJson(generateScenario({ seed: 42, model, size: 2000 }));
      const c = canonicalJson(generateScenario({ seed: 43, model, size: 2000 }));
      expect(a === b).toBe(true);
      expect(a === c).toBe(false);
      expect(a).toContain('"simulated":true');
    }
  });

  it.each([10, 2000])('builds a consistent UTXO chain at size %i', (size) => {
    const s = utxo(3, size);
    const spends = checkUtxoInvariants(s);
    expect(spends).toBeGreaterThan(size * 0.8);
    expect(drainInWindow(s)).toEqual(s.drainIds);
    checkGroundTruth(s);
    expect(s.counts.transactions - s.counts.coinbases).toBeGreaterThanOrEqual(size * 0.8);
    expect(s.counts.transactions - s.counts.coinbases).toBeLessThanOrEqual(size * 3 + 30);
    // The hot wallet is one address holding many coins.
    expect(s.counts.hotWalletTxs).toBeGreaterThan(8);
    console.log(`utxo size ${size}:`, JSON.stringify(s.counts));
  });

  it.each([10, 2000])('builds a consistent account chain at size %i', (size) => {
    const s = account(3, size);
    checkAccountInvariants(s);
    expect(drainInWindow(s)).toEqual(s.drainIds);
    checkGroundTruth(s);
    expect(s.transfers.length).toBeGreaterThanOrEqual(size * 0.8);
    expect(s.transfers.length).toBeLessThanOrEqual(size * 3 + 30);
    console.log(`account size ${size}:`, JSON.stringify(s.counts));
  });

  it.each([1, 2, 3, 4, 5, 6])('has cash-outs, unspent value and fees in its ground truth (seed %i)', (seed) => {
    checkGroundTruth(utxo(seed, 300));
    checkGroundTruth(account(seed, 300));
  });

  it('has the story it describes', () => {
    const s = utxo(5, 2000);
    const c = s.counts;
    expect(c.drains).toBe(3);
    expect(c.branches).toBeGreaterThanOrEqual(5);
    expect(c.peelSteps).toBeGreaterThan(c.branches);
    expect(c.merges).toBeGreaterThan(0);
    expect(c.mergesWithClean).toBeGreaterThan(0);
    expect(c.mixerDeposits).toBeGreaterThan(0);
    expect(c.dustOutputs).toBeGreaterThan(0);
    expect(s.groundTruth.some((e) => e.status === 'cash-out' && e.label?.category === 'mixer')).toBe(true);
    expect(s.labels.filter((l) => l.category === 'exchange').length).toBeGreaterThanOrEqual(4);
    expect(s.labels.every((l) => l.pack === 'sim' && l.source === 'simulated' && l.asOf === s.asOf)).toBe(true);
    expect(s.describe()).toMatch(/^SIMULATED utxo scenario/);
    expect(s.describe()).toContain(s.seedAddress);
    // Attackers send from the drain onwards only.
    expect(s.since).toBeLessThanOrEqual(s.until);
    expect(s.until).toBeLessThan(s.endTime);
  });

  it('rejects bad options with INVALID_ARGUMENT', () => {
    const bad = [
      { seed: 1.5, model: 'utxo', size: 100 },
      { seed: 1, model: 'dag', size: 100 },
      { seed: 1, model: 'utxo', size: 9 },
      { seed: 1, model: 'utxo', size: 100_001 },
      { seed: 1, model: 'utxo', size: 100, noise: 0.95 },
    ];
    for (const options of bad) {
      let error: unknown;
      try {
        generateScenario(options as Parameters<typeof generateScenario>[0]);
      } catch (e) {
        error = e;
      }
      expect(isFundflowError(error, 'INVALID_ARGUMENT'), JSON.stringify(options)).toBe(true);
    }
  });

  it('generates 100k-transfer scenarios', { timeout: 120_000 }, () => {
    for (const model of ['utxo', 'account'] as const) {
      const started = performance.now();
      const s = generateScenario({ seed: 1, model, size: 100_000 });
      const ms = Math.round(performance.now() - started);
      console.log(`${model} size 100000 generated in ${ms} ms:`, JSON.stringify(s.counts));
      expect(s.counts.transactions).toBeGreaterThan(90_000);
      expect(s.groundTruth.reduce((a, e) => a + e.amount, 0n)).toBe(s.stolenTotal);
    }
  });
});
