import {
  type Asset,
  bodyExcerpt,
  compareStrings,
  FundflowError,
  isFundflowError,
  type Outspend,
  outpointId,
  type SourceInfo,
  type Transport,
  type TransportResponse,
  type UtxoAnnotation,
  type UtxoHistoryPage,
  type UtxoInput,
  type UtxoOutput,
  type UtxoSource,
  type UtxoTransaction,
} from '@fundflow/core';
import type { z } from 'zod';
import { normalizeBitcoinAddress, scriptId } from './address';
import {
  type RpcBlock,
  type RpcBlockHeader,
  type RpcTx,
  type RpcVout,
  rpcBatchReplySchema,
  rpcBlockCountSchema,
  rpcBlockHashSchema,
  rpcBlockHeaderSchema,
  rpcBlockSchema,
  rpcMempoolSchema,
  rpcTxSchema,
} from './core-rpc-wire';
import { annotateUtxo } from './heuristics/annotate';
import { type BitcoinNetworkName, chainOf, isBitcoinNetworkName, nativeAssetOf } from './networks';
import { coinsToSatoshi, quoteNumbersOf } from './rpc-decimal';
import { type IndexedBlock, type ScannedRange, type SpendIndex, SqliteSpendIndex } from './spend-index';

/** RPC credentials: `-rpcuser`/`-rpcpassword` (or `-rpcauth`), or the node's `.cookie` file (re-read on HTTP 401). */
export type CoreRpcAuth = { user: string; password: string } | { cookieFile: string };

export interface CoreRpcSourceOptions {
  /** RPC root, e.g. `http://127.0.0.1:19443`. `user:password@` in it is used as `auth` and removed from the URL. */
  endpoint: string;
  network: BitcoinNetworkName;
  transport: Transport;
  auth?: CoreRpcAuth;
  /**
   * Lowest block height the scans cover. `getOutspends` scans from min(transaction height, startHeight);
   * `getAddressHistory` from startHeight (default 0: the whole chain — set it on a long chain).
   */
  startHeight?: number;
  /** Outpoint → spender index. Default: a new in-memory SQLite index; pass a file-backed one to keep it across runs. */
  spendIndex?: SpendIndex | Promise<SpendIndex>;
  /** Also report spends by mempool transactions (`getrawmempool` + `getrawtransaction` of each). Default false. */
  mempool?: boolean;
  /** Blocks fetched at once while scanning. Default 8. */
  scanConcurrency?: number;
  /** The chain tip (`getblockcount`) is asked again at most this often. Default 5000 ms. */
  tipRefreshMs?: number;
}

/** Transactions a history page holds. */
export const CORE_RPC_HISTORY_PAGE_SIZE = 100;
const SCAN_CHUNK = 50;
const TXID = /^[0-9a-fA-F]{64}$/;
const CURSOR = /^(\d+):(\d+)$/;

interface Fetched<T> {
  value: T;
  sha256: string;
}

/** What scans and calls cost, for tests and the CLI's closing line. */
export interface CoreRpcStats {
  /** RPC calls by method. */
  calls: Record<string, number>;
  blocksScanned: number;
}

/**
 * A `UtxoSource` over the JSON-RPC API of Bitcoin Core or Litecoin Core (`bitcoind`, `litecoind`; needs `-txindex=1`).
 * All I/O goes through the given core `Transport`, as one-call JSON-RPC batches POSTed to the endpoint (a batch
 * answers RPC errors with HTTP 200 and the node's code and message; a single call answers them with HTTP 500, which a
 * transport would retry). Core has no spend index and no address index: the source scans blocks forward and keeps
 * outpoint → spender and address → transactions in a {@link SpendIndex}, so a range is scanned once.
 * @example
 *   const source = new CoreRpcSource({ endpoint: 'http://127.0.0.1:19443', network: 'litecoin-regtest',
 *     auth: { cookieFile: '/home/me/.litecoin/regtest/.cookie' }, transport: http() });
 *   const tx = await source.getTransaction(txid);
 */
export class CoreRpcSource implements UtxoSource {
  readonly model = 'utxo' as const;
  readonly info: SourceInfo;
  readonly nativeAsset: Asset;
  readonly network: BitcoinNetworkName;
  readonly #url: string;
  readonly #transport: Transport;
  readonly #auth: CoreRpcAuth | undefined;
  readonly #startHeight: number | undefined;
  readonly #mempool: boolean;
  readonly #scanConcurrency: number;
  readonly #tipRefreshMs: number;
  #indexPromise: Promise<SpendIndex> | undefined;
  #authHeader: Promise<string | undefined> | undefined;
  #nextId = 1;
  #nodeId: Promise<string> | undefined;
  #tip: { at: number; height: Promise<number> } | undefined;
  #rangeChecked = false;
  #scanLock: Promise<unknown> = Promise.resolve();
  #mempoolSpends: { at: number; spends: Promise<Map<string, { txid: string; vin: number }>> } | undefined;
  readonly #txs = new Map<string, Promise<Fetched<RpcTx>>>();
  readonly #headers = new Map<string, Promise<Fetched<RpcBlockHeader>>>();
  readonly #stats: CoreRpcStats = { calls: {}, blocksScanned: 0 };

  constructor(options: CoreRpcSourceOptions) {
    if (!isBitcoinNetworkName(options.network)) {
      throw new FundflowError('INVALID_ARGUMENT', `unknown network '${String(options.network)}'`, {
        details: { network: String(options.network) },
      });
    }
    const { base, auth } = parseEndpoint(options.endpoint);
    if (options.startHeight !== undefined && !(Number.isInteger(options.startHeight) && options.startHeight >= 0)) {
      throw new FundflowError('INVALID_ARGUMENT', 'startHeight must be a whole number ≥ 0', {
        details: { startHeight: options.startHeight },
      });
    }
    this.network = options.network;
    this.#url = `${base}/`;
    this.#transport = options.transport;
    this.#auth = options.auth ?? auth;
    this.#startHeight = options.startHeight;
    this.#mempool = options.mempool ?? false;
    this.#scanConcurrency = Math.max(1, options.scanConcurrency ?? 8);
    this.#tipRefreshMs = options.tipRefreshMs ?? 5000;
    if (options.spendIndex !== undefined) this.#indexPromise = Promise.resolve(options.spendIndex);
    this.nativeAsset = nativeAssetOf(options.network);
    this.info = { chain: chainOf(options.network), kind: 'bitcoin-rpc', endpoint: base, network: options.network };
  }

  /** RPC calls made so far by method, and blocks scanned. */
  stats(): CoreRpcStats {
    return { calls: { ...this.#stats.calls }, blocksScanned: this.#stats.blocksScanned };
  }

  /**
   * Canonical form of an address of this source's network; throws `INVALID_ADDRESS`. No request.
   * @example source.normalizeAddress('RLTC1Q…') // 'rltc1q…'
   */
  normalizeAddress(address: string): string {
    return normalizeBitcoinAddress(address, this.network);
  }

  /** Change and CoinJoin heuristics for the tracer's edge provenance (see heuristics/annotate.ts). Pure. */
  annotate(tx: UtxoTransaction): UtxoAnnotation | undefined {
    return annotateUtxo(tx);
  }

  /**
   * A transaction with every input's prevout resolved (value and address from the parent transaction), values in
   * exact satoshis. Height from the block header; unconfirmed (no `blockhash`): height -1, time 0. A coinbase input
   * carries the sum of the outputs, as in the Esplora source.
   * Upstream: `getrawtransaction <txid> true` (the node needs `-txindex=1`), the same for each parent (memoised),
   * `getblockheader <blockhash>`. Throws `NOT_FOUND`, `AUTH_FAILED`, `NETWORK_ERROR`, `BAD_RESPONSE`.
   * @example await source.getTransaction('6f7cf9…') // { txid, height: 212, confirmed: true, inputs: [...], ... }
   */
  async getTransaction(txid: string): Promise<UtxoTransaction> {
    const id = checkTxid(txid);
    const { value: tx, sha256 } = await this.#rawTx(id);
    const evidence = [sha256];
    let height = -1;
    let time = 0;
    if (tx.blockhash !== undefined) {
      const header = await this.#header(tx.blockhash.toLowerCase());
      evidence.push(header.sha256);
      height = header.value.height;
      time = tx.blocktime ?? header.value.time;
    }
    return this.#decode(tx, { height, time, confirmed: height >= 0 }, evidence, new Map());
  }

  /**
   * Every transaction of the block at `height`, decoded as by `getTransaction` (extra: not in `UtxoSource`).
   * Parents inside the block are resolved from the block itself.
   * Upstream: `getblockhash <height>`, `getblock <hash> 2`, `getrawtransaction <parent> true` for outside parents.
   * @example (await source.getBlockTransactions(0))[0].inputs[0].coinbase === true
   */
  async getBlockTransactions(height: number): Promise<UtxoTransaction[]> {
    const hash = await this.#call('getblockhash', [height], rpcBlockHashSchema, { subject: { height } });
    const block = await this.#call('getblock', [hash.value.toLowerCase(), 2], rpcBlockSchema, {
      immutable: true,
      subject: { height },
    });
    const local = new Map<string, Fetched<RpcTx>>();
    for (const tx of block.value.tx) local.set(tx.txid.toLowerCase(), { value: tx, sha256: block.sha256 });
    const where = { height: block.value.height, time: block.value.time, confirmed: true };
    return Promise.all(block.value.tx.map((tx) => this.#decode(tx, where, [block.sha256], local)));
  }

  /**
   * Where each output of `txid` went, in vout order, with the spender's height. Core has no spend index: blocks from
   * min(the transaction's height, `startHeight`) to the tip are scanned once into the spend index (only the range not
   * scanned before), then the index answers. Outputs of an unconfirmed transaction are unspent unless `mempool` is on.
   * Upstream: `getrawtransaction <txid> true`, `getblockheader`, `getblockcount`, `getblockhash <h>` +
   * `getblock <hash> 2` per scanned block; with `mempool`, `getrawmempool` and `getrawtransaction` of its entries.
   * @example await source.getOutspends('6f7cf9…') // [{ spent: true, txid: 'a1…', vin: 0, height: 215 }, { spent: false }]
   */
  async getOutspends(txid: string): Promise<Outspend[]> {
    const id = checkTxid(txid);
    const { value: tx } = await this.#rawTx(id);
    const count = tx.vout.length;
    let found: Array<Outspend | undefined> = Array.from({ length: count }, () => undefined);
    if (tx.blockhash !== undefined) {
      const header = await this.#header(tx.blockhash.toLowerCase());
      const height = header.value.height;
      const node = await this.#scan(Math.min(height, this.#startHeight ?? height));
      const index = await this.#index();
      found = index
        .spenders(node, id, count)
        .map((s) => (s === undefined ? undefined : { spent: true, txid: s.txid, vin: s.vin, height: s.height }));
    }
    if (this.#mempool && found.some((s) => s === undefined)) {
      const pool = await this.#mempoolSpenders();
      found = found.map((s, vout) => {
        if (s !== undefined) return s;
        const m = pool.get(outpointId(id, vout));
        return m === undefined ? undefined : { spent: true, txid: m.txid, vin: m.vin, height: -1 };
      });
    }
    return found.map((s) => s ?? { spent: false });
  }

  /**
   * One page (100, newest first) of the transactions touching `address` in the scanned range [startHeight, tip]:
   * outputs to it, and inputs spending outputs to it that lie in that range. Core has no address index: the first
   * call scans the range into the index. `next` is `<height>:<position>` of the page's last transaction.
   * Upstream: `getblockcount`, `getblockhash <h>` + `getblock <hash> 2` per scanned block.
   * @example const { txids, next } = await source.getAddressHistory('rltc1q…');
   */
  async getAddressHistory(address: string, cursor?: string): Promise<UtxoHistoryPage> {
    const normalized = this.normalizeAddress(address);
    let before: { height: number; pos: number } | undefined;
    if (cursor !== undefined) {
      const m = CURSOR.exec(cursor);
      if (m === null) {
        throw new FundflowError('INVALID_ARGUMENT', `history cursor '${cursor}' is not <height>:<position>`, {
          details: { address: normalized, cursor },
        });
      }
      before = { height: Number(m[1]), pos: Number(m[2]) };
    }
    const node = await this.#scan(this.#startHeight ?? 0);
    const rows = (await this.#index()).addressTxs(node, normalized, CORE_RPC_HISTORY_PAGE_SIZE, before);
    const last = rows[rows.length - 1];
    const txids = rows.map((r) => r.txid);
    return rows.length === CORE_RPC_HISTORY_PAGE_SIZE && last !== undefined
      ? { txids, next: `${last.height}:${last.pos}` }
      : { txids };
  }

  // ---- decoding ----

  async #decode(
    tx: RpcTx,
    where: { height: number; time: number; confirmed: boolean },
    evidence: string[],
    local: Map<string, Fetched<RpcTx>>,
  ): Promise<UtxoTransaction> {
    const txid = tx.txid.toLowerCase();
    const outputs: UtxoOutput[] = tx.vout.map((out, i) => {
      if (out.n !== i) throw this.#bad(`output ${i} of ${txid} has n = ${out.n}`, { txid });
      return this.#output(out, txid);
    });
    const outputSum = outputs.reduce((sum, o) => sum + o.value, 0n);
    const proofs = new Set(evidence);
    const inputs: UtxoInput[] = await Promise.all(
      tx.vin.map(async (vin): Promise<UtxoInput> => {
        if ('coinbase' in vin) return { value: outputSum, coinbase: true };
        const parentId = vin.txid.toLowerCase();
        const parent = local.get(parentId) ?? (await this.#rawTx(parentId));
        const prev = parent.value.vout[vin.vout];
        if (prev === undefined) {
          throw this.#bad(`input of ${txid} spends ${parentId}:${vin.vout}, which does not exist`, { txid });
        }
        proofs.add(parent.sha256);
        const out = this.#output(prev, parentId);
        return { outpoint: outpointId(parentId, vin.vout), address: out.address, value: out.value, coinbase: false };
      }),
    );
    const coinbase = inputs.some((i) => i.coinbase);
    const fee = coinbase ? 0n : inputs.reduce((sum, i) => sum + i.value, 0n) - outputSum;
    if (fee < 0n) throw this.#bad(`${txid} spends less than it pays out (fee ${fee})`, { txid });
    return {
      txid,
      time: where.confirmed ? where.time : 0,
      height: where.confirmed ? where.height : -1,
      confirmed: where.confirmed,
      inputs,
      outputs,
      fee,
      evidence: [...proofs].sort(compareStrings),
    };
  }

  #output(out: RpcVout, txid: string): UtxoOutput {
    const spk = out.scriptPubKey;
    const scriptType = esploraScriptType(spk.type, spk.hex);
    const value = coinsToSatoshi(out.value);
    // p2pk has no address of its own (Core ≤ 0.21 shows the key's p2pkh address): a script id, as the Esplora source.
    const given = scriptType === 'p2pk' ? undefined : (spk.address ?? singleAddress(spk.addresses));
    if (given === undefined)
      return { vout: out.n, value, address: scriptId(spk.hex, scriptType), hasAddress: false, scriptType };
    let address: string;
    try {
      address = this.normalizeAddress(given);
    } catch (cause) {
      throw new FundflowError(
        'BAD_RESPONSE',
        `${this.info.endpoint} answered address ${given} (output ${out.n} of ${txid}), which is not a ${this.network} address: is the node on another network?`,
        { details: { endpoint: this.info.endpoint, txid, address: given, network: this.network }, cause },
      );
    }
    return { vout: out.n, value, address, hasAddress: true, scriptType };
  }

  // ---- scanning ----

  /** Scans [from, tip] into the index (what is not there yet) and returns the node id. One scan at a time. */
  #scan(from: number): Promise<string> {
    const run = this.#scanLock.then(() => this.#scanNow(from));
    this.#scanLock = run.catch(() => undefined);
    return run;
  }

  async #scanNow(from: number): Promise<string> {
    const node = await this.#node();
    const index = await this.#index();
    const tip = await this.#tipHeight();
    let range = index.range(node);
    if (range !== undefined && !this.#rangeChecked) {
      // A persisted index may come from a different chain with the same genesis (regtest) or predate a reorg.
      const hash = await this.#call('getblockhash', [range.to], rpcBlockHashSchema, { subject: { height: range.to } });
      if (hash.value.toLowerCase() !== range.toHash) {
        index.reset(node);
        range = undefined;
      }
    }
    this.#rangeChecked = true;
    if (range === undefined) {
      if (from <= tip) await this.#scanUp(node, index, from, tip, undefined);
    } else {
      for (let hi = range.from - 1; hi >= from; hi -= SCAN_CHUNK) {
        const lo = Math.max(from, hi - SCAN_CHUNK + 1);
        const blocks = await this.#fetchBlocks(lo, hi);
        range = { ...range, from: lo };
        index.add(
          node,
          blocks.map((b) => b.block),
          range,
        );
      }
      if (tip > range.to) {
        const grown = await this.#scanUp(node, index, range.to + 1, tip, range);
        if (!grown) {
          // The block after our top does not build on it: a reorg. Start over.
          index.reset(node);
          await this.#scanUp(node, index, Math.min(from, range.from), tip, undefined);
        }
      }
    }
    await index.flush();
    return node;
  }

  /** Scans [lo, hi] upward on top of `range`; false when block `lo` does not build on `range`'s top block. */
  async #scanUp(
    node: string,
    index: SpendIndex,
    lo: number,
    hi: number,
    range: ScannedRange | undefined,
  ): Promise<boolean> {
    let current = range;
    for (let start = lo; start <= hi; start += SCAN_CHUNK) {
      const end = Math.min(hi, start + SCAN_CHUNK - 1);
      const blocks = await this.#fetchBlocks(start, end);
      const first = blocks[0]!;
      if (current !== undefined && first.previous !== current.toHash) return false;
      const top = blocks[blocks.length - 1]!;
      current = { from: current?.from ?? start, to: end, toHash: top.block.hash };
      index.add(
        node,
        blocks.map((b) => b.block),
        current,
      );
    }
    return true;
  }

  async #fetchBlocks(lo: number, hi: number): Promise<Array<{ block: IndexedBlock; previous: string | undefined }>> {
    const heights = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
    const out: Array<{ block: IndexedBlock; previous: string | undefined }> = new Array(heights.length);
    let next = 0;
    const worker = async () => {
      while (next < heights.length) {
        const i = next++;
        const height = heights[i]!;
        const hash = await this.#call('getblockhash', [height], rpcBlockHashSchema, { subject: { height } });
        const block = await this.#call('getblock', [hash.value.toLowerCase(), 2], rpcBlockSchema, {
          immutable: true,
          subject: { height },
        });
        out[i] = { block: this.#indexed(block.value), previous: block.value.previousblockhash?.toLowerCase() };
        this.#stats.blocksScanned++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#scanConcurrency, heights.length) }, worker));
    return out;
  }

  #indexed(block: RpcBlock): IndexedBlock {
    return {
      height: block.height,
      hash: block.hash.toLowerCase(),
      txs: block.tx.map((tx) => {
        const txid = tx.txid.toLowerCase();
        return {
          txid,
          spends: tx.vin.flatMap((vin, i) =>
            'coinbase' in vin ? [] : [{ txid: vin.txid.toLowerCase(), vout: vin.vout, vin: i }],
          ),
          outputs: tx.vout.map((out) => {
            const o = this.#output(out, txid);
            return o.hasAddress ? o.address : undefined;
          }),
        };
      }),
    };
  }

  async #mempoolSpenders(): Promise<Map<string, { txid: string; vin: number }>> {
    const now = Date.now();
    if (this.#mempoolSpends === undefined || now - this.#mempoolSpends.at > this.#tipRefreshMs) {
      const spends = (async () => {
        const pool = await this.#call('getrawmempool', [false], rpcMempoolSchema, { subject: {} });
        const map = new Map<string, { txid: string; vin: number }>();
        const txs = await Promise.all(
          [...pool.value].sort(compareStrings).map((t) =>
            this.#rawTx(t.toLowerCase()).catch((e: unknown) => {
              // Mined or evicted since the mempool was listed.
              if (isFundflowError(e, 'NOT_FOUND')) return undefined;
              throw e;
            }),
          ),
        );
        for (const t of txs) {
          if (t === undefined) continue;
          t.value.vin.forEach((vin, i) => {
            if (!('coinbase' in vin)) {
              map.set(outpointId(vin.txid.toLowerCase(), vin.vout), { txid: t.value.txid.toLowerCase(), vin: i });
            }
          });
        }
        return map;
      })();
      this.#mempoolSpends = { at: now, spends };
      spends.catch(() => {
        this.#mempoolSpends = undefined;
      });
    }
    return this.#mempoolSpends.spends;
  }

  // ---- node state ----

  #index(): Promise<SpendIndex> {
    this.#indexPromise ??= SqliteSpendIndex.open();
    return this.#indexPromise;
  }

  /** `<chain>:<genesis hash>`: the spend index is kept per node. */
  #node(): Promise<string> {
    this.#nodeId ??= this.#call('getblockhash', [0], rpcBlockHashSchema, { subject: { height: 0 } }).then(
      (h) => `${this.info.chain}:${h.value.toLowerCase()}`,
      (e: unknown) => {
        this.#nodeId = undefined;
        throw e;
      },
    );
    return this.#nodeId;
  }

  #tipHeight(): Promise<number> {
    const now = Date.now();
    if (this.#tip === undefined || now - this.#tip.at > this.#tipRefreshMs) {
      const height = this.#call('getblockcount', [], rpcBlockCountSchema, { subject: {} }).then((r) => r.value);
      this.#tip = { at: now, height };
      height.catch(() => {
        this.#tip = undefined;
      });
    }
    return this.#tip.height;
  }

  #rawTx(txid: string): Promise<Fetched<RpcTx>> {
    let p = this.#txs.get(txid);
    if (p === undefined) {
      p = this.#call('getrawtransaction', [txid, true], rpcTxSchema, { subject: { txid } }).then((r) => {
        if (r.value.txid.toLowerCase() !== txid) {
          throw this.#bad(`getrawtransaction ${txid} answered transaction ${r.value.txid}`, { txid });
        }
        // An unconfirmed answer changes once mined: ask again next time.
        if (r.value.blockhash === undefined) this.#txs.delete(txid);
        return r;
      });
      this.#txs.set(txid, p);
      p.catch(() => this.#txs.delete(txid));
    }
    return p;
  }

  #header(hash: string): Promise<Fetched<RpcBlockHeader>> {
    let p = this.#headers.get(hash);
    if (p === undefined) {
      p = this.#call('getblockheader', [hash, true], rpcBlockHeaderSchema, { immutable: true, subject: { hash } });
      this.#headers.set(hash, p);
      p.catch(() => this.#headers.delete(hash));
    }
    return p;
  }

  // ---- JSON-RPC ----

  async #call<T>(
    method: string,
    params: unknown[],
    schema: z.ZodType<T>,
    options: { immutable?: boolean; subject: Record<string, unknown> },
  ): Promise<Fetched<T>> {
    this.#stats.calls[method] = (this.#stats.calls[method] ?? 0) + 1;
    const body = JSON.stringify([{ jsonrpc: '1.0', id: this.#nextId++, method, params }]);
    let res = await this.#post(body, options.immutable ?? false, method);
    if ((res.status === 401 || res.status === 403) && this.#auth !== undefined && 'cookieFile' in this.#auth) {
      // The node writes a new cookie each time it starts.
      this.#authHeader = undefined;
      res = await this.#post(body, options.immutable ?? false, method);
    }
    const what = `${method}${params.length > 0 ? ` ${params.map((p) => JSON.stringify(p)).join(' ')}` : ''}`;
    if (res.status === 401 || res.status === 403) {
      throw new FundflowError(
        'AUTH_FAILED',
        `${this.info.endpoint} refused the RPC credentials (HTTP ${res.status}) for ${method}: check -rpcuser/-rpcpassword, the cookie file, or -rpcallowip`,
        { details: { endpoint: this.info.endpoint, method, status: res.status } },
      );
    }
    if (res.status < 200 || res.status >= 300) {
      throw this.#bad(`${what} answered HTTP ${res.status}: ${bodyExcerpt(res.body) || '(empty body)'}`, {
        ...options.subject,
        method,
        status: res.status,
      });
    }
    let reply: unknown;
    try {
      // Amounts are decimal coins: keep their exact text (JSON.parse would round them through a float).
      reply = JSON.parse(quoteNumbersOf(res.body, ['value']));
    } catch {
      throw this.#bad(`${what} answered a body that is not JSON`, { ...options.subject, method });
    }
    const batch = rpcBatchReplySchema.safeParse(reply);
    const first = batch.success ? batch.data[0] : undefined;
    if (first === undefined)
      throw this.#bad(`${what} answered something other than a JSON-RPC batch reply`, { method });
    if (first.error) throw this.#rpcError(first.error, method, what, options.subject);
    const parsed = schema.safeParse(first.result);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const at = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(result)';
      throw this.#bad(`${what}: unexpected result at ${at}: ${issue?.message ?? 'invalid'}`, {
        ...options.subject,
        method,
        at,
      });
    }
    return { value: parsed.data, sha256: res.sha256 };
  }

  async #post(body: string, immutable: boolean, method: string): Promise<TransportResponse> {
    const auth = await this.#authorization();
    try {
      return await this.#transport.request({
        method: 'POST',
        url: this.#url,
        headers: { 'content-type': 'application/json', ...(auth === undefined ? {} : { authorization: auth }) },
        body,
        expect: 'json',
        ...(immutable ? { immutable: true } : {}),
      });
    } catch (e) {
      if (isFundflowError(e, 'NETWORK_ERROR') || isFundflowError(e, 'TIMEOUT')) {
        throw new FundflowError(
          e.code,
          `${e.message} (${method}): is the node running, with -server, and listening on ${this.info.endpoint}?`,
          { details: { ...e.details, endpoint: this.info.endpoint, method }, cause: e },
        );
      }
      throw e;
    }
  }

  #authorization(): Promise<string | undefined> {
    this.#authHeader ??= (async () => {
      const auth = this.#auth;
      if (auth === undefined) return undefined;
      const { user, password } = 'cookieFile' in auth ? await readCookie(auth.cookieFile) : auth;
      return `Basic ${base64(`${user}:${password}`)}`;
    })();
    const p = this.#authHeader;
    p.catch(() => {
      if (this.#authHeader === p) this.#authHeader = undefined;
    });
    return p;
  }

  #rpcError(
    error: { code: number; message: string },
    method: string,
    what: string,
    subject: Record<string, unknown>,
  ): FundflowError {
    const details = { ...subject, method, rpcCode: error.code, rpcMessage: error.message };
    if (error.code === -5) {
      const hint = /txindex/i.test(error.message)
        ? ': start the node with -txindex=1 (and let it build the index)'
        : '';
      const subjectText = subject.txid ? `transaction ${String(subject.txid)}` : what;
      return new FundflowError(
        'NOT_FOUND',
        `${subjectText} not found at ${this.info.endpoint} (${error.message})${hint}`,
        { details },
      );
    }
    if (error.code === -8 && subject.height !== undefined) {
      return new FundflowError('NOT_FOUND', `block ${String(subject.height)} not found (${error.message})`, {
        details,
      });
    }
    if (error.code === -32601) {
      return new FundflowError('UNSUPPORTED', `${this.info.endpoint} does not know the RPC ${method}`, { details });
    }
    if (error.code === -28) {
      return new FundflowError('HTTP_ERROR', `${this.info.endpoint} is still starting (${error.message}); try again`, {
        details,
      });
    }
    return this.#bad(`${what} failed: RPC error ${error.code}: ${error.message}`, details);
  }

  #bad(message: string, details: Record<string, unknown>): FundflowError {
    return new FundflowError('BAD_RESPONSE', `${this.info.endpoint}: ${message}`, {
      details: { endpoint: this.info.endpoint, ...details },
    });
  }
}

/** Core's script type names mapped to Esplora's (so both sources give the same script ids and types). */
function esploraScriptType(type: string, hex: string): string {
  if (hex === '') return 'empty';
  switch (type) {
    case 'pubkey':
      return 'p2pk';
    case 'pubkeyhash':
      return 'p2pkh';
    case 'scripthash':
      return 'p2sh';
    case 'witness_v0_keyhash':
      return 'v0_p2wpkh';
    case 'witness_v0_scripthash':
      return 'v0_p2wsh';
    case 'witness_v1_taproot':
      return 'v1_p2tr';
    case 'nulldata':
      return 'op_return';
    case 'multisig':
      return 'multisig';
    case 'nonstandard':
    case 'witness_unknown':
      return 'unknown';
    default:
      return type;
  }
}

function singleAddress(addresses: string[] | undefined): string | undefined {
  return addresses?.length === 1 ? addresses[0] : undefined;
}

async function readCookie(path: string): Promise<{ user: string; password: string }> {
  const fs = await import('node:fs/promises');
  let text: string;
  try {
    text = (await fs.readFile(path, 'utf8')).trim();
  } catch (cause) {
    throw new FundflowError(
      'AUTH_FAILED',
      `cannot read the RPC cookie file ${path}: is the node running, and is this its datadir (regtest: <datadir>/regtest/.cookie)?`,
      { details: { cookieFile: path }, cause },
    );
  }
  const colon = text.indexOf(':');
  if (colon < 0) {
    throw new FundflowError('AUTH_FAILED', `${path} is not an RPC cookie file (user:password)`, {
      details: { cookieFile: path },
    });
  }
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

function base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

function checkTxid(txid: string): string {
  if (!TXID.test(txid)) {
    throw new FundflowError('INVALID_ARGUMENT', `'${txid}' is not a txid (64 hex digits)`, { details: { txid } });
  }
  return txid.toLowerCase();
}

/** Credentials in the endpoint become `auth`: neither URLs nor SourceInfo nor errors may carry them. */
function parseEndpoint(endpoint: string): { base: string; auth: CoreRpcAuth | undefined } {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new FundflowError('INVALID_ARGUMENT', 'Core RPC endpoint is not a URL (e.g. http://127.0.0.1:8332)', {
      details: {},
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FundflowError('INVALID_ARGUMENT', `Core RPC endpoint must be http(s), not ${url.protocol}`, {
      details: { protocol: url.protocol },
    });
  }
  let auth: CoreRpcAuth | undefined;
  if (url.username !== '' || url.password !== '') {
    auth = { user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
    url.username = '';
    url.password = '';
  }
  if (url.search !== '' || url.hash !== '') {
    throw new FundflowError('INVALID_ARGUMENT', 'Core RPC endpoint must not have a query or fragment', {
      details: { base: `${url.origin}${url.pathname}` },
    });
  }
  return { base: `${url.origin}${url.pathname}`.replace(/\/+$/, ''), auth };
}
