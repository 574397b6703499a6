import {
  type AccountSource,
  type Asset,
  bodyExcerpt,
  FundflowError,
  type Label,
  parseWire,
  type SourceInfo,
  type Transfer,
  type TransferPage,
  type TransferQuery,
  type Transport,
  type TransportResponse,
} from '@fundflow/core';
import { addressFromPublicKey, isNemNetworkName, type NemNetworkName, normalizeNemAddress } from './address';
import { MICRO_XEM, nemTimeToUnix } from './nem-time';
import {
  NIS_MULTISIG,
  NIS_TRANSFER,
  type NisMessage,
  type NisTransactionMetaDataPair,
  nisErrorSchema,
  nisOwnedMosaicsSchema,
  nisTransferPageSchema,
} from './nis-wire';
import { mosaicKey, WARNING_MOSAIC_MARKING_DATE, WARNING_MOSAIC_PACK, WARNING_MOSAICS } from './warning-mosaics';

export interface NisSourceOptions {
  /** NIS1 node root, e.g. `http://san.nem.ninja:7890`. */
  baseUrl: string;
  network: NemNetworkName;
  transport: Transport;
  /** Transfers per request, 5..100 (NIS clamps to that range). Default 100. */
  pageSize?: number;
  /**
   * As-of date (YYYY-MM-DD) of warning-mosaic labels. Default: the day the 2018 marking began. It is not the reading
   * date on purpose: a replay of a recorded case must give the same labels as the recording.
   */
  labelsAsOf?: string;
}

/** The native asset of NEM. */
export const XEM: Asset = { chain: 'nem', symbol: 'XEM', decimals: 6 };

const XEM_MOSAIC = 'nem:xem';
/** What NIS serves when it ignores `pageSize` (older nodes). */
const NIS_DEFAULT_PAGE_SIZE = 25;
const CURSOR = /^[1-9][0-9]{0,17}$/;

/**
 * An `AccountSource` over a NIS1 node's REST API (NEM mainnet or testnet). All I/O goes through the given core
 * `Transport`; every transfer carries the sha256 of the response it was read from.
 * @example
 *   const source = new NisSource({ baseUrl: 'http://san.nem.ninja:7890', network: 'mainnet', transport: http() });
 *   const page = await source.getTransfers({ address: 'NC4C6PSUW5CLTDT5SXAGJDQJGZNESKFK5MCN77OG', direction: 'out' });
 */
export class NisSource implements AccountSource {
  readonly model = 'account' as const;
  readonly info: SourceInfo;
  readonly nativeAsset: Asset = XEM;
  readonly network: NemNetworkName;
  readonly #base: string;
  readonly #transport: Transport;
  readonly #pageSize: number;
  readonly #labelsAsOf: string;
  /** Addresses already derived or checked (Keccak-256 is most of the parsing time on long histories). */
  readonly #addresses = new Map<string, string>();

  constructor(options: NisSourceOptions) {
    if (!isNemNetworkName(options.network)) {
      throw new FundflowError(
        'INVALID_ARGUMENT',
        `unknown NEM network '${String(options.network)}' (mainnet, testnet)`,
        {
          details: { network: String(options.network) },
        },
      );
    }
    const pageSize = options.pageSize ?? 100;
    if (!Number.isInteger(pageSize) || pageSize < 5 || pageSize > 100) {
      throw new FundflowError('INVALID_ARGUMENT', `pageSize ${pageSize} is outside NIS's 5..100`, {
        details: { pageSize },
      });
    }
    const asOf = options.labelsAsOf ?? WARNING_MOSAIC_MARKING_DATE;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
      throw new FundflowError('INVALID_ARGUMENT', `labelsAsOf '${asOf}' is not YYYY-MM-DD`, { details: { asOf } });
    }
    this.network = options.network;
    this.#base = parseBaseUrl(options.baseUrl);
    this.#transport = options.transport;
    this.#pageSize = pageSize;
    this.#labelsAsOf = asOf;
    this.info = { chain: 'nem', kind: 'nis1', endpoint: this.#base, network: options.network };
  }

  /**
   * Canonical form of an address of this source's network (upper case, no dashes, checksum verified); throws
   * `INVALID_ADDRESS`. No request.
   * @example source.normalizeAddress('nc4c6p-suw5cl-tdt5sx-agjdqj-gznesk-fk5mcn-77og') // 'NC4C6PSUW5CLTDT5SXAGJDQJGZNESKFK5MCN77OG'
   */
  normalizeAddress(address: string): string {
    return normalizeNemAddress(address, this.network);
  }

  /**
   * One page of an account's outgoing or incoming transfers, newest first. `next` is the `meta.id` of the page's
   * oldest transaction when the page may be full (25 or more: older nodes ignore `pageSize` and serve 25) and does not
   * yet reach back past `since` (the holding's arrival time).
   * Only transfers inside [since, until] are returned. One `Transfer` per asset moved: id `hash` (the XEM part, also
   * for v2 transfers; amount 0 when no XEM moved, so the fee is still accounted), `hash:mosaic:<namespace:name>` per
   * other mosaic, `hash:inner…` for a transfer inside a multisig transaction (sender = the multisig account).
   * Upstream: `GET /account/transfers/outgoing|incoming?address=…&pageSize=100[&id=<cursor>]`.
   * Throws `INVALID_ADDRESS`, `INVALID_ARGUMENT` (a cursor that is not a transaction id), `NOT_FOUND`, `BAD_RESPONSE`.
   * @example const { transfers, next } = await source.getTransfers({ address, direction: 'out', since: 1516892400 })
   */
  async getTransfers(query: TransferQuery): Promise<TransferPage> {
    const address = this.normalizeAddress(query.address);
    if (query.cursor !== undefined && !CURSOR.test(query.cursor)) {
      throw new FundflowError(
        'INVALID_ARGUMENT',
        `paging cursor '${query.cursor.slice(0, 40)}' is not a NIS transaction id (a positive integer from a previous page)`,
        { details: { address, cursor: query.cursor.slice(0, 40) } },
      );
    }
    const cursor = query.cursor === undefined ? undefined : Number(query.cursor);
    const direction = query.direction === 'out' ? 'outgoing' : 'incoming';
    const path =
      `/account/transfers/${direction}?address=${address}&pageSize=${this.#pageSize}` +
      (cursor === undefined ? '' : `&id=${cursor}`);
    const { json, sha256, url } = await this.#get(path, { address });
    const page = parseWire(nisTransferPageSchema, json, url).data;

    let previous = cursor ?? Number.POSITIVE_INFINITY;
    for (const pair of page) {
      // A node that ignores or misreads `id` serves page 1 again, and paging would never end.
      if (pair.meta.id >= previous) {
        throw new FundflowError(
          'BAD_RESPONSE',
          `${path.split('?')[0]} answered transaction id ${pair.meta.id} ${cursor !== undefined && pair.meta.id >= cursor ? `at or after the paging id ${cursor}` : 'out of descending order'}: the node did not page by id, so paging would loop`,
          { details: { url, address, cursor: query.cursor ?? null, id: pair.meta.id } },
        );
      }
      previous = pair.meta.id;
    }

    const transfers: Transfer[] = [];
    for (const pair of page) {
      if (this.#addresses.size > 200_000) this.#addresses.clear();
      for (const t of toTransfers(pair, sha256, url, this.network, this.#addresses)) {
        if (query.since !== undefined && t.time < query.since) continue;
        if (query.until !== undefined && t.time > query.until) continue;
        transfers.push(t);
      }
    }
    const oldest = page[page.length - 1];
    const reachedSince =
      oldest !== undefined && query.since !== undefined && nemTimeToUnix(oldest.transaction.timeStamp) < query.since;
    // A node that ignores `pageSize` serves 25: treat 25 as possibly full, at the cost of one empty page at the end.
    const full = page.length >= Math.min(this.#pageSize, NIS_DEFAULT_PAGE_SIZE);
    return oldest !== undefined && full && !reachedSince ? { transfers, next: String(oldest.meta.id) } : { transfers };
  }

  /**
   * Labels the chain itself carries: `tagged` when the account holds a 2018 warning mosaic (see WARNING_MOSAICS).
   * Upstream: `GET /account/mosaic/owned?address=…`. Throws `INVALID_ADDRESS`, `NOT_FOUND`, `BAD_RESPONSE`.
   * @example await source.getLabels('NC4C6PSUW5CLTDT5SXAGJDQJGZNESKFK5MCN77OG') // [{ category: 'tagged', pack: 'source:nem-warning-mosaic', … }]
   */
  async getLabels(address: string): Promise<Label[]> {
    const normalized = this.normalizeAddress(address);
    const { json, url } = await this.#get(`/account/mosaic/owned?address=${normalized}`, { address: normalized });
    const owned = parseWire(nisOwnedMosaicsSchema, json, url).data;
    const held = new Set(owned.filter((m) => m.quantity > 0).map((m) => mosaicKey(m.mosaicId)));
    return WARNING_MOSAICS.filter((m) => held.has(m)).map((mosaic) => ({
      address: normalized,
      chain: 'nem',
      name: `Holds the warning mosaic ${mosaic}`,
      category: 'tagged',
      pack: WARNING_MOSAIC_PACK,
      source: `${mosaic}: NEM Foundation warning mosaic, 2018 (held per /account/mosaic/owned)`,
      asOf: this.#labelsAsOf,
      confidence: 'high',
    }));
  }

  async #get(path: string, subject: Record<string, string>): Promise<{ json: unknown; sha256: string; url: string }> {
    const url = this.#base + path;
    // Address histories grow: never `immutable`.
    const res = await this.#transport.request({ method: 'GET', url, expect: 'json' });
    if (res.status < 200 || res.status >= 300) throw nisError(res, url, subject);
    if (res.json === undefined) {
      throw new FundflowError('BAD_RESPONSE', `${url} answered HTTP ${res.status} with a body that is not JSON`, {
        details: { url, status: res.status, body: bodyExcerpt(res.body) },
      });
    }
    return { json: res.json, sha256: res.sha256, url };
  }
}

/**
 * The transfers one NIS1 transaction makes (none for non-transfer types), as core `Transfer`s.
 * v1: `amount` micro-XEM. v2 with mosaics: `amount` is a multiplier, each mosaic moves `amount × quantity / 1e6`
 * (XEM only through `nem:xem`). Multisig (4100): the inner transaction's signer (the multisig account) is the sender
 * and pays the inner, outer and cosignature fees. Messages: plain → UTF-8 text (data, never markup), encrypted →
 * `(encrypted message)`. Throws `BAD_RESPONSE` for a multisig without its inner transaction or a malformed transfer.
 * `cache` (optional) keeps derived and checked addresses across calls.
 * @example toTransfers(pair, response.sha256, 'http://san.nem.ninja:7890/account/transfers/outgoing?…', 'mainnet')
 */
export function toTransfers(
  pair: NisTransactionMetaDataPair,
  evidence: string,
  url: string,
  network: NemNetworkName,
  cache: Map<string, string> = new Map(),
): Transfer[] {
  const outer = pair.transaction;
  const hash = pair.meta.hash.data.toLowerCase();
  const bad = (why: string) =>
    new FundflowError('BAD_RESPONSE', `${new URL(url).pathname}: transaction ${hash} ${why}`, {
      details: { url, hash, type: outer.type },
    });
  let tx = outer;
  let id = hash;
  let fee = BigInt(outer.fee);
  if (outer.type === NIS_MULTISIG) {
    const inner = outer.otherTrans;
    if (!inner) throw bad('is a multisig transaction (4100) without its inner transaction (otherTrans)');
    tx = inner;
    id = `${hash}:inner`;
    // The multisig account pays for the wrapper and every cosignature, not the cosignatory.
    fee = BigInt(outer.fee) + BigInt(inner.fee) + (outer.signatures ?? []).reduce((s, c) => s + BigInt(c.fee), 0n);
  }
  if (tx.type !== NIS_TRANSFER) return [];
  if (tx.amount === undefined || tx.recipient === undefined) throw bad('is a transfer without amount or recipient');
  const txNetwork = (tx.version >>> 24) & 0xff;
  const version = tx.version & 0xff;
  let from: string;
  let to: string;
  try {
    from = cached(cache, `key:${tx.signer}`, () => addressFromPublicKey(tx.signer, network));
    to = cached(cache, `address:${tx.recipient}`, () => normalizeNemAddress(tx.recipient!, network));
  } catch (e) {
    throw bad(`has a signer or recipient that is not a ${network} account (${(e as Error).message})`);
  }
  if (txNetwork !== (network === 'mainnet' ? 0x68 : 0x98)) throw bad(`is not a ${network} transaction`);
  const time = nemTimeToUnix(outer.timeStamp);
  const memo = messageText(tx.message);
  const base = {
    txid: hash,
    from,
    to,
    time,
    height: pair.meta.height,
    ...(memo !== undefined ? { memo } : {}),
    evidence: [evidence],
  };

  let xem = BigInt(tx.amount);
  const others = new Map<string, bigint>();
  if (version >= 2 && tx.mosaics && tx.mosaics.length > 0) {
    xem = 0n;
    for (const m of tx.mosaics) {
      const key = mosaicKey(m.mosaicId);
      const moved = (BigInt(tx.amount) * BigInt(m.quantity)) / MICRO_XEM;
      if (key === XEM_MOSAIC) xem += moved;
      else others.set(key, (others.get(key) ?? 0n) + moved);
    }
  }
  const out: Transfer[] = [{ ...base, id, asset: XEM, amount: xem, fee, kind: 'native' }];
  for (const [key, amount] of [...others].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    out.push({ ...base, id: `${id}:mosaic:${key}`, asset: mosaicAsset(key), amount, kind: 'mosaic' });
  }
  return out;
}

function cached(cache: Map<string, string>, key: string, make: () => string): string {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

/** A mosaic as a core asset; its divisibility is not looked up, so amounts are raw units. */
function mosaicAsset(key: string): Asset {
  return { chain: 'nem', symbol: key.slice(key.indexOf(':') + 1), contract: key, decimals: 0, decimalsKnown: false };
}

function messageText(message: NisMessage | undefined): string | undefined {
  if (!message?.payload) return undefined;
  if (message.type === 2) return '(encrypted message)';
  const hex = message.payload;
  if (hex.length % 2 !== 0) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  // Invalid UTF-8 becomes U+FFFD: a memo is whatever text the sender wrote, never interpreted.
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

function nisError(res: TransportResponse, url: string, subject: Record<string, string>): FundflowError {
  const path = new URL(url).pathname;
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    parsed = undefined;
  }
  const wire = nisErrorSchema.safeParse(parsed);
  if (!wire.success) {
    return new FundflowError(
      'BAD_RESPONSE',
      `${path} answered HTTP ${res.status}: ${bodyExcerpt(res.body) || '(empty)'}`,
      {
        details: { ...subject, url, status: res.status, body: bodyExcerpt(res.body) },
      },
    );
  }
  const nisMessage = bodyExcerpt(wire.data.message ?? '');
  const details = { ...subject, url, status: wire.data.status, error: wire.data.error, nisMessage };
  const said = `${wire.data.status} ${wire.data.error}${nisMessage ? `: ${nisMessage}` : ''}`;
  if (/invalid address/i.test(nisMessage)) {
    return new FundflowError(
      'INVALID_ADDRESS',
      `${path}: the node rejected the address (${said}); check the address and the network`,
      { details },
    );
  }
  if (res.status === 404 || wire.data.status === 404) {
    return new FundflowError('NOT_FOUND', `${path}: not found at the node (${said})`, { details });
  }
  return new FundflowError('BAD_RESPONSE', `${path}: the node answered an error (${said})`, { details });
}

function parseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new FundflowError('INVALID_ARGUMENT', 'NIS1 baseUrl is not a URL', { details: {} });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FundflowError('INVALID_ARGUMENT', `NIS1 baseUrl must be http(s), not ${url.protocol}`, {
      details: { protocol: url.protocol },
    });
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new FundflowError('INVALID_ARGUMENT', 'NIS1 baseUrl must not carry credentials, a query or a fragment', {
      details: { base: `${url.origin}${url.pathname}` },
    });
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}
