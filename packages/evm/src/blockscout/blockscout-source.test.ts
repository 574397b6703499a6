import {
  Cassette,
  FundflowError,
  isFundflowError,
  recording,
  replaying,
  type Transfer,
  type TransferQuery,
} from '@fundflow/core';
import { describe, expect, it } from 'vitest';
import { BlockscoutSource } from './blockscout-source';
import { type BlockscoutLedger, FakeBlockscout } from './testdata/fake-blockscout';
import {
  ATTACKER,
  addr,
  BLOCK0,
  DRAIN,
  DRAINER,
  ETH,
  EXCHANGE,
  MIXER,
  ODD_TOKEN,
  timeOf,
  tt,
  tx,
  txh,
  USDT,
  VICTIM,
} from './testdata/ledger';

const BASE = 'https://eth.blockscout.example';
const KEY = 'bs-key-7f3a9c2e1d4b5a6f8e0c';

function sourceOver(ledger: BlockscoutLedger, pageSize = 50, apiKey?: string) {
  const api = new FakeBlockscout(ledger, pageSize);
  const source = new BlockscoutSource({
    baseUrl: BASE,
    chain: 'ethereum',
    transport: api,
    ...(apiKey ? { apiKey } : {}),
  });
  return { api, source };
}

async function all(source: BlockscoutSource, query: Omit<TransferQuery, 'cursor'>) {
  const transfers: Transfer[] = [];
  const cursors: string[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    const page = await source.getTransfers({ ...query, ...(cursor === undefined ? {} : { cursor }) });
    transfers.push(...page.transfers);
    if (page.next === undefined) return { transfers, cursors };
    cursor = page.next;
    cursors.push(cursor);
  }
  throw new Error('paging did not end');
}

async function errorOf(p: Promise<unknown>): Promise<FundflowError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!isFundflowError(e)) throw new Error(`expected a FundflowError, got ${String(e)}`);
  return e;
}

const byId = (transfers: Transfer[]) => new Map(transfers.map((t) => [t.id, t]));
const out = { address: ATTACKER, direction: 'out' } as const;

describe('BlockscoutSource: mapping', () => {
  it('maps transactions to native transfers with fees; errored ones move nothing but pay the fee', async () => {
    const { source, api } = sourceOver(DRAIN);
    const t = byId((await all(source, out)).transfers);
    expect(t.get(`${txh('cashout')}:native`)).toMatchObject({
      txid: txh('cashout'),
      from: ATTACKER,
      to: EXCHANGE,
      amount: 10n * ETH,
      fee: 21_000n * 23_000_000_000n,
      time: timeOf(BLOCK0 + 30),
      height: BLOCK0 + 30,
      seq: 2_000_000,
      kind: 'native',
    });
    // fee: null → gas_used × gas_price.
    expect(t.get(`${txh('mix')}:native`)!.fee).toBe(1_047_215n * 23_000_000_000n);
    const reverted = t.get(`${txh('reverted')}:native`)!;
    expect(reverted.amount).toBe(0n);
    expect(reverted.fee).toBe(29_877n * 23_000_000_000n);
    // Contract creation: `to` null → created_contract.
    expect(t.get(`${txh('deploy')}:native`)).toMatchObject({ to: DRAINER, amount: ETH });
    // Zero-value call: outgoing (carries the fee). Pending: skipped.
    expect(t.get(`${txh('withdraw')}:native`)!.amount).toBe(0n);
    expect(t.has(`${txh('pending')}:native`)).toBe(false);
    expect(api.queries[0]).toEqual(['transactions', { filter: 'from' }]);
    expect(api.queries.map(([e]) => e)).toEqual(['transactions', 'internal-transactions', 'token-transfers']);
    expect(api.queries[2]).toEqual(['token-transfers', { filter: 'from', type: 'ERC-20' }]);
  });

  it('gives the created contract its incoming value and asks with filter=to', async () => {
    const { source, api } = sourceOver(DRAIN);
    const incoming = (await all(source, { address: DRAINER, direction: 'in' })).transfers;
    expect(incoming.map((x) => x.id)).toEqual([`${txh('deploy')}:native`]);
    expect(api.queries.every(([, q]) => q.filter === 'to')).toBe(true);
  });

  it('maps internal transactions to txhash:itx:<index>, skipping errored, zero and delegatecall frames', async () => {
    const { source } = sourceOver(DRAIN);
    const internal = (await all(source, { address: ATTACKER, direction: 'in' })).transfers.filter(
      (x) => x.kind === 'internal',
    );
    expect(internal).toEqual([
      {
        id: `${txh('withdraw')}:itx:2`,
        txid: txh('withdraw'),
        from: DRAINER,
        to: ATTACKER,
        asset: { chain: 'ethereum', symbol: 'ETH', decimals: 18 },
        amount: 3n * ETH,
        time: timeOf(BLOCK0 + 50),
        height: BLOCK0 + 50,
        seq: 5_000_000 + 1 + 2,
        kind: 'internal',
        evidence: [expect.stringMatching(/^[0-9a-f]{64}$/)],
      },
    ]);
    const spawned = (await all(source, { address: DRAINER, direction: 'out' })).transfers.find(
      (x) => x.kind === 'internal',
    )!;
    expect(spawned).toMatchObject({ id: `${txh('spawn')}:itx:1`, to: addr('child'), amount: ETH / 2n });
    expect(spawned.seq).toBeUndefined(); // no transaction_index in that item
  });

  it('maps ERC-20 token transfers with log ids and the token object’s decimals', async () => {
    const { source } = sourceOver(DRAIN);
    const tokens = (await all(source, out)).transfers.filter((x) => x.kind === 'token');
    expect(tokens.map((x) => x.id).sort()).toEqual([201, 202, 203].map((i) => `${txh('split')}:log:${i}`));
    const usdt = tokens.find((x) => x.id.endsWith(':log:201'))!;
    expect(usdt).toMatchObject({ amount: 1_000_000_000n, to: EXCHANGE, seq: 500_201, height: BLOCK0 + 60 });
    expect(usdt.asset).toEqual({ chain: 'ethereum', symbol: 'USDT', decimals: 6, contract: USDT });
    const odd = tokens.find((x) => x.id.endsWith(':log:202'))!;
    expect(odd.asset).toEqual({
      chain: 'ethereum',
      symbol: ODD_TOKEN,
      decimals: 0,
      contract: ODD_TOKEN,
      decimalsKnown: false,
    });
    expect(odd.amount).toBe(50n);
  });

  it('skips items that are not ERC-20 even when the server ignores type=ERC-20', async () => {
    const { source, api } = sourceOver(DRAIN);
    const nft = tt({
      name: 'nft',
      block: BLOCK0 + 62,
      logIndex: 3,
      from: ATTACKER,
      to: MIXER,
      value: 1n,
      token: addr('nft'),
      symbol: 'PUNK',
      decimals: null,
      type: 'ERC-721',
    });
    api.script.push({ body: JSON.stringify({ items: [nft], next_page_params: null }) });
    const page = await source.getTransfers({
      ...out,
      cursor: JSON.stringify({ endpoint: 'token-transfers', params: {} }),
    });
    expect(page).toEqual({ transfers: [] });
  });
});

describe('BlockscoutSource: paging', () => {
  it('passes next_page_params back verbatim and walks every page once', async () => {
    const { source, api } = sourceOver(DRAIN, 2);
    const first = await source.getTransfers(out);
    const cursor = JSON.parse(first.next!) as { endpoint: string; params: Record<string, unknown> };
    // Newest first: mix (BLOCK0+20, position 31) ends the first page of two outgoing transactions after 'withdraw'…
    expect(cursor).toEqual({
      endpoint: 'transactions',
      params: { block_number: BLOCK0 + 30, index: 2, items_count: 2, filter: 'from' },
    });
    await source.getTransfers({ ...out, cursor: first.next! });
    // The second request carries exactly those parameters (filter once, not twice).
    expect(api.queries[1]).toEqual([
      'transactions',
      { filter: 'from', block_number: String(BLOCK0 + 30), index: '2', items_count: '2' },
    ]);
    expect(new URL(api.requests[1]!.url).searchParams.getAll('filter')).toEqual(['from']);

    const paged = (await all(source, out)).transfers;
    const whole = (await all(sourceOver(DRAIN, 50).source, out)).transfers;
    expect(paged.map((x) => x.id).sort()).toEqual(whole.map((x) => x.id).sort());
    expect(new Set(paged.map((x) => x.id)).size).toBe(paged.length);
  });

  it('stops an endpoint once a page reaches back before since', async () => {
    const { source, api } = sourceOver(DRAIN, 2);
    const since = timeOf(BLOCK0 + 25);
    const { transfers } = await all(source, { ...out, since });
    expect(transfers.map((x) => x.id).sort()).toEqual(
      [
        `${txh('withdraw')}:native`,
        `${txh('cashout')}:native`,
        ...[201, 202, 203].map((i) => `${txh('split')}:log:${i}`),
      ].sort(),
    );
    // transactions: page 1 (withdraw, cashout) then page 2 (mix, older than since) ends it; no third page.
    expect(api.queries.filter(([e]) => e === 'transactions')).toHaveLength(2);
  });

  it('never puts a key the server echoes into the cursor', async () => {
    const { source, api } = sourceOver(DRAIN, 2, KEY);
    api.echoKey = true;
    const first = await source.getTransfers(out);
    expect(first.next).not.toContain(KEY);
    expect(JSON.parse(first.next!).params.apikey).toBeUndefined();
    await source.getTransfers({ ...out, cursor: first.next! });
    expect(new URL(api.requests[1]!.url).searchParams.getAll('apikey')).toEqual([KEY]);
  });

  it('refuses a foreign cursor and a server that repeats its paging parameters', async () => {
    const { source, api } = sourceOver(DRAIN);
    for (const cursor of [
      'etherscan:v1:txlist:0:1:0:',
      '{"endpoint":"logs","params":{}}',
      '{"endpoint":"transactions","params":{"a":{}}}',
      '[',
    ]) {
      expect((await errorOf(source.getTransfers({ ...out, cursor }))).code).toBe('INVALID_ARGUMENT');
    }
    expect(api.requests).toHaveLength(0);
    const params = { block_number: BLOCK0, index: 1, items_count: 50 };
    api.script.push({ body: JSON.stringify({ items: [], next_page_params: params }) });
    const loop = await errorOf(
      source.getTransfers({ ...out, cursor: JSON.stringify({ endpoint: 'transactions', params }) }),
    );
    expect(loop.code).toBe('BAD_RESPONSE');
  });
});

describe('BlockscoutSource: errors', () => {
  it('maps 404, 422, 401 and 429 to typed errors', async () => {
    const { source, api } = sourceOver(DRAIN);
    const cases: [number, string, string][] = [
      [404, '{"message":"Not found"}', 'NOT_FOUND'],
      [422, '{"message":"Invalid parameter(s)"}', 'INVALID_ARGUMENT'],
      [401, '{"message":"Unauthorized"}', 'AUTH_FAILED'],
      [429, '{"message":"Too Many Requests"}', 'RATE_LIMITED'],
      [503, '<html>down</html>', 'HTTP_ERROR'],
    ];
    for (const [status, body, code] of cases) {
      api.script.push({ status, body });
      const e = await errorOf(source.getTransfers(out));
      expect(e.code).toBe(code);
      expect(e.details.status).toBe(status);
    }
    api.script.push({ status: 422, body: '{"message":"Invalid parameter(s)"}' });
    expect((await errorOf(source.getTransfers(out))).message).toContain('Invalid parameter(s)');
  });

  it('answers BAD_RESPONSE for HTML, malformed JSON and unexpected shapes', async () => {
    const { source, api } = sourceOver(DRAIN);
    const bodies = [
      '<!DOCTYPE html><html><head><title>Just a moment...</title></head></html>',
      '{"items":[{"hash":',
      JSON.stringify({ items: [{ hash: '0x12' }], next_page_params: null }),
      JSON.stringify({ result: [] }),
      JSON.stringify({
        items: [tx({ name: 'x', block: 1, position: 0, from: VICTIM, to: ATTACKER, value: 1n, withFee: false })].map(
          (i) => ({ ...i, timestamp: 'yesterday' }),
        ),
        next_page_params: null,
      }),
    ];
    for (const body of bodies) {
      api.script.push({ body, contentType: body.startsWith('<') ? 'text/html' : 'application/json' });
      expect((await errorOf(source.getTransfers(out))).code).toBe('BAD_RESPONSE');
    }
  });

  it('rejects a bad checksum with INVALID_ADDRESS before any request', async () => {
    const { source, api } = sourceOver(DRAIN);
    const bad = ATTACKER.replace(/[a-f]/, (c) => c.toUpperCase());
    expect((await errorOf(source.getTransfers({ address: bad, direction: 'out' }))).code).toBe('INVALID_ADDRESS');
    expect(api.requests).toHaveLength(0);
  });

  it('keeps an optional key out of info, errors and cassettes', async () => {
    const api = new FakeBlockscout(DRAIN, 3);
    const cassette = new Cassette();
    const source = new BlockscoutSource({
      baseUrl: `${BASE}/api/v2/`,
      chain: 1,
      apiKey: KEY,
      transport: recording(api, cassette),
    });
    expect(source.info).toEqual({ chain: 'ethereum', kind: 'blockscout', endpoint: BASE });
    const recorded = await all(source, out);
    expect(api.requests.every((r) => r.url.includes(`apikey=${KEY}`))).toBe(true);
    const { cassette: text, manifest } = cassette.serialize();
    expect(text).not.toContain(KEY);
    expect(manifest).not.toContain(KEY);

    api.script.push({ status: 404, body: `{"message":"Not found: ${KEY}"}` });
    const e = await errorOf(source.getTransfers(out));
    expect(JSON.stringify([e.message, e.details])).not.toContain(KEY);

    const offline = new BlockscoutSource({
      baseUrl: BASE,
      chain: 1,
      transport: replaying(Cassette.parse(text, manifest)),
    });
    expect((await all(offline, out)).transfers).toEqual(recorded.transfers);
  });

  it('refuses unknown chains and base URLs with a query', () => {
    const transport = new FakeBlockscout(DRAIN);
    expect(() => new BlockscoutSource({ baseUrl: BASE, chain: 'nope', transport })).toThrow(FundflowError);
    expect(() => new BlockscoutSource({ baseUrl: `${BASE}?apikey=${KEY}`, chain: 1, transport })).toThrow(/query/);
  });
});
