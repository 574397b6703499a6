import {
  type AccountSource,
  type Asset,
  compareStrings,
  FundflowError,
  isFundflowError,
  parseWire,
  type SourceInfo,
  type Transfer,
  type TransferPage,
  type TransferQuery,
  type Transport,
} from '@fundflow/core';
import { z } from 'zod';
import { addressToTopic, normalizeEvmAddress } from '../address';
import { type EvmChain, evmChain, evmSeq, nativeAssetOf, transferIds } from '../chains';
import { DECIMALS_SELECTOR, decodeDecimals, decodeSymbol, SYMBOL_SELECTOR } from '../decode/abi';
import { decodeTokenTransferLog, ERC20_TRANSFER_TOPIC } from '../decode/logs';
import { decodeNativeTransaction, type NativeMove } from '../decode/native';
import { decodeCallFrame, decodeOtsInternalOps, decodeParityTraces, type InternalMove } from '../decode/traces';
import {
  callFrameSchema,
  hexToNumber,
  otsInternalOpSchema,
  otsSearchPageSchema,
  parityTraceSchema,
  type RpcReceipt,
  type RpcTransaction,
  rpcBlockSchema,
  rpcReceiptSchema,
  rpcTransactionSchema,
} from '../decode/wire';
import { JsonRpcClient, rpcErrorDetails } from './client';
import { getLogsAdaptive, safeOrigin } from './get-logs';

/** How the source finds an address's transactions: Parity `trace_filter`, or Otterscan `ots_searchTransactionsAfter`. */
export type HistoryMethod = 'trace_filter' | 'ots';
/**
 * How the source reads a transaction's internal transfers: geth `debug_traceTransaction` with `callTracer`, Parity
 * `trace_transaction` (both give call-tree paths), or `ots_getInternalOperations` (flat: ids are list positions).
 */
export type InternalMethod = 'debug_trace' | 'trace' | 'ots';

/** What the node offers, as detected once per source (or forced by options). */
export interface JsonRpcCapabilities {
  history: HistoryMethod;
  internal: InternalMethod;
  /** Each probed method and whether the node offers it (empty when everything was forced). */
  probed: Record<string, boolean>;
}

export interface JsonRpcSourceOptions {
  /** Node endpoint, e.g. `http://127.0.0.1:8545` or `https://mainnet.infura.io/v3/<key>` (the key is redacted). */
  url: string;
  transport: Transport;
  /** fundflow chain name or chain id (see EVM_CHAINS), or a chain description. */
  chain: string | number | EvmChain;
  /** Secrets in the URL that are not recognisable (query keys, userinfo and key-like path segments are). */
  secrets?: readonly string[];
  /** Extra HTTP headers (an `authorization` header is treated as a secret). */
  headers?: Record<string, string>;
  /** Use these methods instead of probing the node for them. */
  capabilities?: { history?: HistoryMethod; internal?: InternalMethod };
  /** Blocks below head after which answers are treated as final and immutable (cached forever). Default 64. */
  finality?: number;
  /** trace_filter `count` / ots `pageSize`: index entries per request; a page covers about this many. Default 100. */
  pageSize?: number;
  /** Transactions decoded in parallel per page (the transport still rate-limits). Default 4. */
  concurrency?: number;
}

const ZERO_HASH = `0x${'0'.repeat(64)}`;
const ZERO_ADDRESS = `0x${'0'.repeat(40)}`;
const CURSOR = /^evm1\.(\d{1,15})\.(\d{1,15})\.(\d{1,15})$/;

interface Candidate {
  hash: string;
  block: number;
  /** Whether the index says an internal frame touches the address (trace_filter); true when unknown (ots). */
  internal: boolean;
  /** From the ots page, when the index carried them. */
  tx?: RpcTransaction;
  receipt?: RpcReceipt;
  evidence: string[];
}

interface BlockInfo {
  timestamp: number;
  sha256: string;
}

/**
 * An `AccountSource` over an EVM node's JSON-RPC: native, internal and ERC-20 transfers of an address, with every
 * request going through a core `Transport` and every transfer carrying the sha256 of the responses it was read from.
 *
 * - History: `trace_filter` (Erigon, Nethermind, Reth, anvil) or `ots_searchTransactionsAfter` (Erigon, anvil) finds
 *   the address's transactions; `eth_getLogs` (topic filter on from/to, adaptive range bisection) its token transfers.
 * - Internal transfers: `debug_traceTransaction` + callTracer, else `trace_transaction`, else
 *   `ots_getInternalOperations`; detected once per source ({@link JsonRpcSource.capabilities}), also shown in
 *   `info.kind` (`jsonrpc` until detected, then e.g. `jsonrpc:trace_filter+debug_trace`).
 * - Ids, fees and ordering follow `transferIds` / `evmSeq` (chains.ts).
 * @example
 *   const source = new JsonRpcSource({ url: 'http://127.0.0.1:8545', chain: 'anvil', transport: http() });
 *   const { transfers, next } = await source.getTransfers({ address, direction: 'out' });
 */
export class JsonRpcSource implements AccountSource {
  readonly model = 'account' as const;
  readonly nativeAsset: Asset;
  readonly chain: EvmChain;
  readonly #client: JsonRpcClient;
  readonly #forced: JsonRpcSourceOptions['capabilities'];
  readonly #finality: number;
  readonly #pageSize: number;
  readonly #concurrency: number;
  #capabilities: Promise<JsonRpcCapabilities> | undefined;
  #detected: JsonRpcCapabilities | undefined;
  readonly #blocks = new Map<number, Promise<BlockInfo>>();
  readonly #tokens = new Map<string, Promise<{ asset: Asset; evidence: string[] }>>();

  constructor(options: JsonRpcSourceOptions) {
    const chain = typeof options.chain === 'object' ? options.chain : evmChain(options.chain);
    if (chain === undefined) {
      throw new FundflowError('INVALID_ARGUMENT', `unknown EVM chain '${String(options.chain)}'`, {
        details: { chain: String(options.chain) },
      });
    }
    const pageSize = options.pageSize ?? 100;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 10_000) {
      throw new FundflowError('INVALID_ARGUMENT', `pageSize ${pageSize} is outside 1..10000`, {
        details: { pageSize },
      });
    }
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new FundflowError('INVALID_ARGUMENT', 'JSON-RPC url is not a URL', { details: {} });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new FundflowError('INVALID_ARGUMENT', `JSON-RPC url must be http(s), not ${parsed.protocol}`, {
        details: { protocol: parsed.protocol },
      });
    }
    this.chain = chain;
    this.nativeAsset = nativeAssetOf(chain);
    this.#client = new JsonRpcClient({
      url: options.url,
      transport: options.transport,
      ...(options.secrets ? { secrets: options.secrets } : {}),
      ...(options.headers ? { headers: options.headers } : {}),
    });
    this.#forced = options.capabilities;
    this.#finality = options.finality ?? 64;
    this.#pageSize = pageSize;
    this.#concurrency = Math.max(1, options.concurrency ?? 4);
  }

  /** Chain, `jsonrpc[:<history>+<internal>]` once detected, and the endpoint without credentials. */
  get info(): SourceInfo {
    const d = this.#detected;
    return {
      chain: this.chain.name,
      kind: d === undefined ? 'jsonrpc' : `jsonrpc:${d.history}+${d.internal}`,
      endpoint: this.#client.endpoint,
    };
  }

  /** The capabilities detected so far (undefined before the first request that needed them). */
  get detected(): JsonRpcCapabilities | undefined {
    return this.#detected;
  }

  /**
   * Checksummed form of an EVM address; throws `INVALID_ADDRESS` (bad checksum, not 20 bytes). No request.
   * @example source.normalizeAddress('0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed') // '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'
   */
  normalizeAddress(address: string): string {
    return normalizeEvmAddress(address, this.chain.name);
  }

  /**
   * Which history and internal-transfer methods the node offers, probed once (`trace_filter`, `ots_getApiLevel`,
   * `debug_traceTransaction`, `trace_transaction` with a zero hash: "method not found" means absent, any other answer
   * present). Preference: history `trace_filter` then `ots`; internal `debug_trace`, `trace`, then `ots`.
   * Throws `UNSUPPORTED` naming the missing capability when the node has none for history or for internal transfers.
   */
  capabilities(): Promise<JsonRpcCapabilities> {
    this.#capabilities ??= this.#detect().then(
      (c) => {
        this.#detected = c;
        return c;
      },
      (e: unknown) => {
        this.#capabilities = undefined;
        throw e;
      },
    );
    return this.#capabilities;
  }

  /**
   * One page of an address's outgoing or incoming transfers: native (`txhash:native`, fee on the sender's every
   * transaction, amount 0 when it reverted; value-0 ones only for 'out'), internal (`txhash:trace:<path>`) and ERC-20
   * (`txhash:log:<i>`, zero-amount transfers dropped: anyone can emit them for any address). `since`/`until` are
   * mapped to blocks by binary search over block timestamps; a page covers a block window, and `next` continues
   * after it. Transfers sorted by height, seq, id.
   * Throws `INVALID_ADDRESS`, `INVALID_ARGUMENT` (bad cursor), `UNSUPPORTED` (no history/trace method), `BAD_RESPONSE`.
   * @example await source.getTransfers({ address, direction: 'in', since: 1700000000 })
   */
  async getTransfers(query: TransferQuery): Promise<TransferPage> {
    const address = this.normalizeAddress(query.address);
    if (query.direction !== 'in' && query.direction !== 'out') {
      throw new FundflowError('INVALID_ARGUMENT', `direction must be 'in' or 'out'`, { details: {} });
    }
    let range = query.cursor === undefined ? undefined : parseCursor(query.cursor);
    const caps = await this.capabilities();
    if (range === undefined) {
      const head = hexToNumber(await this.#call(z.string(), 'eth_blockNumber', []).then((a) => a.result));
      const from = query.since === undefined ? 0 : await this.#firstBlockAtOrAfter(query.since, head);
      const end = query.until === undefined ? head : await this.#lastBlockAtOrBefore(query.until, head);
      range = { from, end, head };
    }
    const { from, end, head } = range;
    if (from > end) return { transfers: [] };

    const window =
      caps.history === 'trace_filter'
        ? await this.#traceFilterWindow(address, query.direction, from, end, head)
        : await this.#otsWindow(address, from, end);
    const transfers: Transfer[] = [];
    const perTx = await mapLimit(window.candidates, this.#concurrency, (c) =>
      this.#transactionTransfers(c, address, query.direction, caps, head),
    );
    for (const list of perTx) transfers.push(...list);
    transfers.push(...(await this.#tokenTransfers(address, query.direction, from, window.end, head)));

    const unique = new Map<string, Transfer>();
    for (const t of transfers) unique.set(t.id, t);
    const sorted = [...unique.values()].sort(
      (a, b) => a.height - b.height || (a.seq ?? 0) - (b.seq ?? 0) || compareStrings(a.id, b.id),
    );
    return window.end < end
      ? { transfers: sorted, next: `evm1.${window.end + 1}.${end}.${head}` }
      : { transfers: sorted };
  }

  // ── capabilities ────────────────────────────────────────────────────────────

  async #detect(): Promise<JsonRpcCapabilities> {
    const probed: Record<string, boolean> = {};
    const probe = async (method: string, params: unknown[]): Promise<boolean> => {
      try {
        await this.#client.call(method, params);
        probed[method] = true;
      } catch (e) {
        if (!isFundflowError(e)) throw e;
        // Any JSON-RPC answer other than "method not found" means the method exists (e.g. "transaction not found").
        probed[method] = !(e.code === 'UNSUPPORTED') && rpcErrorDetails(e) !== undefined;
        if (rpcErrorDetails(e) === undefined) throw e;
      }
      return probed[method]!;
    };
    let history = this.#forced?.history;
    if (history === undefined) {
      if (await probe('trace_filter', [{ fromBlock: '0x0', toBlock: '0x0', fromAddress: [ZERO_ADDRESS], count: 1 }])) {
        history = 'trace_filter';
      } else if (await probe('ots_getApiLevel', [])) {
        history = 'ots';
      }
    }
    if (history === undefined) {
      throw new FundflowError(
        'UNSUPPORTED',
        `${this.#client.endpoint} offers no address history (capability 'history': neither trace_filter nor ots_searchTransactionsAfter); use an Erigon, Nethermind, Reth or anvil node, or the Etherscan/Blockscout source`,
        { details: { endpoint: this.#client.endpoint, capability: 'history', probed } },
      );
    }
    let internal = this.#forced?.internal;
    if (internal === undefined) {
      if (await probe('debug_traceTransaction', [ZERO_HASH, { tracer: 'callTracer' }])) internal = 'debug_trace';
      else if (await probe('trace_transaction', [ZERO_HASH])) internal = 'trace';
      else if (probed.ots_getApiLevel ?? (await probe('ots_getApiLevel', []))) internal = 'ots';
    }
    if (internal === undefined) {
      throw new FundflowError(
        'UNSUPPORTED',
        `${this.#client.endpoint} cannot show internal transfers (capability 'internal': none of debug_traceTransaction with callTracer, trace_transaction, ots_getInternalOperations)`,
        { details: { endpoint: this.#client.endpoint, capability: 'internal', probed } },
      );
    }
    return { history, internal, probed };
  }

  // ── history windows ─────────────────────────────────────────────────────────

  /**
   * Transactions with a trace from/to `address` in [from, …]: one `trace_filter` page of `pageSize` traces. A full
   * page ends the window before its last block (which may be cut), unless all of it is one block: then that block is
   * paged through with `after`.
   */
  async #traceFilterWindow(
    address: string,
    direction: 'in' | 'out',
    from: number,
    end: number,
    head: number,
  ): Promise<{ candidates: Candidate[]; end: number }> {
    const key = direction === 'out' ? 'fromAddress' : 'toAddress';
    const ask = async (fromBlock: number, toBlock: number, after: number) => {
      const answer = await this.#call(
        z.array(parityTraceSchema),
        'trace_filter',
        [{ [key]: [address], fromBlock: hex(fromBlock), toBlock: hex(toBlock), after, count: this.#pageSize }],
        toBlock <= head - this.#finality,
      );
      return { traces: answer.result, sha256: answer.sha256 };
    };
    const first = await ask(from, end, 0);
    let pages = [first];
    let windowEnd = end;
    if (first.traces.length >= this.#pageSize) {
      const lastBlock = first.traces[first.traces.length - 1]!.blockNumber;
      if (lastBlock > from) {
        windowEnd = lastBlock - 1;
      } else {
        windowEnd = from;
        for (let after = this.#pageSize; ; after += this.#pageSize) {
          const more = await ask(from, from, after);
          pages.push(more);
          if (more.traces.length < this.#pageSize) break;
        }
      }
    }
    pages = pages.map((p) => ({ ...p, traces: p.traces.filter((t) => t.blockNumber <= windowEnd) }));
    const byHash = new Map<string, Candidate>();
    for (const page of pages) {
      for (const t of page.traces) {
        if (!t.transactionHash) continue;
        const hash = t.transactionHash.toLowerCase();
        let c = byHash.get(hash);
        if (c === undefined) {
          c = { hash, block: t.blockNumber, internal: false, evidence: [] };
          byHash.set(hash, c);
        }
        if (t.traceAddress.length > 0) c.internal = true;
        if (!c.evidence.includes(page.sha256)) c.evidence.push(page.sha256);
      }
    }
    return { candidates: [...byHash.values()], end: windowEnd };
  }

  /**
   * Transactions touching `address` after block from-1: one `ots_searchTransactionsAfter` page (txs with receipts).
   * A full page ends the window before its newest block unless that is the only block (ots returns whole blocks).
   */
  async #otsWindow(address: string, from: number, end: number): Promise<{ candidates: Candidate[]; end: number }> {
    const answer = await this.#call(otsSearchPageSchema, 'ots_searchTransactionsAfter', [
      address,
      Math.max(0, from - 1),
      this.#pageSize,
    ]);
    const page = answer.result;
    const receipts = new Map(page.receipts.map((r) => [r.transactionHash.toLowerCase(), r]));
    let windowEnd = end;
    const blocks = page.txs.map((t) => (t.blockNumber ? hexToNumber(t.blockNumber) : -1));
    if (page.txs.length >= this.#pageSize) {
      const newest = Math.max(...blocks);
      windowEnd = Math.min(end, newest > from ? newest - 1 : newest);
    }
    const candidates: Candidate[] = [];
    page.txs.forEach((tx, i) => {
      const block = blocks[i]!;
      if (block < from || block > windowEnd) return;
      const receipt = receipts.get(tx.hash.toLowerCase());
      if (receipt === undefined) {
        throw this.#bad('ots_searchTransactionsAfter', `answered transaction ${tx.hash} without its receipt`);
      }
      candidates.push({ hash: tx.hash.toLowerCase(), block, internal: true, tx, receipt, evidence: [answer.sha256] });
    });
    return { candidates, end: windowEnd };
  }

  // ── one transaction ─────────────────────────────────────────────────────────

  async #transactionTransfers(
    c: Candidate,
    address: string,
    direction: 'in' | 'out',
    caps: JsonRpcCapabilities,
    head: number,
  ): Promise<Transfer[]> {
    const final = c.block <= head - this.#finality;
    const evidence = [...c.evidence];
    let tx = c.tx;
    let receipt = c.receipt;
    if (tx === undefined) {
      const a = await this.#call(rpcTransactionSchema.nullable(), 'eth_getTransactionByHash', [c.hash], final);
      if (a.result === null) throw this.#bad('eth_getTransactionByHash', `does not know transaction ${c.hash}`);
      tx = a.result;
      evidence.push(a.sha256);
    }
    if (receipt === undefined) {
      const a = await this.#call(rpcReceiptSchema.nullable(), 'eth_getTransactionReceipt', [c.hash], final);
      if (a.result === null) throw this.#bad('eth_getTransactionReceipt', `has no receipt for ${c.hash}`);
      receipt = a.result;
      evidence.push(a.sha256);
    }
    let native: NativeMove;
    try {
      native = decodeNativeTransaction(tx, receipt);
    } catch (e) {
      throw this.#bad('eth_getTransactionReceipt', (e as Error).message);
    }
    const block = await this.#block(native.blockNumber, head);
    const base = { txid: native.txhash, time: block.timestamp, height: native.blockNumber };
    const out: Transfer[] = [];
    const mine = (from: string, to: string) => (direction === 'out' ? from === address : to === address);
    if (mine(native.from, native.to) && (direction === 'out' || native.amount > 0n)) {
      out.push({
        ...base,
        id: transferIds.native(native.txhash),
        from: native.from,
        to: native.to,
        asset: this.nativeAsset,
        amount: native.amount,
        fee: native.fee,
        seq: evmSeq(native.txIndex, { kind: 'native' }),
        kind: 'native',
        evidence: uniq([...evidence, block.sha256]),
      });
    }
    if (c.internal && native.status !== 'reverted') {
      const { moves, sha256 } = await this.#internalMoves(caps.internal, native, final);
      for (const m of moves) {
        if (!mine(m.from, m.to)) continue;
        out.push({
          ...base,
          id: transferIds.trace(native.txhash, m.path),
          from: m.from,
          to: m.to,
          asset: this.nativeAsset,
          amount: m.amount,
          seq: evmSeq(native.txIndex, { kind: 'trace', order: m.order }),
          kind: 'internal',
          evidence: uniq([...evidence, sha256, block.sha256]),
        });
      }
    }
    return out;
  }

  async #internalMoves(
    method: InternalMethod,
    native: NativeMove,
    final: boolean,
  ): Promise<{ moves: InternalMove[]; sha256: string }> {
    const hash = native.txhash;
    switch (method) {
      case 'debug_trace': {
        const a = await this.#call(callFrameSchema, 'debug_traceTransaction', [hash, { tracer: 'callTracer' }], final);
        return { moves: decodeCallFrame(a.result), sha256: a.sha256 };
      }
      case 'trace': {
        const a = await this.#call(z.array(parityTraceSchema), 'trace_transaction', [hash], final);
        return { moves: decodeParityTraces(a.result), sha256: a.sha256 };
      }
      case 'ots': {
        const a = await this.#call(z.array(otsInternalOpSchema), 'ots_getInternalOperations', [hash], final);
        const root = { from: native.from, to: native.creation ? undefined : native.to, value: native.value };
        return { moves: decodeOtsInternalOps(a.result, root), sha256: a.sha256 };
      }
    }
  }

  // ── tokens ──────────────────────────────────────────────────────────────────

  async #tokenTransfers(
    address: string,
    direction: 'in' | 'out',
    from: number,
    to: number,
    head: number,
  ): Promise<Transfer[]> {
    const topic = addressToTopic(address);
    const { logs } = await getLogsAdaptive(
      this.#client,
      {
        topics: [ERC20_TRANSFER_TOPIC, direction === 'out' ? topic : null, direction === 'in' ? topic : null],
        fromBlock: from,
        toBlock: to,
      },
      { finalBlock: head - this.#finality },
    );
    const out: Transfer[] = [];
    for (const { log, sha256 } of logs) {
      const t = decodeTokenTransferLog(log);
      if (t === undefined || t.amount === 0n) continue;
      if ((direction === 'out' ? t.from : t.to) !== address) continue;
      const [token, block] = await Promise.all([this.#token(t.token), this.#block(t.blockNumber, head)]);
      out.push({
        id: transferIds.log(t.txhash, t.logIndex),
        txid: t.txhash,
        from: t.from,
        to: t.to,
        asset: token.asset,
        amount: t.amount,
        time: block.timestamp,
        height: t.blockNumber,
        seq: evmSeq(t.txIndex, { kind: 'log', logIndex: t.logIndex }),
        kind: 'token',
        evidence: uniq([sha256, block.sha256, ...token.evidence]),
      });
    }
    return out;
  }

  /**
   * A token's asset: `decimals()` and `symbol()` read once per contract with eth_call. A call the contract reverts or
   * answers with nothing usable gives decimals 0 with `decimalsKnown: false`, or the symbol `0xAbCd…1234`.
   */
  #token(contract: string): Promise<{ asset: Asset; evidence: string[] }> {
    let p = this.#tokens.get(contract);
    if (p === undefined) {
      p = (async () => {
        const [decimals, symbol] = await Promise.all([
          this.#ethCall(contract, DECIMALS_SELECTOR),
          this.#ethCall(contract, SYMBOL_SELECTOR),
        ]);
        const d = decimals.result === undefined ? undefined : decodeDecimals(decimals.result);
        const s = symbol.result === undefined ? undefined : decodeSymbol(symbol.result);
        const asset: Asset = {
          chain: this.chain.name,
          symbol: s ?? `${contract.slice(0, 6)}…${contract.slice(-4)}`,
          decimals: d ?? 0,
          contract,
          ...(d === undefined ? { decimalsKnown: false } : {}),
        };
        return { asset, evidence: uniq([decimals.sha256, symbol.sha256].filter((h) => h !== '')) };
      })();
      p.catch(() => this.#tokens.delete(contract));
      this.#tokens.set(contract, p);
    }
    return p;
  }

  /** eth_call at `latest`; a JSON-RPC error (revert, no code) is an absent answer, transport errors propagate. */
  async #ethCall(to: string, data: string): Promise<{ result: string | undefined; sha256: string }> {
    try {
      const a = await this.#call(z.string(), 'eth_call', [{ to, data }, 'latest']);
      return { result: a.result, sha256: a.sha256 };
    } catch (e) {
      const d = rpcErrorDetails(e);
      if (d === undefined || (e as FundflowError).code === 'RATE_LIMITED') throw e;
      // The error answer is what the asset's fallback was read from.
      return { result: undefined, sha256: d.sha256 ?? '' };
    }
  }

  // ── blocks and time ─────────────────────────────────────────────────────────

  #block(n: number, head: number): Promise<BlockInfo> {
    let p = this.#blocks.get(n);
    if (p === undefined) {
      p = this.#call(
        rpcBlockSchema.nullable(),
        'eth_getBlockByNumber',
        [hex(n), false],
        n <= head - this.#finality,
      ).then((a) => {
        if (a.result === null) throw this.#bad('eth_getBlockByNumber', `does not know block ${n}`);
        return { timestamp: hexToNumber(a.result.timestamp), sha256: a.sha256 };
      });
      p.catch(() => this.#blocks.delete(n));
      this.#blocks.set(n, p);
    }
    return p;
  }

  /** The first block whose timestamp is ≥ `time`; head + 1 when none is. */
  async #firstBlockAtOrAfter(time: number, head: number): Promise<number> {
    let lo = 0;
    let hi = head + 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if ((await this.#block(mid, head)).timestamp >= time) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** The last block whose timestamp is ≤ `time`; -1 when none is. */
  async #lastBlockAtOrBefore(time: number, head: number): Promise<number> {
    return (await this.#firstBlockAtOrAfter(time + 1, head)) - 1;
  }

  // ── plumbing ────────────────────────────────────────────────────────────────

  async #call<T>(
    schema: z.ZodType<T>,
    method: string,
    params: unknown[],
    immutable = false,
  ): Promise<{ result: T; sha256: string }> {
    const a = await this.#client.call(method, params, { immutable });
    return { result: parseWire(schema, a.result, `${safeOrigin(this.#client.endpoint)}/${method}`), sha256: a.sha256 };
  }

  #bad(method: string, why: string): FundflowError {
    return new FundflowError('BAD_RESPONSE', `${method} at ${this.#client.endpoint} ${why}`, {
      details: { endpoint: this.#client.endpoint, method },
    });
  }
}

function parseCursor(cursor: string): { from: number; end: number; head: number } {
  const m = CURSOR.exec(cursor);
  const from = Number(m?.[1]);
  const end = Number(m?.[2]);
  const head = Number(m?.[3]);
  if (m === null || from > end + 1 || end > head) {
    throw new FundflowError(
      'INVALID_ARGUMENT',
      `paging cursor '${cursor.slice(0, 40)}' is not a JSON-RPC source cursor (from a previous page's next)`,
      { details: { cursor: cursor.slice(0, 40) } },
    );
  }
  return { from, end, head };
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

function uniq(list: string[]): string[] {
  return [...new Set(list)];
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
