import type { EdgeRecord, PolicyName, TraceFile } from '@fundflow/core';
import {
  applyLayout,
  buildGraph,
  type FlowGraph,
  type FlowNodeAttributes,
  formatUnits,
  layeredLayout,
  tracedPolicies,
} from '@fundflow/graph';

/** Node colours by label category; `unknown` for unlabelled addresses. */
export const CATEGORY_COLORS = {
  victim: '#1f6fd1',
  exchange: '#2ca02c',
  attacker: '#d62728',
  mixer: '#ff7f0e',
  bridge: '#17becf',
  sanctioned: '#111111',
  service: '#8c564b',
  tagged: '#e377c2',
  other: '#bcbd22',
  unknown: '#9aa0a6',
} as const;
export type ColorCategory = keyof typeof CATEGORY_COLORS;

/** Everything the viewer draws for one trace: the graph (laid out by hop) and what it was built from. */
export interface ViewModel {
  trace: TraceFile;
  graph: FlowGraph;
  policies: PolicyName[];
  seeds: string[];
  decimals: number;
  symbol: string;
  /** Per policy: transfer id → the edge record that policy traced on it. */
  edgeRecords: Map<PolicyName, Map<string, EdgeRecord>>;
  /** Assets of the transfers, most transfers first (one for most traces); of the whole trace when `perAsset`. */
  assets: AssetInfo[];
  /**
   * An all-asset trace (EVM with `--asset all`): the model holds one asset's part of it (`assetView`), since amounts of
   * different assets never add up; the asset picker switches between the parts.
   */
  perAsset: boolean;
  /** Earliest and latest transfer time; undefined without transfers. */
  timeRange: { min: number; max: number } | undefined;
}

/**
 * Builds the address-level graph of a trace with @fundflow/graph and lays it out by hop (seeds in column 0). For one
 * asset of an all-asset trace pass `assetView(whole, id)` and the whole trace (its asset list feeds the picker).
 * @example const vm = buildViewModel(parseTrace(text)); vm.graph.order
 */
export function buildViewModel(trace: TraceFile, whole: TraceFile = trace): ViewModel {
  const graph = buildGraph(trace, { level: 'address' });
  // Deep fan-outs make tall columns: widen the hop gap so the drawing reads left to right on a landscape screen.
  const layout = layeredLayout(graph, { x: 'hop' });
  const { minX, maxX, minY, maxY } = layout.bounds;
  const wanted = 1.6 * (maxY - minY);
  if (layout.layers > 1 && maxX - minX > 0 && maxX - minX < wanted) {
    // In hop mode x is layer × layerGap and nothing else depends on the gap: stretch x rather than lay out again.
    const k = wanted / (maxX - minX);
    for (let i = 0; i < layout.x.length; i++) layout.x[i] = layout.x[i]! * k;
  }
  applyLayout(graph, layout);
  const policies = tracedPolicies(trace);
  const edgeRecords = new Map<PolicyName, Map<string, EdgeRecord>>();
  for (const p of policies) {
    edgeRecords.set(p, new Map(trace.results[p]!.edges.map((e) => [e.transfer, e])));
  }
  const seeds = graph.filterNodes((_n, a) => a.seed);
  return {
    trace,
    graph,
    policies,
    seeds,
    decimals: trace.asset.decimals,
    symbol: trace.asset.symbol,
    edgeRecords,
    assets: assetsOf(whole),
    perAsset: whole.assets !== undefined,
    timeRange: timeBounds(trace),
  };
}

export function colorCategory(category: string): ColorCategory {
  return category !== '' && category in CATEGORY_COLORS ? (category as ColorCategory) : 'unknown';
}

/** `NBEY4I…6YP4`: enough of an address to tell it apart on screen. @example shortAddress('NBEY4IATEONT…') */
export function shortAddress(address: string): string {
  return address.length > 14 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

/** Longest entity name drawn on the graph (the side panel has the full one): long names made labels pile up. */
export const MAX_LABEL_NAME = 24;

/** On-graph label: short address, then the entity name (cut to MAX_LABEL_NAME characters) when it is labelled. */
export function nodeLabel(a: Pick<FlowNodeAttributes, 'address' | 'labelName'>): string {
  if (a.labelName === '') return shortAddress(a.address);
  const chars = [...a.labelName];
  const name = chars.length > MAX_LABEL_NAME ? `${chars.slice(0, MAX_LABEL_NAME - 1).join('')}…` : a.labelName;
  return `${shortAddress(a.address)} · ${name}`;
}

/** Node radius (drawing only): log of the value received (a seed: sent), relative to the largest. */
export function nodeSize(value: string, maxValue: bigint): number {
  const r = Number(BigInt(value));
  const max = Number(maxValue);
  if (max <= 0) return 2;
  // Cubed log ratio: amounts in a trace span many orders of magnitude but most are large; this keeps the few
  // biggest receivers visibly bigger than the dense columns.
  return 1.5 + 10.5 * (Math.log1p(r) / Math.log1p(max)) ** 3;
}

/** The amount a node's size stands for: value received, or for a seed (which received none) the value it sent. */
export function sizeValue(a: Pick<FlowNodeAttributes, 'seed' | 'received' | 'sent'>): string {
  return a.seed && BigInt(a.sent) > BigInt(a.received) ? a.sent : a.received;
}

/** Edge width (drawing only) from the graph's log-scaled `drawWeight`. */
export function edgeWidth(drawWeight: number, maxDrawWeight: number): number {
  return maxDrawWeight > 0 ? 0.4 + (5.6 * drawWeight) / maxDrawWeight : 1;
}

/**
 * Parses an amount typed by a person in whole units (`1,000.5`) into base units; undefined when it is not a number
 * or has more decimals than the asset.
 * @example parseAmountInput('1.5', 6) === 1500000n
 */
export function parseAmountInput(text: string, decimals: number): bigint | undefined {
  const t = text.replace(/[,_\s]/g, '');
  if (t === '') return 0n;
  const m = /^(\d*)(?:\.(\d*))?$/.exec(t);
  if (m === null || (m[1] === '' && (m[2] ?? '') === '')) return undefined;
  const frac = m[2] ?? '';
  if (frac.length > decimals) return undefined;
  return BigInt(m[1] || '0') * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, '0') || '0');
}

export interface Filters {
  /** Transfers below this (base units) are hidden. */
  minAmount: bigint;
  /** Case-insensitive text matched against addresses and label names; empty = no search. */
  search: string;
  /** Transfers before / after these times (unix seconds, inclusive bounds) are hidden. */
  from?: number | undefined;
  to?: number | undefined;
  /** Only transfers in this asset id (e.g. `nem:XEM`); undefined = every asset. */
  asset?: string | undefined;
  /** Transfers below this amount (base units: the trace's `params.minAmount`) are hidden; 0n or undefined = off. */
  dust?: bigint | undefined;
  /** Hides labelled addresses (not the seeds) and their transfers. */
  hideLabelled?: boolean | undefined;
}

export interface Visibility {
  nodes: Set<string>;
  edges: Set<string>;
}

/** True when a filter other than the search is set (then nodes left without a visible edge are hidden too). */
export function filtering(f: Omit<Filters, 'search'>): boolean {
  return (
    f.minAmount > 0n ||
    f.from !== undefined ||
    f.to !== undefined ||
    f.asset !== undefined ||
    (f.dust ?? 0n) > 0n ||
    f.hideLabelled === true
  );
}

/**
 * Which nodes and edges the filters leave on screen. An edge shows when its transfer passes every filter (amount at
 * least `minAmount` and `dust`, time within `from`..`to`, in `asset`, no labelled end when `hideLabelled`); a node
 * shows when it is a seed or touches a visible edge (with no filter set, isolated nodes show too). The graph is only
 * read.
 */
export function computeVisibility(graph: FlowGraph, filters: Omit<Filters, 'search'>): Visibility {
  const edges = new Set<string>();
  const nodes = new Set<string>();
  const min = filters.dust !== undefined && filters.dust > filters.minAmount ? filters.dust : filters.minAmount;
  const hidden = (n: string) => filters.hideLabelled === true && labelled(graph, n);
  graph.forEachEdge((e, a, s, t) => {
    if (BigInt(a.amount) < min) return;
    if (filters.from !== undefined && a.time < filters.from) return;
    if (filters.to !== undefined && a.time > filters.to) return;
    if (filters.asset !== undefined && a.asset !== filters.asset) return;
    if (hidden(s) || hidden(t)) return;
    edges.add(e);
    nodes.add(s);
    nodes.add(t);
  });
  const any = filtering(filters);
  graph.forEachNode((n, a) => {
    if (a.seed || (!any && graph.degree(n) === 0)) nodes.add(n);
  });
  return { nodes, edges };
}

/** A labelled address that is not a seed (what "hide labelled entities" hides). */
function labelled(graph: FlowGraph, node: string): boolean {
  const a = graph.getNodeAttributes(node);
  return !a.seed && a.labelName !== '';
}

/** Earliest and latest transfer time of a trace (unix seconds); undefined for a trace without transfers. */
export function timeBounds(trace: TraceFile): { min: number; max: number } | undefined {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const t of trace.transfers) {
    if (t.time < min) min = t.time;
    if (t.time > max) max = t.time;
  }
  return min <= max ? { min, max } : undefined;
}

export interface AssetInfo {
  id: string;
  symbol: string;
  decimals: number;
  /** Transfers in this asset. */
  transfers: number;
}

/**
 * The assets a trace's transfers are in, most transfers first; symbol and decimals from the trace's `asset` /
 * `assets` records (an id the trace does not describe shows as its part after the chain, with 0 decimals).
 */
export function assetsOf(trace: TraceFile): AssetInfo[] {
  const known = new Map<string, { symbol: string; decimals: number }>();
  const described = (trace as { assets?: { id: string; symbol: string; decimals: number }[] }).assets ?? [];
  for (const a of [trace.asset, ...described]) known.set(a.id, { symbol: a.symbol, decimals: a.decimals });
  const counts = new Map<string, number>();
  for (const t of trace.transfers) counts.set(t.asset, (counts.get(t.asset) ?? 0) + 1);
  return [...counts.entries()]
    .map(([id, transfers]) => {
      const k = known.get(id);
      return { id, symbol: k?.symbol ?? id.slice(id.indexOf(':') + 1), decimals: k?.decimals ?? 0, transfers };
    })
    .sort((a, b) => b.transfers - a.transfers || (a.id < b.id ? -1 : 1));
}

/**
 * Nodes whose address or label name contains the query (case-insensitive), in graph order.
 * @example searchNodes(graph, 'exchange')
 */
export function searchNodes(graph: FlowGraph, query: string): string[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [];
  return graph.filterNodes((_n, a) => a.address.toLowerCase().includes(q) || a.labelName.toLowerCase().includes(q));
}

export interface FlowPathResult {
  nodes: string[];
  edges: string[];
  /** The smallest amount the policy traced along the path: the most it can have carried to the target. */
  carried: bigint;
}

/**
 * The widest path (largest bottleneck of traced amounts under `policy`) from any seed to `target`, over edges the
 * policy traced. Undefined when no traced value reached the target. A seed itself gives an empty path.
 */
export function widestPathFromSeed(graph: FlowGraph, policy: PolicyName, target: string): FlowPathResult | undefined {
  if (!graph.hasNode(target)) return undefined;
  if (graph.getNodeAttribute(target, 'seed')) return { nodes: [target], edges: [], carried: 0n };
  const key = `taint_${policy}` as const;
  // Bottleneck Dijkstra: best[n] = widest bottleneck from a seed; seeds are unbounded (-1n stands for infinity).
  const best = new Map<string, bigint>();
  const via = new Map<string, string>();
  const done = new Set<string>();
  const heap = new MaxHeap();
  graph.forEachNode((n, a) => {
    if (a.seed) {
      best.set(n, -1n);
      heap.push(n, -1n);
    }
  });
  const wider = (a: bigint, b: bigint) => (a === -1n ? b !== -1n : b !== -1n && a > b);
  for (let item = heap.pop(); item !== undefined; item = heap.pop()) {
    const [node, width] = item;
    if (done.has(node) || best.get(node) !== width) continue;
    done.add(node);
    if (node === target) break;
    graph.forEachOutEdge(node, (edge, attrs, _s, next) => {
      const taint = attrs[key];
      if (taint === undefined || taint === '0' || done.has(next)) return;
      const t = BigInt(taint);
      const w = width === -1n ? t : width < t ? width : t;
      const have = best.get(next);
      if (have === undefined || wider(w, have)) {
        best.set(next, w);
        via.set(next, edge);
        heap.push(next, w);
      }
    });
  }
  const carried = best.get(target);
  if (carried === undefined) return undefined;
  const nodes = [target];
  const edges: string[] = [];
  for (let n = target, e = via.get(n); e !== undefined; e = via.get(n)) {
    edges.unshift(e);
    n = graph.source(e);
    nodes.unshift(n);
  }
  return { nodes, edges, carried };
}

/** A tiny binary max-heap on bigint priorities, -1n ranking above everything (an unbounded width). */
class MaxHeap {
  private items: [string, bigint][] = [];
  private above(a: bigint, b: bigint): boolean {
    return a === -1n ? b !== -1n : b !== -1n && a > b;
  }
  push(key: string, priority: bigint): void {
    const h = this.items;
    h.push([key, priority]);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.above(h[i]![1], h[p]![1])) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  pop(): [string, bigint] | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.above(h[l]![1], h[m]![1])) m = l;
      if (r < h.length && this.above(h[r]![1], h[m]![1])) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
    return top;
  }
}

export interface TransferRow {
  id: string;
  txid: string;
  time: number;
  direction: 'in' | 'out';
  counterparty: string;
  amount: string;
  /** Amount the policy traced on this transfer; undefined when it carried no traced value under the policy. */
  traced: string | undefined;
  /** The rule that produced the edge under the policy (e.g. `account.outflow/fifo`); empty when not traced. */
  rule: string;
  /** Heuristic findings on this transfer under the policy (`change:direct 0.8`); empty when none. */
  heuristics: string[];
  /** CoinJoin description when the policy marked the hop as mixed (`whirlpool 1000000 ×5`); empty otherwise. */
  mixed: string;
  /** Asset id of the transfer. */
  asset: string;
  memo: string;
}

/** The transfers into and out of an address, oldest first, with what `policy` traced on each. */
export function transfersOf(vm: ViewModel, address: string, policy: PolicyName): TransferRow[] {
  const records = vm.edgeRecords.get(policy);
  const rows: TransferRow[] = [];
  for (const t of vm.trace.transfers) {
    if (t.from !== address && t.to !== address) continue;
    const r = records?.get(t.id);
    rows.push({
      id: t.id,
      txid: t.txid,
      time: t.time,
      direction: t.to === address ? 'in' : 'out',
      counterparty: t.to === address ? t.from : t.to,
      amount: t.amount,
      traced: r?.amount,
      rule: r?.rule ?? '',
      heuristics: (r?.heuristics ?? []).map((h) => `${h.rule} ${h.confidence}`),
      mixed: r?.mixed ?? '',
      asset: t.asset,
      memo: t.memo ?? '',
    });
  }
  return rows.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Labels of an address from the trace's label packs (all of them, not only the one drawn). */
export function labelsOf(trace: TraceFile, address: string): TraceFile['labels'] {
  return trace.labels.filter((l) => l.address === address);
}

export interface CashOutRow {
  address: string;
  label: string;
  category: string;
  amount: string;
}

/** The policy's cash-out points, largest first. */
export function cashOutRows(trace: TraceFile, policy: PolicyName): CashOutRow[] {
  const rows = [...(trace.results[policy]?.summary.cashOuts ?? [])];
  return rows.sort((a, b) => {
    const d = BigInt(b.amount) - BigInt(a.amount);
    return d > 0n ? 1 : d < 0n ? -1 : a.address < b.address ? -1 : 1;
  });
}

/** `526,300,010 XEM`: base units as exact decimal text with the symbol. */
export function formatAmount(units: string | bigint, vm: Pick<ViewModel, 'decimals' | 'symbol'>): string {
  return `${formatUnits(units, vm.decimals)} ${vm.symbol}`;
}

/** `2018-01-26 00:02:13 UTC` */
export function formatTime(unix: number): string {
  return `${new Date(unix * 1000).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}
