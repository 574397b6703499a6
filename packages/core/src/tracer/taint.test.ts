import { describe, expect, it } from 'vitest';
import { type LedgerEvent, runLedger, splitTransaction } from './taint';

// Hand-computed examples: inputs A (5 stolen, hop 1) and B (5 clean), outputs 6 and 3, fee 1.
const stolenA = { value: 5n, taint: { amount: 5n, hop: 1 } };
const cleanB = { value: 5n, taint: null };

describe('splitTransaction (UTXO)', () => {
  it('poison taints every output and the fee wholly', () => {
    const r = splitTransaction('poison', [stolenA, cleanB], [6n, 3n], 1n);
    expect(r.outputs.map((o) => o?.amount)).toEqual([6n, 3n]);
    expect(r.outputs.map((o) => o?.hop)).toEqual([2, 2]);
    expect(r.fee).toBe(1n);
  });

  it('haircut carries value × 5/10 rounded down; the fee absorbs the rounding', () => {
    const r = splitTransaction('haircut', [stolenA, cleanB], [6n, 3n], 1n);
    expect(r.outputs.map((o) => o?.amount)).toEqual([3n, 1n]); // 3.0 and 1.5 → 1
    expect(r.fee).toBe(1n); // 0.5 + the 0.5 rounded off output 1
  });

  it('fifo: stolen input first → the first output takes all 5', () => {
    const r = splitTransaction('fifo', [stolenA, cleanB], [6n, 3n], 1n);
    expect(r.outputs[0]?.amount).toBe(5n);
    // The stolen units sit in one run at the front (5 stolen, then 1 clean): the taint keeps no runs for that.
    expect(r.outputs[0]?.runs).toBeUndefined();
    expect(r.outputs[1]).toBeNull();
    expect(r.fee).toBe(0n);
  });

  it('fifo: a taint without runs splits as its runs (stolen units first, the rest clean) do', () => {
    const runs = [
      { length: 5n, hop: 2 },
      { length: 1n, hop: null },
    ];
    for (const outputs of [[6n], [2n, 4n], [5n, 1n], [1n, 5n], [3n, 2n, 1n]]) {
      const without = splitTransaction('fifo', [{ value: 6n, taint: { amount: 5n, hop: 2 } }], outputs, 0n);
      const withRuns = splitTransaction('fifo', [{ value: 6n, taint: { amount: 5n, hop: 2, runs } }], outputs, 0n);
      expect(without).toEqual(withRuns);
    }
    // Stolen units behind clean ones keep their positions.
    const behind = splitTransaction('fifo', [cleanB, stolenA], [6n, 3n], 1n);
    expect(behind.outputs[0]?.runs).toEqual([
      { length: 5n, hop: null },
      { length: 1n, hop: 2 },
    ]);
  });

  it('fifo: clean input first → 1 to the first output, 3 to the second, 1 to the fee', () => {
    const r = splitTransaction('fifo', [cleanB, stolenA], [6n, 3n], 1n);
    expect(r.outputs.map((o) => o?.amount ?? 0n)).toEqual([1n, 3n]);
    expect(r.fee).toBe(1n);
  });

  it('fifo keeps positions across hops: a partly stolen input stays where it sits', () => {
    const first = splitTransaction('fifo', [cleanB, stolenA], [6n, 3n], 1n);
    // Spend output 0 (5 clean then 1 stolen) into outputs 5 and 1: the stolen unit lands in the second.
    const next = splitTransaction('fifo', [{ value: 6n, taint: first.outputs[0]! }], [5n, 1n], 0n);
    expect(next.outputs[0]).toBeNull();
    expect(next.outputs[1]).toMatchObject({ amount: 1n, hop: 3 });
  });

  it('clean inputs give clean outputs under every policy', () => {
    for (const p of ['poison', 'haircut', 'fifo'] as const) {
      const r = splitTransaction(p, [cleanB], [4n], 1n);
      expect(r.outputs).toEqual([null]);
      expect(r.fee).toBe(0n);
    }
  });

  it('conserves value exactly under haircut and fifo', () => {
    const inputs = [
      { value: 1_000_003n, taint: { amount: 777_777n, hop: 2 } },
      { value: 2_500_000n, taint: null },
      { value: 333n, taint: { amount: 333n, hop: 4 } },
    ];
    for (const p of ['haircut', 'fifo'] as const) {
      const r = splitTransaction(p, inputs, [1_234_567n, 999_999n, 1_265_000n], 1_000_770n);
      const sum = r.outputs.reduce((s, o) => s + (o?.amount ?? 0n), 0n) + r.fee;
      expect(sum).toBe(777_777n + 333n);
    }
  });
});

// Account history: in 100 clean, in 50 stolen, out 30 (fee 1), in 20 clean, out 100 (fee 1), out 30.
const history: LedgerEvent[] = [
  { kind: 'in', id: 'c1', amount: 100n, taint: null },
  { kind: 'in', id: 's1', amount: 50n, taint: { amount: 50n, hop: 1 } },
  { kind: 'out', id: 'o1', amount: 30n, fee: 1n },
  { kind: 'in', id: 'c2', amount: 20n, taint: null },
  { kind: 'out', id: 'o2', amount: 100n, fee: 1n },
  { kind: 'out', id: 'o3', amount: 30n, fee: 0n },
];

describe('runLedger (account)', () => {
  it('fifo: the 100 clean leave first; o2 takes 31 stolen, its fee 1, o3 the last 18', () => {
    const r = runLedger('fifo', history);
    expect(r.outgoing.get('o1')).toBeUndefined();
    expect(r.outgoing.get('o2')).toMatchObject({ amount: 31n, hop: 2 });
    expect(r.outgoing.get('o3')).toMatchObject({ amount: 18n, hop: 2 });
    expect(r.fee).toBe(1n);
    expect(r.remaining).toBeNull();
    expect(r.impliedOpening).toBe(0n);
  });

  it('haircut: 30×50/150 = 10, then 100×40/139 = 28, then 30×12/38 = 9, 3 stay', () => {
    const r = runLedger('haircut', history);
    expect(r.outgoing.get('o1')?.amount).toBe(10n);
    expect(r.outgoing.get('o2')?.amount).toBe(28n);
    expect(r.outgoing.get('o3')?.amount).toBe(9n);
    expect(r.fee).toBe(0n);
    expect(r.remaining?.amount).toBe(3n);
  });

  it('poison: everything after the stolen arrival is stolen, the balance left too', () => {
    const r = runLedger('poison', history);
    expect([...r.outgoing.values()].map((t) => t.amount)).toEqual([30n, 100n, 30n]);
    expect(r.fee).toBe(2n);
    expect(r.remaining?.amount).toBe(8n);
  });

  it('an outgoing before any incoming implies a clean opening balance', () => {
    const r = runLedger('fifo', [
      { kind: 'out', id: 'o1', amount: 10n, fee: 0n },
      { kind: 'in', id: 's1', amount: 5n, taint: { amount: 5n, hop: 1 } },
      { kind: 'out', id: 'o2', amount: 5n, fee: 0n },
    ]);
    expect(r.impliedOpening).toBe(10n);
    expect(r.outgoing.get('o1')).toBeUndefined();
    expect(r.outgoing.get('o2')?.amount).toBe(5n);
  });
});
