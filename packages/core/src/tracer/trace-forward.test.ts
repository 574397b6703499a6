import { describe, expect, it } from 'vitest';
import { isFundflowError } from '../errors';
import { MemoryAccountSource, MemoryUtxoSource } from '../testing/memory-sources';
import { serializeTrace } from '../trace-file/trace-file';
import type { Label, Transfer, UtxoTransaction } from '../types';
import { traceForward } from './trace-forward';
import { DEFAULT_STOP_CATEGORIES, type PolicyName, type StopRules } from './types';

const T0 = 1_700_000_000;
const txid = (n: number) => n.toString(16).padStart(64, '0');

/** tx(n, height, inputs [outpoint|null, address, value], outputs [address, value]) — fee = Σin − Σout. */
function tx(
  n: number,
  height: number,
  inputs: [string | null, string, number][],
  outputs: [string, number][],
): UtxoTransaction {
  const ins = inputs.map(([outpoint, address, value]) => ({
    ...(outpoint ? { outpoint } : {}),
    address,
    value: BigInt(value),
    coinbase: outpoint === null,
  }));
  const outs = outputs.map(([address, value], vout) => ({
    vout,
    address,
    value: BigInt(value),
    scriptType: 'v0_p2wpkh',
    hasAddress: true,
  }));
  const fee = ins.reduce((s, i) => s + i.value, 0n) - outs.reduce((s, o) => s + o.value, 0n);
  return {
    txid: txid(n),
    time: T0 + height * 600,
    height,
    confirmed: true,
    inputs: ins,
    outputs: outs,
    fee,
    evidence: [],
  };
}

const exchangeLabel = (address: string, chain: string): Label => ({
  address,
  chain,
  name: 'Example Exchange',
  category: 'exchange',
  pack: 'test',
  source: 'hand-made test table',
  asOf: '2024-01-01',
  confidence: 'high',
});

function labelsFor(chain: string, addresses: string[]) {
  return { lookup: (c: string, a: string) => (c === chain && addresses.includes(a) ? [exchangeLabel(a, c)] : []) };
}

const stop = (over: Partial<StopRules> = {}): StopRules => ({
  maxHops: 10,
  minAmount: 0n,
  fanOutCap: 100,
  stopCategories: DEFAULT_STOP_CATEGORIES,
  ...over,
});
const ALL: PolicyName[] = ['fifo', 'haircut', 'poison'];

// Hot wallet H (2 coins of 5) drained: D sends 6 to attacker A, 3 back to H, fee 1.
// A spends its 6 with a clean 4 from C: 7 to exchange E, 2 to F, fee 1.
const utxoCase = () => [
  tx(1, 1, [[null, 'coinbase', 5]], [['H', 5]]),
  tx(2, 1, [[null, 'coinbase', 5]], [['H', 5]]),
  tx(3, 1, [[null, 'coinbase', 4]], [['C', 4]]),
  tx(
    4,
    10,
    [
      [`${txid(1)}:0`, 'H', 5],
      [`${txid(2)}:0`, 'H', 5],
    ],
    [
      ['A', 6],
      ['H', 3],
    ],
  ),
  tx(
    5,
    12,
    [
      [`${txid(4)}:0`, 'A', 6],
      [`${txid(3)}:0`, 'C', 4],
    ],
    [
      ['E', 7],
      ['F', 2],
    ],
  ),
];

describe('traceForward, UTXO model (hand-computed)', () => {
  it('splits the drain through a merge under each policy', async () => {
    const source = new MemoryUtxoSource(utxoCase());
    const trace = await traceForward({
      source,
      params: { seeds: ['H'], since: T0, policies: ALL, stop: stop() },
      labels: labelsFor('memory-utxo', ['E']),
    });
    const fifo = trace.results.fifo!;
    expect(fifo.summary.stolen).toBe('6');
    expect(fifo.summary.cashOuts).toEqual([
      { address: 'E', label: 'Example Exchange', category: 'exchange', amount: '6' },
    ]);
    expect(fifo.summary.byReason).toEqual({ 'cash-out': '6' });

    const haircut = trace.results.haircut!;
    // 6 stolen of 10 in: E gets 7×6/10 = 4, F 2×6/10 = 1, the fee keeps the rest (1).
    expect(haircut.summary.byReason).toEqual({ 'cash-out': '4', unspent: '1', fee: '1' });

    const poison = trace.results.poison!;
    expect(poison.summary.byReason).toEqual({ 'cash-out': '7', unspent: '2', fee: '1' });

    // The change back to the hot wallet is not stolen; the drain edge is hop 1, the merge hop 2.
    expect(fifo.edges.map((e) => [e.transfer, e.hop, e.rule])).toEqual([
      [`${txid(4)}:0`, 1, 'seed.outflow'],
      [`${txid(5)}:0`, 2, 'utxo.spend/fifo'],
    ]);
    expect(trace.transfers.find((t) => t.id === `${txid(5)}:0`)?.from).toBe('A');
    expect(trace.labels.map((l) => l.address)).toEqual(['E']);
  });

  it('finds the input that spends an output by its outpoint when the outspend names the wrong input', async () => {
    const run = (source: MemoryUtxoSource) =>
      traceForward({
        source,
        params: { seeds: ['H'], since: T0, policies: ALL, stop: stop() },
        labels: labelsFor('memory-utxo', ['E']),
      });
    const skewed = new MemoryUtxoSource(utxoCase());
    const answer = skewed.getOutspends.bind(skewed);
    // The merge spends A's coin with its input 0: this source says input 1 (C's clean coin) did.
    skewed.getOutspends = async (id) =>
      (await answer(id)).map((o) => (o.spent ? { ...o, vin: o.vin === 0 ? 1 : 0 } : o));
    const trace = await run(skewed);
    expect(trace.results.fifo!.summary.cashOuts.map((c) => c.amount)).toEqual(['6']);
    expect(serializeTrace(trace)).toBe(serializeTrace(await run(new MemoryUtxoSource(utxoCase()))));
  });

  it('reads outputs by their place in the list, so a source that lists them out of vout order traces the same', async () => {
    const run = (txs: UtxoTransaction[]) =>
      traceForward({
        source: new MemoryUtxoSource(txs),
        params: { seeds: ['H'], since: T0, policies: ALL, stop: stop() },
        labels: labelsFor('memory-utxo', ['E']),
      });
    const shuffled = utxoCase().map((t) => (t.txid === txid(4) ? { ...t, outputs: [...t.outputs].reverse() } : t));
    expect(shuffled.find((t) => t.txid === txid(4))!.outputs.map((o) => o.vout)).toEqual([1, 0]);
    const [a, b] = [await run(utxoCase()), await run(shuffled)];
    expect(b.results).toEqual(a.results);
    expect(b.transfers).toEqual(a.transfers);
  });

  it('stops at max hops, dust, unspent and the fan-out cap', async () => {
    const base = utxoCase();
    const hops = await traceForward({
      source: new MemoryUtxoSource(base),
      params: { seeds: ['H'], policies: ['fifo'], stop: stop({ maxHops: 1 }) },
    });
    expect(hops.results.fifo!.summary.byReason).toEqual({ 'max-hops': '6' });

    const dust = await traceForward({
      source: new MemoryUtxoSource(base),
      params: { seeds: ['H'], policies: ['fifo'], stop: stop({ minAmount: 7n }) },
    });
    expect(dust.results.fifo!.summary.byReason).toEqual({ dust: '6' });

    const fan = await traceForward({
      source: new MemoryUtxoSource(base),
      params: { seeds: ['H'], policies: ['fifo'], stop: stop({ fanOutCap: 1 }) },
    });
    expect(fan.results.fifo!.stops.map((s) => s.reason)).toEqual(['fan-out']);
  });

  it('makes each request once across policies and is byte-identical whatever order answers arrive in', async () => {
    const plain = new MemoryUtxoSource(utxoCase());
    const a = serializeTrace(
      await traceForward({ source: plain, params: { seeds: ['H'], policies: ALL, stop: stop() } }),
    );
    expect(new Set(plain.calls).size).toBe(plain.calls.length);
    let n = 0;
    const jittery = new MemoryUtxoSource(utxoCase(), () => (n++ * 7) % 5);
    const b = serializeTrace(
      await traceForward({ source: jittery, params: { seeds: ['H'], policies: ALL, stop: stop() } }),
    );
    expect(b).toBe(a);
  });

  it('rejects an invalid seed before any request', async () => {
    const source = new MemoryUtxoSource(utxoCase());
    const err = await traceForward({
      source,
      params: { seeds: ['not an address'], policies: ['fifo'], stop: stop() },
    }).catch((e: unknown) => e);
    expect(isFundflowError(err, 'INVALID_ADDRESS')).toBe(true);
    expect(source.calls).toEqual([]);
  });
});

let seq = 0;
function transfer(from: string, to: string, amount: number, t: number, fee = 0): Transfer {
  seq++;
  return {
    id: `t${String(seq).padStart(4, '0')}`,
    txid: `tx${seq}`,
    from,
    to,
    asset: { chain: 'memory-account', symbol: 'MA', decimals: 6 },
    amount: BigInt(amount),
    fee: BigInt(fee),
    time: T0 + t,
    height: t,
    kind: 'native',
    evidence: [],
  };
}

describe('traceForward, account model (hand-computed)', () => {
  it('follows the drain through a mixed balance under fifo, haircut and poison', async () => {
    // H drains 50 to A. A held 100 clean before, sends 30 (fee 1), gets 20 clean, sends 100 (fee 1) to X (exchange), 30 to B.
    const transfers = [
      transfer('clean', 'a', 100, 5),
      transfer('h', 'a', 50, 10),
      transfer('a', 'b', 30, 20, 1),
      transfer('clean', 'a', 20, 30),
      transfer('a', 'x', 100, 40, 1),
      transfer('a', 'b', 30, 50),
    ];
    const trace = await traceForward({
      source: new MemoryAccountSource(transfers),
      params: { seeds: ['h'], since: T0, policies: ALL, stop: stop() },
      labels: labelsFor('memory-account', ['x']),
    });
    // fifo: the clean 100 leave first (30 + fee), x takes 69 clean + 31 stolen, its fee 1 stolen, b gets the last 18.
    // haircut: b gets 10 then 9, x 28, a keeps 3 (see taint.test.ts for the arithmetic).
    expect(trace.results.fifo!.summary.byReason).toEqual({ 'cash-out': '31', fee: '1', unspent: '18' });
    expect(trace.results.haircut!.summary.byReason).toEqual({ 'cash-out': '28', unspent: '22' });
    expect(trace.results.poison!.summary.byReason['cash-out']).toBe('100');
  });

  it('terminates on a cycle and sends value back to the victim to a "returned" stop', async () => {
    const transfers = [
      transfer('h', 'a', 100, 1),
      transfer('a', 'b', 100, 2),
      transfer('b', 'a', 100, 3),
      transfer('a', 'b', 100, 4),
      transfer('b', 'h', 60, 5),
    ];
    const trace = await traceForward({
      source: new MemoryAccountSource(transfers),
      params: { seeds: ['h'], policies: ['fifo', 'haircut'], stop: stop() },
    });
    for (const p of ['fifo', 'haircut'] as const) {
      expect(trace.results[p]!.summary.byReason).toEqual({ returned: '60', unspent: '40' });
    }
  });

  it('stops a seed with a million outgoing transfers by fan-out, reading only what the cap needs', async () => {
    const source = new MemoryAccountSource([], () => 0, 100);
    let pages = 0;
    source.getTransfers = async (q) => {
      pages++;
      const start = q.cursor ? Number(q.cursor) : 0;
      // Generated page by page: a million transfers are never held at once.
      const transfers = Array.from({ length: 100 }, (_, i) => ({
        ...transfer('h', `r${start + i}`, 1, start + i),
        id: `h-${start + i}`,
      }));
      return start + 100 < 1_000_000 ? { transfers, next: String(start + 100) } : { transfers };
    };
    const trace = await traceForward({
      source,
      params: { seeds: ['h'], policies: ['fifo'], stop: stop({ fanOutCap: 250 }) },
    });
    expect(trace.results.fifo!.stops).toMatchObject([{ reason: 'fan-out', address: 'h' }]);
    expect(pages).toBe(3);
  });

  it('conserves the stolen value exactly under fifo and haircut on a branching case', async () => {
    const transfers = [
      transfer('h', 'a', 1_000_000, 1),
      transfer('h', 'b', 333_333, 2),
      transfer('clean', 'a', 777_777, 3),
      transfer('a', 'c', 500_001, 4, 17),
      transfer('b', 'c', 111_111, 5, 3),
      transfer('c', 'd', 600_000, 6, 9),
      transfer('a', 'd', 900_000, 7, 11),
      transfer('d', 'x', 1_400_000, 8, 5),
    ];
    const trace = await traceForward({
      source: new MemoryAccountSource(transfers),
      params: { seeds: ['h'], policies: ['fifo', 'haircut'], stop: stop() },
      labels: labelsFor('memory-account', ['x']),
    });
    for (const p of ['fifo', 'haircut'] as const) {
      const s = trace.results[p]!.summary;
      const sum = Object.values(s.byReason).reduce((a, v) => a + BigInt(v), 0n);
      expect(sum).toBe(BigInt(s.stolen));
      expect(s.stolen).toBe('1333333');
    }
  });
});

describe('traceForward on long chains', () => {
  it('follows a 3,000-hop peel chain and a 3,000-hop account chain without deepening the stack', async () => {
    const n = 3000;
    const txs = [tx(1, 1, [[null, 'coinbase', 1_000_000]], [['H', 1_000_000]])];
    txs.push(tx(2, 2, [[`${txid(1)}:0`, 'H', 1_000_000]], [['P0', 999_000]]));
    for (let i = 1; i <= n; i++) {
      const value = 999_000 - i * 300;
      txs.push(
        tx(
          2 + i,
          2 + i,
          [[`${txid(1 + i)}:0`, `P${i - 1}`, value + 300]],
          [
            [`P${i}`, value],
            [`pay${i}`, 200],
          ],
        ),
      );
    }
    const utxo = await traceForward({
      source: new MemoryUtxoSource(txs),
      params: { seeds: ['H'], policies: ['fifo'], stop: stop({ maxHops: 10_000 }) },
    });
    expect(utxo.results.fifo!.summary.maxHop).toBe(n + 1);
    const sum = Object.values(utxo.results.fifo!.summary.byReason).reduce((a, v) => a + BigInt(v), 0n);
    expect(sum).toBe(999_000n);

    const chain = [transfer('h', 'a0', 1_000_000, 1)];
    for (let i = 1; i <= n; i++) chain.push(transfer(`a${i - 1}`, `a${i}`, 1_000_000 - i, 1 + i, 1));
    const account = await traceForward({
      source: new MemoryAccountSource(chain, () => 0, 100),
      params: { seeds: ['h'], policies: ['fifo', 'haircut'], stop: stop({ maxHops: 10_000 }) },
    });
    expect(account.results.fifo!.summary.maxHop).toBe(n + 1);
    expect(account.results.haircut!.summary.byReason).toEqual(account.results.fifo!.summary.byReason);
  });
});

describe('heuristics in edge provenance', () => {
  it('copies a source’s per-output rules and CoinJoin flag onto the edges', async () => {
    const source = new MemoryUtxoSource(utxoCase());
    source.annotate = (t) =>
      t.txid === txid(5)
        ? { outputs: [{ vout: 1, rule: 'change:round-value', confidence: 0.6 }] }
        : t.txid === txid(4)
          ? { mixed: { kind: 'whirlpool', denomination: 1_000_000n, count: 5 } }
          : undefined;
    const trace = await traceForward({ source, params: { seeds: ['H'], policies: ['poison'], stop: stop() } });
    const edges = new Map(trace.results.poison!.edges.map((e) => [e.transfer, e]));
    expect(edges.get(`${txid(5)}:1`)?.heuristics).toEqual([{ rule: 'change:round-value', confidence: 0.6 }]);
    expect(edges.get(`${txid(5)}:0`)?.heuristics).toBeUndefined();
    expect(edges.get(`${txid(4)}:0`)?.mixed).toBe('whirlpool 1000000 ×5');
  });
});
