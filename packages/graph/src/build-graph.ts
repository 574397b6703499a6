import { compareStrings, type PolicyName, type StopRecord, type TraceFile, type TransferRecord } from '@fundflow/core';
import { MultiDirectedGraph } from 'graphology';
import { commonInputClusters } from './clusters';
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
  const owner = new Map<string, string>();
  for (const tx of trace.transactions) {
    for (const i of tx.inputs)
      if (i.outpoint !== undefined && i.address !== undefined) owner.set(i.outpoint, i.address);
  }
  for (const t of trace.transfers) owner.set(t.id, t.to);
  return new Set(trace.params.seeds.map((s) => owner.get(s) ?? s));
}

interface NodeAcc {
  kind: FlowNodeAttributes['kind'];
  address: string;
  members: Set<string>;
  label: LabelRecord | undefined;
  seed: boolean;
  hop: number;
  firstTime: number;
  lastTime: number;
  received: bigint;
  sent: bigint;
  in: bigint[];
  out: bigint[];
  stopped: bigint[];
  cashout: bigint[];
  fee: bigint[];
  reasons: Set<string>[];
}

interface EdgeSpec {
  key: string;
  source: string;
  target: string;
  transfer: TransferRecord;
  taint: TransferTaint | undefined;
  /** Set for transfer-level edges into a traced transaction from an outpoint the trace did not record. */
  input?: true;
}

/**
 * Builds a graphology MultiDirectedGraph from a `fundflow.trace/1` file: one edge per transfer keyed by its id, nodes
 * keyed by address (or cluster / entity / transaction, see `GraphLevel`), per-policy amounts as decimal strings.
 * Nodes are inserted in key order and edges in the trace's order, so the same trace always gives the same graph.
 * @example const graph = buildGraph(parseTrace(text), { level: 'address' }); graph.getEdgeAttribute('ab…:0', 'taint_fifo')
 */
export function buildGraph(trace: TraceFile, options: BuildGraphOptions = {}): FlowGraph {
  const level = options.level ?? 'address';
  const policies = tracedPolicies(trace);
  const n = policies.length;
  const taint = taintByTransfer(trace);
  const labels = labelByAddress(trace);
  const seeds = seedAddresses(trace);
  const utxo = trace.model === 'utxo';

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

  const nodes = new Map<string, NodeAcc>();
  const zeros = () => new Array<bigint>(n).fill(0n);
  /** The node an address belongs to, created on first sight; returns its key. */
  const addressNode = (address: string): string => {
    const key = nodeOfAddress(address);
    let acc = nodes.get(key);
    if (acc === undefined) {
      const kind = key.startsWith('cluster:') ? 'cluster' : key.startsWith('entity:') ? 'entity' : 'address';
      acc = newAcc(kind, kind === 'cluster' ? key.slice('cluster:'.length) : address, n, zeros);
      nodes.set(key, acc);
    }
    if (!acc.members.has(address)) {
      acc.members.add(address);
      const l = labels.get(address);
      if (l !== undefined && (acc.label === undefined || betterLabel(l, acc.label))) acc.label = l;
      if (seeds.has(address)) {
        acc.seed = true;
        acc.hop = 0;
      }
    }
    return key;
  };

  const edges: EdgeSpec[] = [];
  const txNode = new Map<string, string>(); // txid → node key of the transaction (transfer level)
  const sender = new Map<string, string>(); // txid → node key that paid its fee
  if (level === 'transfer' && utxo) {
    const spentBy = new Map<string, string>();
    const transferIds = new Set(trace.transfers.map((t) => t.id));
    for (const tx of trace.transactions) {
      const key = `tx:${tx.txid}`;
      txNode.set(tx.txid, key);
      const acc = newAcc('transaction', tx.txid, n, zeros);
      acc.members.add(tx.txid);
      acc.firstTime = tx.time;
      acc.lastTime = tx.time;
      nodes.set(key, acc);
      for (const i of tx.inputs) if (i.outpoint !== undefined) spentBy.set(i.outpoint, key);
    }
    for (const t of trace.transfers) {
      const source = txNode.get(t.txid) ?? addressNode(t.from);
      const target = spentBy.get(t.id) ?? addressNode(t.to);
      edges.push({ key: t.id, source, target, transfer: t, taint: taint.get(t.id) });
      sender.set(t.txid, source);
    }
    for (const tx of trace.transactions) {
      for (const i of tx.inputs) {
        if (i.outpoint === undefined || transferIds.has(i.outpoint)) continue;
        const from = i.address ?? 'coinbase';
        const source = addressNode(from);
        const transfer: TransferRecord = {
          id: i.outpoint,
          txid: tx.txid,
          from,
          to: tx.txid,
          asset: trace.asset.id,
          amount: i.value,
          time: tx.time,
          height: tx.height,
          kind: 'utxo',
          evidence: tx.evidence,
        };
        edges.push({ key: i.outpoint, source, target: `tx:${tx.txid}`, transfer, taint: undefined, input: true });
      }
    }
  } else {
    for (const t of trace.transfers) {
      const source = addressNode(t.from);
      const target = addressNode(t.to);
      edges.push({ key: t.id, source, target, transfer: t, taint: taint.get(t.id) });
      if (!sender.has(t.txid)) sender.set(t.txid, source);
    }
  }
  const edgeTarget = new Map<string, string>();
  for (const e of edges) edgeTarget.set(e.key, e.target);

  // Hop of a transaction's layer, for untainted outputs beside tainted ones.
  const txHop = new Map<string, number>();
  for (const e of edges) {
    if (e.taint === undefined) continue;
    const h = txHop.get(e.transfer.txid);
    if (h === undefined || e.taint.hop < h) txHop.set(e.transfer.txid, e.taint.hop);
  }

  for (const e of edges) {
    const s = nodes.get(e.source)!;
    const d = nodes.get(e.target)!;
    const amount = BigInt(e.transfer.amount);
    const time = e.transfer.time;
    s.sent += amount;
    d.received += amount;
    if (s.firstTime < 0 || time < s.firstTime) s.firstTime = time;
    if (time > s.lastTime) s.lastTime = time;
    if (d.firstTime < 0 || time < d.firstTime) d.firstTime = time;
    if (time > d.lastTime) d.lastTime = time;
    if (e.taint !== undefined) {
      for (let i = 0; i < n; i++) {
        const a = e.taint.amounts[i];
        if (a === undefined) continue;
        const v = BigInt(a);
        s.out[i]! += v;
        d.in[i]! += v;
      }
      if (!d.seed && (d.hop < 0 || e.taint.hop < d.hop)) d.hop = e.taint.hop;
    }
  }
  // A transaction node sits at the hop of its outputs.
  for (const [txid, key] of txNode) {
    const h = txHop.get(txid);
    if (h !== undefined) nodes.get(key)!.hop = h;
  }

  policies.forEach((policy, i) => {
    for (const stop of trace.results[policy]!.stops) {
      const node = stopNode(stop);
      if (node === undefined) continue;
      const acc = nodes.get(node)!;
      const v = BigInt(stop.amount);
      if (stop.reason === 'fee') {
        acc.fee[i]! += v;
        continue;
      }
      acc.stopped[i]! += v;
      acc.reasons[i]!.add(stop.reason);
      if (stop.reason === 'cash-out') acc.cashout[i]! += v;
    }
  });
  function stopNode(stop: StopRecord): string | undefined {
    const viaTx = stop.reason === 'fee' ? (txNode.get(stop.location) ?? sender.get(stop.location)) : undefined;
    if (viaTx !== undefined) return viaTx;
    const viaEdge = edgeTarget.get(stop.location);
    if (viaEdge !== undefined) return viaEdge;
    const key = nodeOfAddress(stop.address);
    return nodes.has(key) ? key : undefined;
  }

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

  const keys = [...nodes.keys()].sort(compareStrings);
  for (const key of keys) {
    const acc = nodes.get(key)!;
    const a: FlowNodeAttributes = {
      kind: acc.kind,
      label: acc.label?.name ?? acc.address,
      address: acc.address,
      members: acc.members.size,
      labelName: acc.label?.name ?? '',
      category: acc.label?.category ?? '',
      labelSource: acc.label
        ? `${acc.label.pack}: ${acc.label.source} (as of ${acc.label.asOf}, ${acc.label.confidence})`
        : '',
      seed: acc.seed,
      hop: acc.hop,
      firstTime: acc.firstTime,
      lastTime: acc.lastTime,
      received: acc.received.toString(),
      sent: acc.sent.toString(),
    };
    const r = a as Record<string, unknown>;
    policies.forEach((p, i) => {
      r[`in_${p}`] = acc.in[i]!.toString();
      r[`out_${p}`] = acc.out[i]!.toString();
      r[`stopped_${p}`] = acc.stopped[i]!.toString();
      r[`cashout_${p}`] = acc.cashout[i]!.toString();
      r[`fee_${p}`] = acc.fee[i]!.toString();
      r[`stop_${p}`] = [...acc.reasons[i]!].sort().join(',');
    });
    graph.addNode(key, a);
  }

  for (const e of edges) {
    const t = e.transfer;
    let max = 0n;
    const a: FlowEdgeAttributes = {
      transfer: t.id,
      txid: t.txid,
      asset: t.asset,
      kind: e.input ? 'input' : t.kind,
      amount: t.amount,
      time: t.time,
      height: t.height,
      hop: e.taint?.hop ?? txHop.get(t.txid) ?? 0,
      tainted: e.taint !== undefined,
      rule: e.taint?.rule ?? '',
      confidence: e.taint?.confidence ?? 0,
      evidence: t.evidence.join(' '),
      memo: t.memo ?? '',
      drawWeight: 0,
    };
    const r = a as Record<string, unknown>;
    policies.forEach((p, i) => {
      const v = e.taint?.amounts[i] ?? '0';
      r[`taint_${p}`] = v;
      const b = BigInt(v);
      if (b > max) max = b;
    });
    a.drawWeight = max > 0n ? Math.round(Math.log10(Number(max) + 1) * 1000) / 1000 : 0;
    graph.addDirectedEdgeWithKey(e.key, e.source, e.target, a);
  }
  return graph;
}

function newAcc(kind: NodeAcc['kind'], address: string, n: number, zeros: () => bigint[]): NodeAcc {
  return {
    kind,
    address,
    members: new Set(),
    label: undefined,
    seed: false,
    hop: -1,
    firstTime: -1,
    lastTime: -1,
    received: 0n,
    sent: 0n,
    in: zeros(),
    out: zeros(),
    stopped: zeros(),
    cashout: zeros(),
    fee: zeros(),
    reasons: Array.from({ length: n }, () => new Set<string>()),
  };
}

function betterLabel(a: LabelRecord, b: LabelRecord): boolean {
  const ra = CATEGORY_RANK.indexOf(a.category);
  const rb = CATEGORY_RANK.indexOf(b.category);
  return ra < rb || (ra === rb && a.name < b.name);
}
