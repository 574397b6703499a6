/**
 * An HTTP server answering like Blockstream Esplora (electrs REST) over a simulated UTXO scenario, with the rate
 * limit of Esplora's shipped nginx (limit_req, burst, nodelay → 429 with nginx's HTML page) and optional latency.
 * Simulated data only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FundflowError } from '@fundflow/core';
import { decodeSegwitAddress } from './bech32';
import { esploraAddressStats, esploraOutspends, esploraStatus, esploraTx, esploraTxHex } from './esplora-format';
import type { Scenario, SimUtxoTx, UtxoScenario } from './scenario';
import { indexUtxoScenario } from './scenario-index';

export interface EsploraServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Delay before every answer, as an API across the internet (default 0). */
  latencyMs?: number;
  /** nginx `limit_req zone rate=<requestsPerSecond>r/s burst=<burst> nodelay`, per client address. */
  rateLimit?: { requestsPerSecond: number; burst: number };
}

export interface EsploraServerStats {
  requests: number;
  rateLimited: number;
  byRoute: Record<string, number>;
}

export interface EsploraServer {
  /** Base URL, e.g. `http://127.0.0.1:41234` (paths as Esplora's: `${url}/tx/<txid>`). */
  url: string;
  close(): Promise<void>;
  stats(): EsploraServerStats;
}

const CHAIN_TXS_PER_PAGE = 25;
const MAX_BATCH_TXIDS = 50;
/** electrs' cache lifetimes: 5 years once 10 blocks deep, else 10 s. */
const TTL_LONG = 157_784_630;
const TTL_SHORT = 10;
const CONF_FINAL = 10;
const TXID = /^[0-9a-fA-F]{64}$/;

/** nginx's built-in 429 page (ngx_http_special_response.c), CRLF line ends. */
const NGINX_429 =
  '<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n' +
  '<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

interface Answer {
  status: number;
  contentType: string;
  body: string;
  ttl?: number;
}

const json = (value: unknown, ttl = TTL_SHORT): Answer => ({
  status: 200,
  contentType: 'application/json',
  body: JSON.stringify(value),
  ttl,
});
const text = (status: number, body: string, ttl?: number): Answer =>
  ttl === undefined ? { status, contentType: 'text/plain', body } : { status, contentType: 'text/plain', body, ttl };

/**
 * nginx limit_req with `nodelay`: `excess` drains at `rate` per second; a request is refused when the excess it
 * would reach exceeds `burst` (refused requests do not count).
 */
class LeakyBucket {
  private readonly clients = new Map<string, { excess: number; last: number }>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {}

  allow(client: string, now: number): boolean {
    const state = this.clients.get(client);
    if (state === undefined) {
      this.clients.set(client, { excess: 0, last: now });
      return true;
    }
    const excess = Math.max(0, state.excess - (this.rate * (now - state.last)) / 1000) + 1;
    if (excess > this.burst) return false;
    state.excess = excess;
    state.last = now;
    return true;
  }
}

/**
 * Serves a simulated UTXO scenario with Blockstream Esplora's routes and wire format: `/tx/:txid`, `/tx/:txid/hex`,
 * `/tx/:txid/status`, `/tx/:txid/outspends`, `/tx/:txid/outspend/:vout`, `/txs/outspends?txids=` (mempool.space),
 * `/address/:a`, `/address/:a/txs`, `/address/:a/txs/chain[/:last_seen_txid]`, `/blocks/tip/height`,
 * `/blocks/tip/hash`, `/block-height/:height`.
 * @example
 *   const server = await startEsploraServer(generateScenario({ seed: 1, model: 'utxo', size: 2000 }),
 *     { rateLimit: { requestsPerSecond: 5, burst: 10 }, latencyMs: 100 });
 *   await fetch(`${server.url}/blocks/tip/height`); await server.close();
 */
export async function startEsploraServer(
  scenario: Scenario,
  options: EsploraServerOptions = {},
): Promise<EsploraServer> {
  if (scenario.model !== 'utxo') {
    throw new FundflowError('INVALID_ARGUMENT', 'the Esplora server serves utxo scenarios only', {
      details: { model: scenario.model },
    });
  }
  const utxo: UtxoScenario = scenario;
  indexUtxoScenario(utxo);
  const latency = Math.max(0, options.latencyMs ?? 0);
  const limiter = options.rateLimit
    ? new LeakyBucket(options.rateLimit.requestsPerSecond, options.rateLimit.burst)
    : undefined;
  const stats: EsploraServerStats = { requests: 0, rateLimited: 0, byRoute: {} };

  const send = (res: ServerResponse, answer: Answer, extra: Record<string, string> = {}): void => {
    const write = (): void => {
      if (res.destroyed) return;
      const headers: Record<string, string> = {
        'Content-Type': answer.contentType,
        'Content-Length': String(Buffer.byteLength(answer.body)),
        // As public Esplora instances (Blockstream, mempool.space): any web page may read the answers.
        'Access-Control-Allow-Origin': '*',
        ...extra,
      };
      if (answer.ttl !== undefined) headers['Cache-Control'] = `public, max-age=${answer.ttl}`;
      res.writeHead(answer.status, headers);
      res.end(answer.body);
    };
    if (latency > 0) setTimeout(write, latency);
    else write();
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    stats.requests++;
    if (limiter && !limiter.allow(req.socket.remoteAddress ?? '', performance.now())) {
      stats.rateLimited++;
      send(res, { status: 429, contentType: 'text/html', body: NGINX_429 }, { Server: 'nginx' });
      return;
    }
    let answer: Answer;
    let route: string;
    if (req.method === 'OPTIONS') {
      // A CORS preflight (a browser about to send a non-simple request): GET only.
      stats.byRoute.preflight = (stats.byRoute.preflight ?? 0) + 1;
      send(res, text(204, ''), { 'Access-Control-Allow-Methods': 'GET', 'Access-Control-Allow-Headers': '*' });
      return;
    }
    try {
      [route, answer] = handle(utxo, req.method ?? 'GET', req.url ?? '/');
    } catch (e) {
      route = 'error';
      answer = text(500, e instanceof Error ? e.message : String(e));
    }
    stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
    send(res, answer);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    stats: () => ({ ...stats, byRoute: { ...stats.byRoute } }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * The answer the Esplora-format server gives to one request, computed in process (no socket): for recording large
 * simulated cassettes quickly. Same routes, bodies and statuses as `startEsploraServer`.
 * @example esploraAnswer(scenario, 'GET', `/tx/${txid}`).body
 */
export function esploraAnswer(
  scenario: UtxoScenario,
  method: string,
  url: string,
): { route: string; status: number; contentType: string; body: string } {
  const [route, answer] = handle(scenario, method, url);
  return { route, status: answer.status, contentType: answer.contentType, body: answer.body };
}

/** Routes one request; returns the route name (for stats) and the answer. */
function handle(scenario: UtxoScenario, method: string, rawUrl: string): [string, Answer] {
  const url = new URL(rawUrl, 'http://sim');
  const path = url.pathname.split('/').slice(1);
  const [p0, p1, p2, p3, p4, p5] = path;
  const index = indexUtxoScenario(scenario);
  const tip = scenario.blocks[scenario.blocks.length - 1];
  const notFound: [string, Answer] = [
    'not-found',
    text(404, `endpoint does not exist ${JSON.stringify(url.pathname)}`),
  ];
  if (method !== 'GET' || tip === undefined) return notFound;
  const ttlFor = (height: number): number => (tip.height - height >= CONF_FINAL ? TTL_LONG : TTL_SHORT);

  if (p0 === 'blocks' && p1 === 'tip' && p3 === undefined) {
    if (p2 === 'height') return ['blocks/tip/height', text(200, String(tip.height), TTL_SHORT)];
    if (p2 === 'hash') return ['blocks/tip/hash', text(200, tip.hash, TTL_SHORT)];
  }
  if (p0 === 'block-height' && p1 !== undefined && p2 === undefined) {
    if (!/^\d+$/.test(p1)) return ['block-height', text(400, 'Invalid number')];
    const h = Number(p1);
    if (h < (scenario.blocks[0]?.height ?? 1) || h > tip.height) return ['block-height', text(404, 'Block not found')];
    return ['block-height', text(200, index.blockAt(h).hash, ttlFor(h))];
  }

  if (p0 === 'tx' && p1 !== undefined) {
    if (!TXID.test(p1)) return [p2 === undefined ? 'tx' : `tx/${p2}`, text(400, 'Invalid hex string')];
    const tx = index.tx(p1.toLowerCase());
    const missing = text(404, 'Transaction not found');
    if (p2 === undefined) return ['tx', tx ? json(esploraTx(scenario, tx), ttlFor(tx.height)) : missing];
    if (p3 === undefined && p2 === 'hex') {
      return ['tx/hex', tx ? text(200, esploraTxHex(tx), ttlFor(tx.height)) : missing];
    }
    if (p3 === undefined && p2 === 'status') {
      // electrs answers unknown transactions as unconfirmed.
      return [
        'tx/status',
        json(tx ? esploraStatus(scenario, tx) : { confirmed: false }, tx ? ttlFor(tx.height) : TTL_SHORT),
      ];
    }
    if (p3 === undefined && p2 === 'outspends') {
      return ['tx/outspends', tx ? json(esploraOutspends(scenario, tx)) : missing];
    }
    if (p2 === 'outspend' && p3 !== undefined && p4 === undefined) {
      if (!/^\d+$/.test(p3) || Number(p3) > 0xffffffff) return ['tx/outspend', text(400, 'Invalid number')];
      // electrs looks the outpoint up without checking the transaction: unknown outpoints are unspent.
      const spend = tx ? esploraOutspends(scenario, tx)[Number(p3)] : undefined;
      return ['tx/outspend', json(spend ?? { spent: false })];
    }
    return notFound;
  }

  if (p0 === 'txs' && p1 === 'outspends' && p2 === undefined) {
    const param = url.searchParams.get('txids');
    if (param === null) return ['txs/outspends', text(400, 'No txids specified')];
    const txids = param.split(',').filter((t) => t !== '');
    if (txids.length > MAX_BATCH_TXIDS) return ['txs/outspends', text(400, 'Too many txids requested')];
    // mempool.space's electrs: an unknown or malformed txid gets an empty list in its slot.
    const out = txids.map((t) => {
      const tx = TXID.test(t) ? index.tx(t.toLowerCase()) : undefined;
      return tx ? esploraOutspends(scenario, tx) : [];
    });
    return ['txs/outspends', json(out)];
  }

  if (p0 === 'address' && p1 !== undefined) {
    const decoded = decodeSegwitAddress(p1);
    if (decoded === undefined) return [addressRoute(p2, p3), text(400, 'Invalid Bitcoin address')];
    if (decoded.hrp !== 'bcrt') return [addressRoute(p2, p3), text(400, 'Address on invalid network')];
    const address = p1.toLowerCase();
    const history = index.history.get(address) ?? [];
    if (p2 === undefined) {
      const chainStats = esploraAddressStats(scenario, address);
      const empty = { funded_txo_count: 0, funded_txo_sum: 0, spent_txo_count: 0, spent_txo_sum: 0, tx_count: 0 };
      return ['address', json({ address: p1, chain_stats: chainStats, mempool_stats: empty })];
    }
    const page = (before: number): Answer => {
      const txs: unknown[] = [];
      for (let i = before - 1; i >= 0 && txs.length < CHAIN_TXS_PER_PAGE; i--) {
        txs.push(esploraTx(scenario, scenario.transactions[history[i] as number] as SimUtxoTx));
      }
      return json(txs);
    };
    if (p2 === 'txs' && p3 === undefined) return ['address/txs', page(history.length)];
    if (p2 === 'txs' && p3 === 'chain' && p5 === undefined) {
      // electrs parses last_seen_txid leniently: a malformed one is ignored (page 1), an unknown one ends the list.
      if (p4 === undefined || !TXID.test(p4)) return ['address/txs/chain', page(history.length)];
      const last = p4.toLowerCase();
      const at = history.findIndex((p) => scenario.transactions[p]?.txid === last);
      return ['address/txs/chain', at < 0 ? json([]) : page(at)];
    }
    return notFound;
  }
  return notFound;
}

function addressRoute(p2: string | undefined, p3: string | undefined): string {
  if (p2 === undefined) return 'address';
  return p3 === 'chain' ? 'address/txs/chain' : 'address/txs';
}
