import { MultiDirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import { buildGraph, seedAddresses, tracedPolicies } from './build-graph';
import { fixtureTraces, loadTrace, SIM } from './fixtures.test-helper';
import type { FlowEdgeAttributes, FlowGraph, FlowGraphAttributes, FlowNodeAttributes } from './types';

const trace = loadTrace(SIM);

describe('buildGraph on the simulated UTXO drain', () => {
  it('keys edges by transfer id and nodes by address, with per-policy taint as decimal strings', () => {
    const g = buildGraph(trace);
    expect(g.size).toBe(trace.transfers.length);
    for (const t of trace.transfers) {
      expect(g.source(t.id)).toBe(t.from);
      expect(g.target(t.id)).toBe(t.to);
      expect(g.getEdgeAttribute(t.id, 'amount')).toBe(t.amount);
    }
    for (const p of tracedPolicies(trace)) {
      for (const e of trace.results[p]!.edges) expect(g.getEdgeAttribute(e.transfer, `taint_${p}`)).toBe(e.amount);
    }
    const seed = [...seedAddresses(trace)][0]!;
    expect(g.getNodeAttributes(seed)).toMatchObject({ seed: true, hop: 0, category: 'victim', out_fifo: '1479800344' });
  });

  it('puts every cash-out of the summary on its node, and every stolen unit on some node under fifo', () => {
    const g = buildGraph(trace);
    for (const p of tracedPolicies(trace)) {
      const s = trace.results[p]!.summary;
      for (const c of s.cashOuts) {
        expect(g.getNodeAttribute(c.address, `cashout_${p}`)).toBe(c.amount);
        expect(g.getNodeAttribute(c.address, `stop_${p}`)).toContain('cash-out');
      }
    }
    let total = 0n;
    g.forEachNode((_k, a) => {
      total += BigInt(a.stopped_fifo!) + BigInt(a.fee_fifo!);
    });
    expect(total).toBe(BigInt(trace.results.fifo!.summary.stolen));
  });

  it('inserts nodes in key order and gives the same graph twice', () => {
    const a = buildGraph(trace);
    const keys = a.nodes();
    expect([...keys].sort()).toEqual(keys);
    expect(JSON.stringify(buildGraph(trace).export())).toBe(JSON.stringify(a.export()));
  });

  it('transfer level: transactions are nodes and each output runs from its transaction to the one that spent it', () => {
    const g = buildGraph(trace, { level: 'transfer' });
    for (const tx of trace.transactions) expect(g.getNodeAttribute(`tx:${tx.txid}`, 'kind')).toBe('transaction');
    const spent = new Map<string, string>();
    for (const tx of trace.transactions) for (const i of tx.inputs) if (i.outpoint) spent.set(i.outpoint, tx.txid);
    for (const t of trace.transfers) {
      expect(g.source(t.id)).toBe(`tx:${t.txid}`);
      expect(g.target(t.id)).toBe(spent.has(t.id) ? `tx:${spent.get(t.id)}` : t.to);
    }
    // fees sit on the transaction that paid them
    const fee = trace.results.fifo!.stops.find((s) => s.reason === 'fee')!;
    expect(BigInt(g.getNodeAttribute(`tx:${fee.location}`, 'fee_fifo')!)).toBeGreaterThanOrEqual(BigInt(fee.amount));
  });

  it('cluster level merges the input addresses of a transaction; entity level merges addresses by label', () => {
    const multi = trace.transactions.find((tx) => new Set(tx.inputs.map((i) => i.address)).size > 1);
    const c = buildGraph(trace, { level: 'cluster' });
    if (multi) {
      const [a, b] = [...new Set(multi.inputs.map((i) => i.address!))].sort();
      const node = c.findNode((_k, at: FlowNodeAttributes) => at.kind === 'cluster' && at.address === a);
      expect(node).toBe(`cluster:${a}`);
      expect(c.getNodeAttribute(node!, 'members')).toBeGreaterThanOrEqual(2);
      expect(c.hasNode(b!)).toBe(false);
    }
    expect(c.size).toBe(trace.transfers.length);
    const e = buildGraph(trace, { level: 'entity' });
    const exchange = e.getNodeAttributes('entity:SimExchange deposit address (simulated)');
    expect(exchange.members).toBe(3);
    const sum = trace.results.fifo!.summary.cashOuts.filter((x) => x.category === 'exchange');
    expect(exchange.cashout_fifo).toBe(sum.reduce((s, x) => s + BigInt(x.amount), 0n).toString());
  });

  it.each(fixtureTraces())('builds every level of %s with one edge per transfer', (_name, path) => {
    const t = loadTrace(path);
    for (const level of ['address', 'cluster', 'entity'] as const)
      expect(buildGraph(t, { level }).size).toBe(t.transfers.length);
    const g = buildGraph(t, { level: 'transfer' });
    expect(g.size).toBeGreaterThanOrEqual(t.transfers.length);
  });

  it.each(fixtureTraces())(
    '%s: the graph is the one graphology builds through its public API (buildGraph adds to its internals)',
    (_name, path) => {
      const t = loadTrace(path);
      for (const level of ['transfer', 'address', 'cluster', 'entity'] as const) {
        const g = buildGraph(t, { level });
        const ref: FlowGraph = new MultiDirectedGraph<FlowNodeAttributes, FlowEdgeAttributes, FlowGraphAttributes>({
          allowSelfLoops: true,
        });
        ref.replaceAttributes(g.getAttributes());
        g.forEachNode((k, a) => {
          ref.addNode(k, { ...a });
        });
        g.forEachEdge((k, a, s, d) => {
          ref.addDirectedEdgeWithKey(k, s, d, { ...a });
        });
        expect(JSON.stringify(g.export())).toBe(JSON.stringify(ref.export()));
        const counts = (x: FlowGraph) => [x.order, x.size, x.directedSize, x.selfLoopCount, x.directedSelfLoopCount];
        expect(counts(g)).toEqual(counts(ref));
        g.forEachNode((k, a) => {
          expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
          expect([g.inDegree(k), g.outDegree(k), g.inEdges(k), g.outEdges(k), g.outNeighbors(k)]).toEqual([
            ref.inDegree(k),
            ref.outDegree(k),
            ref.inEdges(k),
            ref.outEdges(k),
            ref.outNeighbors(k),
          ]);
        });
        g.forEachEdge((_k, a) => expect(Object.getPrototypeOf(a)).toBe(Object.prototype));
        // and it changes like any graph
        const [first] = g.edges();
        if (first !== undefined) {
          const s = g.source(first);
          g.dropEdge(first);
          g.addNode('new node');
          g.addDirectedEdgeWithKey('new edge', s, 'new node', { drawWeight: 1 } as FlowEdgeAttributes);
          expect(() => g.addDirectedEdgeWithKey('new edge', s, 'new node')).toThrow(/already exist/);
          expect(g.outNeighbors(s)).toContain('new node');
          expect(g.size).toBe(ref.size);
        }
      }
    },
  );
});
