import {
  type AccountSource,
  type Asset,
  bodyExcerpt,
  FundflowError,
  type FundflowErrorCode,
  isSecretParam,
  parseWire,
  redactUrl,
  replaceSecrets,
  type SourceInfo,
  type Transfer,
  type TransferPage,
  type TransferQuery,
  type Transport,
  type TransportResponse,
} from '@fundflow/core';
import { getAddress } from 'ethers';
import { normalizeEvmAddress } from '../address';
import { apiBaseUrl, scrubSecrets, wantedTransfer } from '../api-source-kit';
import { type EvmChain, evmChain, evmSeq, nativeAssetOf, transferIds } from '../chains';
import {
  type BlockscoutInternalTransaction,
  type BlockscoutPageParams,
  type BlockscoutTokenTransfer,
  type BlockscoutTransaction,
  blockscoutErrorSchema,
  blockscoutInternalTransactionSchema,
  blockscoutPageParamsSchema,
  blockscoutPageSchema,
  blockscoutTokenTransferSchema,
  blockscoutTransactionSchema,
} from './blockscout-wire';

/** The address endpoints read, in the order a paging run walks them. */
export const BLOCKSCOUT_ENDPOINTS = ['transactions', 'internal-transactions', 'token-transfers'] as const;
export type BlockscoutEndpoint = (typeof BLOCKSCOUT_ENDPOINTS)[number];

export interface BlockscoutSourceOptions {
  /** Instance root, e.g. `https://eth.blockscout.com` (the source appends `/api/v2/…`). */
  baseUrl: string;
  /** fundflow chain name or chain id of the instance (see EVM_CHAINS): names the chain and its native asset. */
  chain: string | number;
  transport: Transport;
  /** Optional Blockscout API key, sent as the `apikey` query parameter (redacted by core; never in info or cassettes). */
  apiKey?: string;
}

/** delegatecall / staticcall frames repeat the caller's context: no value moves. */
const NO_VALUE_CALL_TYPES = new Set(['delegatecall', 'staticcall', 'callcode']);
const pages = {
  transactions: blockscoutPageSchema(blockscoutTransactionSchema),
  'internal-transactions': blockscoutPageSchema(blockscoutInternalTransactionSchema),
  'token-transfers': blockscoutPageSchema(blockscoutTokenTransferSchema),
};

interface Cursor {
  endpoint: BlockscoutEndpoint;
  params: BlockscoutPageParams;
}

/**
 * An `AccountSource` over a Blockscout instance's REST API v2: `/api/v2/addresses/:a/transactions`,
 * `/internal-transactions` and `/token-transfers?type=ERC-20`, each with `filter=from` (direction 'out') or
 * `filter=to` ('in'). All I/O goes through the given core `Transport`; every transfer carries the sha256 of the
 * response it was read from.
 *
 * Paging: one request per `getTransfers` call, newest first (Blockscout's order, 50 items a page), walking the three
 * endpoints in turn. The cursor is JSON `{"endpoint", "params"}` where `params` is Blockscout's `next_page_params`,
 * sent back verbatim as query parameters (null values and credential-named keys left out). An endpoint stops early
 * once a page reaches back before `since`; transfers outside [since, until] are filtered out (the API has no time
 * filter).
 *
 * Transfers (ids of chains.ts `transferIds`, `txhash` lowercase):
 * - transactions → `txhash:native`: amount `value` (0 when `status` is "error"; the fee was still paid), fee =
 *   `fee.value` (else gas_used × gas_price) charged to `from`, `to` null → `created_contract`; 0-value ones only for
 *   direction 'out'; pending ones (no block) skipped. seq = evmSeq(position, native).
 * - internal-transactions → `txhash:itx:<index>`, `index` being Blockscout's position of the trace in its transaction
 *   (depth-first, stable for a transaction). Blockscout gives no call-tree path, so these ids differ from the
 *   JSON-RPC and Etherscan sources' `txhash:trace:<path>` ids. Errored, zero-value and delegatecall/staticcall frames
 *   skipped; seq = evmSeq(transaction_index, trace order = index) when the server sends transaction_index.
 * - token-transfers → `txhash:log:<log_index>` as the JSON-RPC source; asset from the item's token object (decimals
 *   null → raw units, `decimalsKnown: false`); seq = 500000 + log_index (Blockscout's log index is block-wide, so
 *   this orders a block's token transfers; the item has no transaction index).
 * @example
 *   const source = new BlockscoutSource({ baseUrl: 'https://eth.blockscout.com', chain: 'ethereum', transport: http({ rateLimit: { requestsPerSecond: 5 } }) });
 *   const page = await source.getTransfers({ address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', direction: 'out' });
 */
export class BlockscoutSource implements AccountSource {
  readonly model = 'account' as const;
  readonly info: SourceInfo;
  readonly nativeAsset: Asset;
  readonly chain: EvmChain;
  readonly #base: string;
  readonly #apiKey: string | undefined;
  readonly #transport: Transport;

  constructor(options: BlockscoutSourceOptions) {
    const chain = evmChain(options.chain);
    if (chain === undefined) {
      throw invalid(`unknown EVM chain '${String(options.chain)}'`, { chain: String(options.chain) });
    }
    this.chain = chain;
    this.nativeAsset = nativeAssetOf(chain);
    this.#base = apiBaseUrl(options.baseUrl, 'Blockscout').replace(/\/api(\/v2)?$/, '');
    this.#apiKey = options.apiKey === '' ? undefined : options.apiKey;
    this.#transport = options.transport;
    this.info = { chain: chain.name, kind: 'blockscout', endpoint: this.#base };
  }

  /**
   * The EIP-55 checksummed address; throws `INVALID_ADDRESS`. No request.
   * @example source.normalizeAddress('0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed') // '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'
   */
  normalizeAddress(address: string): string {
    return normalizeEvmAddress(address, this.chain.name);
  }

  /**
   * One page of the address's transfers in `direction` (see the class comment for paging and ids).
   * Upstream: `GET /api/v2/addresses/:a/transactions|internal-transactions|token-transfers?filter=from|to
   * [&type=ERC-20][&<next_page_params>]`.
   * Throws `INVALID_ADDRESS`, `INVALID_ARGUMENT` (a foreign cursor; HTTP 400/422), `NOT_FOUND` (HTTP 404),
   * `AUTH_FAILED` (401/403), `RATE_LIMITED` (429), `HTTP_ERROR`, `BAD_RESPONSE` (HTML, malformed or unexpected JSON).
   * @example const { transfers, next } = await source.getTransfers({ address, direction: 'in' })
   */
  async getTransfers(query: TransferQuery): Promise<TransferPage> {
    const address = this.normalizeAddress(query.address);
    const cursor: Cursor =
      query.cursor === undefined ? { endpoint: 'transactions', params: {} } : parseCursor(query.cursor);
    const { endpoint } = cursor;
    const fixed: Record<string, string> = {
      filter: query.direction === 'out' ? 'from' : 'to',
      ...(endpoint === 'token-transfers' ? { type: 'ERC-20' } : {}),
    };
    const search = new URLSearchParams(fixed);
    for (const [name, value] of Object.entries(cursor.params)) {
      if (value !== null && !isSecretParam(name)) search.set(name, String(value));
    }
    if (this.#apiKey !== undefined) search.set('apikey', this.#apiKey);
    const url = `${this.#base}/api/v2/addresses/${address}/${endpoint}?${search}`;
    const { json, sha256, shown } = await this.#get(url, endpoint);

    let transfers: Transfer[];
    let nextParams: BlockscoutPageParams | null;
    let oldest: number | undefined;
    const times: number[] = [];
    switch (endpoint) {
      case 'transactions': {
        const page = parseWire(pages.transactions, json, shown);
        transfers = page.items.flatMap((it) => nativeTransfer(it, this.chain, sha256, shown, times));
        nextParams = page.next_page_params;
        break;
      }
      case 'internal-transactions': {
        const page = parseWire(pages['internal-transactions'], json, shown);
        transfers = page.items.flatMap((it) => internalTransfer(it, this.chain, sha256, shown, times));
        nextParams = page.next_page_params;
        break;
      }
      case 'token-transfers': {
        const page = parseWire(pages['token-transfers'], json, shown);
        transfers = page.items.flatMap((it) => tokenTransfer(it, this.chain, sha256, shown, times));
        nextParams = page.next_page_params;
        break;
      }
    }
    if (times.length > 0) oldest = Math.min(...times);

    const seen = new Set<string>();
    const kept = transfers.filter((t) => {
      if (seen.has(t.id)) return false;
      seen.add(t.id);
      return wantedTransfer(t, address, query);
    });

    const reachedSince = query.since !== undefined && oldest !== undefined && oldest < query.since;
    let next: Cursor | undefined;
    if (nextParams !== null && !reachedSince) {
      const params = Object.fromEntries(Object.entries(nextParams).filter(([name]) => !isSecretParam(name)));
      if (sameParams(params, cursor.params)) {
        throw new FundflowError(
          'BAD_RESPONSE',
          `${new URL(shown).pathname} answered the same next_page_params it was asked with: paging would loop`,
          { details: { url: shown, endpoint } },
        );
      }
      next = { endpoint, params };
    } else {
      const following = BLOCKSCOUT_ENDPOINTS[BLOCKSCOUT_ENDPOINTS.indexOf(endpoint) + 1];
      if (following !== undefined) next = { endpoint: following, params: {} };
    }
    return next === undefined ? { transfers: kept } : { transfers: kept, next: JSON.stringify(next) };
  }

  async #get(url: string, endpoint: string): Promise<{ json: unknown; sha256: string; shown: string }> {
    const secrets = this.#apiKey === undefined ? [] : [this.#apiKey];
    const shown = redactUrl(url, secrets);
    let res: TransportResponse;
    try {
      // Address histories grow: never `immutable`.
      res = await this.#transport.request({ method: 'GET', url, expect: 'json' });
    } catch (e) {
      throw scrubSecrets(e, secrets);
    }
    const body = replaceSecrets(bodyExcerpt(res.body), secrets);
    const path = new URL(shown).pathname;
    if (res.status < 200 || res.status >= 300) throw httpError(res.status, body, path, shown, endpoint);
    if (res.json === undefined) {
      throw new FundflowError(
        'BAD_RESPONSE',
        `${path} answered HTTP ${res.status} with a body that is not JSON: ${body}`,
        {
          details: { url: shown, status: res.status, body },
        },
      );
    }
    return { json: res.json, sha256: res.sha256, shown };
  }
}

function httpError(status: number, body: string, path: string, url: string, endpoint: string): FundflowError {
  let said = body;
  try {
    const parsed = blockscoutErrorSchema.safeParse(JSON.parse(body.replace(/…$/, '')));
    if (parsed.success && parsed.data.message) said = parsed.data.message;
  } catch {
    // Not JSON (an HTML error page): the excerpt is what there is.
  }
  const code: FundflowErrorCode =
    status === 404
      ? 'NOT_FOUND'
      : status === 400 || status === 422
        ? 'INVALID_ARGUMENT'
        : status === 401 || status === 403
          ? 'AUTH_FAILED'
          : status === 429
            ? 'RATE_LIMITED'
            : 'HTTP_ERROR';
  return new FundflowError(code, `${path} answered HTTP ${status}: ${said || '(empty)'}`, {
    details: { url, endpoint, status, body },
  });
}

function nativeTransfer(
  it: BlockscoutTransaction,
  chain: EvmChain,
  evidence: string,
  url: string,
  times: number[],
): Transfer[] {
  const height = it.block_number ?? it.block ?? null;
  if (height === null || it.timestamp === null) return []; // pending
  const time = unixSeconds(it.timestamp, it.hash, url);
  times.push(time);
  const to = it.to?.hash ?? it.created_contract?.hash;
  if (to === undefined) throw itemError(url, it.hash, 'has neither `to` nor `created_contract`');
  const fee =
    it.fee?.value != null
      ? BigInt(it.fee.value)
      : it.gas_used != null && it.gas_price != null
        ? BigInt(it.gas_used) * BigInt(it.gas_price)
        : undefined;
  return [
    {
      id: transferIds.native(it.hash),
      txid: it.hash.toLowerCase(),
      from: getAddress(it.from.hash),
      to: getAddress(to),
      asset: nativeAssetOf(chain),
      amount: it.status === 'error' ? 0n : BigInt(it.value),
      ...(fee === undefined ? {} : { fee }),
      time,
      height,
      ...(it.position == null ? {} : { seq: evmSeq(it.position, { kind: 'native' }) }),
      kind: 'native',
      evidence: [evidence],
    },
  ];
}

function internalTransfer(
  it: BlockscoutInternalTransaction,
  chain: EvmChain,
  evidence: string,
  url: string,
  times: number[],
): Transfer[] {
  const height = it.block_number ?? it.block ?? null;
  if (height === null || it.timestamp === null) return [];
  const time = unixSeconds(it.timestamp, it.transaction_hash, url);
  times.push(time);
  const failed = it.success === false || (it.error !== undefined && it.error !== null);
  const amount = BigInt(it.value);
  if (failed || amount === 0n || NO_VALUE_CALL_TYPES.has((it.type ?? '').toLowerCase())) return [];
  const to = it.to?.hash ?? it.created_contract?.hash;
  if (to === undefined) throw itemError(url, it.transaction_hash, 'has an internal transfer without a recipient');
  const hash = it.transaction_hash.toLowerCase();
  return [
    {
      id: `${hash}:itx:${it.index}`,
      txid: hash,
      from: getAddress(it.from.hash),
      to: getAddress(to),
      asset: nativeAssetOf(chain),
      amount,
      time,
      height,
      ...(it.transaction_index == null
        ? {}
        : { seq: evmSeq(it.transaction_index, { kind: 'trace', order: it.index }) }),
      kind: 'internal',
      evidence: [evidence],
    },
  ];
}

function tokenTransfer(
  it: BlockscoutTokenTransfer,
  chain: EvmChain,
  evidence: string,
  url: string,
  times: number[],
): Transfer[] {
  const stamp = it.timestamp ?? it.block_timestamp ?? null;
  if (stamp === null) return [];
  const time = unixSeconds(stamp, it.transaction_hash, url);
  times.push(time);
  if (it.token.type != null && it.token.type !== 'ERC-20') return [];
  const contract = it.token.address_hash ?? it.token.address;
  if (contract === undefined) throw itemError(url, it.transaction_hash, 'has a token transfer without a token address');
  const value = it.total?.value;
  if (value == null) throw itemError(url, it.transaction_hash, 'has an ERC-20 transfer without `total.value`');
  const decimals = it.token.decimals ?? it.total?.decimals ?? null;
  const checksummed = getAddress(contract);
  const asset: Asset = {
    chain: chain.name,
    symbol: it.token.symbol?.trim() || checksummed,
    decimals: decimals === null ? 0 : Number(decimals),
    contract: checksummed,
    ...(decimals === null ? { decimalsKnown: false } : {}),
  };
  return [
    {
      id: transferIds.log(it.transaction_hash, it.log_index),
      txid: it.transaction_hash.toLowerCase(),
      from: getAddress(it.from.hash),
      to: getAddress(it.to.hash),
      asset,
      amount: BigInt(value),
      time,
      height: it.block_number,
      seq: evmSeq(0, { kind: 'log', logIndex: it.log_index }),
      kind: 'token',
      evidence: [evidence],
    },
  ];
}

function unixSeconds(iso: string, hash: string, url: string): number {
  const ms = Date.parse(iso);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso) || Number.isNaN(ms)) {
    throw itemError(url, hash, `has a timestamp that is not ISO 8601 ('${iso.slice(0, 40)}')`);
  }
  return Math.floor(ms / 1000);
}

function itemError(url: string, hash: string, why: string): FundflowError {
  return new FundflowError('BAD_RESPONSE', `${new URL(url).pathname}: transaction ${hash.toLowerCase()} ${why}`, {
    details: { url, hash: hash.toLowerCase() },
  });
}

function parseCursor(text: string): Cursor {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const o = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const endpoint = BLOCKSCOUT_ENDPOINTS.find((e) => e === o.endpoint);
  const params = blockscoutPageParamsSchema.safeParse(o.params);
  if (endpoint === undefined || !params.success) {
    throw invalid(`paging cursor '${text.slice(0, 60)}' is not a Blockscout cursor from a previous page`, {
      cursor: text.slice(0, 60),
    });
  }
  return { endpoint, params: params.data };
}

function sameParams(a: BlockscoutPageParams, b: BlockscoutPageParams): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return keys.size > 0 && [...keys].every((k) => a[k] === b[k]);
}

function invalid(message: string, details: Record<string, unknown>): FundflowError {
  return new FundflowError('INVALID_ARGUMENT', `Blockscout source: ${message}`, { details });
}
