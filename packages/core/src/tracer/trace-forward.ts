import { FundflowError } from '../errors';
import type { LabelPackInfo } from '../labels/label-pack';
import type { ChainSource } from '../source';
import { TRACE_FORMAT, type TraceFile, type TransactionRecord, type TransferRecord } from '../trace-file/schema';
import { paramsToRecord } from '../trace-file/trace-file';
import {
  type Asset,
  assetId,
  compareStrings,
  type Label,
  parseOutpoint,
  type Transfer,
  type UtxoTransaction,
} from '../types';
import { ENGINE_VERSION } from '../version';
import { AccountEngine } from './account-engine';
import { isOutpoint, type LabelLookup, TraceContext, type TraceProgress } from './trace-context';
import type { PolicyName, TraceParams } from './types';
import { UtxoEngine } from './utxo-engine';

export interface TraceForwardOptions {
  source: ChainSource;
  params: TraceParams;
  /** Label look-ups (a LabelRegistry); labels in stop categories are cash-out points. */
  labels?: LabelLookup & { packs?(): LabelPackInfo[] };
  onProgress?: (progress: TraceProgress) => void;
  signal?: AbortSignal;
  /** Written into the file only when given (keeps files byte-identical otherwise). */
  createdAt?: string;
}

/**
 * Follows stolen value forward from the seeds under each policy and returns a `fundflow.trace/1` document.
 * Every source request is made once per trace however many policies run. Same inputs → same document.
 * @example
 *   const trace = await traceForward({ source, params: { seeds: ['bcrt1q…'], since, policies: ['fifo'],
 *     stop: { maxHops: 20, minAmount: 10_000n, fanOutCap: 50, stopCategories: DEFAULT_STOP_CATEGORIES } } })
 */
export async function traceForward(options: TraceForwardOptions): Promise<TraceFile> {
  const { source } = options;
  const params = normalizeParams(options.params, source);
  const ctx = new TraceContext(source, params, options.labels, options.signal, options.onProgress);
  const results: TraceFile['results'] = {};
  const transfers = new Map<string, Transfer>();
  let txids = new Set<string>();
  for (const policy of params.policies) {
    if (source.model === 'utxo') {
      const run = await new UtxoEngine(ctx, source, policy).run();
      results[policy] = run.result;
      if (txids.size === 0) txids = run.txids;
      else for (const t of run.txids) txids.add(t);
    } else {
      const run = await new AccountEngine(ctx, source, policy).run();
      results[policy] = run.result;
      for (const t of run.transfers) transfers.set(t.id, t);
    }
  }

  // The default sort orders strings by UTF-16 code units, as compareStrings does, without a call per comparison.
  const transactions = [...txids].sort().map((t) => ctx.memo.tx.peek(t)!);
  const transactionRecords = transactions.map(transactionRecord);
  const transferRecords =
    source.model === 'utxo'
      ? utxoTransfers(transactions, transactionRecords, results, source.nativeAsset)
      : [...transfers.values()].sort((a, b) => compareStrings(a.id, b.id)).map(transferRecord);

  const addresses = new Set<string>();
  for (const r of transferRecords) {
    addresses.add(r.from);
    addresses.add(r.to);
  }
  for (const s of params.seeds) addresses.add(s);
  const labels: Label[] = [];
  // No need to visit them in order: dedupeLabels sorts (an address's own labels keep their order).
  for (const a of addresses) {
    const known = ctx.knownLabels(a);
    if (known.length > 0) labels.push(...known);
  }
  for (const a of params.seeds) {
    if (ctx.knownLabels(a).length === 0) labels.push(...(options.labels?.lookup(source.info.chain, a) ?? []));
  }

  const all = params.asset === 'all';
  const asset = params.asset && !all ? findAsset(params.asset, transfers, source.nativeAsset) : source.nativeAsset;
  return {
    format: TRACE_FORMAT,
    engine: { name: '@fundflow/core', version: ENGINE_VERSION },
    ...(options.createdAt ? { createdAt: options.createdAt } : {}),
    chain: source.info.chain,
    model: source.model,
    asset: assetRecord(asset),
    ...(all ? { assets: assetsOf(transfers.values(), source.nativeAsset) } : {}),
    params: paramsToRecord(params),
    sources: [source.info],
    labelPacks: (options.labels?.packs?.() ?? []).slice().sort((a, b) => compareStrings(a.name, b.name)),
    labels: dedupeLabels(labels),
    transfers: transferRecords,
    transactions: transactionRecords,
    results,
  };
}

function normalizeParams(params: TraceParams, source: ChainSource): TraceParams {
  if (params.seeds.length === 0) throw new FundflowError('INVALID_ARGUMENT', 'A trace needs at least one seed');
  if (params.policies.length === 0) throw new FundflowError('INVALID_ARGUMENT', 'A trace needs at least one policy');
  if (params.stop.maxHops < 1) throw new FundflowError('INVALID_ARGUMENT', 'maxHops must be at least 1');
  if (params.stop.fanOutCap < 1) throw new FundflowError('INVALID_ARGUMENT', 'fanOutCap must be at least 1');
  if (params.stop.minAmount < 0n) throw new FundflowError('INVALID_ARGUMENT', 'minAmount must not be negative');
  if (params.since !== undefined && params.until !== undefined && params.since > params.until) {
    throw new FundflowError('INVALID_ARGUMENT', 'since is after until');
  }
  // Addresses are validated before any request is made: INVALID_ADDRESS comes from the source.
  const seeds = params.seeds.map((s) => {
    if (isOutpoint(s)) {
      if (source.model !== 'utxo') {
        throw new FundflowError('INVALID_ARGUMENT', `${s} is an outpoint; ${source.info.chain} is an account chain`);
      }
      const { txid, vout } = parseOutpoint(s);
      return `${txid.toLowerCase()}:${vout}`;
    }
    return source.normalizeAddress(s);
  });
  const policies = [...new Set(params.policies)].sort(compareStrings) as PolicyName[];
  return { ...params, seeds: [...new Set(seeds)].sort(compareStrings), policies };
}

function assetRecord(a: Asset): TraceFile['asset'] {
  return {
    id: assetId(a),
    chain: a.chain,
    symbol: a.symbol,
    decimals: a.decimals,
    ...(a.contract !== undefined ? { contract: a.contract } : {}),
    ...(a.decimalsKnown !== undefined ? { decimalsKnown: a.decimalsKnown } : {}),
  };
}

/** Every asset of the transfers (and the native one), by id. */
function assetsOf(transfers: Iterable<Transfer>, native: Asset): TraceFile['asset'][] {
  const byId = new Map<string, Asset>([[assetId(native), native]]);
  for (const t of transfers) if (!byId.has(assetId(t.asset))) byId.set(assetId(t.asset), t.asset);
  return [...byId.keys()].sort(compareStrings).map((id) => assetRecord(byId.get(id)!));
}

function findAsset(id: string, transfers: Map<string, Transfer>, native: Asset): Asset {
  if (id === assetId(native)) return native;
  for (const t of transfers.values()) if (assetId(t.asset) === id) return t.asset;
  const [chain = native.chain, contract = id] = id.split(':');
  return { chain, symbol: contract, decimals: 0, contract, decimalsKnown: false };
}

function transferRecord(t: Transfer): TransferRecord {
  return {
    id: t.id,
    txid: t.txid,
    from: t.from,
    to: t.to,
    asset: assetId(t.asset),
    amount: t.amount.toString(),
    ...(t.fee !== undefined ? { fee: t.fee.toString() } : {}),
    time: t.time,
    height: t.height,
    kind: t.kind,
    ...(t.memo !== undefined ? { memo: t.memo } : {}),
    evidence: [...new Set(t.evidence)].sort(compareStrings),
  };
}

/**
 * UTXO outputs that carried stolen value under some policy, as transfers. `from` is the address of the first input
 * that carried stolen value under any policy (all inputs belong to one spender under common-input ownership).
 * `txs` and their `records` are in txid order.
 */
function utxoTransfers(
  txs: UtxoTransaction[],
  records: TransactionRecord[],
  results: TraceFile['results'],
  native: Asset,
): TransferRecord[] {
  // The tainted outpoints in id order: each policy's edges are sorted by id already (one policy: nothing to merge).
  const lists = Object.values(results).map((r) => r?.edges.map((e) => e.transfer) ?? []);
  const ids = lists.length === 1 ? lists[0]! : [...new Set(lists.flat())].sort();
  const tainted = new Set(ids);
  const asset = assetId(native);
  const out: TransferRecord[] = new Array(ids.length);
  // Outpoint ids are `<64-hex txid>:<vout>`, so id order groups them by txid in txid order: one walk over both lists.
  let t = 0;
  let from: string | undefined;
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k]!;
    const txid = id.slice(0, 64);
    if (txs[t]!.txid !== txid) {
      while (txs[t]!.txid !== txid) t++;
      from = undefined;
    }
    const tx = txs[t]!;
    // The transaction's record already holds the amounts as strings (a bigint → string conversion per output less).
    const record = records[t]!;
    const vout = Number(id.slice(65));
    const i = tx.outputs[vout]?.vout === vout ? vout : tx.outputs.findIndex((o) => o.vout === vout);
    from ??= senderOf(tx, tainted);
    out[k] = {
      id,
      txid: tx.txid,
      from,
      to: tx.outputs[i]!.address,
      asset,
      amount: record.outputs[i]!.value,
      time: tx.time,
      height: tx.height,
      kind: 'utxo',
      evidence: record.evidence,
    };
  }
  return out;
}

/** The address of the first input that carried stolen value under any policy, else of the first input with one. */
function senderOf(tx: UtxoTransaction, tainted: Set<string>): string {
  let firstWithAddress: string | undefined;
  for (const i of tx.inputs) {
    if (i.outpoint !== undefined && tainted.has(i.outpoint)) return i.address ?? 'unknown';
    if (firstWithAddress === undefined && i.address !== undefined) firstWithAddress = i.address;
  }
  return firstWithAddress ?? (tx.inputs[0]?.coinbase ? 'coinbase' : 'unknown');
}

/** Evidence hashes, each once, sorted (most transactions have exactly one). */
function sortedUnique(hashes: readonly string[]): string[] {
  return hashes.length <= 1 ? [...hashes] : [...new Set(hashes)].sort(compareStrings);
}

function transactionRecord(tx: UtxoTransaction): TransactionRecord {
  // Written out field by field: a trace has a record per transaction, and `...(cond ? { a } : {})` allocates twice.
  const inputs: TransactionRecord['inputs'] = new Array(tx.inputs.length);
  for (let k = 0; k < tx.inputs.length; k++) {
    const i = tx.inputs[k]!;
    const input: TransactionRecord['inputs'][number] = { value: i.value.toString(), coinbase: i.coinbase };
    if (i.outpoint !== undefined) input.outpoint = i.outpoint;
    if (i.address !== undefined) input.address = i.address;
    inputs[k] = input;
  }
  const outputs: TransactionRecord['outputs'] = new Array(tx.outputs.length);
  for (let k = 0; k < tx.outputs.length; k++) {
    const o = tx.outputs[k]!;
    outputs[k] = {
      vout: o.vout,
      address: o.address,
      value: o.value.toString(),
      scriptType: o.scriptType,
      hasAddress: o.hasAddress,
    };
  }
  return {
    txid: tx.txid,
    time: tx.time,
    height: tx.height,
    confirmed: tx.confirmed,
    fee: tx.fee.toString(),
    inputs,
    outputs,
    evidence: sortedUnique(tx.evidence),
  };
}

function dedupeLabels(labels: Label[]): Label[] {
  const seen = new Map<string, Label>();
  for (const l of labels) seen.set(`${l.address}|${l.pack}|${l.name}|${l.category}`, l);
  return [...seen.values()].sort(
    (a, b) => compareStrings(a.address, b.address) || compareStrings(a.pack, b.pack) || compareStrings(a.name, b.name),
  );
}
