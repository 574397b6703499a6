import {
  type AccountSource,
  type Asset,
  bodyExcerpt,
  FundflowError,
  type FundflowErrorCode,
  parseWire,
  type RetryVerdict,
  redactUrl,
  replaceSecrets,
  type SourceInfo,
  sha256Hex,
  type Transfer,
  type TransferPage,
  type TransferQuery,
  type Transport,
  type TransportResponse,
} from '@fundflow/core';
import { getAddress } from 'ethers';
import { z } from 'zod';
import { normalizeEvmAddress } from '../address';
import { apiBaseUrl, scrubSecrets, wantedTransfer } from '../api-source-kit';
import { type EvmChain, evmChain, evmSeq, nativeAssetOf, transferIds } from '../chains';
import {
  type EtherscanInternalTx,
  type EtherscanTokenTx,
  type EtherscanTx,
  etherscanBlockNumberSchema,
  etherscanEnvelopeSchema,
  etherscanInternalTxSchema,
  etherscanTokenTxSchema,
  etherscanTxSchema,
} from './etherscan-wire';

/** Etherscan's multichain API v2 endpoint. */
export const ETHERSCAN_V2_URL = 'https://api.etherscan.io/v2/api';

/** The account actions read, in the order a paging run walks them. */
export const ETHERSCAN_ACTIONS = ['txlist', 'txlistinternal', 'tokentx'] as const;
export type EtherscanAction = (typeof ETHERSCAN_ACTIONS)[number];

/** Most records Etherscan returns per request (free tier). */
export const ETHERSCAN_MAX_PAGE_SIZE = 1000;
/** Etherscan refuses `page × offset` above this. */
const RESULT_WINDOW = 10_000;

export interface EtherscanSourceOptions {
  /** fundflow chain name or chain id (see EVM_CHAINS): sent as `chainid`. */
  chain: string | number;
  /**
   * Etherscan API key (the CLI reads `ETHERSCAN_API_KEY`). Sent as the `apikey` query parameter, which core's
   * transports redact by name: it never reaches `info`, error messages or cassettes. Optional so that a recorded case
   * replays without a key (cassette keys ignore `apikey`); live requests without one fail with AUTH_FAILED.
   */
  apiKey?: string;
  transport: Transport;
  /** Default {@link ETHERSCAN_V2_URL}. */
  baseUrl?: string;
  /** Records per request (`offset`), 1..1000. Default 1000. */
  pageSize?: number;
  /**
   * Retries of an HTTP-200 `NOTOK` per-second rate-limit answer ("Max calls per sec rate limit reached (3/sec)",
   * "Max rate limit reached…") before RATE_LIMITED. Default 3. (An `http` transport given `retryIf:
   * etherscanRetryIf` retries these itself first.)
   */
  rateLimitRetries?: number;
  /** First rate-limit wait, doubling per retry. Default 1000 ms (Etherscan's limits are per second). */
  backoffMs?: number;
  /** Injectable wait for tests. Default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

interface PageState {
  action: EtherscanAction;
  /** `startblock` of this request. */
  start: number;
  /** `page` of this request: above 1 only while one block holds more than a page of records. */
  page: number;
  /** First block of the queried range (since → block), where the next action starts. */
  from: number;
  /** Last block of the range (until → block); undefined = chain tip. */
  end: number | undefined;
}

const CURSOR = /^etherscan:v1:(txlist|txlistinternal|tokentx):(\d{1,12}):(\d{1,2}):(\d{1,12}):(\d{0,12})$/;
/** delegatecall / staticcall frames repeat the caller's context: no value moves. */
const NO_VALUE_CALL_TYPES = new Set(['delegatecall', 'staticcall', 'callcode']);

const DAILY_LIMIT = /daily (rate )?limit/i;
const RATE_LIMIT = /rate limit|too many requests/i;
const BAD_KEY = /invalid api.?key|missing(\/invalid)? api.?key/i;
const BAD_CHAIN = /chainid/i;
const BAD_ADDRESS = /invalid address/i;
const NO_RECORDS = /^no (transactions|records) found/i;

/**
 * An `AccountSource` over Etherscan API v2 (`module=account`, actions txlist, txlistinternal, tokentx) for any chain
 * of EVM_CHAINS. All I/O goes through the given core `Transport`; every transfer carries the sha256 of the response it
 * was read from.
 *
 * Paging: one request per `getTransfers` call, `sort=asc`, at most 1,000 records, walking txlist, then txlistinternal,
 * then tokentx. A full page ends inside some block B: its records of block B are held back and the next request
 * starts at `startblock=B`, so block B's records are read whole once from the next page (the boundary duplicates are
 * dropped from the full page, not carried in the cursor; ids are also de-duplicated within a page). A page whose
 * records all sit in the start block goes on with `page=2…` at the same start (Etherscan allows page × offset ≤
 * 10,000; beyond that UNSUPPORTED). The cursor is opaque text holding (action, startblock, page, block range).
 *
 * Time range: `since`/`until` are mapped to blocks once per paging run with
 * `module=block&action=getblocknobytime&closest=after|before` (one cached request each), so a long history is not
 * read from block 0; transfers are also filtered by time. A timestamp Etherscan cannot place ("No closest block
 * found") falls back to the open end of the range and the time filter.
 *
 * Transfers (ids of chains.ts `transferIds`, `txhash` lowercase):
 * - txlist → `txhash:native`: amount `value` (0 when `isError` is "1": the fee was still paid), fee gasUsed × gasPrice
 *   charged to `from` (on rollups Etherscan's txlist has no L1 data fee: the fee is the L2 execution part only);
 *   `to` "" (contract creation) → the created `contractAddress`. Returned for direction 'out' when `from` is the
 *   address (also with amount 0, it carries the fee) and for 'in' when `to` is the address and the amount is > 0.
 *   seq = evmSeq(transactionIndex, native).
 * - txlistinternal → `txhash:trace:<path>` from `traceId` ("0_1" → `0.1`); errored rows, zero values and
 *   delegatecall/staticcall frames skipped. No `seq`: Etherscan gives no transaction index for them.
 * - tokentx → ERC-20 transfers, asset from contractAddress/tokenSymbol/tokenDecimal ("" decimals → raw units,
 *   `decimalsKnown: false`). With a `logIndex` field (Etherscan-compatible servers): `txhash:log:<logIndex>`.
 *   Etherscan has none, so the id is `txhash:tokentx:<d>` with d = first 16 hex digits of
 *   sha256(`contract|from|to|value|n`) (lowercase; n = how many identical transfers came before it in the tx). These
 *   ids differ from the JSON-RPC source's `:log:` ids for the same transfer (a trace must not mix the two sources);
 *   they do not depend on which address was queried, unlike a plain occurrence index among one address's rows.
 *   seq = evmSeq(transactionIndex, log: logIndex, or the row's position among its tx's rows — ordering only).
 * @example
 *   const source = new EtherscanSource({ chain: 'ethereum', apiKey: process.env.ETHERSCAN_API_KEY, transport: http({ rateLimit: { requestsPerSecond: 3 }, retryIf: etherscanRetryIf }) });
 *   const page = await source.getTransfers({ address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', direction: 'out' });
 */
export class EtherscanSource implements AccountSource {
  readonly model = 'account' as const;
  readonly info: SourceInfo;
  readonly nativeAsset: Asset;
  readonly chain: EvmChain;
  readonly #base: string;
  readonly #apiKey: string | undefined;
  readonly #transport: Transport;
  readonly #pageSize: number;
  readonly #retries: number;
  readonly #backoffMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  /** `timestamp:closest` → block (or null when Etherscan could not place it), for the life of the source. */
  readonly #blocks = new Map<string, Promise<number | null>>();

  constructor(options: EtherscanSourceOptions) {
    const chain = evmChain(options.chain);
    if (chain === undefined) {
      throw new FundflowError('INVALID_ARGUMENT', `unknown EVM chain '${String(options.chain)}'`, {
        details: { chain: String(options.chain) },
      });
    }
    const pageSize = options.pageSize ?? ETHERSCAN_MAX_PAGE_SIZE;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > ETHERSCAN_MAX_PAGE_SIZE) {
      throw invalid(`pageSize ${pageSize} is outside 1..${ETHERSCAN_MAX_PAGE_SIZE}`, { pageSize });
    }
    const retries = options.rateLimitRetries ?? 3;
    if (!Number.isInteger(retries) || retries < 0) throw invalid('rateLimitRetries must be a whole number ≥ 0', {});
    const backoffMs = options.backoffMs ?? 1000;
    if (!(backoffMs >= 0)) throw invalid('backoffMs must be ≥ 0', {});
    this.chain = chain;
    this.nativeAsset = nativeAssetOf(chain);
    this.#apiKey = options.apiKey === '' ? undefined : options.apiKey;
    this.#base = apiBaseUrl(options.baseUrl ?? ETHERSCAN_V2_URL, 'Etherscan');
    this.#transport = options.transport;
    this.#pageSize = pageSize;
    this.#retries = retries;
    this.#backoffMs = backoffMs;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.info = { chain: chain.name, kind: 'etherscan', endpoint: `${this.#base}?chainid=${chain.chainId}` };
  }

  /**
   * The EIP-55 checksummed address; throws `INVALID_ADDRESS` (not 0x + 40 hex, or a mixed-case checksum that does not
   * match). No request.
   * @example source.normalizeAddress('0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed') // '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'
   */
  normalizeAddress(address: string): string {
    return normalizeEvmAddress(address, this.chain.name);
  }

  /**
   * One page of the address's transfers in `direction` (see the class comment for paging, ids and the time range).
   * Upstream: `?chainid=…&module=account&action=txlist|txlistinternal|tokentx&address=…&startblock=…[&endblock=…]
   * &page=…&offset=1000&sort=asc&apikey=…`.
   * Throws `INVALID_ADDRESS`, `INVALID_ARGUMENT` (a foreign cursor, an unsupported chain id), `AUTH_FAILED`,
   * `RATE_LIMITED`, `BAD_RESPONSE`, `UNSUPPORTED` (over 10,000 records in one block), or the transport's errors.
   * @example const { transfers, next } = await source.getTransfers({ address, direction: 'out', since: 1700000000 })
   */
  async getTransfers(query: TransferQuery): Promise<TransferPage> {
    const address = this.normalizeAddress(query.address);
    checkTime(query.since, 'since');
    checkTime(query.until, 'until');
    const state = query.cursor === undefined ? await this.#startState(query) : parseCursor(query.cursor);
    if (state === undefined) return { transfers: [] };

    const params: Record<string, string> = {
      module: 'account',
      action: state.action,
      address: address.toLowerCase(),
      startblock: String(state.start),
      ...(state.end === undefined ? {} : { endblock: String(state.end) }),
      page: String(state.page),
      offset: String(this.#pageSize),
      sort: 'asc',
    };
    const { result, sha256, url } = await this.#call(params, state.action);
    const rows = parseRows(state.action, result, url);
    checkOrder(rows, state, url);

    let kept: readonly Row[] = rows;
    let next: PageState | undefined;
    const last = rows[rows.length - 1];
    if (last !== undefined && rows.length >= this.#pageSize) {
      const lastBlock = Number(last.blockNumber);
      if (lastBlock > state.start) {
        kept = rows.filter((r) => Number(r.blockNumber) < lastBlock);
        next = { ...state, start: lastBlock, page: 1 };
      } else {
        if ((state.page + 1) * this.#pageSize > RESULT_WINDOW) {
          throw new FundflowError(
            'UNSUPPORTED',
            `Etherscan ${state.action}: block ${lastBlock} holds more than ${RESULT_WINDOW} records for ${address}; Etherscan cannot page further inside one block (use the JSON-RPC source)`,
            { details: { action: state.action, address, block: lastBlock, chainId: this.chain.chainId } },
          );
        }
        next = { ...state, page: state.page + 1 };
      }
    } else {
      const following = ETHERSCAN_ACTIONS[ETHERSCAN_ACTIONS.indexOf(state.action) + 1];
      if (following !== undefined) next = { ...state, action: following, start: state.from, page: 1 };
    }

    const transfers: Transfer[] = [];
    const seen = new Set<string>();
    for (const t of toTransfers(state.action, kept, this.chain, sha256)) {
      if (seen.has(t.id)) continue;
      seen.add(t.id);
      if (!wantedTransfer(t, address, query)) continue;
      transfers.push(t);
    }
    return next === undefined ? { transfers } : { transfers, next: formatCursor(next) };
  }

  async #startState(query: TransferQuery): Promise<PageState | undefined> {
    const from = query.since === undefined ? 0 : ((await this.#blockAt(query.since, 'after')) ?? 0);
    const end = query.until === undefined ? undefined : ((await this.#blockAt(query.until, 'before')) ?? undefined);
    if (end !== undefined && from > end) return undefined;
    return { action: 'txlist', start: from, page: 1, from, end };
  }

  /** The first block at/after (or last at/before) `timestamp`; null when Etherscan cannot place it. Cached. */
  #blockAt(timestamp: number, closest: 'after' | 'before'): Promise<number | null> {
    const key = `${timestamp}:${closest}`;
    let block = this.#blocks.get(key);
    if (block === undefined) {
      block = this.#call(
        { module: 'block', action: 'getblocknobytime', timestamp: String(timestamp), closest },
        'getblocknobytime',
        /no closest block/i,
      ).then(({ result, url }) =>
        result === null ? null : Number(parseWire(etherscanBlockNumberSchema, result, url)),
      );
      block.catch(() => this.#blocks.delete(key));
      this.#blocks.set(key, block);
    }
    return block;
  }

  /**
   * One API call: the envelope's `result` (null for a string answer matching `tolerate`), with per-second rate-limit
   * answers retried. `url` is redacted.
   */
  async #call(
    params: Record<string, string>,
    action: string,
    tolerate?: RegExp,
  ): Promise<{ result: unknown; sha256: string; url: string }> {
    const query = new URLSearchParams({ chainid: String(this.chain.chainId), ...params });
    if (this.#apiKey !== undefined) query.set('apikey', this.#apiKey);
    const secrets = this.#apiKey === undefined ? [] : [this.#apiKey];
    const url = `${this.#base}?${query}`;
    const shown = redactUrl(url, secrets);
    for (let attempt = 0; ; attempt++) {
      let res: TransportResponse;
      try {
        // Address histories grow: never `immutable`.
        res = await this.#transport.request({ method: 'GET', url, expect: 'json' });
      } catch (e) {
        throw scrubSecrets(e, secrets);
      }
      const said = readEnvelope(res, shown, action, secrets);
      if ('result' in said) return { result: said.result, sha256: res.sha256, url: shown };
      if (tolerate?.test(said.text)) return { result: null, sha256: res.sha256, url: shown };
      const code = classify(said.text);
      if (code === 'retry' && attempt < this.#retries) {
        await this.#sleep(this.#backoffMs * 2 ** attempt);
        continue;
      }
      throw etherscanError(code === 'retry' ? 'RATE_LIMITED' : code, said.text, {
        action,
        chainId: this.chain.chainId,
        url: shown,
        ...(code === 'retry' ? { attempts: attempt + 1 } : {}),
      });
    }
  }
}

/**
 * `retryIf` for core's `http` transport: Etherscan's HTTP-200 per-second rate-limit answers → 'rate-limited' (retried
 * with backoff, then RATE_LIMITED). The daily limit is not retried.
 * @example http({ rateLimit: { requestsPerSecond: 3 }, retryIf: etherscanRetryIf, secrets: [apiKey] })
 */
export function etherscanRetryIf(response: TransportResponse): RetryVerdict {
  const env = etherscanEnvelopeSchema.safeParse(response.json);
  if (!env.success || typeof env.data.result !== 'string') return undefined;
  return classify(env.data.result) === 'retry' ? 'rate-limited' : undefined;
}

type Row = EtherscanTx | EtherscanInternalTx | EtherscanTokenTx;

/** The error class of a `NOTOK` string result. */
function classify(text: string): FundflowErrorCode | 'retry' {
  if (DAILY_LIMIT.test(text)) return 'RATE_LIMITED';
  if (RATE_LIMIT.test(text)) return 'retry';
  if (BAD_KEY.test(text)) return 'AUTH_FAILED';
  if (BAD_CHAIN.test(text)) return 'INVALID_ARGUMENT';
  if (BAD_ADDRESS.test(text)) return 'INVALID_ADDRESS';
  return 'BAD_RESPONSE';
}

function etherscanError(code: FundflowErrorCode, text: string, details: Record<string, unknown>): FundflowError {
  const action = String(details.action);
  const what: Partial<Record<FundflowErrorCode, string>> = {
    RATE_LIMITED: 'rate limited',
    AUTH_FAILED: 'refused the API key (set ETHERSCAN_API_KEY to a valid key)',
    INVALID_ARGUMENT: 'refused the request',
    INVALID_ADDRESS: 'refused the address',
  };
  const attempts = typeof details.attempts === 'number' ? ` after ${details.attempts} attempts` : '';
  return new FundflowError(code, `Etherscan ${action} ${what[code] ?? 'answered an error'}${attempts}: ${text}`, {
    details: { ...details, result: text },
  });
}

/** The envelope's array/`OK` result, or the error text of a `NOTOK` answer. Throws for anything else. */
function readEnvelope(
  res: TransportResponse,
  url: string,
  action: string,
  secrets: readonly string[],
): { result: unknown } | { text: string } {
  const body = () => replaceSecrets(bodyExcerpt(res.body), secrets);
  if (res.status === 401 || res.status === 403) {
    throw etherscanError('AUTH_FAILED', `HTTP ${res.status}`, { action, url, status: res.status });
  }
  if (res.status === 429) throw etherscanError('RATE_LIMITED', 'HTTP 429', { action, url, status: res.status });
  if (res.status < 200 || res.status >= 300) {
    throw new FundflowError('HTTP_ERROR', `Etherscan ${action} answered HTTP ${res.status}: ${body() || '(empty)'}`, {
      details: { action, url, status: res.status, body: body() },
    });
  }
  if (res.json === undefined) {
    throw new FundflowError('BAD_RESPONSE', `Etherscan ${action} answered a body that is not JSON: ${body()}`, {
      details: { action, url, status: res.status, body: body() },
    });
  }
  const env = parseWire(etherscanEnvelopeSchema, res.json, url);
  if (Array.isArray(env.result)) return { result: env.result };
  if (env.status === '1') return { result: env.result };
  if (NO_RECORDS.test(env.message)) return { result: [] };
  const text = replaceSecrets(bodyExcerpt(typeof env.result === 'string' ? env.result : env.message), secrets);
  return { text: text || env.message };
}

function parseRows(action: EtherscanAction, result: unknown, url: string): Row[] {
  switch (action) {
    case 'txlist':
      return parseWire(z.array(etherscanTxSchema), result, url);
    case 'txlistinternal':
      return parseWire(z.array(etherscanInternalTxSchema), result, url);
    case 'tokentx':
      return parseWire(z.array(etherscanTokenTxSchema), result, url);
  }
}

/** Rows must ascend from `startblock`: a server that ignored the paging parameters would make paging loop. */
function checkOrder(rows: readonly Row[], state: PageState, url: string): void {
  let previous = state.start;
  for (const row of rows) {
    const block = Number(row.blockNumber);
    if (block < previous || (state.end !== undefined && block > state.end)) {
      throw new FundflowError(
        'BAD_RESPONSE',
        `Etherscan ${state.action} answered block ${block} outside ascending order from startblock ${state.start}${state.end === undefined ? '' : ` to endblock ${state.end}`}: paging would not advance`,
        { details: { action: state.action, url, block, startblock: state.start } },
      );
    }
    previous = block;
  }
}

function toTransfers(action: EtherscanAction, rows: readonly Row[], chain: EvmChain, evidence: string): Transfer[] {
  switch (action) {
    case 'txlist':
      return (rows as EtherscanTx[]).map((r) => nativeTransfer(r, chain, evidence));
    case 'txlistinternal':
      return internalTransfers(rows as EtherscanInternalTx[], chain, evidence);
    case 'tokentx':
      return tokenTransfers(rows as EtherscanTokenTx[], chain, evidence);
  }
}

function nativeTransfer(r: EtherscanTx, chain: EvmChain, evidence: string): Transfer {
  const failed = r.isError === '1';
  const to = r.to !== '' ? r.to : (r.contractAddress ?? '');
  if (to === '') throw rowError('txlist', r.hash, 'has neither `to` nor `contractAddress`');
  return {
    id: transferIds.native(r.hash),
    txid: r.hash.toLowerCase(),
    from: getAddress(r.from),
    to: getAddress(to),
    asset: nativeAssetOf(chain),
    amount: failed ? 0n : BigInt(r.value),
    fee: BigInt(r.gasUsed) * BigInt(r.gasPrice),
    time: Number(r.timeStamp),
    height: Number(r.blockNumber),
    ...(r.transactionIndex === undefined ? {} : { seq: evmSeq(Number(r.transactionIndex), { kind: 'native' }) }),
    kind: 'native',
    evidence: [evidence],
  };
}

function internalTransfers(rows: readonly EtherscanInternalTx[], chain: EvmChain, evidence: string): Transfer[] {
  const out: Transfer[] = [];
  const order = new Map<string, number>();
  for (const r of rows) {
    const n = order.get(r.hash) ?? 0;
    order.set(r.hash, n + 1);
    if (r.isError === '1' || NO_VALUE_CALL_TYPES.has((r.type ?? '').toLowerCase())) continue;
    const amount = BigInt(r.value);
    if (amount === 0n) continue;
    const to = r.to !== '' ? r.to : (r.contractAddress ?? '');
    if (to === '') throw rowError('txlistinternal', r.hash, 'has neither `to` nor `contractAddress`');
    out.push({
      id: transferIds.trace(r.hash, r.traceId.split('_').map(Number)),
      txid: r.hash.toLowerCase(),
      from: getAddress(r.from),
      to: getAddress(to),
      asset: nativeAssetOf(chain),
      amount,
      time: Number(r.timeStamp),
      height: Number(r.blockNumber),
      ...(r.transactionIndex === undefined
        ? {}
        : { seq: evmSeq(Number(r.transactionIndex), { kind: 'trace', order: n }) }),
      kind: 'internal',
      evidence: [evidence],
    });
  }
  return out;
}

function tokenTransfers(rows: readonly EtherscanTokenTx[], chain: EvmChain, evidence: string): Transfer[] {
  const out: Transfer[] = [];
  /** Per tx: rows so far (position, for seq) and identical transfers so far (for the id). */
  const position = new Map<string, number>();
  const identical = new Map<string, number>();
  for (const r of rows) {
    const hash = r.hash.toLowerCase();
    const k = position.get(hash) ?? 0;
    position.set(hash, k + 1);
    const contract = r.contractAddress.toLowerCase();
    const tuple = `${contract}|${r.from.toLowerCase()}|${r.to.toLowerCase()}|${r.value}`;
    const n = identical.get(`${hash}|${tuple}`) ?? 0;
    identical.set(`${hash}|${tuple}`, n + 1);
    const logIndex = r.logIndex === undefined ? undefined : Number(r.logIndex);
    const id =
      logIndex === undefined
        ? `${hash}:tokentx:${sha256Hex(`${tuple}|${n}`).slice(0, 16)}`
        : transferIds.log(hash, logIndex);
    const decimalsKnown = r.tokenDecimal !== '';
    const checksummed = getAddress(r.contractAddress);
    const asset: Asset = {
      chain: chain.name,
      symbol: r.tokenSymbol.trim() || checksummed,
      decimals: decimalsKnown ? Number(r.tokenDecimal) : 0,
      contract: checksummed,
      ...(decimalsKnown ? {} : { decimalsKnown: false }),
    };
    out.push({
      id,
      txid: hash,
      from: getAddress(r.from),
      to: getAddress(r.to),
      asset,
      amount: BigInt(r.value),
      time: Number(r.timeStamp),
      height: Number(r.blockNumber),
      ...(r.transactionIndex === undefined
        ? {}
        : { seq: evmSeq(Number(r.transactionIndex), { kind: 'log', logIndex: logIndex ?? k }) }),
      kind: 'token',
      evidence: [evidence],
    });
  }
  return out;
}

function rowError(action: string, hash: string, why: string): FundflowError {
  return new FundflowError('BAD_RESPONSE', `Etherscan ${action}: transaction ${hash.toLowerCase()} ${why}`, {
    details: { action, hash: hash.toLowerCase() },
  });
}

function formatCursor(s: PageState): string {
  return `etherscan:v1:${s.action}:${s.start}:${s.page}:${s.from}:${s.end ?? ''}`;
}

function parseCursor(cursor: string): PageState {
  const m = CURSOR.exec(cursor);
  const page = m === null ? 0 : Number(m[3]);
  if (m === null || page < 1) {
    throw invalid(`paging cursor '${cursor.slice(0, 60)}' is not an Etherscan cursor from a previous page`, {
      cursor: cursor.slice(0, 60),
    });
  }
  return {
    action: m[1] as EtherscanAction,
    start: Number(m[2]),
    page,
    from: Number(m[4]),
    end: m[5] === '' ? undefined : Number(m[5]),
  };
}

function checkTime(value: number | undefined, name: string): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
    throw invalid(`${name} must be unix seconds (a whole number ≥ 0)`, { [name]: value });
  }
}

function invalid(message: string, details: Record<string, unknown>): FundflowError {
  return new FundflowError('INVALID_ARGUMENT', `Etherscan source: ${message}`, { details });
}
