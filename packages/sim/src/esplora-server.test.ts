import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EsploraServer, startEsploraServer } from './esplora-server';
import { generateScenario } from './generate-scenario';
import type { SimUtxoTx } from './scenario';
import { SimUtxoSource } from './sim-sources';

type Json = Record<string, unknown>;

const realTxs = JSON.parse(
  readFileSync(new URL('./testdata/mempool-mainnet-txs-extended-4.json', import.meta.url), 'utf8'),
) as Json[];
const realApiTx = JSON.parse(
  readFileSync(new URL('./testdata/esplora-tx-b6a53d8a-unconfirmed.json', import.meta.url), 'utf8'),
) as Json;

/** mempool.space's own additions to Esplora's transaction (not in Blockstream's electrs `TransactionValue`). */
const MEMPOOL_ONLY = new Set([
  'sigops',
  'order',
  'vsize',
  'adjustedVsize',
  'feePerVsize',
  'adjustedFeePerVsize',
  'effectiveFeePerVsize',
  'firstSeen',
  'uid',
  'inputs',
  'position',
  'bestDescendant',
  'cpfpChecked',
]);
const keys = (o: unknown): string[] => Object.keys(o as Json).filter((k) => !MEMPOOL_ONLY.has(k));

// The reference: a confirmed real transaction with a p2wpkh input (as every simulated spend is).
const reference = realTxs.find(
  (t) =>
    (t.status as Json).confirmed === true &&
    (t.vin as Json[]).every((i) => ((i.prevout as Json).scriptpubkey_type as string) === 'v0_p2wpkh'),
) as Json;
const referenceOutput = (reference.vout as Json[]).find((o) => 'scriptpubkey_address' in o) as Json;

const scenario = generateScenario({ seed: 21, model: 'utxo', size: 2000 });
let server: EsploraServer;

beforeAll(async () => {
  server = await startEsploraServer(scenario);
});
afterAll(async () => {
  await server.close();
});

async function get(path: string, base = server.url): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}
async function getJson<T = Json>(path: string): Promise<T> {
  const r = await get(path);
  expect(r.status, `${path}: ${r.body}`).toBe(200);
  expect(r.type).toBe('application/json');
  return JSON.parse(r.body) as T;
}

describe('startEsploraServer: wire format', () => {
  it('has a real reference sample to compare with', () => {
    expect(reference.txid).toBe('20b984492b5264162a4c92c9a34bc7fa08b67d669de7b4c5982ad3cb28aaecf6');
    expect(keys(realApiTx)).toEqual(keys(reference));
  });

  it('serves GET /tx/:txid with Esplora keys, in Esplora order and types', async () => {
    const tx = await getJson(`/tx/${scenario.drainIds[1]}`);
    expect(keys(tx)).toEqual(keys(reference));
    const vin = (tx.vin as Json[])[0] as Json;
    const refVin = (reference.vin as Json[])[0] as Json;
    expect(keys(vin)).toEqual(keys(refVin));
    expect(keys(vin.prevout)).toEqual(keys(refVin.prevout));
    expect(keys((tx.vout as Json[])[0])).toEqual(keys(referenceOutput));
    expect(keys(tx.status)).toEqual(keys(reference.status));
    for (const [k, v] of Object.entries(tx)) expect(typeof v, k).toBe(typeof reference[k]);
    for (const [k, v] of Object.entries(vin)) expect(typeof v, k).toBe(typeof refVin[k]);
    expect(vin.witness).toHaveLength(2);
    const sim = scenario.transactions.find((t) => t.txid === scenario.drainIds[1]) as SimUtxoTx;
    expect(tx).toMatchObject({ txid: sim.txid, fee: Number(sim.fee), size: sim.size, weight: sim.weight });
    expect(tx.status).toEqual({
      confirmed: true,
      block_height: sim.height,
      block_hash: scenario.blocks[sim.height - 1]?.hash,
      block_time: sim.time,
    });
  });

  it('serves coinbases as Esplora does: null prevout, no address on the OP_RETURN output', async () => {
    const coinbase = await getJson(`/tx/${scenario.transactions[0]?.txid}`);
    const vin = (coinbase.vin as Json[])[0] as Json;
    expect(vin).toMatchObject({ txid: '0'.repeat(64), vout: 4294967295, prevout: null, is_coinbase: true });
    expect(vin.scriptsig_asm).toBe('OP_PUSHNUM_1 OP_0');
    const commitment = (coinbase.vout as Json[])[1] as Json;
    expect(Object.keys(commitment)).toEqual(['scriptpubkey', 'scriptpubkey_asm', 'scriptpubkey_type', 'value']);
    expect(commitment.scriptpubkey_type).toBe('op_return');
  });

  it('serves outspends, one outspend, and mempool.space batches', async () => {
    const txid = scenario.drainIds[0] as string;
    const outspends = await getJson<Json[]>(`/tx/${txid}/outspends`);
    const spent = outspends.find((o) => o.spent === true) as Json;
    expect(Object.keys(spent)).toEqual(['spent', 'txid', 'vin', 'status']);
    expect(Object.keys(spent.status as Json)).toEqual(['confirmed', 'block_height', 'block_hash', 'block_time']);
    expect(await getJson(`/tx/${txid}/outspend/${outspends.indexOf(spent)}`)).toEqual(spent);
    expect(await getJson('/tx/' + 'ab'.repeat(32) + '/outspend/0')).toEqual({ spent: false });
    const unspentTip = scenario.transactions[scenario.transactions.length - 1] as SimUtxoTx;
    expect(await getJson(`/tx/${unspentTip.txid}/outspends`)).toEqual(unspentTip.vout.map(() => ({ spent: false })));

    const batch = await getJson<Json[][]>(`/txs/outspends?txids=${txid},${'ab'.repeat(32)},nonsense`);
    expect(batch).toEqual([outspends, [], []]);
    const tooMany = Array.from({ length: 51 }, () => txid).join(',');
    expect(await get(`/txs/outspends?txids=${tooMany}`)).toMatchObject({
      status: 400,
      body: 'Too many txids requested',
    });
    expect(await get('/txs/outspends')).toMatchObject({ status: 400, body: 'No txids specified' });
  });

  it('answers errors in plain text as Esplora does', async () => {
    expect(await get(`/tx/${'ab'.repeat(32)}`)).toEqual({
      status: 404,
      type: 'text/plain',
      body: 'Transaction not found',
    });
    expect(await get(`/tx/${'ab'.repeat(32)}/outspends`)).toMatchObject({ status: 404, body: 'Transaction not found' });
    expect(await get('/tx/xyz')).toMatchObject({ status: 400, body: 'Invalid hex string' });
    expect(await get('/address/garbage/txs/chain')).toEqual({
      status: 400,
      type: 'text/plain',
      body: 'Invalid Bitcoin address',
    });
    expect(await get('/address/bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4')).toMatchObject({
      status: 400,
      body: 'Address on invalid network',
    });
    expect(await get('/no/such/route')).toMatchObject({
      status: 404,
      body: 'endpoint does not exist "/no/such/route"',
    });
  });

  it('lets web pages read it, as public Esplora instances do (CORS), and answers preflights for GET', async () => {
    const origin = { headers: { origin: 'http://127.0.0.1:4173' } };
    for (const path of ['/blocks/tip/height', `/tx/${'ab'.repeat(32)}`, '/no/such/route']) {
      const res = await fetch(`${server.url}${path}`, origin);
      expect(res.headers.get('access-control-allow-origin'), path).toBe('*');
    }
    const preflight = await fetch(`${server.url}/blocks/tip/height`, {
      method: 'OPTIONS',
      headers: { ...origin.headers, 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET');
    // Other methods are still refused.
    expect((await fetch(`${server.url}/blocks/tip/height`, { method: 'POST' })).status).toBe(404);
  });

  it('pages /address/:a/txs/chain 25 at a time by last seen txid, like the in-process source', async () => {
    const address = scenario.seedAddress;
    const viaHttp: string[] = [];
    let path = `/address/${address}/txs/chain`;
    for (;;) {
      const page = await getJson<Json[]>(path);
      viaHttp.push(...page.map((t) => t.txid as string));
      if (page.length < 25) break;
      path = `/address/${address}/txs/chain/${page[24]?.txid}`;
    }
    const source = new SimUtxoSource(scenario);
    const viaSource: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await source.getAddressHistory(address, cursor);
      viaSource.push(...page.txids);
      cursor = page.next;
    } while (cursor);
    expect(viaHttp).toEqual(viaSource);
    expect(viaHttp.length).toBeGreaterThan(75);

    const first = await getJson<Json[]>(`/address/${address}/txs/chain`);
    // A malformed last_seen_txid is ignored: page 1 again. A well-formed unknown one ends the list.
    expect(await getJson(`/address/${address}/txs/chain/not-a-txid`)).toEqual(first);
    expect(await getJson(`/address/${address}/txs/chain/${'ab'.repeat(32)}`)).toEqual([]);
    expect(await getJson(`/address/${address}/txs`)).toEqual(first);
  });

  it('serves address stats, the tip height and raw hex', async () => {
    const stats = await getJson(`/address/${scenario.seedAddress}`);
    expect(Object.keys(stats)).toEqual(['address', 'chain_stats', 'mempool_stats']);
    expect(Object.keys(stats.chain_stats as Json)).toEqual([
      'funded_txo_count',
      'funded_txo_sum',
      'spent_txo_count',
      'spent_txo_sum',
      'tx_count',
    ]);
    const chain = stats.chain_stats as Record<string, number>;
    const history = scenario.transactions.filter(
      (t) =>
        t.vout.some((o) => o.address === scenario.seedAddress) ||
        t.vin.some((i) => !i.coinbase && i.address === scenario.seedAddress),
    );
    expect(chain.tx_count).toBe(history.length);
    expect((stats.mempool_stats as Record<string, number>).tx_count).toBe(0);

    expect(await get('/blocks/tip/height')).toEqual({
      status: 200,
      type: 'text/plain',
      body: String(scenario.tipHeight),
    });
    const sim = scenario.transactions[500] as SimUtxoTx;
    const hex = await get(`/tx/${sim.txid}/hex`);
    expect(hex.body).toMatch(/^[0-9a-f]+$/);
    expect(hex.body.length / 2).toBe(sim.size);
    expect(hex.body.slice(8, 12)).toBe('0001');
  });

  it('counts requests by route', () => {
    const s = server.stats();
    expect(s.requests).toBeGreaterThan(10);
    expect(s.rateLimited).toBe(0);
    expect(s.byRoute.tx).toBeGreaterThan(0);
    expect(s.byRoute['address/txs/chain']).toBeGreaterThan(3);
  });
});

describe('startEsploraServer: rate limit and latency', () => {
  it('answers 429 with nginx HTML and no Retry-After beyond rate + burst', async () => {
    const limited = await startEsploraServer(scenario, { rateLimit: { requestsPerSecond: 1, burst: 2 } });
    try {
      const responses = await Promise.all(Array.from({ length: 10 }, () => fetch(`${limited.url}/blocks/tip/height`)));
      const statuses = responses.map((r) => r.status).sort();
      // nginx limit_req nodelay: the first request plus `burst` more pass at once.
      expect(statuses).toEqual([200, 200, 200, 429, 429, 429, 429, 429, 429, 429]);
      const refused = responses.find((r) => r.status === 429) as Response;
      expect(refused.headers.get('content-type')).toBe('text/html');
      expect(refused.headers.get('retry-after')).toBeNull();
      expect(await refused.text()).toContain('<center><h1>429 Too Many Requests</h1></center>');
      expect(limited.stats()).toMatchObject({ requests: 10, rateLimited: 7 });
      await new Promise((r) => setTimeout(r, 1100));
      expect((await fetch(`${limited.url}/blocks/tip/height`)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('delays every answer by latencyMs', async () => {
    const slow = await startEsploraServer(scenario, { latencyMs: 150 });
    try {
      const started = performance.now();
      expect((await get('/blocks/tip/height', slow.url)).status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    } finally {
      await slow.close();
    }
  });

  it('serves utxo scenarios only', async () => {
    await expect(startEsploraServer(generateScenario({ seed: 1, model: 'account', size: 10 }))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});
