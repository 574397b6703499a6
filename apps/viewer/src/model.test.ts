import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseTrace } from '@fundflow/core';
import { buildGraph } from '@fundflow/graph';
import { describe, expect, it } from 'vitest';
import { explorerFor } from './explorer';
import {
  assetsOf,
  buildViewModel,
  cashOutRows,
  computeVisibility,
  MAX_LABEL_NAME,
  nodeLabel,
  parseAmountInput,
  searchNodes,
  shortAddress,
  transfersOf,
  widestPathFromSeed,
} from './model';

const fixture = (name: string) =>
  parseTrace(
    readFileSync(fileURLToPath(new URL(`../../../fixtures/${name}/expected.trace.json`, import.meta.url)), 'utf8'),
  );
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

  it('filters by time range, asset, dust and labelled entities', () => {
    const range = vm.timeRange!;
    expect(range.min).toBe(Math.min(...trace.transfers.map((t) => t.time)));
    expect(range.max).toBe(Math.max(...trace.transfers.map((t) => t.time)));
    // The first day after the drain started: fewer edges, all inside the window, the seed still shown.
    const to = range.min + 86_400;
    const day = computeVisibility(g, { minAmount: 0n, from: range.min, to });
    expect(day.edges.size).toBeGreaterThan(0);
    expect(day.edges.size).toBeLessThan(g.size);
    for (const e of day.edges) expect(g.getEdgeAttribute(e, 'time')).toBeLessThanOrEqual(to);
    expect(day.nodes.has(vm.seeds[0]!)).toBe(true);
    const later = computeVisibility(g, { minAmount: 0n, from: to + 1 });
    expect(later.edges.size + day.edges.size).toBe(g.size);
    // One asset: filtering on it keeps everything, on another hides every edge.
    expect(vm.assets).toEqual([{ id: 'nem:XEM', symbol: 'XEM', decimals: 6, transfers: trace.transfers.length }]);
    expect(computeVisibility(g, { minAmount: 0n, asset: 'nem:XEM' }).edges.size).toBe(g.size);
    expect(computeVisibility(g, { minAmount: 0n, asset: 'nem:other' }).edges.size).toBe(0);
    // Dust: the threshold acts as a minimum amount.
    const dust = 10n ** 9n;
    const noDust = computeVisibility(g, { minAmount: 0n, dust });
    const asMin = computeVisibility(g, { minAmount: dust });
    expect(noDust).toEqual(asMin);
    // Labelled entities: neither they nor their edges show, the seed does.
    const hidden = computeVisibility(g, { minAmount: 0n, hideLabelled: true });
    g.forEachNode((n, a) => {
      if (!a.seed && a.labelName !== '') expect(hidden.nodes.has(n), n).toBe(false);
    });
    for (const e of hidden.edges) {
      expect(g.getNodeAttribute(g.source(e), 'labelName') === '' || g.getNodeAttribute(g.source(e), 'seed')).toBe(true);
      expect(g.getNodeAttribute(g.target(e), 'labelName')).toBe('');
    }
    expect(hidden.nodes.has(vm.seeds[0]!)).toBe(true);
    expect(hidden.edges.size).toBeLessThan(g.size);
  });

  it('lists assets by transfer count with their symbol and decimals', () => {
    const multi = structuredClone(trace);
    multi.transfers[0]!.asset = 'nem:dim:coin';
    multi.transfers[1]!.asset = 'nem:dim:coin';
    (multi as unknown as { assets: unknown[] }).assets = [
      trace.asset,
      { id: 'nem:dim:coin', chain: 'nem', symbol: 'DIM', decimals: 6, contract: 'dim:coin' },
    ];
    expect(assetsOf(multi).map((a) => [a.id, a.symbol, a.transfers])).toEqual([
      ['nem:XEM', 'XEM', trace.transfers.length - 2],
      ['nem:dim:coin', 'DIM', 2],
    ]);
    delete (multi as unknown as { assets?: unknown }).assets;
    expect(assetsOf(multi)[1]).toMatchObject({ id: 'nem:dim:coin', symbol: 'dim:coin', decimals: 0 });
  });

  it('cuts long entity names on the graph', () => {
    const long = 'Simulated attacker account (receives the simulated drain)';
    const label = nodeLabel({ address: 'NBEY4IATEONTN4Z7V4S4JTUTLSZMZOPXEHMB6YP4', labelName: long });
    expect(label).toBe(`NBEY4I…6YP4 · ${long.slice(0, MAX_LABEL_NAME - 1)}…`);
  });
});

describe('edge heuristics in the transfers table', () => {
  it('shows change and mixed findings of the policy', () => {
    const sim = fixture('sim-utxo-exchange-drain');
    const svm = buildViewModel(sim);
    const edge = sim.results.fifo!.edges.find((e) => (e.heuristics ?? []).length > 0 || e.mixed !== undefined)!;
    const t = sim.transfers.find((x) => x.id === edge.transfer)!;
    const row = transfersOf(svm, t.to, 'fifo').find((r) => r.id === t.id)!;
    expect(row.heuristics).toEqual((edge.heuristics ?? []).map((h) => `${h.rule} ${h.confidence}`));
    expect(row.mixed).toBe(edge.mixed ?? '');
    expect(row.heuristics.length + (row.mixed !== '' ? 1 : 0)).toBeGreaterThan(0);
  });
});

describe('explorer links', () => {
  const nem = trace;
  const withSource = (chain: string, network: string, endpoint = 'https://example.org') => ({
    ...nem,
    chain,
    sources: [{ chain, kind: 'x', endpoint, network }],
  });
  it('links public chains by name and network', () => {
    expect(explorerFor(withSource('bitcoin', 'bitcoin'))?.address('bc1qxyz')).toBe(
      'https://mempool.space/address/bc1qxyz',
    );
    expect(explorerFor(withSource('bitcoin', 'testnet'))?.tx('ab12')).toBe('https://mempool.space/testnet/tx/ab12');
    expect(explorerFor(withSource('litecoin', 'litecoin'))?.address('ltc1q')).toBe(
      'https://litecoinspace.org/address/ltc1q',
    );
    expect(explorerFor(withSource('ethereum', 'mainnet'))?.tx('0xabc')).toBe('https://etherscan.io/tx/0xabc');
    expect(explorerFor(withSource('nem', 'mainnet', 'http://hugealice.nem.ninja:7890'))?.address('NA')).toBe(
      'https://explorer.nemtool.com/#/s_account?account=NA',
    );
    // Trace text only ever goes into the URL encoded.
    expect(explorerFor(withSource('bitcoin', 'bitcoin'))?.address('a/../"<x>')).toBe(
      'https://mempool.space/address/a%2F..%2F%22%3Cx%3E',
    );
  });
  it('has none for regtest, anvil, simulated and unknown chains', () => {
    expect(explorerFor(nem)).toBeUndefined(); // the NEM case is simulated (.invalid endpoint)
    expect(explorerFor(fixture('sim-utxo-exchange-drain'))).toBeUndefined();
    expect(explorerFor(fixture('ltc-regtest-exchange-drain'))).toBeUndefined();
    expect(explorerFor(withSource('anvil', 'anvil'))).toBeUndefined();
    expect(explorerFor(withSource('bitcoin', 'regtest'))).toBeUndefined();
    expect(explorerFor(withSource('dogecoin', 'mainnet'))).toBeUndefined();
  });
});
