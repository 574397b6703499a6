import {
  type Asset,
  bodyExcerpt,
  FundflowError,
  type Outspend,
  outpointId,
  parseWire,
  type SourceInfo,
  type Transport,
  type TransportRequest,
  type TransportResponse,
  type UtxoAnnotation,
  type UtxoHistoryPage,
  type UtxoInput,
  type UtxoOutput,
  type UtxoSource,
  type UtxoTransaction,
} from '@fundflow/core';
import { normalizeBitcoinAddress, scriptId } from './address';
import {
  type EsploraOutput,
  type EsploraOutspend,
  type EsploraTx,
  esploraAddressStatsSchema,
  esploraBatchedOutspendsSchema,
  esploraHistoryPageSchema,
  esploraOutspendsSchema,
  esploraTxSchema,
  isEsploraOutspends,
  isEsploraTx,
} from './esplora-wire';
import { annotateUtxo } from './heuristics/annotate';
import { type BitcoinNetworkName, chainOf, isBitcoinNetworkName, nativeAssetOf } from './networks';

export interface EsploraSourceOptions {
  /** API root: `https://blockstream.info/api`, `https://mempool.space/api`, `https://litecoinspace.org/api`, … */
  baseUrl: string;
  network: BitcoinNetworkName;
  transport: Transport;
  /**
   * mempool.space only: coalesce `getOutspends` calls made in the same event-loop turn into
   * `GET /txs/outspends?txids=a,b,…` (at most 50 txids a request). Off by default: Blockstream's Esplora lacks it.
   */
  batchOutspends?: boolean;
}

/** Esplora's fixed page size for `/address/:a/txs/chain`. */
export const ESPLORA_CHAIN_PAGE_SIZE = 25;
/** mempool.space's limit for `/txs/outspends`. */
export const ESPLORA_OUTSPENDS_BATCH_MAX = 50;

/** Funded/spent totals of an address (`GET /address/:a`), confirmed and mempool apart. Amounts in satoshi. */
export interface AddressStats {
  address: string;
  chain: AddressStatsPart;
  mempool: AddressStatsPart;
  evidence: string[];
}

export interface AddressStatsPart {
  txCount: number;
  fundedOutputs: number;
  funded: bigint;
  spentOutputs: number;
  spent: bigint;
}

interface Waiter {
  resolve: (outspends: Outspend[]) => void;
  reject: (error: unknown) => void;
}

const TXID = /^[0-9a-fA-F]{64}$/;

/**
 * A `UtxoSource` over an Esplora REST API (Blockstream, mempool.space, litecoinspace, a self-hosted electrs).
 * All I/O goes through the given core `Transport`.
 * @example
 *   const source = new EsploraSource({ baseUrl: 'https://blockstream.info/api', network: 'bitcoin', transport });
 *   const tx = await source.getTransaction('b10c0000004da5a9d1d9b4ae32e09f0b3e62d21a5cce5428d4ad714fb444eb5d');
 */
export class EsploraSource implements UtxoSource {
  readonly model = 'utxo' as const;
  readonly info: SourceInfo;
  readonly nativeAsset: Asset;
  readonly network: BitcoinNetworkName;
  readonly #base: string;
  readonly #headers: Record<string, string> | undefined;
  readonly #transport: Transport;
  readonly #batchOutspends: boolean;
  #queued = new Map<string, Waiter[]>();
  #flushScheduled = false;
  /** Newest txid of each address's first history page: a later page that contains it is page 1 served again. */
  readonly #historyHeads = new Map<string, string>();

  constructor(options: EsploraSourceOptions) {
    if (!isBitcoinNetworkName(options.network)) {
      throw new FundflowError('INVALID_ARGUMENT', `unknown network '${String(options.network)}'`, {
        details: { network: String(options.network) },
      });
    }
    const { base, headers } = parseBaseUrl(options.baseUrl);
    this.network = options.network;
    this.#base = base;
    this.#headers = headers;
    this.#transport = options.transport;
    this.#batchOutspends = options.batchOutspends ?? false;
    this.nativeAsset = nativeAssetOf(options.network);
    this.info = { chain: chainOf(options.network), kind: 'esplora', endpoint: base, network: options.network };
  }

  /**
   * Canonical form of an address of this source's network; throws `INVALID_ADDRESS`. No request.
   * @example source.normalizeAddress('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4') // 'bc1qw508…'
   */
  normalizeAddress(address: string): string {
    return normalizeBitcoinAddress(address, this.network);
  }

  /** Change and CoinJoin heuristics for the tracer's edge provenance (see heuristics/annotate.ts). Pure. */
  annotate(tx: UtxoTransaction): UtxoAnnotation | undefined {
    return annotateUtxo(tx);
  }

  /**
   * A transaction with resolved prevouts. Confirmed transaction bodies never change, so the request is marked
   * immutable (an unconfirmed one is then cached as unconfirmed for the transport's life: see README).
   * Upstream: `GET /tx/:txid`. Throws `NOT_FOUND`, `BAD_RESPONSE`, `INVALID_ARGUMENT`.
   * @example await source.getTransaction('20b98449…') // { txid, height: 848136, inputs: [...], outputs: [...] }
   */
  async getTransaction(txid: string): Promise<UtxoTransaction> {
    const id = checkTxid(txid);
    return this.#transaction(id, await this.#get(`/tx/${id}`, { txid: id }, true));
  }

  /** `getTransaction` at once when the transport holds the answer (a replay); undefined otherwise. */
  getTransactionNow(txid: string): UtxoTransaction | undefined {
    if (this.#transport.requestNow === undefined) return undefined;
    const id = checkTxid(txid);
    return this.#transaction(id, this.#checked(this.#requestNow(`/tx/${id}`, true), { txid: id }));
  }

  #transaction(id: string, { json, sha256, url }: Answer): UtxoTransaction {
    // The in-place check first (zod copies the whole object); the schema runs when it fails, for its message.
    const wire = isEsploraTx(json) ? json : parseWire(esploraTxSchema, json, url);
    if (wire.txid.toLowerCase() !== id) {
      throw new FundflowError('BAD_RESPONSE', `${url} answered with transaction ${wire.txid}`, {
        details: { url, txid: id, got: wire.txid },
      });
    }
    const tx = toUtxoTransaction(wire, sha256, url);
    // The txid asked for (equal to the answer's, checked above) rather than the copy parsed from the body: the one
    // asked for is the outspend's string already, and a trace keeps every transaction it read.
    tx.txid = id;
    return tx;
  }

  /**
   * Where each output of `txid` went, in vout order; `height` is the spender's block height (-1 unconfirmed).
   * Not immutable: an unspent output can be spent later. With `batchOutspends`, concurrent calls share requests.
   * Upstream: `GET /tx/:txid/outspends`, or mempool.space `GET /txs/outspends?txids=…`.
   * @example await source.getOutspends('20b98449…') // [{ spent: false }, { spent: true, txid, vin: 0, height: 848200 }]
   */
  getOutspends(txid: string): Promise<Outspend[]> {
    let id: string;
    try {
      id = checkTxid(txid);
    } catch (e) {
      return Promise.reject(e);
    }
    if (!this.#batchOutspends) return this.#fetchOutspends(id);
    return new Promise<Outspend[]>((resolve, reject) => {
      const waiters = this.#queued.get(id);
      if (waiters) waiters.push({ resolve, reject });
      else this.#queued.set(id, [{ resolve, reject }]);
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        // A macrotask, not a microtask: calls made from promise callbacks of the same turn still join the batch.
        setTimeout(() => this.#flushOutspends(), 0);
      }
    });
  }

  /**
   * One page (25, newest first) of confirmed transactions touching `address`; `next` is the last txid of a full
   * page. The address is validated before any request. A page that repeats an earlier one (Esplora silently serves
   * page 1 for a last_seen_txid it cannot parse) throws `BAD_RESPONSE` instead of looping.
   * Upstream: `GET /address/:address/txs/chain[/:last_seen_txid]`.
   * @example const { txids, next } = await source.getAddressHistory('bc1q…'); await source.getAddressHistory('bc1q…', next);
   */
  async getAddressHistory(address: string, cursor?: string): Promise<UtxoHistoryPage> {
    const normalized = this.normalizeAddress(address);
    let lastSeen: string | undefined;
    if (cursor !== undefined) {
      if (!TXID.test(cursor)) {
        throw new FundflowError('INVALID_ARGUMENT', `history cursor '${cursor}' is not a txid`, {
          details: { address: normalized, cursor },
        });
      }
      lastSeen = cursor.toLowerCase();
    }
    const path = `/address/${encodeURIComponent(normalized)}/txs/chain${lastSeen === undefined ? '' : `/${lastSeen}`}`;
    const { json, url } = await this.#get(path, { address: normalized });
    const txids = parseWire(esploraHistoryPageSchema, json, url).map((t) => t.txid.toLowerCase());
    if (lastSeen === undefined) {
      if (txids[0] !== undefined) this.#historyHeads.set(normalized, txids[0]);
    } else {
      const head = this.#historyHeads.get(normalized);
      const repeated = txids.find((t) => t === lastSeen || t === head);
      if (repeated !== undefined) {
        throw new FundflowError(
          'BAD_RESPONSE',
          `${url} served an earlier page again (it contains ${repeated}): the server ignored last_seen_txid, so paging would loop`,
          { details: { url, address: normalized, cursor: lastSeen, repeated } },
        );
      }
    }
    const last = txids[txids.length - 1];
    return txids.length >= ESPLORA_CHAIN_PAGE_SIZE && last !== undefined ? { txids, next: last } : { txids };
  }

  /**
   * Funded/spent totals and tx counts of an address, confirmed and mempool apart (a cheap size check before paging
   * its history).
   * Upstream: `GET /address/:address`.
   * @example (await source.getAddressStats('1stAprEZapjCYGUACUcXohQqSHF9MU5Kj')).chain.txCount
   */
  async getAddressStats(address: string): Promise<AddressStats> {
    const normalized = this.normalizeAddress(address);
    const { json, sha256, url } = await this.#get(`/address/${encodeURIComponent(normalized)}`, {
      address: normalized,
    });
    const wire = parseWire(esploraAddressStatsSchema, json, url);
    const part = (p: (typeof wire)['chain_stats']): AddressStatsPart => ({
      txCount: p.tx_count,
      fundedOutputs: p.funded_txo_count,
      funded: BigInt(p.funded_txo_sum),
      spentOutputs: p.spent_txo_count,
      spent: BigInt(p.spent_txo_sum),
    });
    return {
      address: normalized,
      chain: part(wire.chain_stats),
      mempool: part(wire.mempool_stats),
      evidence: [sha256],
    };
  }

  /** `getOutspends` at once when the transport holds the answer (a replay); undefined otherwise. */
  getOutspendsNow(txid: string): Outspend[] | undefined {
    if (this.#transport.requestNow === undefined) return undefined;
    const id = checkTxid(txid);
    return outspendsOf(this.#checked(this.#requestNow(`/tx/${id}/outspends`), { txid: id }));
  }

  async #fetchOutspends(txid: string): Promise<Outspend[]> {
    return outspendsOf(await this.#get(`/tx/${txid}/outspends`, { txid }));
  }

  #flushOutspends(): void {
    this.#flushScheduled = false;
    const queued = this.#queued;
    this.#queued = new Map();
    const txids = [...queued.keys()];
    for (let i = 0; i < txids.length; i += ESPLORA_OUTSPENDS_BATCH_MAX) {
      void this.#runOutspendsBatch(txids.slice(i, i + ESPLORA_OUTSPENDS_BATCH_MAX), queued);
    }
  }

  async #runOutspendsBatch(txids: string[], queued: Map<string, Waiter[]>): Promise<void> {
    const settle = (txid: string, outcome: { ok: true; value: Outspend[] } | { ok: false; error: unknown }) => {
      for (const w of queued.get(txid) ?? []) {
        if (outcome.ok) w.resolve(outcome.value.map((o) => ({ ...o })));
        else w.reject(outcome.error);
      }
    };
    const one = (txid: string) =>
      this.#fetchOutspends(txid).then(
        (value) => settle(txid, { ok: true, value }),
        (error: unknown) => settle(txid, { ok: false, error }),
      );
    if (txids.length === 1) {
      await one(txids[0]!);
      return;
    }
    let batch: Outspend[][];
    try {
      const response = await this.#request(`/txs/outspends?txids=${txids.join(',')}`);
      if (response.res.status < 200 || response.res.status >= 300) {
        // A server without the endpoint, or one txid it rejects, must not fail the others: ask one by one, which
        // also gives each caller its precise error (NOT_FOUND for an unknown txid).
        await Promise.all(txids.map(one));
        return;
      }
      const json = requireJson(response.res, response.url);
      batch = parseWire(esploraBatchedOutspendsSchema, json, response.url).map((list) => list.map(toOutspend));
      if (batch.length !== txids.length) {
        throw new FundflowError(
          'BAD_RESPONSE',
          `${response.url} returned ${batch.length} outspend lists for ${txids.length} txids`,
          { details: { url: response.url, requested: txids.length, returned: batch.length } },
        );
      }
    } catch (error) {
      for (const txid of txids) settle(txid, { ok: false, error });
      return;
    }
    const retry: string[] = [];
    txids.forEach((txid, i) => {
      const value = batch[i]!;
      // Every transaction has an output, so an empty list means the batch endpoint did not know the txid.
      if (value.length === 0) retry.push(txid);
      else settle(txid, { ok: true, value });
    });
    await Promise.all(retry.map(one));
  }

  #requestOf(path: string, immutable: boolean): TransportRequest {
    // One flat string (a joined array), not a rope: the transport looks answers up by URL (see outpointId in core).
    const request: TransportRequest = { method: 'GET', url: [this.#base, path].join(''), expect: 'json' };
    if (immutable) request.immutable = true;
    if (this.#headers) request.headers = { ...this.#headers };
    return request;
  }

  async #request(path: string, immutable = false): Promise<{ res: TransportResponse; url: string }> {
    const request = this.#requestOf(path, immutable);
    return { res: await this.#transport.request(request), url: request.url };
  }

  #requestNow(path: string, immutable = false): { res: TransportResponse; url: string } {
    const request = this.#requestOf(path, immutable);
    return { res: this.#transport.requestNow!(request), url: request.url };
  }

  async #get(path: string, subject: Record<string, string>, immutable = false): Promise<Answer> {
    return this.#checked(await this.#request(path, immutable), subject);
  }

  /** A 2xx JSON answer, or the typed error for what came instead. */
  #checked({ res, url }: { res: TransportResponse; url: string }, subject: Record<string, string>): Answer {
    if (res.status < 200 || res.status >= 300) throw this.#statusError(res, url, subject);
    return { json: requireJson(res, url), sha256: res.sha256, url };
  }

  #statusError(res: TransportResponse, url: string, subject: Record<string, string>): FundflowError {
    const text = bodyExcerpt(res.body);
    if (res.status === 404) {
      const what = subject.txid ? `transaction ${subject.txid}` : subject.address ? `address ${subject.address}` : url;
      return new FundflowError('NOT_FOUND', `${what} not found at ${this.#base} (${text || 'HTTP 404'})`, {
        details: { ...subject, url, status: 404 },
      });
    }
    if (res.status === 400 && /invalid .*address/i.test(res.body)) {
      return new FundflowError(
        'INVALID_ADDRESS',
        `${this.#base} rejected address ${subject.address ?? ''} as invalid for ${this.network} (${text}): check the address and the network setting`,
        { details: { ...subject, network: this.network, url, status: 400 } },
      );
    }
    return new FundflowError('BAD_RESPONSE', `${url} answered HTTP ${res.status}: ${text || '(empty body)'}`, {
      details: { ...subject, url, status: res.status, body: text },
    });
  }
}

/**
 * Converts an Esplora transaction to the core type (exported for tests and other Esplora-shaped sources).
 * Inputs carry their prevout's address, or a `scriptId` when the script has none; a coinbase input has no outpoint
 * and carries the sum of the outputs (subsidy + fees claimed), so inputs = outputs + fee holds for every transaction.
 * Throws `BAD_RESPONSE` when a non-coinbase input lacks its prevout or the fee does not add up.
 * @example toUtxoTransaction(wireTx, response.sha256, 'https://mempool.space/api/tx/…')
 */
export function toUtxoTransaction(tx: EsploraTx, evidence: string, url: string): UtxoTransaction {
  const txid = tx.txid.toLowerCase();
  const outputs: UtxoOutput[] = tx.vout.map(toUtxoOutput);
  const outputSum = outputs.reduce((sum, o) => sum + o.value, 0n);
  const inputs: UtxoInput[] = tx.vin.map((vin, i) => {
    if (vin.is_coinbase) return { value: outputSum, coinbase: true };
    if (!vin.prevout) {
      throw new FundflowError('BAD_RESPONSE', `${url}: input ${i} of ${txid} has no prevout`, {
        details: { url, txid, vin: i },
      });
    }
    return {
      outpoint: outpointId(vin.txid.toLowerCase(), vin.vout),
      address: addressOf(vin.prevout),
      value: BigInt(vin.prevout.value),
      coinbase: false,
    };
  });
  const fee = BigInt(tx.fee);
  const inputSum = inputs.reduce((sum, input) => sum + input.value, 0n);
  if (inputSum - outputSum !== fee) {
    throw new FundflowError(
      'BAD_RESPONSE',
      `${url}: fee ${fee} of ${txid} does not equal inputs ${inputSum} minus outputs ${outputSum}`,
      { details: { url, txid, fee: fee.toString(), inputs: inputSum.toString(), outputs: outputSum.toString() } },
    );
  }
  const confirmed = tx.status.confirmed;
  return {
    txid,
    time: tx.status.confirmed ? tx.status.block_time : 0,
    height: tx.status.confirmed ? tx.status.block_height : -1,
    confirmed,
    inputs,
    outputs,
    fee,
    evidence: [evidence],
  };
}

// All five fields in one literal: a trace keeps every output it read, and fields added after the literal (as a spread
// does) go to a separate property array, one more object per output for the garbage collector to walk.
function toUtxoOutput(out: EsploraOutput, vout: number): UtxoOutput {
  const scriptType = out.scriptpubkey_type;
  return {
    vout,
    value: BigInt(out.value),
    address: addressOf(out),
    hasAddress: Boolean(out.scriptpubkey_address),
    scriptType,
  };
}

/** The output's address, or a script id when it has none (p2pk, OP_RETURN, nonstandard; mempool.space sends ""). */
function addressOf(out: EsploraOutput): string {
  return out.scriptpubkey_address ? out.scriptpubkey_address : scriptId(out.scriptpubkey, out.scriptpubkey_type);
}

/** A JSON answer with where it came from. */
interface Answer {
  json: unknown;
  sha256: string;
  url: string;
}

function outspendsOf({ json, url }: Answer): Outspend[] {
  return (isEsploraOutspends(json) ? json : parseWire(esploraOutspendsSchema, json, url)).map(toOutspend);
}

function toOutspend(wire: EsploraOutspend): Outspend {
  if (!wire.spent) return { spent: false };
  const txid = wire.txid.toLowerCase();
  // One literal each (a property added later costs a separate property array per outspend kept).
  if (!wire.status) return { spent: true, txid, vin: wire.vin };
  return { spent: true, txid, vin: wire.vin, height: wire.status.confirmed ? wire.status.block_height : -1 };
}

function checkTxid(txid: string): string {
  if (!TXID.test(txid)) {
    throw new FundflowError('INVALID_ARGUMENT', `'${txid}' is not a txid (64 hex digits)`, { details: { txid } });
  }
  return txid.toLowerCase();
}

function requireJson(res: TransportResponse, url: string): unknown {
  if (res.json !== undefined) return res.json;
  throw new FundflowError('BAD_RESPONSE', `${url} answered HTTP ${res.status} with a body that is not JSON`, {
    details: { url, status: res.status, contentType: res.headers['content-type'] ?? '', body: bodyExcerpt(res.body) },
  });
}

// Credentials in the base URL become a Basic header: fetch refuses URLs with credentials, and neither requests'
// URLs nor SourceInfo nor error details may carry them.
function parseBaseUrl(baseUrl: string): { base: string; headers: Record<string, string> | undefined } {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new FundflowError('INVALID_ARGUMENT', 'Esplora baseUrl is not a URL', { details: {} });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FundflowError('INVALID_ARGUMENT', `Esplora baseUrl must be http(s), not ${url.protocol}`, {
      details: { protocol: url.protocol },
    });
  }
  let headers: Record<string, string> | undefined;
  if (url.username !== '' || url.password !== '') {
    const user = decodeURIComponent(url.username);
    const pass = decodeURIComponent(url.password);
    const bytes = new TextEncoder().encode(`${user}:${pass}`);
    headers = { authorization: `Basic ${btoa(String.fromCharCode(...bytes))}` };
    url.username = '';
    url.password = '';
  }
  if (url.search !== '' || url.hash !== '') {
    throw new FundflowError('INVALID_ARGUMENT', 'Esplora baseUrl must not have a query or fragment', {
      details: { base: `${url.origin}${url.pathname}` },
    });
  }
  return { base: `${url.origin}${url.pathname}`.replace(/\/+$/, ''), headers };
}
