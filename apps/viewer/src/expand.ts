/**
 * "Expand one hop" from a bundled case's cassette, offline: the case's recorded answers (`cases/<name>/cassette.json`
 * + `manifest.json`, copied into the build by vite.config.ts) are verified into a core `Cassette`, replayed through
 * `replaying()`, and read by the chain package's own source class, as the tracer read them. What it finds is drawn as
 * "expanded, not traced": no taint amounts.
 */
import {
  type AccountSource,
  assetId,
  Cassette,
  type ChainSource,
  replaying,
  type TraceFile,
  type Transfer,
  type Transport,
  type UtxoSource,
} from '@fundflow/core';
import type { FlowGraph } from '@fundflow/graph';

/** The rule written on expanded edges (they carry no taint amounts). */
export const EXPANDED_RULE = 'expanded, not traced';

/** `case.json`'s `source` (kind, chain, network, endpoint). */
export interface CaseSourceSpec {
  kind: string;
  chain: string;
  network?: string;
  endpoint: string;
}

/** A transfer read while expanding, in the trace file's string form. */
export interface ExpandedTransfer {
  id: string;
  txid: string;
  from: string;
  to: string;
  asset: string;
  amount: string;
  time: number;
  height: number;
  kind: string;
  memo: string;
  evidence: string[];
}

/** Cannot expand this case in a browser (a source that needs node, or an unknown kind). */
export class NotInBrowserError extends Error {}

/** Where a bundled case's files are in the build (relative to the page). */
export function caseFileUrl(caseName: string, file: 'case.json' | 'cassette.json' | 'manifest.json'): string {
  return `cases/${encodeURIComponent(caseName)}/${file}`;
}

/**
 * Fetches a bundled case's `case.json` and its cassette over HTTP and verifies the cassette (`Cassette.parse`: every
 * body against its sha256 and the manifest).
 * @example const { spec, cassette } = await loadCaseCassette('nem-2018-exchange-drain', (u) => fetch(u).then((r) => r.text()))
 */
export async function loadCaseCassette(
  caseName: string,
  fetchText: (url: string) => Promise<string>,
): Promise<{ spec: CaseSourceSpec; cassette: Cassette }> {
  const [caseText, cassetteText, manifestText] = await Promise.all([
    fetchText(caseFileUrl(caseName, 'case.json')),
    fetchText(caseFileUrl(caseName, 'cassette.json')),
    fetchText(caseFileUrl(caseName, 'manifest.json')),
  ]);
  const spec = sourceSpecOf(JSON.parse(caseText) as unknown);
  return { spec, cassette: Cassette.parse(cassetteText, manifestText, `cases/${caseName}/cassette`) };
}

function sourceSpecOf(doc: unknown): CaseSourceSpec {
  const s = (doc as { source?: Record<string, unknown> } | null)?.source;
  if (s === undefined || typeof s.kind !== 'string' || typeof s.chain !== 'string' || typeof s.endpoint !== 'string') {
    throw new Error('case.json has no source (kind, chain, endpoint)');
  }
  return {
    kind: s.kind,
    chain: s.chain,
    endpoint: s.endpoint,
    ...(typeof s.network === 'string' ? { network: s.network } : {}),
  };
}

/**
 * The chain package's source for a case's `source`, reading through `transport` (as `createSource` in apps/cli does,
 * for the kinds that run in a browser). The chain packages are loaded on demand.
 */
export async function createCaseSource(spec: CaseSourceSpec, transport: Transport): Promise<ChainSource> {
  const jsonrpc = /^jsonrpc(?::(trace_filter|ots)\+(debug_trace|trace|ots))?$/.exec(spec.kind);
  if (spec.kind === 'nis1') {
    const { NisSource, isNemNetworkName } = await import('@fundflow/nem');
    const network = spec.network ?? 'mainnet';
    if (!isNemNetworkName(network)) throw new NotInBrowserError(`NIS1 does not know the network "${network}"`);
    return new NisSource({ baseUrl: spec.endpoint, network, transport });
  }
  if (jsonrpc) {
    const { JsonRpcSource, evmChain } = await import('@fundflow/evm');
    const chain = evmChain(spec.chain);
    if (!chain) throw new NotInBrowserError(`"${spec.chain}" is not an EVM chain fundflow knows`);
    const history = jsonrpc[1] as 'trace_filter' | 'ots' | undefined;
    const internal = jsonrpc[2] as 'debug_trace' | 'trace' | 'ots' | undefined;
    return new JsonRpcSource({
      url: spec.endpoint,
      chain,
      transport,
      ...(history && internal ? { capabilities: { history, internal } } : {}),
    });
  }
  if (spec.kind === 'esplora') {
    const { EsploraSource, isBitcoinNetworkName } = await import('@fundflow/bitcoin');
    const network = spec.network ?? spec.chain;
    if (!isBitcoinNetworkName(network)) throw new NotInBrowserError(`Esplora does not know the network "${network}"`);
    return new EsploraSource({ baseUrl: spec.endpoint, network, transport });
  }
  if (spec.kind === 'bitcoin-rpc') {
    throw new NotInBrowserError(
      'this case was recorded through Bitcoin/Litecoin Core JSON-RPC (bitcoin-rpc): its source, CoreRpcSource, reads files through node:fs and does not run in a browser; expanding works for nis1, jsonrpc and esplora cases',
    );
  }
  throw new NotInBrowserError(`cannot expand a "${spec.kind}" case in the browser`);
}

/** A replaying source for a case: its cassette, replayed (a request it does not hold throws FIXTURE_MISSING). */
export async function caseSource(spec: CaseSourceSpec, cassette: Cassette): Promise<ChainSource> {
  return createCaseSource(spec, replaying(cassette));
}

function record(t: Transfer): ExpandedTransfer {
  return {
    id: t.id,
    txid: t.txid,
    from: t.from,
    to: t.to,
    asset: assetId(t.asset),
    amount: t.amount.toString(),
    time: t.time,
    height: t.height,
    kind: t.kind,
    memo: t.memo ?? '',
    evidence: [...t.evidence],
  };
}

/**
 * An address's outgoing transfers as the tracer read them: seeds over the trace window (`since`..`until`), other
 * addresses up to `followUntil`, following `next` cursors; self-transfers and transfers outside the window dropped.
 */
export async function readOutgoing(
  source: AccountSource,
  address: string,
  trace: Pick<TraceFile, 'params'>,
  onPage?: (page: number, transfers: number) => void,
): Promise<ExpandedTransfer[]> {
  const seed = trace.params.seeds.includes(address);
  const since = seed ? trace.params.since : undefined;
  const until = seed ? trace.params.until : trace.params.followUntil;
  const out: ExpandedTransfer[] = [];
  let cursor: string | undefined;
  for (let page = 1; ; page++) {
    const result = await source.getTransfers({
      address,
      direction: 'out',
      ...(since !== undefined ? { since } : {}),
      ...(until !== undefined ? { until } : {}),
      ...(cursor !== undefined ? { cursor } : {}),
    });
    for (const t of result.transfers) {
      if (t.from !== address || t.from === t.to) continue;
      if ((since !== undefined && t.time < since) || (until !== undefined && t.time > until)) continue;
      out.push(record(t));
    }
    onPage?.(page, out.length);
    if (!result.next) return out;
    cursor = result.next;
  }
}

/**
 * UTXO: where the outputs `address` received went. For each output (`txid:vout`) `getOutspends(txid)`, then the
 * spending transaction, whose outputs are the next hop (a transfer per output, from `address`).
 */
export async function readSpends(
  source: UtxoSource,
  address: string,
  received: readonly string[],
  onStep?: (done: number, of: number) => void,
): Promise<ExpandedTransfer[]> {
  const byTx = new Map<string, number[]>();
  for (const id of received) {
    const i = id.lastIndexOf(':');
    const vout = Number(id.slice(i + 1));
    if (i <= 0 || !Number.isInteger(vout)) continue;
    const txid = id.slice(0, i);
    byTx.set(txid, [...(byTx.get(txid) ?? []), vout]);
  }
  const spenders = new Set<string>();
  let done = 0;
  for (const [txid, vouts] of byTx) {
    const outspends = await source.getOutspends(txid);
    for (const v of vouts) {
      const o = outspends[v];
      if (o?.spent) spenders.add(o.txid);
    }
    onStep?.(++done, byTx.size);
  }
  const out: ExpandedTransfer[] = [];
  for (const spender of [...spenders].sort()) {
    const tx = await source.getTransaction(spender);
    for (const o of tx.outputs) {
      if (o.address === address) continue;
      out.push({
        id: `${tx.txid}:${o.vout}`,
        txid: tx.txid,
        from: address,
        to: o.address,
        asset: assetId(source.nativeAsset),
        amount: o.value.toString(),
        time: tx.time,
        height: tx.height,
        kind: 'utxo',
        memo: '',
        evidence: [...tx.evidence],
      });
    }
  }
  return out;
}

/** The outputs (`txid:vout` transfer ids) an address received in the graph. */
export function receivedOutputs(graph: FlowGraph, address: string): string[] {
  if (!graph.hasNode(address)) return [];
  return graph.mapInEdges(address, (_e, a) => a).flatMap((a) => (a.kind === 'utxo' ? [a.transfer] : []));
}

/**
 * Reads the next hop of `address` through `source`: account chains its outgoing transfers, UTXO chains the
 * transactions spending what it received in the graph.
 */
export async function readNextHop(
  source: ChainSource,
  address: string,
  trace: Pick<TraceFile, 'params'>,
  graph: FlowGraph,
  onProgress?: (text: string) => void,
): Promise<ExpandedTransfer[]> {
  if (source.model === 'account') {
    return readOutgoing(source, address, trace, (page, n) =>
      onProgress?.(`read page ${page} of its outgoing transfers (${n} so far)`),
    );
  }
  return readSpends(source, address, receivedOutputs(graph, address), (done, of) =>
    onProgress?.(`looked up the spends of ${done} of ${of} transactions`),
  );
}

/** What one expansion added to the graph. */
export interface Expansion {
  nodes: string[];
  edges: string[];
  /** Transfers read that were already edges of the graph. */
  known: number;
}

/**
 * Adds `transfers` (from `address`) to the graph as "expanded, not traced" edges (keyed by transfer id, like
 * buildGraph's; transfers already in the graph are skipped) and their new counterparties as nodes in the column to
 * the right of `address`, stacked around its y.
 */
export function addExpansion(graph: FlowGraph, address: string, transfers: readonly ExpandedTransfer[]): Expansion {
  const from = graph.getNodeAttributes(address);
  const hop = Math.max(from.hop, 0) + 1;
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  let maxHop = 0;
  graph.forEachNode((_n, a) => {
    minX = Math.min(minX, a.x ?? 0);
    maxX = Math.max(maxX, a.x ?? 0);
    minY = Math.min(minY, a.y ?? 0);
    maxY = Math.max(maxY, a.y ?? 0);
    maxHop = Math.max(maxHop, a.hop);
  });
  const gap = maxHop > 0 && maxX > minX ? (maxX - minX) / maxHop : 100;
  const step = maxY > minY ? Math.max((maxY - minY) / 60, 1) : 10;

  const fresh = transfers.filter((t) => !graph.hasEdge(t.id));
  const unique = [...new Map(fresh.map((t) => [t.id, t])).values()];
  const newNodes = [...new Set(unique.map((t) => t.to))].filter((n) => !graph.hasNode(n));
  const x = (from.x ?? 0) + gap;
  newNodes.forEach((n, i) => {
    const mine = unique.filter((t) => t.to === n);
    const received = mine.reduce((s, t) => s + BigInt(t.amount), 0n);
    graph.addNode(n, {
      kind: 'address',
      label: n,
      address: n,
      members: 1,
      labelName: '',
      category: '',
      labelSource: '',
      seed: false,
      hop,
      firstTime: Math.min(...mine.map((t) => t.time)),
      lastTime: Math.max(...mine.map((t) => t.time)),
      received: received.toString(),
      sent: '0',
      x,
      y: (from.y ?? 0) + (i - (newNodes.length - 1) / 2) * step,
    });
  });
  for (const t of unique) {
    graph.addDirectedEdgeWithKey(t.id, t.from, t.to, {
      transfer: t.id,
      txid: t.txid,
      asset: t.asset,
      kind: t.kind,
      amount: t.amount,
      time: t.time,
      height: t.height,
      hop,
      tainted: false,
      rule: EXPANDED_RULE,
      confidence: 0,
      evidence: t.evidence.join(' '),
      memo: t.memo,
      drawWeight: 0,
    });
  }
  return { nodes: newNodes, edges: unique.map((t) => t.id), known: transfers.length - unique.length };
}

/** The text shown for an expansion error: FIXTURE_MISSING names the request the cassette does not hold. */
export function expandErrorText(e: unknown): string {
  // Duck-typed: a FundflowError from any copy of @fundflow/core.
  const f = e as { code?: unknown; details?: Record<string, unknown>; message?: unknown } | null;
  const code = typeof f?.code === 'string' ? f.code : undefined;
  const message = e instanceof Error ? e.message : String(e);
  if (code === 'FIXTURE_MISSING') {
    const d = f?.details ?? {};
    const what =
      typeof d.url === 'string'
        ? `${String(d.method ?? 'GET')} ${d.url}${typeof d.body === 'string' ? ` ${d.body}` : ''}`
        : message;
    return `not in the recorded case (FIXTURE_MISSING): ${what}`;
  }
  return code !== undefined ? `${code}: ${message}` : message;
}
