/**
 * Graph benchmarks for `pnpm bench` (called from run.ts): build + lay out a synthetic 1M-edge trace, and the case report
 * of a 10k-edge trace. The trace is generated in memory by a seeded generator, so every run measures the same input.
 *
 *   tsx test/bench/graph-bench.ts [--quick] [--json]   runs the rows on their own and prints them (or one JSON line)
 *
 * run.ts runs it in a process of its own with the Node flags of the fundflow command (apps/cli/bin/node-flags.mjs), as
 * `fundflow export` and `fundflow report` run.
 */
import { performance } from 'node:perf_hooks';
import type { TraceFile } from '@fundflow/core';
import { applyLayout, buildGraph, buildReport, type FlowGraph, layeredLayout } from '@fundflow/graph';
import { MultiDirectedGraph } from 'graphology';
import { addDirectedEdges, addNodes } from '../../packages/graph/src/graph-internals';
import { addTaintedTransfer, exchangeLabel, syntheticEnvelope, xorshift32 } from './synthetic-trace';

export interface GraphBenchRow {
  name: string;
  value: string;
  target: string;
  ok?: boolean;
}

/**
 * A deterministic account-model trace with `edges` tainted transfers (fifo) over hop layers that widen to the right,
 * the seed at hop 0, labelled exchange deposit addresses in the later hops as cash-out stops, the rest unspent.
 * @example syntheticTrace(10_000).transfers.length === 10_000
 */
export function syntheticTrace(edges: number, seed = 1): TraceFile {
  const rand = xorshift32(seed);
  const hops = 30;
  const addresses = Math.max(10, Math.floor(edges * 0.4));
  // One string per address, as JSON.parse gives for strings this short (V8 internalises those of ≤ 10 characters):
  // the in-memory trace has the shape of a parsed trace file, not one string per mention.
  const names = Array.from({ length: addresses }, (_, i) => `A${i.toString(36).padStart(6, '0')}`);
  const name = (i: number) => names[i]!;
  // address i > 0 sits at hop 1 + ⌊hops·(i/N)²⌋ → later layers are wider
  const hopOf = (i: number) => (i === 0 ? 0 : 1 + Math.min(hops - 1, Math.floor(hops * (i / addresses) ** 0.5)));
  const layerStart: number[] = [0];
  for (let h = 1, i = 1; h <= hops; h++) {
    while (i < addresses && hopOf(i) < h) i++;
    layerStart[h] = i;
  }
  layerStart[hops + 1] = addresses;
  const t = {
    transfers: [] as TraceFile['transfers'],
    edges: [] as NonNullable<TraceFile['results']['fifo']>['edges'],
  };
  for (let e = 0; e < edges; e++) {
    const to = 1 + (e % (addresses - 1));
    const h = hopOf(to);
    const lo = layerStart[h - 1]!;
    const hi = Math.max(lo + 1, layerStart[h]!);
    const from = h === 1 ? 0 : lo + Math.floor(rand() * (hi - lo));
    addTaintedTransfer(t, `t${e.toString(36).padStart(5, '0')}`, name(from), name(to), h, rand);
  }
  const labels: TraceFile['labels'] = [];
  const stops: NonNullable<TraceFile['results']['fifo']>['stops'] = [];
  for (let i = layerStart[hops]!; i < addresses; i++) {
    const exchange = i % 7 === 0;
    if (exchange && labels.length < 1000) {
      labels.push(exchangeLabel(name(i), `Exchange ${i % 13}`));
    }
    stops.push({
      location: name(i),
      address: name(i),
      amount: '1000',
      hop: hops,
      reason: exchange ? 'cash-out' : 'unspent',
    });
  }
  return syntheticEnvelope({ seed: name(0), hops, labels, ...t, stops });
}

/** Rows for the bench table: build + layered layout of a 1M-edge trace (200k with `quick`), report of 10k edges. */
export async function graphBenchRows(quick: boolean): Promise<GraphBenchRow[]> {
  const rows: GraphBenchRow[] = [];
  const big = quick ? 200_000 : 1_000_000;
  const label = big >= 1_000_000 ? '1M' : `${big / 1000}k`;
  const trace = syntheticTrace(big);
  rows.push(...buildRows(trace, label, quick));
  // With the built graph let go, so that the floor runs on the heap the build ran on.
  rows.push(graphologyFloorRow(trace, label));
  const small = syntheticTrace(10_000, 2);
  const r0 = performance.now();
  const report = buildReport(small);
  const reportSeconds = (performance.now() - r0) / 1000;
  rows.push({
    name: 'graph: report (Markdown + HTML + SVG), 10k edges',
    value: `${reportSeconds.toFixed(2)} s (${Math.round(report.html.length / 1024)} KB HTML)`,
    target: '< 3 s',
    ok: reportSeconds < 3,
  });
  return rows;
}

/** The build + layout row and the memory row. */
function buildRows(trace: TraceFile, label: string, quick: boolean): GraphBenchRow[] {
  const rows: GraphBenchRow[] = [];
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  // What the viewer and `fundflow export --layout hop` run on a whole trace: the full graphology graph (every node and
  // edge with all its attributes), then the hop-layered layout written into it.
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const graph = buildGraph(trace, { level: 'address' });
  const t1 = performance.now();
  const layout = layeredLayout(graph, { x: 'hop' });
  applyLayout(graph, layout);
  const t2 = performance.now();
  // CPU time (all threads, the garbage collector's included): less at the mercy of other work on the machine.
  const cpu = process.cpuUsage(cpu0);
  const heap = process.memoryUsage().heapUsed - heap0;
  const peak = process.resourceUsage().maxRSS * 1024;
  const seconds = (t2 - t0) / 1000;
  rows.push({
    name: `graph: build + layered layout, ${label} edges (${graph.order.toLocaleString('en-US')} nodes)`,
    value: `${seconds.toFixed(2)} s (build ${((t1 - t0) / 1000).toFixed(2)} s, layout ${((t2 - t1) / 1000).toFixed(2)} s; cpu ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s)`,
    target: '< 5 s (1M)',
    ...(quick ? {} : { ok: seconds < 5 }),
  });
  rows.push({
    name: `graph: memory, ${label} edges`,
    value: `peak RSS ${(peak / 1e9).toFixed(2)} GB (incl. the in-memory trace), graph heap ${(heap / 1e9).toFixed(2)} GB`,
    target: '< 2 GB',
    ok: peak < 2e9,
  });
  return rows;
}

/**
 * What graphology's own records cost on this machine, under the build row: a MultiDirectedGraph with the same nodes and
 * edges, inserted the way buildGraph inserts them (graph-internals.ts, its fastest path), every node and edge sharing
 * one empty attribute object, so that no attribute is computed or stored. The part of the build no builder can avoid
 * while its product is a graphology graph.
 */
function graphologyFloorRow(trace: TraceFile, label: string): GraphBenchRow {
  // The address-level graph's nodes (its keys, sorted) and edges (the transfers, in order), as buildGraph makes them.
  const keys = [...new Set(trace.transfers.flatMap((t) => [t.from, t.to]))].sort();
  const index = new Map<string, number>();
  for (let i = 0; i < keys.length; i++) index.set(keys[i]!, i);
  const m = trace.transfers.length;
  const source = new Int32Array(m);
  const target = new Int32Array(m);
  const inDegree = new Int32Array(keys.length);
  const outDegree = new Int32Array(keys.length);
  for (let e = 0; e < m; e++) {
    const t = trace.transfers[e]!;
    source[e] = index.get(t.from)!;
    target[e] = index.get(t.to)!;
    outDegree[source[e]!]!++;
    inDegree[target[e]!]!++;
  }
  index.clear();
  global.gc?.();
  const shared = {} as never;
  const t0 = performance.now();
  const graph: FlowGraph = new MultiDirectedGraph({ allowSelfLoops: true });
  const nodeData = addNodes(graph, keys, () => shared, inDegree, outDegree);
  addDirectedEdges(
    graph,
    keys,
    source,
    target,
    (e) => trace.transfers[e]!.id,
    () => shared,
    nodeData,
  );
  const seconds = (performance.now() - t0) / 1000;
  if (graph.size !== m) throw new Error('the floor graph lost edges');
  return {
    name: `graph: floor under the build, graphology's own node and edge records alone, ${label} edges`,
    value: `${seconds.toFixed(2)} s (no attributes; the build and layout above have this plus all their work to fit in the target)`,
    target: '',
  };
}

if (process.argv[1]?.endsWith('graph-bench.ts')) {
  const rows = await graphBenchRows(process.argv.includes('--quick'));
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else {
    for (const r of rows)
      console.log(`| ${r.name} | ${r.value} | ${r.target} | ${r.ok === undefined ? '' : r.ok ? 'yes' : 'NO'} |`);
  }
}
