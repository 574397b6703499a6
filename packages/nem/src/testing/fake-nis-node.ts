import { sha256Hex, type Transport, type TransportRequest, type TransportResponse } from '@fundflow/core';
import { addressFromPublicKey, type NemNetworkName } from '../address';
import type { NisTransactionMetaDataPair } from '../nis-wire';
import { mosaicKey } from '../warning-mosaics';

/** A NIS1 chain state for the fake node: transactions in NIS1's exact JSON shape, and what accounts held before. */
export interface NisLedger {
  network: NemNetworkName;
  /** Transaction/meta pairs as `/account/transfers/*` answers them; `meta.id` unique. Any order. */
  transactions: NisTransactionMetaDataPair[];
  /** micro-XEM held before the first transaction, for accounts whose earlier history is not part of the ledger. */
  opening?: ReadonlyMap<string, bigint>;
  /** NEM time (s since the NEM epoch) the node answers "now" with in error bodies. Default: 1 day after the last tx. */
  now?: number;
}

export interface FakeNisNodeOptions {
  /** URL root the node answers under. Default `http://127.0.0.1:7890`. */
  baseUrl?: string;
}

export interface FakeNisNode extends Transport {
  /** Requests answered so far, in order ("GET /path?query"). */
  requests(): string[];
}

interface Indexed {
  pair: NisTransactionMetaDataPair;
  /** The body as NIS serialises it (kept so every answer holding this pair has the same bytes for it). */
  json: string;
}

/**
 * An in-process Transport that answers like a NIS1 node over `ledger`: `/account/transfers/outgoing|incoming|all`
 * (descending id, transactions before `id`, `pageSize` default 25 clamped to 5..100), `/account/mosaic/owned`, and
 * NIS error JSON (`{timeStamp, error, message, status}`) for a bad address (404 "invalid address …"), a bad `id` or
 * `pageSize` (400) and unknown paths (404). For tests and the simulated fixture; never used against a real chain.
 * @example const source = new NisSource({ baseUrl: 'http://127.0.0.1:7890', network: 'mainnet', transport: fakeNisNode(ledger) })
 */
export function fakeNisNode(ledger: NisLedger, options: FakeNisNodeOptions = {}): FakeNisNode {
  const base = new URL(options.baseUrl ?? 'http://127.0.0.1:7890');
  const basePath = base.pathname.replace(/\/+$/, '');
  const outgoing = new Map<string, Indexed[]>();
  const incoming = new Map<string, Indexed[]>();
  const addressOf = new Map<string, string>();
  const toAddress = (publicKey: string) => {
    let a = addressOf.get(publicKey);
    if (a === undefined) {
      a = addressFromPublicKey(publicKey, ledger.network);
      addressOf.set(publicKey, a);
    }
    return a;
  };
  const add = (index: Map<string, Indexed[]>, address: string, item: Indexed) => {
    const list = index.get(address) ?? [];
    if (list[list.length - 1] !== item) list.push(item);
    index.set(address, list);
  };
  const balances = new Map<string, Map<string, bigint>>();
  const credit = (address: string, mosaic: string, amount: bigint) => {
    const held = balances.get(address) ?? new Map<string, bigint>();
    held.set(mosaic, (held.get(mosaic) ?? 0n) + amount);
    balances.set(address, held);
  };
  for (const [address, amount] of ledger.opening ?? []) credit(address, 'nem:xem', amount);
  let lastTime = 0;
  const sorted = [...ledger.transactions].sort((a, b) => b.meta.id - a.meta.id);
  for (const pair of sorted) {
    const item: Indexed = { pair, json: JSON.stringify(pair) };
    const outer = pair.transaction;
    lastTime = Math.max(lastTime, outer.timeStamp);
    const tx = outer.type === 4100 && outer.otherTrans ? outer.otherTrans : outer;
    const sender = toAddress(tx.signer);
    add(outgoing, toAddress(outer.signer), item);
    add(outgoing, sender, item);
    let fee = BigInt(outer.fee);
    if (tx !== outer) fee += BigInt(tx.fee) + (outer.signatures ?? []).reduce((s, c) => s + BigInt(c.fee), 0n);
    credit(sender, 'nem:xem', -fee);
    if (tx.type !== 257 || tx.recipient === undefined || tx.amount === undefined) continue;
    add(incoming, tx.recipient, item);
    const moved: [string, bigint][] =
      (tx.version & 0xff) >= 2 && tx.mosaics && tx.mosaics.length > 0
        ? tx.mosaics.map((m) => [mosaicKey(m.mosaicId), (BigInt(tx.amount!) * BigInt(m.quantity)) / 1_000_000n])
        : [['nem:xem', BigInt(tx.amount)]];
    for (const [mosaic, amount] of moved) {
      credit(sender, mosaic, -amount);
      credit(tx.recipient, mosaic, amount);
    }
  }
  const now = ledger.now ?? lastTime + 86_400;
  const log: string[] = [];

  const answer = (status: number, body: string): TransportResponse => {
    const res: TransportResponse = {
      status,
      headers: { 'content-type': 'application/json' },
      body,
      sha256: sha256Hex(body),
    };
    if (status >= 200 && status < 300) res.json = JSON.parse(body);
    return res;
  };
  const error = (status: number, message: string): TransportResponse =>
    answer(
      status,
      JSON.stringify({ timeStamp: now, error: status === 404 ? 'Not Found' : 'Bad Request', message, status }),
    );

  const route = (request: TransportRequest): TransportResponse => {
    const url = new URL(request.url);
    if (url.origin !== base.origin || !url.pathname.startsWith(basePath)) {
      return error(404, `No handler found for ${request.method} ${url.pathname}`);
    }
    const path = url.pathname.slice(basePath.length);
    const q = url.searchParams;
    const address = q.get('address');
    const transfers = /^\/account\/transfers\/(outgoing|incoming|all)$/.exec(path);
    if (request.method !== 'GET') return error(404, `No handler found for ${request.method} ${path}`);
    if (!transfers && path !== '/account/mosaic/owned') return error(404, `No handler found for GET ${path}`);
    if (address === null) return error(400, "Required String parameter 'address' is not present");
    if (!/^[A-Z2-7]{40}$/.test(address)) {
      return error(404, `invalid address '${address}' (org.nem.core.model.Address)`);
    }
    if (!transfers) {
      const held = balances.get(address) ?? new Map<string, bigint>();
      const data = [...held]
        .filter(([mosaic, quantity]) => quantity > 0n || mosaic === 'nem:xem')
        .sort((a, b) => (a[0] === 'nem:xem' ? -1 : b[0] === 'nem:xem' ? 1 : a[0] < b[0] ? -1 : 1))
        .map(([mosaic, quantity]) => {
          const i = mosaic.indexOf(':');
          const q = quantity < 0n ? 0n : quantity;
          return `{"quantity":${q},"mosaicId":{"namespaceId":${JSON.stringify(mosaic.slice(0, i))},"name":${JSON.stringify(mosaic.slice(i + 1))}}}`;
        });
      return answer(200, `{"data":[${data.join(',')}]}`);
    }
    const rawId = q.get('id');
    const rawSize = q.get('pageSize');
    if (rawId !== null && !/^-?\d+$/.test(rawId)) return error(400, `For input string: "${rawId}"`);
    if (rawSize !== null && !/^-?\d+$/.test(rawSize)) return error(400, `For input string: "${rawSize}"`);
    const pageSize = Math.min(100, Math.max(5, rawSize === null ? 25 : Number(rawSize)));
    const before = rawId === null ? Number.POSITIVE_INFINITY : Number(rawId);
    const kind = transfers[1];
    const lists =
      kind === 'all'
        ? mergeDescending(outgoing.get(address) ?? [], incoming.get(address) ?? [])
        : ((kind === 'outgoing' ? outgoing : incoming).get(address) ?? []);
    const page = lists.filter((i) => i.pair.meta.id < before).slice(0, pageSize);
    return answer(200, `{"data":[${page.map((i) => i.json).join(',')}]}`);
  };

  return {
    async request(request) {
      const url = new URL(request.url);
      log.push(`${request.method} ${url.pathname}${url.search}`);
      return route(request);
    },
    stats: () => ({ sent: log.length, retries: 0, rateLimited: 0, cacheHits: 0, dedupeHits: 0 }),
    requests: () => [...log],
  };
}

function mergeDescending(a: Indexed[], b: Indexed[]): Indexed[] {
  const byId = new Map<number, Indexed>();
  for (const i of [...a, ...b]) byId.set(i.pair.meta.id, i);
  return [...byId.values()].sort((x, y) => y.pair.meta.id - x.pair.meta.id);
}
