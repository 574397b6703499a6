import { type Label, type LabelCategory, splitTransaction, type Taint } from '@fundflow/core';
import { describe, expect, it } from 'vitest';
import { generateScenario } from './generate-scenario';
import { accountGroundTruth, CASH_OUT_CATEGORIES, utxoGroundTruth } from './ground-truth';
import type { GroundTruthEntry, SimSpendInput, SimTransfer, SimUtxoTx } from './scenario';

const label = (address: string, category: LabelCategory): Label => ({
  address,
  chain: 'test',
  name: `${category} ${address}`,
  category,
  pack: 'sim',
  source: 'simulated',
  asOf: '2025-01-01',
  confidence: 'high',
});

/** Entries as `status address amount` lines, for readable expectations. */
const lines = (entries: GroundTruthEntry[]): string[] => entries.map((e) => `${e.status} ${e.address} ${e.amount}`);

describe('utxoGroundTruth (FIFO through transactions)', () => {
  let n = 0;
  const outputs = new Map<string, { address: string; value: bigint }>();
  const tx = (ins: string[], outs: [string, bigint][], fee: bigint): SimUtxoTx => {
    const txid = (++n).toString(16).padStart(64, '0');
    const vin: SimSpendInput[] = ins.map((op) => {
      const [id, v] = op.split(':') as [string, string];
      const prev = outputs.get(op) ?? { address: 'x', value: 0n };
      return { coinbase: false, txid: id, vout: Number(v), sequence: 0, address: prev.address, value: prev.value };
    });
    const vout = outs.map(([address, value], i) => {
      outputs.set(`${txid}:${i}`, { address, value });
      return { address, scriptpubkey: '', type: 'v0_p2wpkh' as const, value };
    });
    return { txid, version: 2, locktime: 0, vin, vout, size: 0, weight: 0, fee, height: n, time: n };
  };
  const op = (t: SimUtxoTx, vout: number): string => `${t.txid}:${vout}`;

  it('follows inputs in order, outputs in order, fee last, and stops at labels', () => {
    const funding = tx(
      [],
      [
        ['hot', 150n],
        ['x', 30n],
        ['s2', 5n],
      ],
      0n,
    );
    const drain = tx(
      [op(funding, 0)],
      [
        ['attacker', 100n],
        ['hot', 45n],
      ],
      5n,
    );
    // clean 30 then stolen 100: P takes 30 clean + 10 stolen, Q 85 stolen, the fee 5 stolen (the attacker's input)
    const mix = tx(
      [op(funding, 1), op(drain, 0)],
      [
        ['P', 40n],
        ['Q', 85n],
      ],
      5n,
    );
    const cashOut = tx([op(mix, 1)], [['exchange', 80n]], 5n);
    // value stopped at the exchange label: the exchange's own sweep carries nothing further
    const sweep = tx([op(cashOut, 0)], [['exchange-hot', 70n]], 10n);
    const result = utxoGroundTruth(
      [funding, drain, mix, cashOut, sweep],
      [drain.txid],
      ['attacker'],
      [label('exchange', 'exchange')],
    );
    expect(lines(result)).toEqual(['cash-out exchange 80', 'unspent P 10', 'fee attacker 5', 'fee Q 5']);
    expect(result[0]?.label?.category).toBe('exchange');
  });

  it('splits a stolen fee across the inputs it came from', () => {
    n = 100;
    const funding = tx([], [['hot', 50n]], 0n);
    const drain = tx(
      [op(funding, 0)],
      [
        ['a1', 10n],
        ['a2', 5n],
        ['hot', 30n],
      ],
      5n,
    );
    // stream: 10 (a1), 5 (a2); R takes 8 of a1's; the fee 7 is a1's last 2 and a2's 5
    const spend = tx([op(drain, 0), op(drain, 1)], [['R', 8n]], 7n);
    const result = utxoGroundTruth([funding, drain, spend], [drain.txid], ['a1', 'a2'], []);
    expect(lines(result)).toEqual(['unspent R 8', 'fee a1 2', 'fee a2 5']);
  });

  it('does not count a drain output paying someone other than an attacker', () => {
    n = 200;
    const funding = tx([], [['hot', 50n]], 0n);
    const drain = tx(
      [op(funding, 0)],
      [
        ['hot', 20n],
        ['attacker', 25n],
      ],
      5n,
    );
    expect(lines(utxoGroundTruth([funding, drain], [drain.txid], ['attacker'], []))).toEqual(['unspent attacker 25']);
  });
});

describe('accountGroundTruth (FIFO over balances)', () => {
  const t = (id: string, from: string, to: string, amount: bigint, fee: bigint, time: number): SimTransfer => ({
    id,
    txid: id,
    from,
    to,
    amount,
    fee,
    time,
    height: time,
  });

  it('orders lots by time, takes the amount then the fee, and stops at labels', () => {
    const transfers = [
      t('d1', 'H', 'A', 100n, 1n, 10),
      t('c1', 'X', 'A', 50n, 1n, 15),
      // A: [100 stolen, 50 clean]: 30 stolen out, fee 2 stolen
      t('p1', 'A', 'B', 30n, 2n, 20),
      // 68 stolen + 32 clean to the exchange; its fee is clean
      t('p2', 'A', 'E', 100n, 3n, 30),
    ];
    const result = accountGroundTruth(
      [
        { address: 'H', amount: 1000n },
        { address: 'X', amount: 60n },
      ],
      transfers,
      ['d1'],
      [label('E', 'exchange')],
    );
    expect(lines(result)).toEqual(['cash-out E 68', 'unspent B 30', 'fee A 2']);
  });

  it('puts incoming before outgoing at equal times, equal-time lots by id, opening balances first', () => {
    const transfers = [
      t('d1', 'H', 'B', 30n, 0n, 10),
      // D holds nothing before t=40: its outgoing at 40 must come after its incoming at 40
      t('a0', 'D', 'F', 5n, 0n, 40),
      t('b1', 'B', 'D', 7n, 0n, 40),
      // G opened with 20 clean: its first 20 out are clean, then stolen
      t('g1', 'B', 'G', 10n, 0n, 50),
      t('g2', 'G', 'K', 25n, 0n, 60),
      // M gets 3 stolen (id x9) and 3 clean (id x1) at t=70: the clean lot (smaller id) is first in line
      t('x9', 'B', 'M', 3n, 0n, 70),
      t('x1', 'N', 'M', 3n, 0n, 70),
      t('m1', 'M', 'Q', 3n, 0n, 80),
    ];
    const result = accountGroundTruth(
      [
        { address: 'H', amount: 100n },
        { address: 'G', amount: 20n },
        { address: 'N', amount: 3n },
      ],
      transfers,
      ['d1'],
      [],
    );
    // Entries come by status, then in the order addresses were first reached (genesis addresses first).
    expect(lines(result)).toEqual([
      'unspent G 5',
      'unspent B 10',
      'unspent D 2',
      'unspent F 5',
      'unspent K 5',
      'unspent M 3',
    ]);
  });

  it('throws when a history spends more than it holds', () => {
    expect(() => accountGroundTruth([], [t('a', 'A', 'B', 1n, 0n, 1)], [], [])).toThrow(/more than it holds/);
  });
});

describe('utxoGroundTruth against core taint arithmetic', () => {
  it('agrees with splitTransaction (fifo) over a whole simulated chain', () => {
    const s = generateScenario({ seed: 31, model: 'utxo', size: 2000 });
    const stops = new Set(s.labels.filter((l) => CASH_OUT_CATEGORIES.includes(l.category)).map((l) => l.address));
    const drains = new Set(s.drainIds);
    const attackers = new Set(s.attackerAddresses);
    const taint = new Map<string, { address: string; taint: Taint }>();
    const cashOut = new Map<string, bigint>();
    let fees = 0n;
    for (const tx of s.transactions) {
      if (drains.has(tx.txid)) {
        tx.vout.forEach((o, v) => {
          if (o.address && attackers.has(o.address)) {
            const runs = [{ length: o.value, hop: 1 }];
            taint.set(`${tx.txid}:${v}`, { address: o.address, taint: { amount: o.value, hop: 1, runs } });
          }
        });
        continue;
      }
      const pieces = tx.vin.map((i) => {
        if (i.coinbase) return { value: 0n, taint: null };
        const t = taint.get(`${i.txid}:${i.vout}`);
        taint.delete(`${i.txid}:${i.vout}`);
        return { value: i.value, taint: t?.taint ?? null };
      });
      if (pieces.every((p) => p.taint === null)) continue;
      const split = splitTransaction(
        'fifo',
        pieces,
        tx.vout.map((o) => o.value),
        tx.fee,
      );
      fees += split.fee;
      split.outputs.forEach((t, v) => {
        const address = tx.vout[v]?.address as string;
        if (t === null) return;
        if (stops.has(address)) cashOut.set(address, (cashOut.get(address) ?? 0n) + t.amount);
        else taint.set(`${tx.txid}:${v}`, { address, taint: t });
      });
    }
    const unspent = new Map<string, bigint>();
    for (const { address, taint: t } of taint.values()) unspent.set(address, (unspent.get(address) ?? 0n) + t.amount);
    const ours = (status: string): Map<string, bigint> =>
      new Map(s.groundTruth.filter((e) => e.status === status).map((e) => [e.address, e.amount]));
    expect(ours('cash-out')).toEqual(cashOut);
    expect(ours('unspent')).toEqual(unspent);
    expect([...ours('fee').values()].reduce((a, b) => a + b, 0n)).toBe(fees);
    expect(cashOut.size).toBeGreaterThan(0);
  });
});
