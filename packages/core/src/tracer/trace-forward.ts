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
import { type UsedTx, UtxoEngine } from './utxo-engine';

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
  const engines: UtxoEngine[] = [];
  let used: UsedTx[] = [];
  for (const policy of params.policies) {
    if (source.model === 'utxo') {
      const engine = new UtxoEngine(ctx, source, policy);
      const run = await engine.run();
      engines.push(engine);
      results[policy] = run.result;
      used = engines.length === 1 ? run.used : mergeUsed(used, run.used);
    } else {
      const run = await new AccountEngine(ctx, source, policy).run();
      results[policy] = run.result;
      for (const t of run.transfers) transfers.set(t.id, t);
    }
  }

  const { transactions: transactionRecords, transfers: transferRecords } =
    source.model === 'utxo'
      ? utxoRecords(used, (outpoint) => engines.some((e) => e.isTainted(outpoint)), source.nativeAsset)
      : {
          transactions: [],
          transfers: [...transfers.values()].sort((a, b) => compareStrings(a.id, b.id)).map(transferRecord),
        };

  // The labels of the addresses the transfers touch and of the seeds. Only addresses found labelled have any, and they
  // are few: the transfers are checked against them (no set of every address). No need to visit them in order:
  // dedupeLabels sorts (an address's own labels keep their order).
  const labelled = ctx.labelledAddresses();
  const touched = new Set<string>();
  if (labelled.size > 0) {
    for (const r of transferRecords) {
      if (labelled.has(r.from)) touched.add(r.from);
      if (labelled.has(r.to)) touched.add(r.to);
    }
    for (const s of params.seeds) if (labelled.has(s)) touched.add(s);
  }
  const labels: Label[] = [];
  for (const a of touched) labels.push(...ctx.knownLabels(a));
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
 * The records of the transactions `used` (in txid order), and the UTXO outputs that carried stolen value under some
 * policy as transfers in id order. `from` is the address of
 * the first input that carried stolen value under any policy (all inputs belong to one spender under common-input
 * ownership). One pass: a transaction's record and its transfers are made while it is at hand (a trace's transactions
 * lie all over the heap, and a second walk over them costs as much again in cache misses).
 */
function utxoRecords(
  used: readonly UsedTx[],
  tainted: (outpoint: string) => boolean,
  native: Asset,
): { transactions: TransactionRecord[]; transfers: TransferRecord[] } {
  const records: TransactionRecord[] = new Array(used.length);
  const asset = assetId(native);
  let count = 0;
  for (const u of used) count += u.positions.length;
  const out: TransferRecord[] = new Array(count);
  let n = 0;
  for (let t = 0; t < used.length; t++) {
    const { tx, positions, ids } = used[t]!;
    const record = transactionRecord(tx);
    records[t] = record;
    if (positions.length === 0) continue;
    // The transaction's record holds the amounts as strings (a bigint → string conversion per output less).
    const from = senderOf(tx, tainted);
    for (let k = 0; k < positions.length; k++) {
      const i = positions[k]!;
      out[n++] = {
        id: ids[k]!,
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
  }
  // Transactions in txid order give their outpoints in id order when txids have one length (hex txids do).
  for (let k = 1; k < out.length; k++) {
    if (out[k - 1]!.id > out[k]!.id) {
      return { transactions: records, transfers: out.sort((a, b) => compareStrings(a.id, b.id)) };
    }
  }
  return { transactions: records, transfers: out };
}

/**
 * Two policies' used transactions as one list in txid order; a transaction in both has the union of their outputs.
 * @example mergeUsed([{ tx: a, positions: [0], ids: ['a:0'] }], [{ tx: a, positions: [1], ids: ['a:1'] }])[0].ids // ['a:0', 'a:1']
 */
function mergeUsed(a: readonly UsedTx[], b: readonly UsedTx[]): UsedTx[] {
  const merged: UsedTx[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x.tx.txid < y.tx.txid)) {
      merged.push(x!);
      i++;
    } else if (x === undefined || y.tx.txid < x.tx.txid) {
      merged.push(y);
      j++;
    } else {
      const byId = new Map<string, number>();
      for (let k = 0; k < x.ids.length; k++) byId.set(x.ids[k]!, x.positions[k]!);
      for (let k = 0; k < y.ids.length; k++) byId.set(y.ids[k]!, y.positions[k]!);
      const ids = [...byId.keys()].sort(compareStrings);
      merged.push({ tx: x.tx, ids, positions: ids.map((id) => byId.get(id)!) });
      i++;
      j++;
    }
  }
  return merged;
}

/** The address of the first input that carried stolen value under any policy, else of the first input with one. */
function senderOf(tx: UtxoTransaction, tainted: (outpoint: string) => boolean): string {
  let firstWithAddress: string | undefined;
  for (const i of tx.inputs) {
    if (i.outpoint !== undefined && tainted(i.outpoint)) return i.address ?? 'unknown';
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
    const value = i.value.toString();
    const { coinbase, outpoint, address } = i;
    // One literal with every field in the common case: fields added after a literal go to a property array of their
    // own (the trace file's key order is canonical, so the order here does not matter).
    if (outpoint !== undefined && address !== undefined) inputs[k] = { value, coinbase, outpoint, address };
    else {
      const input: TransactionRecord['inputs'][number] = { value, coinbase };
      if (outpoint !== undefined) input.outpoint = outpoint;
      if (address !== undefined) input.address = address;
      inputs[k] = input;
    }
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
