import {
  Cassette,
  FundflowError,
  http,
  isFundflowError,
  recording,
  replaying,
  type Transfer,
  type TransferQuery,
} from '@fundflow/core';
import { describe, expect, it } from 'vitest';
import { EtherscanSource, type EtherscanSourceOptions, etherscanRetryIf } from './etherscan-source';
import { type EtherscanLedger, FakeEtherscan, notok, throwing, type WireRow } from './testdata/fake-etherscan';
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
  ROUTER,
  timeOf,
  txh,
  txRow,
  USDT,
  VICTIM,
} from './testdata/ledger';

const KEY = 'K3Y9ZQ7WXYV2ABCDEF1234567890SECRET';

function sourceOver(ledger: EtherscanLedger, extra: Partial<EtherscanSourceOptions> = {}) {
  const api = new FakeEtherscan(ledger);
  const waits: number[] = [];
  const source = new EtherscanSource({
    chain: 'ethereum',
    apiKey: KEY,
    transport: api,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...extra,
  });
  return { api, source, waits };
}

async function all(source: EtherscanSource, query: Omit<TransferQuery, 'cursor'>) {
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

describe('EtherscanSource: mapping', () => {
  it('maps txlist rows to native transfers with fees; errored txs move nothing but pay the fee', async () => {
    const { source, api } = sourceOver(DRAIN);
    const { transfers } = await all(source, { address: ATTACKER, direction: 'out' });
    const t = byId(transfers);

    const mix = t.get(`${txh('mix')}:native`)!;
    expect(mix).toMatchObject({ from: ATTACKER, to: MIXER, amount: 100n * ETH, kind: 'native', height: BLOCK0 + 20 });
    expect(mix.fee).toBe(1_047_215n * 23_000_000_000n);
    expect(mix.time).toBe(timeOf(BLOCK0 + 20));
    expect(mix.seq).toBe(31 * 1_000_000);
    expect(mix.asset).toEqual({ chain: 'ethereum', symbol: 'ETH', decimals: 18 });
    expect(mix.evidence[0]).toMatch(/^[0-9a-f]{64}$/);

    const reverted = t.get(`${txh('reverted')}:native`)!;
    expect(reverted.amount).toBe(0n);
    expect(reverted.fee).toBe(29_877n * 23_000_000_000n);

    // Zero-value calls are 'out' transfers (they carry the fee).
    expect(t.get(`${txh('approve')}:native`)).toMatchObject({ amount: 0n, to: ROUTER });
    // The incoming drain is not an outgoing transfer.
    expect(t.has(`${txh('drain')}:native`)).toBe(false);
    // The three actions were asked in order, with the documented parameters and the key.
    expect(api.queries.map((q) => q.action)).toEqual(['txlist', 'txlistinternal', 'tokentx']);
    expect(api.queries[0]).toEqual({
      chainid: '1',
      module: 'account',
      action: 'txlist',
      address: ATTACKER.toLowerCase(),
      startblock: '0',
      page: '1',
      offset: '1000',
      sort: 'asc',
    });
    expect(new URL(api.requests[0]!.url).searchParams.get('apikey')).toBe(KEY);
  });

  it('maps a contract creation to the created contract, for the creator and the contract', async () => {
    const { source } = sourceOver(DRAIN);
    const out = byId((await all(source, { address: ATTACKER, direction: 'out' })).transfers);
    const deploy = out.get(`${txh('deploy')}:native`)!;
    expect(deploy).toMatchObject({ from: ATTACKER, to: DRAINER, amount: 0n, fee: 512_331n * 23_000_000_000n });
    // The created contract received nothing (value 0): no incoming transfer for it; the reverted call neither.
    const incoming = (await all(source, { address: DRAINER, direction: 'in' })).transfers;
    expect(incoming.map((x) => x.id)).not.toContain(`${txh('deploy')}:native`);
    expect(incoming.map((x) => x.id)).not.toContain(`${txh('reverted')}:native`);
  });

  it('maps a creation with value as an incoming transfer of the created contract', async () => {
    const child = addr('child-with-value');
    const { source } = sourceOver({
      chainId: 1,
      txlist: [
        txRow({
          name: 'create2',
          block: BLOCK0,
          index: 1,
          from: VICTIM,
          to: '',
          contractAddress: child,
          value: 2n * ETH,
        }),
      ],
    });
    const { transfers } = await all(source, { address: child, direction: 'in' });
    expect(transfers).toHaveLength(1);
    expect(transfers[0]).toMatchObject({ id: `${txh('create2')}:native`, from: VICTIM, to: child, amount: 2n * ETH });
  });

  it('maps internal transactions by trace path and skips errored, zero-value and delegatecall frames', async () => {
    const { source } = sourceOver(DRAIN);
    const incoming = (await all(source, { address: ATTACKER, direction: 'in' })).transfers;
    const internal = incoming.filter((x) => x.kind === 'internal');
    expect(internal).toHaveLength(1);
    expect(internal[0]).toMatchObject({
      id: `${txh('withdraw')}:trace:0.1`,
      txid: txh('withdraw'),
      from: DRAINER,
      to: ATTACKER,
      amount: 3n * ETH,
      height: BLOCK0 + 50,
    });
    expect(internal[0]!.fee).toBeUndefined();
    expect(internal[0]!.seq).toBeUndefined();
    // A create frame with `to` "" goes to the created contract.
    const out = (await all(source, { address: DRAINER, direction: 'out' })).transfers;
    expect(byId(out).get(`${txh('spawn')}:trace:0`)).toMatchObject({ to: addr('child'), amount: ETH / 2n });
  });

  it('maps tokentx to token transfers with ids that do not depend on the queried address', async () => {
    const { source } = sourceOver(DRAIN);
    const out = (await all(source, { address: ATTACKER, direction: 'out' })).transfers.filter(
      (x) => x.kind === 'token',
    );
    const split = out.filter((x) => x.txid === txh('split'));
    expect(split).toHaveLength(3);
    expect(new Set(split.map((x) => x.id)).size).toBe(3);
    for (const x of split) expect(x.id).toMatch(new RegExp(`^${txh('split')}:tokentx:[0-9a-f]{16}$`));
    const usdt = split.filter((x) => x.asset.contract === USDT);
    expect(usdt.map((x) => x.amount)).toEqual([1_000_000_000n, 1_000_000_000n]);
    expect(usdt[0]!.asset).toEqual({ chain: 'ethereum', symbol: 'USDT', decimals: 6, contract: USDT });
    expect(usdt.map((x) => x.seq)).toEqual([7_000_000 + 500_000, 7_000_000 + 500_002]);
    const odd = split.find((x) => x.asset.contract === ODD_TOKEN)!;
    expect(odd.asset).toEqual({
      chain: 'ethereum',
      symbol: 'ODD',
      decimals: 0,
      contract: ODD_TOKEN,
      decimalsKnown: false,
    });
    expect(odd.amount).toBe(50n);

    // The exchange sees the same two USDT transfers under the same ids, though it never sees the ODD one.
    const atExchange = (await all(source, { address: EXCHANGE, direction: 'in' })).transfers.filter(
      (x) => x.txid === txh('split'),
    );
    expect(atExchange.map((x) => x.id).sort()).toEqual(usdt.map((x) => x.id).sort());

    // A row with logIndex (Etherscan-compatible servers) gets the JSON-RPC source's id.
    const compat = out.find((x) => x.txid === txh('compat'))!;
    expect(compat.id).toBe(`${txh('compat')}:log:41`);
    expect(compat.seq).toBe(1_000_000 + 500_041);
  });

  it('maps since/until to blocks once (getblocknobytime) and filters by time', async () => {
    const { source, api } = sourceOver(DRAIN);
    const since = timeOf(BLOCK0 + 15) - 5;
    const until = timeOf(BLOCK0 + 45);
    const { transfers } = await all(source, { address: ATTACKER, direction: 'out', since, until });
    expect(transfers.map((x) => x.id).sort()).toEqual(
      [`${txh('mix')}:native`, `${txh('cashout')}:native`, `${txh('approve')}:native`].sort(),
    );
    const lookups = api.queries.filter((q) => q.action === 'getblocknobytime');
    expect(lookups).toEqual([
      { chainid: '1', module: 'block', action: 'getblocknobytime', timestamp: String(since), closest: 'after' },
      { chainid: '1', module: 'block', action: 'getblocknobytime', timestamp: String(until), closest: 'before' },
    ]);
    const accounts = api.queries.filter((q) => q.module === 'account');
    for (const q of accounts) {
      expect(q.startblock).toBe(String(BLOCK0 + 15));
      expect(q.endblock).toBe(String(BLOCK0 + 45));
    }
    // A second run asks no more block lookups (cached), and an empty range asks nothing.
    await all(source, { address: ATTACKER, direction: 'in', since, until });
    expect(api.queries.filter((q) => q.action === 'getblocknobytime')).toHaveLength(2);
  });

  it('falls back to the open range when Etherscan cannot place a timestamp', async () => {
    const { source, api } = sourceOver(DRAIN);
    const since = timeOf(BLOCK0 + 1000); // after the last block the fake knows: "No closest block found"
    const { transfers } = await all(source, { address: ATTACKER, direction: 'out', since });
    expect(transfers).toEqual([]); // nothing that late: the time filter still applies
    const accounts = api.queries.filter((q) => q.module === 'account');
    expect(accounts).toHaveLength(3);
    expect(accounts.every((q) => q.startblock === '0' && q.endblock === undefined)).toBe(true);
  });
});

describe('EtherscanSource: paging', () => {
  /** 1,203 outgoing txs, 3 per block; the 1,000th record sits in the middle of block BLOCK0 + 333. */
  function busy(): EtherscanLedger {
    const txlist: WireRow[] = [];
    for (let i = 0; i < 1203; i++) {
      txlist.push(
        txRow({
          name: `busy-${i}`,
          block: BLOCK0 + Math.floor(i / 3),
          index: i % 3,
          from: ATTACKER,
          to: EXCHANGE,
          value: BigInt(i + 1),
        }),
      );
    }
    return { chainId: 1, txlist };
  }

  it('pages at 1,000 records by block and drops the boundary block from the full page', async () => {
    const { source, api } = sourceOver(busy());
    const first = await source.getTransfers({ address: ATTACKER, direction: 'out' });
    // Records 0..998 are blocks BLOCK0..BLOCK0+332 and block BLOCK0+333 is cut after record 999: it is held back.
    expect(first.transfers).toHaveLength(999);
    expect(Math.max(...first.transfers.map((t) => t.height))).toBe(BLOCK0 + 332);
    expect(first.next).toBeDefined();
    const second = await source.getTransfers({ address: ATTACKER, direction: 'out', cursor: first.next! });
    expect(api.queries[1]).toMatchObject({
      action: 'txlist',
      startblock: String(BLOCK0 + 333),
      page: '1',
      offset: '1000',
    });
    expect(second.transfers).toHaveLength(204);
    expect(second.transfers[0]!.id).toBe(`${txh('busy-999')}:native`);

    const { transfers } = await all(source, { address: ATTACKER, direction: 'out' });
    const ids = transfers.map((t) => t.id);
    expect(new Set(ids).size).toBe(1203);
    expect(transfers.reduce((s, t) => s + t.amount, 0n)).toBe((1203n * 1204n) / 2n);
  });

  it('pages with page=2… while one block holds more than a page', async () => {
    const txlist = [0, 1, 2, 3, 4].map((i) =>
      txRow({ name: `same-${i}`, block: BLOCK0 + 7, index: i, from: ATTACKER, to: EXCHANGE, value: ETH }),
    );
    txlist.push(txRow({ name: 'later', block: BLOCK0 + 8, index: 0, from: ATTACKER, to: EXCHANGE, value: ETH }));
    const { source, api } = sourceOver({ chainId: 1, txlist }, { pageSize: 2 });
    const { transfers } = await all(source, { address: ATTACKER, direction: 'out' });
    expect(transfers.map((t) => t.id)).toEqual([
      ...[0, 1, 2, 3, 4].map((i) => `${txh(`same-${i}`)}:native`),
      `${txh('later')}:native`,
    ]);
    const txlistQueries = api.queries.filter((q) => q.action === 'txlist').map((q) => [q.startblock, q.page]);
    expect(txlistQueries).toEqual([
      ['0', '1'],
      [String(BLOCK0 + 7), '1'],
      [String(BLOCK0 + 7), '2'],
      [String(BLOCK0 + 7), '3'],
      // Page 3 ended in the next block: that block is held back and read from its start.
      [String(BLOCK0 + 8), '1'],
    ]);
  });

  it('refuses a cursor it did not make', async () => {
    const { source, api } = sourceOver(DRAIN);
    for (const cursor of ['12', 'etherscan:v1:txlist:1:0:0:', 'etherscan:v1:logs:1:1:0:', '{"e":"transactions"}']) {
      const e = await errorOf(source.getTransfers({ address: ATTACKER, direction: 'out', cursor }));
      expect(e.code).toBe('INVALID_ARGUMENT');
    }
    expect(api.requests).toHaveLength(0);
  });

  it('rejects answers that do not advance from startblock', async () => {
    const { source, api } = sourceOver(DRAIN);
    api.script.push({
      body: JSON.stringify({
        status: '1',
        message: 'OK',
        result: [txRow({ name: 'old', block: 5, index: 0, from: ATTACKER, to: EXCHANGE, value: 1n })],
      }),
    });
    const cursor = `etherscan:v1:txlist:${BLOCK0}:1:0:`;
    expect((await errorOf(source.getTransfers({ address: ATTACKER, direction: 'out', cursor }))).code).toBe(
      'BAD_RESPONSE',
    );
  });
});

describe('EtherscanSource: errors', () => {
  const out = { address: ATTACKER, direction: 'out' } as const;

  it('retries a per-second rate-limit answer with backoff, then succeeds', async () => {
    const { source, api, waits } = sourceOver(DRAIN);
    api.script.push(
      notok('Max calls per sec rate limit reached (3/sec)'),
      notok('Max rate limit reached, please use API Key for higher rate limit'),
    );
    const page = await source.getTransfers(out);
    expect(page.transfers.length).toBeGreaterThan(0);
    expect(api.requests).toHaveLength(3);
    expect(waits).toEqual([1000, 2000]);
  });

  it('gives up with RATE_LIMITED after the bounded retries', async () => {
    const { source, api, waits } = sourceOver(DRAIN, { rateLimitRetries: 2, backoffMs: 10 });
    for (let i = 0; i < 5; i++) api.script.push(notok('Max calls per sec rate limit reached (3/sec)'));
    const e = await errorOf(source.getTransfers(out));
    expect(e.code).toBe('RATE_LIMITED');
    expect(e.details.attempts).toBe(3);
    expect(api.requests).toHaveLength(3);
    expect(waits).toEqual([10, 20]);
  });

  it('does not retry the daily limit', async () => {
    const { source, api } = sourceOver(DRAIN);
    api.script.push(notok('Max daily rate limit reached. 110000 (100%) of 100000 day/limit'));
    expect((await errorOf(source.getTransfers(out))).code).toBe('RATE_LIMITED');
    expect(api.requests).toHaveLength(1);
  });

  it('maps an invalid key to AUTH_FAILED and a bad chain id to INVALID_ARGUMENT', async () => {
    const { source, api } = sourceOver(DRAIN);
    api.script.push(notok('Invalid API Key (#err2)|v2'));
    const auth = await errorOf(source.getTransfers(out));
    expect(auth.code).toBe('AUTH_FAILED');
    expect(JSON.stringify([auth.message, auth.details])).not.toContain(KEY);

    const sepolia = sourceOver(DRAIN, { chain: 'sepolia' }); // the fake serves chain 1 only
    const chain = await errorOf(sepolia.source.getTransfers(out));
    expect(chain.code).toBe('INVALID_ARGUMENT');
    expect(chain.details.chainId).toBe(11155111);
  });

  it('maps any other NOTOK to BAD_RESPONSE naming the action, never the key', async () => {
    const { source, api } = sourceOver(DRAIN);
    api.script.push(notok(`Query Timeout occured. Please select a smaller result dataset (apikey=${KEY})`));
    const e = await errorOf(source.getTransfers(out));
    expect(e.code).toBe('BAD_RESPONSE');
    expect(e.message).toContain('txlist');
    expect(JSON.stringify([e.message, e.details])).not.toContain(KEY);
    expect(String(e.details.url)).toContain('apikey=***');
  });

  it('answers BAD_RESPONSE for an HTML body and for rows of the wrong shape', async () => {
    const { source, api } = sourceOver(DRAIN);
    api.script.push({ body: '<!DOCTYPE html><html><body>502 Bad Gateway</body></html>', contentType: 'text/html' });
    const html = await errorOf(source.getTransfers(out));
    expect(html.code).toBe('BAD_RESPONSE');
    expect(html.message).toContain('not JSON');

    api.script.push({ body: JSON.stringify({ status: '1', message: 'OK', result: [{ blockNumber: 'x' }] }) });
    expect((await errorOf(source.getTransfers(out))).code).toBe('BAD_RESPONSE');
  });

  it('rejects a bad checksum with INVALID_ADDRESS before any request', async () => {
    const { source, api } = sourceOver(DRAIN);
    const bad =
      ATTACKER.slice(0, 2) +
      [...ATTACKER.slice(2)]
        .map((c) => (/[a-f]/.test(c) ? c.toUpperCase() : /[A-F]/.test(c) ? c.toLowerCase() : c))
        .join('');
    expect(bad).not.toBe(ATTACKER);
    expect((await errorOf(source.getTransfers({ address: bad, direction: 'out' }))).code).toBe('INVALID_ADDRESS');
    expect((await errorOf(source.getTransfers({ address: 'ATTACKER', direction: 'in' }))).code).toBe('INVALID_ADDRESS');
    expect(api.requests).toHaveLength(0);
  });

  it('refuses unknown chains and bad options', () => {
    const transport = new FakeEtherscan(DRAIN);
    expect(() => new EtherscanSource({ chain: 'dogechain', transport })).toThrow(FundflowError);
    expect(() => new EtherscanSource({ chain: 1, transport, pageSize: 1001 })).toThrow(/pageSize/);
    expect(
      () => new EtherscanSource({ chain: 1, transport, baseUrl: `https://api.etherscan.io/v2/api?apikey=${KEY}` }),
    ).toThrow(/query/);
  });
});

describe('EtherscanSource: the key stays secret', () => {
  it('keeps the key out of info, recorded cassettes and replays', async () => {
    const api = new FakeEtherscan(DRAIN);
    const cassette = new Cassette();
    const live = new EtherscanSource({ chain: 1, apiKey: KEY, transport: recording(api, cassette) });
    expect(JSON.stringify(live.info)).not.toContain(KEY);
    expect(live.info).toEqual({
      chain: 'ethereum',
      kind: 'etherscan',
      endpoint: 'https://api.etherscan.io/v2/api?chainid=1',
    });
    const recorded = await all(live, { address: ATTACKER, direction: 'out' });
    expect(api.requests.every((r) => r.url.includes(`apikey=${KEY}`))).toBe(true);

    const { cassette: text, manifest } = cassette.serialize();
    expect(cassette.size).toBe(3);
    expect(text).not.toContain(KEY);
    expect(manifest).not.toContain(KEY);
    expect(text).toContain('apikey=***');

    // The cassette replays without any key, to the same transfers and evidence.
    const offline = new EtherscanSource({ chain: 1, transport: replaying(Cassette.parse(text, manifest)) });
    const replayed = await all(offline, { address: ATTACKER, direction: 'out' });
    expect(replayed.transfers).toEqual(recorded.transfers);
  });

  it('scrubs the key from errors a transport raises', async () => {
    const leaky = new FundflowError('NETWORK_ERROR', `GET https://proxy.example/v2/api?key2=${KEY} failed`, {
      details: { url: `https://proxy.example/v2/api?key2=${KEY}` },
    });
    const source = new EtherscanSource({ chain: 1, apiKey: KEY, transport: throwing(leaky) });
    const e = await errorOf(source.getTransfers({ address: ATTACKER, direction: 'out' }));
    expect(e.code).toBe('NETWORK_ERROR');
    expect(JSON.stringify([e.message, e.details, e.cause ?? null])).not.toContain(KEY);
  });

  it('lets core http retry rate-limit answers through etherscanRetryIf', async () => {
    const api = new FakeEtherscan(DRAIN);
    api.script.push(notok('Max calls per sec rate limit reached (3/sec)'));
    const fetch = async (input: string | URL | Request) => {
      const res = await api.request({ method: 'GET', url: String(input) });
      return new Response(res.body, { status: res.status, headers: res.headers });
    };
    const transport = http({
      retryIf: etherscanRetryIf,
      backoff: { baseMs: 1 },
      fetch: fetch as typeof globalThis.fetch,
    });
    const source = new EtherscanSource({ chain: 1, apiKey: KEY, transport, rateLimitRetries: 0 });
    const page = await source.getTransfers({ address: ATTACKER, direction: 'out' });
    expect(page.transfers.length).toBeGreaterThan(0);
    expect(transport.stats().rateLimited).toBe(1);
    expect(
      etherscanRetryIf({
        status: 200,
        headers: {},
        body: '',
        sha256: '',
        json: { status: '0', message: 'NOTOK', result: 'Max daily rate limit reached' },
      }),
    ).toBeUndefined();
  });
});

// The token ids do not depend on row order across the tx's *other* rows: same transfers, one unrelated row removed.
it('EtherscanSource: token ids survive rows another address does not see', async () => {
  const rows = DRAIN.tokentx!.filter((r) => r.tokenSymbol !== 'ODD');
  const a = byId((await all(sourceOver(DRAIN).source, { address: ATTACKER, direction: 'out' })).transfers);
  const b = (await all(sourceOver({ ...DRAIN, tokentx: rows }).source, { address: ATTACKER, direction: 'out' }))
    .transfers;
  for (const t of b.filter((x) => x.kind === 'token')) expect(a.get(t.id)?.amount).toBe(t.amount);
});
