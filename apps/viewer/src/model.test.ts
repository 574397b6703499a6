import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseTrace } from '@fundflow/core';
import { buildGraph } from '@fundflow/graph';
import { describe, expect, it } from 'vitest';
import {
  buildViewModel,
  cashOutRows,
  computeVisibility,
  nodeLabel,
  parseAmountInput,
  searchNodes,
  shortAddress,
  transfersOf,
  widestPathFromSeed,
} from './model';

const NEM = fileURLToPath(new URL('../../../fixtures/nem-2018-exchange-drain/expected.trace.json', import.meta.url));
const trace = parseTrace(readFileSync(NEM, 'utf8'));
const vm = buildViewModel(trace);
const g = vm.graph;

describe('viewer model over the NEM case', () => {
  it('is the @fundflow/graph address graph, laid out by hop with the seed leftmost', () => {
    const ref = buildGraph(trace, { level: 'address' });
    expect([g.order, g.size]).toEqual([ref.order, ref.size]);
    expect(vm.seeds).toEqual(['NBEY4IATEONTN4Z7V4S4JTUTLSZMZOPXEHMB6YP4']);
    const seedX = g.getNodeAttribute(vm.seeds[0]!, 'x')!;
    g.forEachNode((n, a) => {
      if (n !== vm.seeds[0]) expect(a.x!).toBeGreaterThan(seedX);
    });
  });

  it('filters by minimum amount without touching the graph', () => {
    const all = computeVisibility(g, { minAmount: 0n });
    expect([all.nodes.size, all.edges.size]).toEqual([g.order, g.size]);
    const big = computeVisibility(g, { minAmount: 1_000_000n * 1_000_000n });
    expect(big.edges.size).toBeGreaterThan(0);
    expect(big.edges.size).toBeLessThan(g.size);
    for (const e of big.edges) expect(BigInt(g.getEdgeAttribute(e, 'amount'))).toBeGreaterThanOrEqual(10n ** 12n);
    expect(big.nodes.has(vm.seeds[0]!)).toBe(true);
    expect(g.size).toBe(buildGraph(trace).size);
  });

  it('finds nodes by address fragment and label name', () => {
    expect(searchNodes(g, 'nbey4i')).toEqual(['NBEY4IATEONTN4Z7V4S4JTUTLSZMZOPXEHMB6YP4']);
    expect(searchNodes(g, 'SimExchange').length).toBe(5);
    expect(searchNodes(g, '  ')).toEqual([]);
  });

  it('highlights the widest path from the seed to a cash-out, with the amount it can have carried', () => {
    const [top] = cashOutRows(trace, 'fifo');
    const p = widestPathFromSeed(g, 'fifo', top!.address)!;
    expect(p.nodes[0]).toBe(vm.seeds[0]);
    expect(p.nodes.at(-1)).toBe(top!.address);
    expect(p.edges.length).toBe(p.nodes.length - 1);
    for (const e of p.edges) expect(BigInt(g.getEdgeAttribute(e, 'taint_fifo')!)).toBeGreaterThanOrEqual(p.carried);
    expect(p.carried).toBeGreaterThan(0n);
    // The seed's own path is empty; an address that only sent clean value has none.
    expect(widestPathFromSeed(g, 'fifo', vm.seeds[0]!)?.edges).toEqual([]);
    const clean = g.findNode((_n, a) => a.hop === -1);
    if (clean !== undefined) expect(widestPathFromSeed(g, 'fifo', clean)).toBeUndefined();
  });

  it('lists cash-outs per policy (largest first) and transfers per address with their rule', () => {
    const fifo = cashOutRows(trace, 'fifo');
    const haircut = cashOutRows(trace, 'haircut');
    expect(fifo.map((r) => r.amount)).not.toEqual(haircut.map((r) => r.amount));
    for (let i = 1; i < fifo.length; i++) expect(BigInt(fifo[i - 1]!.amount) >= BigInt(fifo[i]!.amount)).toBe(true);
    const rows = transfersOf(vm, vm.seeds[0]!, 'fifo');
    const out = rows.filter((r) => r.direction === 'out' && r.traced !== undefined);
    expect(out.length).toBe(11);
    expect(out.every((r) => r.rule === 'seed.outflow')).toBe(true);
  });

  it('formats labels and parses typed amounts exactly', () => {
    expect(shortAddress('NBEY4IATEONTN4Z7V4S4JTUTLSZMZOPXEHMB6YP4')).toBe('NBEY4I…6YP4');
    expect(nodeLabel({ address: 'NBEY4IATEONTN4Z7V4S4JTUTLSZMZOPXEHMB6YP4', labelName: 'Hot wallet' })).toBe(
      'NBEY4I…6YP4 · Hot wallet',
    );
    expect(parseAmountInput('1,000.5', 6)).toBe(1_000_500_000n);
    expect(parseAmountInput('', 6)).toBe(0n);
    expect(parseAmountInput('0.0000001', 6)).toBeUndefined();
    expect(parseAmountInput('1e5', 6)).toBeUndefined();
    expect(parseAmountInput('.', 6)).toBeUndefined();
  });
});
