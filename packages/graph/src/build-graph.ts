import type { PolicyName, StopRecord, TraceFile, TransferRecord } from '@fundflow/core';
import { MultiDirectedGraph } from 'graphology';
import { commonInputClusters } from './clusters';
import { addDirectedEdges, addNodes } from './graph-internals';
import { rememberLayoutInput } from './layout/layout-input';
import type { FlowEdgeAttributes, FlowGraph, FlowGraphAttributes, FlowNodeAttributes, GraphLevel } from './types';

type LabelRecord = TraceFile['labels'][number];

export interface BuildGraphOptions {
  /** Aggregation level (default `address`). */
  level?: GraphLevel;
}

/** What the trace's policies say about one transfer. */
export interface TransferTaint {
  /** Tainted amount per policy (index = position in `tracedPolicies(trace)`), undefined where not traced. */
  amounts: (string | undefined)[];
  hop: number;
  rule: string;
  confidence: number;
}

/** Categories in the order a node's label is chosen when an address has several. */
const CATEGORY_RANK = [
  'sanctioned',
  'mixer',
  'exchange',
  'bridge',
  'service',
  'attacker',
  'victim',
  'tagged',
  'other',
] as const;

/**
 * The policies a trace has results for, in the trace's order.
 * @example tracedPolicies(trace) // ['fifo', 'haircut', 'poison']
 */
export function tracedPolicies(trace: TraceFile): PolicyName[] {
  return trace.params.policies.filter((p) => trace.results[p] !== undefined);
}

/**
 * Per transfer id: the amount each policy traced on it, its hop, rule and confidence (from the first policy in order).
 * @example taintByTransfer(trace).get('ab…:1')?.amounts // ['1000', '990', '1000']
 */
export function taintByTransfer(trace: TraceFile): Map<string, TransferTaint> {
  const policies = tracedPolicies(trace);
  const out = new Map<string, TransferTaint>();
  policies.forEach((policy, i) => {
    for (const e of trace.results[policy]!.edges) {
      let t = out.get(e.transfer);
      if (t === undefined) {
        t = { amounts: new Array(policies.length).fill(undefined), hop: e.hop, rule: e.rule, confidence: e.confidence };
        out.set(e.transfer, t);
      } else if (e.hop < t.hop) {
        t.hop = e.hop;
        t.rule = e.rule;
        t.confidence = e.confidence;
      }
      t.amounts[i] = e.amount;
    }
  });
  return out;
}

/**
 * The label shown for each address: where an address has several, the most specific category wins
 * (sanctioned, mixer, exchange, … other), then the name.
 * @example labelByAddress(trace).get('bcrt1q…')?.category // 'exchange'
 */
export function labelByAddress(trace: Pick<TraceFile, 'labels'>): Map<string, LabelRecord> {
  const out = new Map<string, LabelRecord>();
  const rank = (l: LabelRecord) => CATEGORY_RANK.indexOf(l.category);
  for (const l of trace.labels) {
    const have = out.get(l.address);
    if (have === undefined || rank(l) < rank(have) || (rank(l) === rank(have) && l.name < have.name)) {
      out.set(l.address, l);
    }
  }
  return out;
}

/**
 * Seed addresses: address seeds as given, outpoint seeds (`txid:vout`) resolved to the address that owned them.
 * @example seedAddresses(trace) // Set { 'bcrt1qqyx4…' }
 */
export function seedAddresses(trace: TraceFile): Set<string> {
  // Only the seeds' owners are needed: look at the records whose id is a seed, not index them all.
  const wanted = new Set(trace.params.seeds);
  const owner = new Map<string, string>();
  for (const tx of trace.transactions) {
    for (const i of tx.inputs)
      if (i.outpoint !== undefined && i.address !== undefined && wanted.has(i.outpoint))
        owner.set(i.outpoint, i.address);
  }
  for (const t of trace.transfers) if (wanted.has(t.id)) owner.set(t.id, t.to);
  return new Set(trace.params.seeds.map((s) => owner.get(s) ?? s));
}

/**
 * A base-unit amount (decimal string) as a number where that is exact, else NaN: up to 15 digits is below 2^53, so
 * `+amount` is exact (and so is a sum of such while it stays a safe integer, see AmountSums).
 */
function parseAmount(amount: string): number {
  return amount.length <= 15 ? +amount : Number.NaN;
}

/**
 * Exact per-row sums of base-unit amounts (decimal strings). A row is a float64 while its sum is a safe integer (no
 * allocation per addition, which counts at a million edges) and a bigint from the first addition that would not be.
 */
class AmountSums {
  /**
   * The row's sum while it is a safe integer; NaN once it is in `big`. Rows past its length hold 0. Allocated when
   * first added to, for all rows appended by then (buildGraph appends every node before it sums): one allocation of
   * the right size rather than growth by doubling, since typed arrays count as V8 "external memory", and every 64 MB
   * of it since the last full garbage collection starts another one (at a million edges, of a gigabyte of heap).
   */
  private small = new Float64Array(0);
  private rows = 0;
  private readonly big = new Map<number, bigint>();

  /** Appends a row holding 0. */
  push(): void {
    this.rows++;
  }

  add(row: number, amount: string): void {
    this.addParsed(row, parseAmount(amount), amount);
  }

  /** As `add`, with `parsed` = `parseAmount(amount)`: an amount added to several rows is parsed once. */
  addParsed(row: number, parsed: number, amount: string): void {
    if (row >= this.small.length) {
      const grown = new Float64Array(Math.max(this.rows, row + 1));
      grown.set(this.small);
      this.small = grown;
    }
    const s = this.small[row]!;
    if (!Number.isNaN(parsed)) {
      const sum = s + parsed;
      if (sum <= Number.MAX_SAFE_INTEGER) {
        this.small[row] = sum;
        return;
      }
    }
    const base = Number.isNaN(s) ? this.big.get(row)! : BigInt(s);
    this.big.set(row, base + BigInt(amount));
    this.small[row] = Number.NaN;
  }

  toString(row: number): string {
    const s = row < this.small.length ? this.small[row]! : 0;
    return Number.isNaN(s) ? this.big.get(row)!.toString() : String(s);
  }
}

/**
 * What the node attributes are computed from, one row per node (in order of first sight): columns rather than an
 * object per node, as a million-edge trace has hundreds of thousands of nodes.
 */
class NodeTable {
  readonly ids = new Map<string, number>();
  readonly keys: string[] = [];
  readonly kind: FlowNodeAttributes['kind'][] = [];
  readonly address: string[] = [];
  readonly label: (LabelRecord | undefined)[] = [];
  readonly members: number[] = [];
  /** The addresses of nodes that merge several (cluster, entity); a plain address node's only member is itself. */
  readonly memberSets = new Map<number, Set<string>>();
  readonly seed: boolean[] = [];
  readonly hop: number[] = [];
  readonly firstTime: number[] = [];
  readonly lastTime: number[] = [];
  readonly received = new AmountSums();
  readonly sent = new AmountSums();
  /** Per policy (index in `tracedPolicies`): tainted value in and out, stopped, cashed out, paid as fees. */
  readonly in: AmountSums[];
  readonly out: AmountSums[];
  readonly stopped: AmountSums[];
  readonly cashout: AmountSums[];
  readonly fee: AmountSums[];
  /** Per policy: node → the reasons its branches stopped (only nodes with stops). */
  readonly reasons: Map<number, Set<string>>[];
  private readonly allSums: AmountSums[];

  constructor(policies: number) {
    const sums = () => Array.from({ length: policies }, () => new AmountSums());
    this.in = sums();
    this.out = sums();
    this.stopped = sums();
    this.cashout = sums();
    this.fee = sums();
    this.reasons = Array.from({ length: policies }, () => new Map<number, Set<string>>());
    this.allSums = [this.received, this.sent, ...this.in, ...this.out, ...this.stopped, ...this.cashout, ...this.fee];
  }

  /** A new node without members; returns its row. */
  add(key: string, kind: FlowNodeAttributes['kind'], address: string): number {
    const id = this.keys.length;
    this.ids.set(key, id);
    this.keys.push(key);
    this.kind.push(kind);
    this.address.push(address);
    this.label.push(undefined);
    this.members.push(0);
    this.seed.push(false);
    this.hop.push(-1);
    this.firstTime.push(-1);
    this.lastTime.push(-1);
    for (const s of this.allSums) s.push();
    return id;
  }

  /** Counts a member (address) of a node, with its label and whether it is a seed. */
  addMember(id: number, label: LabelRecord | undefined, seed: boolean): void {
    this.members[id]!++;
    const have = this.label[id];
    if (label !== undefined && (have === undefined || betterLabel(label, have))) this.label[id] = label;
    if (seed) {
      this.seed[id] = true;
      this.hop[id] = 0;
    }
  }

  /** A transfer at `time` touched the node. */
  touch(id: number, time: number): void {
    const first = this.firstTime[id]!;
    if (first < 0 || time < first) this.firstTime[id] = time;
    if (time > this.lastTime[id]!) this.lastTime[id] = time;
  }
}

/** What the policies traced on each edge (row = edge index); `hop` is −1 where no policy traced the edge. */
interface EdgeTaint {
  /** Hop, rule and confidence under the policy that traced the edge at the lowest hop (the first in policy order). */
  hop: Int32Array;
  rule: string[];
  confidence: Float64Array;
  /** Per policy (index in `tracedPolicies`): the amount it traced on the edge, or undefined. */
  amounts: (string | undefined)[][];
}

/**
 * Finds an edge's row by its key (the transfer id): at the expected row first, as policy results list transfers
 * in the trace's order, else through a map of every key, built on first need.
 */
class EdgeIndex {
  private map: Map<string, number> | undefined;
  constructor(private readonly records: readonly TransferRecord[]) {}

  find(key: string, expected = -1): number {
    if (expected >= 0 && expected < this.records.length && this.records[expected]!.id === key) return expected;
    if (this.map === undefined) {
      const map = new Map<string, number>();
      for (let e = 0; e < this.records.length; e++) map.set(this.records[e]!.id, e);
      this.map = map;
    }
    return this.map.get(key) ?? -1;
  }
}

/** Joins the policies' edge records to the edges `0 … transfers−1` (the trace's transfers). */
function taintOfEdges(
  trace: TraceFile,
  policies: PolicyName[],
  index: EdgeIndex,
  transfers: number,
  edges: number,
): EdgeTaint {
  const hop = new Int32Array(edges).fill(-1);
  const rule = new Array<string>(edges);
  const confidence = new Float64Array(edges);
  const amounts = policies.map(() => new Array<string | undefined>(edges));
  policies.forEach((policy, i) => {
    let next = 0;
    for (const e of trace.results[policy]!.edges) {
      const row = index.find(e.transfer, next);
      if (row < 0 || row >= transfers) continue;
      next = row + 1;
      if (hop[row]! < 0 || e.hop < hop[row]!) {
        hop[row] = e.hop;
        rule[row] = e.rule;
        confidence[row] = e.confidence;
      }
      amounts[i]![row] = e.amount;
    }
  });
  return { hop, rule, confidence, amounts };
}

/**
 * Builds a graphology MultiDirectedGraph from a `fundflow.trace/1` file: one edge per transfer keyed by its id, nodes
 * keyed by address (or cluster / entity / transaction, see `GraphLevel`), per-policy amounts as decimal strings.
 * Nodes are inserted in key order and edges in the trace's order, so the same trace always gives the same graph.
 * Works on columns (node and edge rows in arrays), not an object per transfer: fit for a million transfers.
 * @example const graph = buildGraph(parseTrace(text), { level: 'address' }); graph.getEdgeAttribute('ab…:0', 'taint_fifo')
 */
export function buildGraph(trace: TraceFile, options: BuildGraphOptions = {}): FlowGraph {
  const level = options.level ?? 'address';
  const policies = tracedPolicies(trace);
  const n = policies.length;
  const labels = labelByAddress(trace);
  const seeds = seedAddresses(trace);
  const utxo = trace.model === 'utxo';
  const transferLevel = level === 'transfer' && utxo;

  const clusters = level === 'cluster' && utxo ? commonInputClusters(trace) : undefined;
  const nodeOfAddress = (address: string): string => {
    if (clusters !== undefined) {
      const rep = clusters.get(address);
      if (rep === undefined || !multi.has(rep)) return address;
      return `cluster:${rep}`;
    }
    if (level === 'entity') {
      const l = labels.get(address);
      if (l !== undefined) return `entity:${l.name}`;
    }
    return address;
  };
  // Only computed when clustering: which representatives have more than one member.
  const multi = new Set<string>();
  if (clusters !== undefined) {
    const seen = new Set<string>();
    for (const rep of clusters.values()) {
      if (seen.has(rep)) multi.add(rep);
      else seen.add(rep);
    }
  }

  const nodes = new NodeTable(n);
  /** The node an address belongs to, created on first sight; returns its row. */
  const addressNode = (address: string): number => {
    const key = nodeOfAddress(address);
    let id = nodes.ids.get(key);
    if (key === address) {
      // A node of its own: its one member is counted when it is created.
      if (id === undefined) {
        id = nodes.add(key, 'address', address);
        nodes.addMember(id, labels.get(address), seeds.has(address));
      }
      return id;
    }
    if (id === undefined) {
      const kind = key.startsWith('cluster:') ? 'cluster' : key.startsWith('entity:') ? 'entity' : 'address';
      id = nodes.add(key, kind, kind === 'cluster' ? key.slice('cluster:'.length) : address);
      nodes.memberSets.set(id, new Set());
    }
    const members = nodes.memberSets.get(id)!;
    if (!members.has(address)) {
      members.add(address);
      nodes.addMember(id, labels.get(address), seeds.has(address));
    }
    return id;
  };

  // Edge rows: the trace's transfers in order, then (transfer level) one per input of a traced transaction that spends
  // an output the trace did not record. Edge `e` runs from node source[e] to node target[e].
  const txNode = new Map<string, number>(); // txid → its transaction node (transfer level)
  const spentBy = new Map<string, number>(); // outpoint → the transaction node that spent it (transfer level)
  const inputs: TransferRecord[] = [];
  if (transferLevel) {
    const transferIds = new Set(trace.transfers.map((t) => t.id));
    for (const tx of trace.transactions) {
      let id = txNode.get(tx.txid);
      if (id === undefined) {
        id = nodes.add(`tx:${tx.txid}`, 'transaction', tx.txid);
        nodes.addMember(id, undefined, false);
        txNode.set(tx.txid, id);
      }
      nodes.firstTime[id] = tx.time;
      nodes.lastTime[id] = tx.time;
      for (const i of tx.inputs) if (i.outpoint !== undefined) spentBy.set(i.outpoint, id);
    }
    for (const tx of trace.transactions) {
      for (const i of tx.inputs) {
        if (i.outpoint === undefined || transferIds.has(i.outpoint)) continue;
        inputs.push({
          id: i.outpoint,
          txid: tx.txid,
          from: i.address ?? 'coinbase',
          to: tx.txid,
          asset: trace.asset.id,
          amount: i.value,
          time: tx.time,
          height: tx.height,
          kind: 'utxo',
          evidence: tx.evidence,
        });
      }
    }
  }
  const records: readonly TransferRecord[] = inputs.length === 0 ? trace.transfers : trace.transfers.concat(inputs);
  const inputFrom = trace.transfers.length;
  const m = records.length;
  const source = new Int32Array(m);
  const target = new Int32Array(m);
  for (let e = 0; e < inputFrom; e++) {
    const t = records[e]!;
    source[e] = (transferLevel ? txNode.get(t.txid) : undefined) ?? addressNode(t.from);
    target[e] = (transferLevel ? spentBy.get(t.id) : undefined) ?? addressNode(t.to);
  }
  for (let e = inputFrom; e < m; e++) {
    source[e] = addressNode(records[e]!.from);
    target[e] = txNode.get(records[e]!.to)!;
  }
  const index = new EdgeIndex(records);
  const taint = taintOfEdges(trace, policies, index, inputFrom, m);

  // Hop of a transaction's layer (its lowest tainted transfer), for untainted outputs beside tainted ones and for
  // transaction nodes; only for those transactions.
  const txHop = new Map<string, number>();
  const hopWanted = new Set<string>(txNode.keys());
  for (let e = 0; e < m; e++) if (taint.hop[e]! < 0) hopWanted.add(records[e]!.txid);
  if (hopWanted.size > 0) {
    for (let e = 0; e < m; e++) {
      const h = taint.hop[e]!;
      const txid = records[e]!.txid;
      if (h < 0 || !hopWanted.has(txid)) continue;
      const have = txHop.get(txid);
      if (have === undefined || h < have) txHop.set(txid, h);
    }
  }

  // Each amount is parsed once, for both its rows and the edge's drawWeight: for drawing only, the log-scaled largest
  // tainted amount (float rounding of the amount is fine there; the sums are exact).
  const drawWeight = new Float64Array(m);
  for (let e = 0; e < m; e++) {
    const t = records[e]!;
    const s = source[e]!;
    const d = target[e]!;
    const amount = parseAmount(t.amount);
    nodes.sent.addParsed(s, amount, t.amount);
    nodes.received.addParsed(d, amount, t.amount);
    nodes.touch(s, t.time);
    nodes.touch(d, t.time);
    const hop = taint.hop[e]!;
    if (hop < 0) continue;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const a = taint.amounts[i]![e];
      if (a === undefined) continue;
      const v = +a;
      if (v > max) max = v;
      const exact = a.length <= 15 ? v : Number.NaN;
      nodes.out[i]!.addParsed(s, exact, a);
      nodes.in[i]!.addParsed(d, exact, a);
    }
    drawWeight[e] = max > 0 ? Math.round(Math.log10(max + 1) * 1000) / 1000 : 0;
    if (!nodes.seed[d] && (nodes.hop[d]! < 0 || hop < nodes.hop[d]!)) nodes.hop[d] = hop;
  }
  // A transaction node sits at the hop of its outputs.
  for (const [txid, id] of txNode) {
    const h = txHop.get(txid);
    if (h !== undefined) nodes.hop[id] = h;
  }

  // The transaction that paid a fee, by its sender, for fee stops whose transaction is not a node: only those txids.
  const sender = new Map<string, number>();
  const feeTxids = new Set<string>();
  for (const p of policies)
    for (const s of trace.results[p]!.stops)
      if (s.reason === 'fee' && !txNode.has(s.location)) feeTxids.add(s.location);
  if (feeTxids.size > 0) {
    for (let e = 0; e < inputFrom; e++) {
      const txid = records[e]!.txid;
      // transfer level: the last transfer of the transaction; otherwise the first
      if (feeTxids.has(txid) && (transferLevel || !sender.has(txid))) sender.set(txid, source[e]!);
    }
  }
  const stopNode = (stop: StopRecord): number | undefined => {
    const viaTx = stop.reason === 'fee' ? (txNode.get(stop.location) ?? sender.get(stop.location)) : undefined;
    if (viaTx !== undefined) return viaTx;
    // A location other than the address is a transfer (an outpoint): the stop is where that edge arrived.
    if (stop.location !== stop.address) {
      const e = index.find(stop.location);
      if (e >= 0) return target[e];
    }
    return nodes.ids.get(nodeOfAddress(stop.address));
  };
  policies.forEach((policy, i) => {
    for (const stop of trace.results[policy]!.stops) {
      const id = stopNode(stop);
      if (id === undefined) continue;
      if (stop.reason === 'fee') {
        nodes.fee[i]!.add(id, stop.amount);
        continue;
      }
      nodes.stopped[i]!.add(id, stop.amount);
      let reasons = nodes.reasons[i]!.get(id);
      if (reasons === undefined) {
        reasons = new Set();
        nodes.reasons[i]!.set(id, reasons);
      }
      reasons.add(stop.reason);
      if (stop.reason === 'cash-out') nodes.cashout[i]!.add(id, stop.amount);
    }
  });

  const graph: FlowGraph = new MultiDirectedGraph<FlowNodeAttributes, FlowEdgeAttributes, FlowGraphAttributes>({
    allowSelfLoops: true,
  });
  const attrs: FlowGraphAttributes = {
    format: 'fundflow.graph/1',
    level,
    chain: trace.chain,
    model: trace.model,
    asset: trace.asset.id,
    symbol: trace.asset.symbol,
    decimals: trace.asset.decimals,
    policies: policies.join(','),
    seeds: trace.params.seeds.join(' '),
  };
  graph.replaceAttributes(attrs);

  const names: PolicyNames[] = policies.map((p) => ({
    in: `in_${p}`,
    out: `out_${p}`,
    stopped: `stopped_${p}`,
    cashout: `cashout_${p}`,
    fee: `fee_${p}`,
    stop: `stop_${p}`,
    taint: `taint_${p}`,
  }));
  const taintKeys = names.map((k) => k.taint);
  // Default sort: by UTF-16 code units, as compareStrings.
  const sortedKeys = nodes.keys.slice().sort();
  /** Position of each node row in the graph's node order. */
  const rank = new Int32Array(sortedKeys.length);
  const rowOf = new Int32Array(sortedKeys.length);
  for (let r = 0; r < sortedKeys.length; r++) {
    const id = nodes.ids.get(sortedKeys[r]!)!;
    rank[id] = r;
    rowOf[r] = id;
  }
  // From here on edge ends are positions in the graph's node order (in place: see AmountSums on typed arrays); and
  // the degrees the adjacency objects are made for.
  const edgeSource = source;
  const edgeTarget = target;
  const outDegree = new Int32Array(sortedKeys.length);
  const inDegree = new Int32Array(sortedKeys.length);
  for (let e = 0; e < m; e++) {
    const s = rank[source[e]!]!;
    const d = rank[target[e]!]!;
    edgeSource[e] = s;
    edgeTarget[e] = d;
    outDegree[s]!++;
    inDegree[d]!++;
  }
  const nodeData = addNodes(graph, sortedKeys, (r) => new NodeAttributes(nodes, rowOf[r]!, names), inDegree, outDegree);
  addDirectedEdges(
    graph,
    sortedKeys,
    edgeSource,
    edgeTarget,
    (e) => records[e]!.id,
    (e) => {
      const t = records[e]!;
      const hop = taint.hop[e]!;
      const tainted = hop >= 0;
      return edgeAttributes(
        t,
        e >= inputFrom ? 'input' : t.kind,
        tainted ? hop : (txHop.get(t.txid) ?? 0),
        tainted,
        tainted ? taint.rule[e]! : '',
        tainted ? taint.confidence[e]! : 0,
        drawWeight[e]!,
        taintKeys,
        taint.amounts,
        e,
      );
    },
    nodeData,
  );

  // What the layout reads, as the columns it would otherwise read back from the graph (see layoutInputOf).
  const hop = new Float64Array(sortedKeys.length);
  const firstTime = new Float64Array(sortedKeys.length);
  for (let id = 0; id < sortedKeys.length; id++) {
    hop[rank[id]!] = nodes.hop[id]!;
    firstTime[rank[id]!] = nodes.firstTime[id]!;
  }
  // The layout's edge weight, in place of drawWeight (in the attributes by now).
  const weight = drawWeight;
  for (let e = 0; e < m; e++) weight[e] = 1 + drawWeight[e]!;
  rememberLayoutInput(graph, { nodes: sortedKeys, hop, firstTime, source: edgeSource, target: edgeTarget, weight });
  return graph;
}

/** Attribute names of one policy. */
interface PolicyNames {
  in: string;
  out: string;
  stopped: string;
  cashout: string;
  fee: string;
  stop: string;
  taint: string;
}

/*
 * Each attribute object is allocated once, sized for all its keys, and is a plain object (prototype
 * `Object.prototype`) with the keys, order and values of FlowNodeAttributes / FlowEdgeAttributes:
 * - Node attributes are made by a constructor: V8 sizes its objects for all their properties (slack tracking), where a
 *   literal plus `a[name] = …` for the per-policy keys would allocate a second store per object.
 * - Edge attributes are made by object literals, one per number of policies, with the per-policy keys as computed
 *   names (`[k[0]]: …`), which V8 also sizes for. A literal is an "allocation site" V8 watches: seeing that nearly all
 *   its objects survive, it allocates them in the old generation directly (pretenuring), so the young-generation
 *   collections stop copying a million attribute objects (a constructor's objects are never pretenured). For nodes
 *   (six computed keys per policy, fewer objects) the literal measured slower than the constructor.
 */

/** The attributes of node row `id` (see FlowNodeAttributes). Call with `new`. */
const NodeAttributes = function (this: Record<string, unknown>, nodes: NodeTable, id: number, names: PolicyNames[]) {
  const label = nodes.label[id];
  this.kind = nodes.kind[id]!;
  this.label = label?.name ?? nodes.address[id]!;
  this.address = nodes.address[id]!;
  this.members = nodes.members[id]!;
  this.labelName = label?.name ?? '';
  this.category = label?.category ?? '';
  this.labelSource = label ? `${label.pack}: ${label.source} (as of ${label.asOf}, ${label.confidence})` : '';
  this.seed = nodes.seed[id]!;
  this.hop = nodes.hop[id]!;
  this.firstTime = nodes.firstTime[id]!;
  this.lastTime = nodes.lastTime[id]!;
  this.received = nodes.received.toString(id);
  this.sent = nodes.sent.toString(id);
  for (let i = 0; i < names.length; i++) {
    const k = names[i]!;
    this[k.in] = nodes.in[i]!.toString(id);
    this[k.out] = nodes.out[i]!.toString(id);
    this[k.stopped] = nodes.stopped[i]!.toString(id);
    this[k.cashout] = nodes.cashout[i]!.toString(id);
    this[k.fee] = nodes.fee[i]!.toString(id);
    const reasons = nodes.reasons[i]!.get(id);
    this[k.stop] = reasons === undefined ? '' : [...reasons].sort().join(',');
  }
} as unknown as new (
  nodes: NodeTable,
  id: number,
  names: PolicyNames[],
) => FlowNodeAttributes;
NodeAttributes.prototype = Object.prototype;

/** The attributes of edge row `e` (see FlowEdgeAttributes); `k`: the `taint_<policy>` keys, in policy order. */
function edgeAttributes(
  t: TransferRecord,
  kind: string,
  hop: number,
  tainted: boolean,
  rule: string,
  confidence: number,
  drawWeight: number,
  k: string[],
  amounts: (string | undefined)[][],
  e: number,
): FlowEdgeAttributes {
  const transfer = t.id;
  const txid = t.txid;
  const asset = t.asset;
  const amount = t.amount;
  const time = t.time;
  const height = t.height;
  const evidence = t.evidence.join(' ');
  const memo = t.memo ?? '';
  // biome-ignore format: the keys on one line, as in FlowEdgeAttributes
  switch (k.length) {
    case 0:
      return { transfer, txid, asset, kind, amount, time, height, hop, tainted, rule, confidence, evidence, memo, drawWeight };
    case 1:
      return { transfer, txid, asset, kind, amount, time, height, hop, tainted, rule, confidence, evidence, memo, drawWeight,
        [k[0]!]: amounts[0]![e] ?? '0',
      };
    case 2:
      return { transfer, txid, asset, kind, amount, time, height, hop, tainted, rule, confidence, evidence, memo, drawWeight,
        [k[0]!]: amounts[0]![e] ?? '0', [k[1]!]: amounts[1]![e] ?? '0',
      };
    case 3:
      return { transfer, txid, asset, kind, amount, time, height, hop, tainted, rule, confidence, evidence, memo, drawWeight,
        [k[0]!]: amounts[0]![e] ?? '0', [k[1]!]: amounts[1]![e] ?? '0', [k[2]!]: amounts[2]![e] ?? '0',
      };
  }
  // More policies than there are (a trace that lists one twice): the same object, its per-policy keys added one by one.
  const a: Record<string, unknown> = {
    transfer,
    txid,
    asset,
    kind,
    amount,
    time,
    height,
    hop,
    tainted,
    rule,
    confidence,
    evidence,
    memo,
    drawWeight,
  };
  for (let i = 0; i < k.length; i++) a[k[i]!] = amounts[i]![e] ?? '0';
  return a as FlowEdgeAttributes;
}

function betterLabel(a: LabelRecord, b: LabelRecord): boolean {
  const ra = CATEGORY_RANK.indexOf(a.category);
  const rb = CATEGORY_RANK.indexOf(b.category);
  return ra < rb || (ra === rb && a.name < b.name);
}
