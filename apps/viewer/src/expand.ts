/**
 * "Expand one hop", offline from a bundled case's cassette or live: the case's recorded answers
 * (`cases/<name>/cassette.json` + `manifest.json`, copied into the build by vite.config.ts) are verified into a core
 * `Cassette` and replayed through `replaying()`; live, core's `http` transport reads the endpoint the analyst gave.
 * Either way the chain package's own source class reads them, as the tracer did. What it finds is drawn as
 * "expanded, not traced": no taint amounts. The expansions can be saved into the trace file as a `viewerExpansions`
 * section and are read back from it.
 */
import {
  type AccountSource,
  assetId,
  Cassette,
  type ChainSource,
  http,
  isFundflowError,
  replaceSecrets,
  replaying,
  type TraceFile,
  type Transfer,
  type Transport,
  type TransportEvent,
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
 * The chain package's source for a case's `source`, reading through `transport`: the package's own `…SourceFor`, as
 * `createSource` in apps/cli asks it, for the kinds that run in a browser. The chain packages are loaded on demand.
 * A kind or a network the packages do not know, or one that needs node, is a NotInBrowserError.
 */
export async function createCaseSource(
  spec: CaseSourceSpec,
  transport: Transport,
  apiKey?: string,
): Promise<ChainSource> {
  if (spec.kind === 'bitcoin-rpc') {
    throw new NotInBrowserError(
      'this case was recorded through Bitcoin/Litecoin Core JSON-RPC (bitcoin-rpc): its source, CoreRpcSource, reads files through node:fs and does not run in a browser; expanding works for nis1, jsonrpc and esplora cases (or live: esplora, etherscan, blockscout, nis1, jsonrpc)',
    );
  }
  let source: ChainSource | undefined;
  try {
    if (spec.kind === 'esplora') source = (await import('@fundflow/bitcoin')).bitcoinSourceFor(spec, transport);
    else if (spec.kind === 'nis1') source = (await import('@fundflow/nem')).nemSourceFor(spec, transport);
    else source = (await import('@fundflow/evm')).evmSourceFor(spec, transport, apiKey);
  } catch (e) {
    if (isFundflowError(e, 'INVALID_ARGUMENT')) throw new NotInBrowserError(e.message);
    throw e;
  }
  if (source === undefined) throw new NotInBrowserError(`cannot expand a "${spec.kind}" case in the browser`);
  return source;
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

// ---- live -----------------------------------------------------------------------------------------------------------

/** The source kinds "Expand one hop" can read live in a browser. */
export const LIVE_KINDS = ['esplora', 'etherscan', 'blockscout', 'nis1', 'jsonrpc'] as const;
export type LiveKind = (typeof LIVE_KINDS)[number];

/** The live form's settings. The API key lives in a variable of the page only (see main.ts). */
export interface LiveSettings {
  kind: LiveKind;
  endpoint: string;
}

/** Public Esplora instances per network (the CLI's defaults). */
const ESPLORA_ENDPOINTS: Record<string, string> = {
  bitcoin: 'https://blockstream.info/api',
  testnet: 'https://blockstream.info/testnet/api',
  signet: 'https://mempool.space/signet/api',
  litecoin: 'https://litecoinspace.org/api',
};
const ETHERSCAN_V2 = 'https://api.etherscan.io/v2/api';
const ETHERSCAN_CHAINS = new Set(['ethereum', 'sepolia', 'optimism', 'bsc', 'polygon', 'base', 'arbitrum']);
const BLOCKSCOUT_ENDPOINTS: Record<string, string> = {
  ethereum: 'https://eth.blockscout.com',
  sepolia: 'https://eth-sepolia.blockscout.com',
  optimism: 'https://optimism.blockscout.com',
  base: 'https://base.blockscout.com',
  polygon: 'https://polygon.blockscout.com',
  arbitrum: 'https://arbitrum.blockscout.com',
};
/** A public NIS1 node (the CLI's default; public nodes come and go). */
const NIS1_NODE = 'http://san.nem.ninja:7890';

const isLiveKind = (k: string): k is LiveKind => (LIVE_KINDS as readonly string[]).includes(k);
/** `jsonrpc:trace_filter+debug_trace` → `jsonrpc`. */
const baseKind = (kind: string) => kind.split(':')[0] ?? kind;

/**
 * The endpoint the live form prefills for a source kind: the public one for the trace's chain / network, else the
 * trace's own recorded endpoint when it was read with that kind (and is not a simulated `*.invalid` host), else ''.
 */
export function liveEndpoint(kind: LiveKind, trace: Pick<TraceFile, 'chain' | 'sources'>): string {
  const recorded = trace.sources[0];
  const network = recorded?.network ?? trace.chain;
  const known =
    kind === 'esplora'
      ? ESPLORA_ENDPOINTS[network]
      : kind === 'etherscan'
        ? ETHERSCAN_CHAINS.has(trace.chain)
          ? ETHERSCAN_V2
          : undefined
        : kind === 'blockscout'
          ? BLOCKSCOUT_ENDPOINTS[trace.chain]
          : kind === 'nis1' && network === 'mainnet'
            ? NIS1_NODE
            : undefined;
  if (known !== undefined) return known;
  if (recorded !== undefined && baseKind(recorded.kind) === kind && !/\.invalid(:\d+)?(\/|$)/.test(recorded.endpoint)) {
    return recorded.endpoint;
  }
  return '';
}

/** The live form's first settings for a trace: the kind it was traced with (when a browser can read it), else the chain's usual one. */
export function liveDefaults(trace: Pick<TraceFile, 'chain' | 'sources' | 'model'>): LiveSettings {
  const recorded = trace.sources[0] !== undefined ? baseKind(trace.sources[0].kind) : '';
  const kind: LiveKind = isLiveKind(recorded)
    ? recorded
    : trace.chain === 'nem'
      ? 'nis1'
      : trace.model === 'utxo'
        ? 'esplora'
        : 'etherscan';
  return { kind, endpoint: liveEndpoint(kind, trace) };
}

/** The source spec of a live expansion: the trace's chain and network, the form's kind and endpoint. */
export function liveSpec(trace: Pick<TraceFile, 'chain' | 'sources'>, settings: LiveSettings): CaseSourceSpec {
  const endpoint = settings.endpoint.trim().replace(/\/+$/, '');
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new NotInBrowserError('the live endpoint must be an http(s) URL, e.g. https://blockstream.info/api');
  }
  const recorded = trace.sources[0];
  // A recorded JSON-RPC case names the methods its node offered: use them again (no probing).
  const kind =
    settings.kind === 'jsonrpc' && recorded !== undefined && baseKind(recorded.kind) === 'jsonrpc'
      ? recorded.kind
      : settings.kind;
  const network = recorded?.network;
  return { kind, chain: trace.chain, endpoint, ...(network !== undefined ? { network } : {}) };
}

/** What a live expansion reports while it runs (from the http transport's events; URLs are already redacted). */
export interface LiveProgress {
  sent: number;
  answered: number;
  retries: number;
  /** The last retry's error code (`RATE_LIMITED`, `NETWORK_ERROR`, …). */
  lastRetry?: string;
}

/** A transport whose every request also stops when `signal` aborts (Cancel). */
export function withSignal(transport: Transport, signal: AbortSignal): Transport {
  return {
    request: (request, own) => transport.request(request, own ? AbortSignal.any([own, signal]) : signal),
    stats: () => transport.stats(),
  };
}

/**
 * A live source for the trace: the chain package's own class (as `createCaseSource` builds it for cases) over core's
 * `http` transport — per-host rate limit, 2 retries with backoff, 15 s timeout per attempt — with the API key as a
 * secret of the transport (redacted from every URL, message and event) and passed to the source only.
 */
export async function liveSource(
  trace: Pick<TraceFile, 'chain' | 'sources'>,
  settings: LiveSettings,
  options: {
    apiKey?: string;
    signal?: AbortSignal;
    onProgress?: (p: LiveProgress) => void;
    fetch?: typeof fetch;
    timeoutMs?: number;
  } = {},
): Promise<ChainSource> {
  const spec = liveSpec(trace, settings);
  const apiKey = options.apiKey?.trim() || undefined;
  const progress: LiveProgress = { sent: 0, answered: 0, retries: 0 };
  const retryIf = settings.kind === 'etherscan' ? (await import('@fundflow/evm')).etherscanRetryIf : undefined;
  const net = http({
    rateLimit: { requestsPerSecond: settings.kind === 'etherscan' ? 3 : 5 },
    concurrency: 4,
    retries: 2,
    timeoutMs: options.timeoutMs ?? 15_000,
    ...(apiKey !== undefined ? { secrets: [apiKey] } : {}),
    ...(retryIf !== undefined ? { retryIf } : {}),
    ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
    onEvent: (e: TransportEvent) => {
      if (e.type === 'request') progress.sent++;
      else if (e.type === 'response') progress.answered++;
      else if (e.type === 'retry') {
        progress.retries++;
        progress.lastRetry = e.code;
      } else return;
      options.onProgress?.({ ...progress });
    },
  });
  return createCaseSource(spec, options.signal ? withSignal(net, options.signal) : net, apiKey);
}

/** `text` with every form of `secret` (raw, percent-encoded, JSON-escaped) replaced by `***`: the last guard before the page. */
export function withoutSecret(text: string, secret: string | undefined): string {
  return secret ? replaceSecrets(text, [secret]) : text;
}

// ---- expansions kept in the saved trace --------------------------------------------------------------------------

/** Top-level key of the section "Save with expansions" adds to a trace file (parseTrace ignores unknown keys). */
export const EXPANSIONS_KEY = 'viewerExpansions';
export const EXPANSIONS_FORMAT = 'fundflow.viewer-expansions/1';

/** One "Expand one hop": which node, read how, the asset shown (all-asset traces), and the transfers it added. */
export interface ExpansionRecord {
  node: string;
  /** `cassette`: the bundled case's recording; `live`: the endpoint (no key) at `readAt` (ISO time). */
  via: { mode: 'cassette' | 'live'; kind: string; endpoint: string; chain: string; network?: string; readAt?: string };
  asset?: string;
  transfers: ExpandedTransfer[];
}

/**
 * The trace text with an `viewerExpansions` section appended as its last key, keeping the trace's own bytes in front
 * (trace files end with `\n}\n`; keys are sorted, and `viewerExpansions` sorts after them all).
 */
export function withExpansions(traceText: string, records: readonly ExpansionRecord[]): string {
  const section = JSON.stringify(
    {
      format: EXPANSIONS_FORMAT,
      note: 'Added by the fundflow viewer ("Expand one hop"): transfers read after the trace, not traced (no taint amounts). Not part of the trace: fundflow verify checks the trace without this key.',
      expansions: records,
    },
    null,
    2,
  ).replace(/\n/g, '\n  ');
  const body = traceText.replace(/\s*}\s*$/, '');
  return `${body},\n  "${EXPANSIONS_KEY}": ${section}\n}\n`;
}

/**
 * Splits a file saved by `withExpansions` into the trace's own text and the expansions; a file without the section
 * comes back unchanged with none. A malformed section throws TRACE_INVALID-style errors with a message.
 */
export function splitExpansions(text: string): { traceText: string; records: ExpansionRecord[] } {
  const marker = `,\n  "${EXPANSIONS_KEY}": `;
  const at = text.lastIndexOf(marker);
  if (at < 0 && !text.includes(`"${EXPANSIONS_KEY}"`)) return { traceText: text, records: [] };
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { traceText: text, records: [] }; // parseTrace says what is wrong
  }
  const section = doc[EXPANSIONS_KEY] as { format?: unknown; expansions?: unknown } | undefined;
  if (section === undefined) return { traceText: text, records: [] };
  if (section === null || section.format !== EXPANSIONS_FORMAT || !Array.isArray(section.expansions)) {
    throw new Error(`${EXPANSIONS_KEY} is not a ${EXPANSIONS_FORMAT} section`);
  }
  const records = section.expansions.map((r, i) => expansionRecord(r, i));
  const traceText =
    at >= 0 && /^\s*}\s*$/.test(text.slice(at + marker.length + sectionLength(text, at + marker.length)))
      ? `${text.slice(0, at)}\n}\n`
      : text;
  return { traceText, records };
}

/** Length of the JSON value starting at `from` (an object: matched braces outside strings). */
function sectionLength(text: string, from: number): number {
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1 - from;
    }
  }
  return text.length - from;
}

const AMOUNT = /^(0|[1-9][0-9]*)$/;

function expansionRecord(raw: unknown, i: number): ExpansionRecord {
  const bad = (what: string) => new Error(`${EXPANSIONS_KEY}.expansions[${i}]: ${what}`);
  const r = raw as Partial<ExpansionRecord> | null;
  if (r === null || typeof r !== 'object' || typeof r.node !== 'string') throw bad('no node');
  const via = r.via as Partial<ExpansionRecord['via']> | undefined;
  if (
    via === undefined ||
    (via.mode !== 'cassette' && via.mode !== 'live') ||
    typeof via.kind !== 'string' ||
    typeof via.endpoint !== 'string' ||
    typeof via.chain !== 'string'
  ) {
    throw bad('no source (via: mode, kind, endpoint, chain)');
  }
  if (!Array.isArray(r.transfers)) throw bad('no transfers');
  const transfers = r.transfers.map((t: Partial<ExpandedTransfer>, j) => {
    const str = (v: unknown) => typeof v === 'string';
    if (
      !str(t.id) ||
      !str(t.txid) ||
      t.from !== r.node ||
      !str(t.to) ||
      !str(t.asset) ||
      !str(t.amount) ||
      !AMOUNT.test(t.amount as string) ||
      !Number.isInteger(t.time) ||
      !Number.isInteger(t.height) ||
      !str(t.kind) ||
      !Array.isArray(t.evidence)
    ) {
      throw bad(`transfers[${j}] is not a transfer from ${r.node}`);
    }
    return {
      id: t.id as string,
      txid: t.txid as string,
      from: t.from as string,
      to: t.to as string,
      asset: t.asset as string,
      amount: t.amount as string,
      time: t.time as number,
      height: t.height as number,
      kind: t.kind as string,
      memo: typeof t.memo === 'string' ? t.memo : '',
      evidence: (t.evidence as unknown[]).map(String),
    };
  });
  return {
    node: r.node,
    via: {
      mode: via.mode,
      kind: via.kind,
      endpoint: via.endpoint,
      chain: via.chain,
      ...(typeof via.network === 'string' ? { network: via.network } : {}),
      ...(typeof via.readAt === 'string' ? { readAt: via.readAt } : {}),
    },
    ...(typeof r.asset === 'string' ? { asset: r.asset } : {}),
    transfers,
  };
}
