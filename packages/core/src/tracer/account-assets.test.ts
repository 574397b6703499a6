import { describe, expect, it } from 'vitest';
import { MemoryAccountSource } from '../testing/memory-sources';
import { parseTrace, serializeTrace } from '../trace-file/trace-file';
import type { Asset, Label, Transfer } from '../types';
import { traceForward } from './trace-forward';
import { DEFAULT_STOP_CATEGORIES, type PolicyName } from './types';

const T0 = 1_700_000_000;
const MA: Asset = { chain: 'memory-account', symbol: 'MA', decimals: 6 };
const TOK: Asset = { chain: 'memory-account', symbol: 'TOK', decimals: 6, contract: 'tok' };
const ALL: PolicyName[] = ['fifo', 'haircut', 'poison'];

function transfer(
  id: string,
  txid: string,
  from: string,
  to: string,
  asset: Asset,
  amount: number,
  t: number,
): Transfer {
  return {
    id,
    txid,
    from,
    to,
    asset,
    amount: BigInt(amount),
    time: T0 + t,
    height: t,
    kind: asset === MA ? 'native' : 'token',
    evidence: [],
  };
}

// The hot wallet h loses 100 MA and 1,000 TOK to a, which already held 500 clean TOK. In one transaction a hands
// 600 TOK to the pool p and gets 60 MA back (a swap); then a sends 160 MA and 900 TOK to the exchange x.
const swapCase = () => [
  transfer('c1', 'tx-c', 'clean', 'a', TOK, 500, 5),
  transfer('s1', 'tx-s1', 'h', 'a', MA, 100, 10),
  transfer('s2', 'tx-s2', 'h', 'a', TOK, 1000, 10),
  transfer('w1', 'tx-swap', 'a', 'p', TOK, 600, 20),
  transfer('w2', 'tx-swap', 'p', 'a', MA, 60, 20),
  transfer('x1', 'tx-x1', 'a', 'x', MA, 160, 30),
  transfer('x2', 'tx-x2', 'a', 'x', TOK, 900, 40),
];

const exchange: Label = {
  address: 'x',
  chain: 'memory-account',
  name: 'Exchange X',
  category: 'exchange',
  pack: 'test',
  source: 'test',
  asOf: '2024-01-01',
  confidence: 'high',
};
const labels = { lookup: (_c: string, a: string) => (a === 'x' ? [exchange] : []) };
const stop = { maxHops: 10, minAmount: 0n, fanOutCap: 100, stopCategories: DEFAULT_STOP_CATEGORIES };

async function traceAll() {
  return traceForward({
    source: new MemoryAccountSource(swapCase()),
    params: { seeds: ['h'], since: T0, policies: ALL, stop, asset: 'all' },
    labels,
  });
}

describe('all-asset account traces with swaps (hand-computed)', () => {
  it('carries the stolen share of the tokens swapped into the coin that came back, per policy', async () => {
    const trace = await traceAll();
    const cash = (p: PolicyName) =>
      Object.fromEntries(trace.results[p]!.summary.cashOuts.map((c) => [`${c.address} ${c.asset}`, c.amount]));
    // fifo: the 600 TOK swapped take the clean 500 first, so 100 stolen TOK go in → 60 × 100/600 = 10 MA stolen back;
    // x then gets 100 + 10 stolen MA (the swap's clean 50 MA follow) and the 900 stolen TOK left.
    expect(cash('fifo')).toEqual({ 'x memory-account:MA': '110', 'x memory-account:tok': '900' });
    // haircut: 600 × 1000/1500 = 400 stolen TOK swapped → 60 × 400/600 = 40 MA; x: 160 × 140/160 = 140 MA, 600 TOK.
    expect(cash('haircut')).toEqual({ 'x memory-account:MA': '140', 'x memory-account:tok': '600' });
    // poison: everything a sent after the theft is stolen.
    expect(cash('poison')).toEqual({ 'x memory-account:MA': '160', 'x memory-account:tok': '900' });

    expect(trace.results.fifo!.summary.byAsset).toEqual({
      'memory-account:MA': { stolen: '100', swappedIn: '10', byReason: { 'cash-out': '110' } },
      'memory-account:tok': { stolen: '1000', swappedIn: '0', byReason: { 'cash-out': '900', swap: '100' } },
    });
    expect(trace.results.haircut!.summary.byAsset).toEqual({
      'memory-account:MA': { stolen: '100', swappedIn: '40', byReason: { 'cash-out': '140' } },
      'memory-account:tok': { stolen: '1000', swappedIn: '0', byReason: { 'cash-out': '600', swap: '400' } },
    });
    // The top-level totals are the native asset's.
    expect(trace.results.fifo!.summary.stolen).toBe('100');
  });

  it('records the swap on both edges and never follows the pool', async () => {
    const trace = await traceAll();
    const edges = new Map(trace.results.fifo!.edges.map((e) => [e.transfer, e]));
    expect(edges.get('w1')).toMatchObject({ amount: '100', rule: 'swap.out/fifo', hop: 2 });
    expect(edges.get('w2')).toMatchObject({ amount: '10', rule: 'swap.in/fifo', hop: 2 });
    // x1 carries MA that was stolen directly (hop 1) and via the swap (hop 2): the nearest hop counts.
    expect(edges.get('x1')).toMatchObject({ amount: '110', hop: 2 });
    const swapStops = trace.results.fifo!.stops.filter((s) => s.reason === 'swap');
    expect(swapStops).toEqual([
      expect.objectContaining({ location: 'w1', address: 'p', amount: '100', asset: 'memory-account:tok' }),
    ]);
    expect(trace.results.fifo!.stops.filter((s) => s.address === 'p' && s.reason !== 'swap')).toEqual([]);
    expect(trace.assets?.map((a) => a.id)).toEqual(['memory-account:MA', 'memory-account:tok']);
    expect(trace.params.asset).toBe('all');
  });

  it('is byte-identical across runs and answer orders, and round-trips through the trace file', async () => {
    const a = serializeTrace(await traceAll());
    const delayed = await traceForward({
      source: new MemoryAccountSource(swapCase(), (k) => (k.includes(' a') ? 5 : 0)),
      params: { seeds: ['h'], since: T0, policies: ALL, stop, asset: 'all' },
      labels,
    });
    expect(serializeTrace(delayed)).toBe(a);
    expect(serializeTrace(parseTrace(a))).toBe(a);
  });

  it('follows only the native coin by default: no swap, the MA from the pool is clean', async () => {
    const trace = await traceForward({
      source: new MemoryAccountSource(swapCase()),
      params: { seeds: ['h'], since: T0, policies: ['fifo'], stop },
      labels,
    });
    expect(trace.results.fifo!.summary.cashOuts).toEqual([
      { address: 'x', label: 'Exchange X', category: 'exchange', amount: '100' },
    ]);
    expect(trace.assets).toBeUndefined();
    expect(trace.params.asset).toBeUndefined();
  });
});
