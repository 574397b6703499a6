import { MultiDirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../build-graph';
import { loadTrace, SIM } from '../fixtures.test-helper';
import type { FlowEdgeAttributes, FlowGraph, FlowGraphAttributes, FlowNodeAttributes } from '../types';
import { forceLayout } from './force-layout';
import { applyLayout, countCrossings, layeredLayout } from './layered-layout';

const trace = loadTrace(SIM);

function tiny(edges: [string, string, number][], hops: Record<string, number>): FlowGraph {
  const g: FlowGraph = new MultiDirectedGraph<FlowNodeAttributes, FlowEdgeAttributes, FlowGraphAttributes>();
  for (const [k, hop] of Object.entries(hops).sort()) {
    g.addNode(k, { hop, firstTime: hop * 10, seed: hop === 0 } as FlowNodeAttributes);
  }
  edges.forEach(([s, t, w], i) => {
    g.addDirectedEdgeWithKey(`e${i}`, s, t, { drawWeight: w } as FlowEdgeAttributes);
  });
  return g;
}

describe('layeredLayout', () => {
  it('puts the seed at the left, one column per hop, and keeps each column ordered with the node gap', () => {
    const g = buildGraph(trace);
    const l = layeredLayout(g, { layerGap: 100, nodeGap: 10 });
    const seed = l.nodes.indexOf('bcrt1qqyx4d0faf6vqg4ys3wm0zd55eu8veqka56rpeu');
    expect(l.x[seed]).toBe(0);
    l.nodes.forEach((k, i) => {
      const hop = g.getNodeAttribute(k, 'hop');
      if (hop >= 0) expect(l.x[i]).toBe(hop * 100);
    });
    const cols = new Map<number, [number, number][]>();
    l.nodes.forEach((_k, i) => {
      const list = cols.get(l.layer[i]!) ?? [];
      list.push([l.order[i]!, l.y[i]!]);
      cols.set(l.layer[i]!, list);
    });
    for (const list of cols.values()) {
      list.sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < list.length; i++) expect(list[i]![1] - list[i - 1]![1]).toBeGreaterThanOrEqual(10 - 1e-9);
    }
  });

  it('barycentre sweeps cut crossings well below the key order', () => {
    const g = buildGraph(trace);
    const before = countCrossings(g, layeredLayout(g, { sweeps: 0 }));
    const after = countCrossings(g, layeredLayout(g));
    expect(after).toBeLessThan(before / 2);
  });

  it('untangles a crossed pair and keeps the heavy flow straight', () => {
    // a→d and b→c cross in key order (c above d); the sweep swaps c and d.
    const g = tiny(
      [
        ['a', 'd', 1],
        ['b', 'c', 1],
      ],
      { a: 0, b: 0, c: 1, d: 1 },
    );
    expect(countCrossings(g, layeredLayout(g, { sweeps: 0 }))).toBe(1);
    expect(countCrossings(g, layeredLayout(g))).toBe(0);
    // exchange → attacker (heavy) → fan of 4: the attacker sits level with the exchange.
    const f = tiny(
      [
        ['ex', 'att', 9],
        ['att', 'f1', 1],
        ['att', 'f2', 1],
        ['att', 'f3', 1],
        ['att', 'f4', 1],
        ['ex', 'other', 1],
      ],
      { ex: 0, att: 1, other: 1, f1: 2, f2: 2, f3: 2, f4: 2 },
    );
    const l = layeredLayout(f, { nodeGap: 10 });
    const y = (k: string) => l.y[l.nodes.indexOf(k)]!;
    expect(y('att')).toBe(y('ex'));
    const fan = ['f1', 'f2', 'f3', 'f4'].map(y);
    expect(Math.abs((Math.min(...fan) + Math.max(...fan)) / 2 - y('att'))).toBeLessThanOrEqual(5);
  });

  it('x = time keeps the columns but spaces nodes by the time value first arrived', () => {
    const g = buildGraph(trace);
    const l = layeredLayout(g, { x: 'time' });
    const pairs = l.nodes.map((k, i) => [g.getNodeAttribute(k, 'firstTime'), l.x[i]!] as const);
    pairs.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < pairs.length; i++) expect(pairs[i]![1]).toBeGreaterThanOrEqual(pairs[i - 1]![1]);
    expect(pairs[0]![1]).toBe(0);
  });

  it('is deterministic, and ForceAtlas2 from it is too', () => {
    const a = buildGraph(trace);
    const b = buildGraph(trace);
    applyLayout(a, layeredLayout(a));
    applyLayout(b, layeredLayout(b));
    expect(JSON.stringify(a.export())).toBe(JSON.stringify(b.export()));
    forceLayout(a, { iterations: 30 });
    forceLayout(b, { iterations: 30 });
    const xs = (g: FlowGraph) => g.mapNodes((_k, at) => [at.x, at.y]);
    expect(xs(a)).toEqual(xs(b));
    expect(xs(a).every(([x, y]) => Number.isFinite(x) && Number.isFinite(y))).toBe(true);
  });

  it('lays out a graph as built and the same graph changed since as it is now (the columns buildGraph left)', () => {
    const g = buildGraph(trace);
    const same = (a: FlowGraph, b: FlowGraph, options = {}) => {
      const la = layeredLayout(a, options);
      const lb = layeredLayout(b, options);
      expect(la.nodes).toEqual(lb.nodes);
      expect([la.x, la.y, la.layer, la.order, la.bounds]).toEqual([lb.x, lb.y, lb.layer, lb.order, lb.bounds]);
      return la;
    };
    // a copy has no columns from the build: it is read from the graph
    same(g, g.copy());
    same(g, g.copy(), { x: 'time', sweeps: 2 });
    // changes through the API and behind its back
    const [first, second] = g.edges();
    g.setEdgeAttribute(first!, 'drawWeight', 7);
    same(g, g.copy());
    g.getNodeAttributes(g.nodes()[3]!).hop = 5;
    same(g, g.copy());
    g.dropEdge(second!);
    same(g, g.copy());
    g.addNode('zz new', { hop: 1, firstTime: 0 } as FlowNodeAttributes);
    const l = same(g, g.copy());
    expect(l.nodes).toContain('zz new');
  });
});
