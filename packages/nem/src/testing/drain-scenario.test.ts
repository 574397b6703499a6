import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCsvPack } from '@fundflow/core';
import { describe, expect, it } from 'vitest';
import { addressFromPublicKey, normalizeNemAddress } from '../address';
import { nemTimeToUnix } from '../nem-time';
import { generateDrainScenario, jst } from './drain-scenario';

const scenario = generateDrainScenario({ seed: 2018 });
const XEM = 1_000_000n;

describe('simulated 2018-style drain', () => {
  it('is a pure function of its seed', () => {
    const again = generateDrainScenario({ seed: 2018 });
    expect(JSON.stringify(again.ledger.transactions)).toBe(JSON.stringify(scenario.ledger.transactions));
    expect(generateDrainScenario({ seed: 1 }).hotWallet).not.toBe(scenario.hotWallet);
  });

  it('follows the published first hop: 11 transfers, 526,300,010 XEM, 00:02–08:26 JST', () => {
    const firstHop = scenario.ledger.transactions.filter(
      (p) =>
        addressFromPublicKey(p.transaction.signer) === scenario.hotWallet &&
        p.transaction.recipient === scenario.attacker,
    );
    expect(firstHop).toHaveLength(11);
    const amounts = firstHop.map((p) => BigInt(p.transaction.amount!) / XEM);
    expect(amounts.reduce((s, a) => s + a, 0n)).toBe(526_300_010n);
    expect(amounts.slice(0, 8)).toEqual([10n, ...Array(5).fill(100_000_000n), 20_000_000n, 3_000_000n]);
    expect(amounts.slice(8)).toEqual([1_500_000n, 1_000_000n, 800_000n]);
    const times = firstHop.map((p) => nemTimeToUnix(p.transaction.timeStamp));
    expect(times[0]! - jst(2018, 1, 26, 0, 2)).toBeLessThan(60);
    expect(times[7]! - times[0]!).toBeLessThanOrEqual(9 * 60);
    expect(times[10]! - jst(2018, 1, 26, 8, 26)).toBeLessThan(60);
    expect(scenario.stolen).toBe(526_300_010n * XEM);
  });

  it('has the split, the 14 small transfers four days later, tagging, a multisig hop and v2 transfers', () => {
    const fromAttacker = scenario.ledger.transactions.filter(
      (p) => addressFromPublicKey(p.transaction.signer) === scenario.attacker,
    );
    const split = fromAttacker.filter((p) => nemTimeToUnix(p.transaction.timeStamp) < jst(2018, 1, 27, 0, 0));
    expect(split).toHaveLength(10);
    expect(new Set(split.map((p) => p.transaction.recipient)).size).toBe(9);
    const small = fromAttacker.filter((p) => nemTimeToUnix(p.transaction.timeStamp) >= jst(2018, 1, 30, 22, 33));
    expect(small).toHaveLength(14);
    expect(new Set(small.map((p) => p.transaction.recipient)).size).toBe(9);
    expect(small.reduce((s, p) => s + BigInt(p.transaction.amount!), 0n)).toBe(1_100n * XEM);
    expect(scenario.counts.multisig).toBeGreaterThan(0);
    expect(scenario.counts.v2).toBeGreaterThan(0);
    expect(scenario.tagged.size).toBeGreaterThan(10);
    expect(scenario.counts.accounts).toBeGreaterThan(300);
  });

  it('accounts for every stolen unit in its own FIFO bookkeeping', () => {
    const { byReason, cashOuts } = scenario.expected;
    const total = Object.values(byReason).reduce((s, v) => s + v, 0n);
    expect(total).toBe(scenario.stolen);
    expect([...cashOuts.values()].reduce((s, v) => s + v, 0n)).toBe(byReason['cash-out']);
    expect(cashOuts.size).toBeGreaterThanOrEqual(3);
  });

  it('uses valid generated addresses, none of them a real account of the 2018 drain', () => {
    const pack = fileURLToPath(new URL('../../labels/coincheck-2018-known-facts.csv', import.meta.url));
    expect(existsSync(pack)).toBe(true);
    const real = new Set(parseCsvPack(readFileSync(pack, 'utf8')).labels.map((l) => l.address));
    const seen = new Set<string>();
    for (const p of scenario.ledger.transactions) {
      const tx = p.transaction.otherTrans ?? p.transaction;
      seen.add(addressFromPublicKey(tx.signer));
      if (tx.recipient) seen.add(normalizeNemAddress(tx.recipient));
      expect(p.meta.hash.data).toMatch(/^[0-9a-f]{64}$/);
    }
    for (const a of seen) expect(real.has(a), a).toBe(false);
    expect(seen.size).toBeGreaterThan(300);
  });
});
