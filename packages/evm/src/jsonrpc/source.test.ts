import { type FundflowErrorCode, isFundflowError, type Transfer } from '@fundflow/core';
import { getAddress } from 'ethers';
import { describe, expect, it } from 'vitest';
import { DECIMALS_SELECTOR, SYMBOL_SELECTOR } from '../decode/abi';
import { JsonRpcSource, type JsonRpcSourceOptions } from './source';
import { erc20Log, type FakeChainSpec, type FakeTx, fakeChain, topicOf, txHash, word } from './testing/fake-chain';
import { FakeNode, hex, RawAnswer, RpcFail } from './testing/fake-node';

// EIP-55 test vectors as actors; contracts are made-up addresses.
const A = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
const B = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';
const C = '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB';
const CONTRACT = getAddress(`0x${'11'.repeat(20)}`);
const USD6 = getAddress(`0x${'66'.repeat(20)}`);
const ZERO0 = getAddress(`0x${'00'.repeat(19)}10`);
const NOMETA = getAddress(`0x${'77'.repeat(20)}`);
const NFT = getAddress(`0x${'88'.repeat(20)}`);
const ETH = 10n ** 18n;
const GWEI = 10n ** 9n;
const URL_ = 'http://node.test:8545';

const abiString = (s: string) =>
  `0x${word(32n).slice(2)}${word(BigInt(s.length)).slice(2)}${Buffer.from(s).toString('hex').padEnd(64, '0')}`;

function scenario(): FakeChainSpec {
  const t1: FakeTx = {
    hash: txHash(1),
    block: 1,
    index: 0,
    from: A,
    to: B,
    value: 5n * ETH,
    gasUsed: 21000n,
    price: 10n * GWEI,
  };
  const t2: FakeTx = {
    hash: txHash(2),
    block: 2,
    index: 0,
    from: A,
    to: null,
    created: CONTRACT,
    value: ETH,
    gasUsed: 100_000n,
    price: 12n * GWEI,
  };
  const t3: FakeTx = {
    hash: txHash(3),
    block: 3,
    index: 1,
    from: A,
    to: CONTRACT,
    value: 2n * ETH,
    gasUsed: 30_000n,
    price: 11n * GWEI,
    status: 0,
    calls: [{ type: 'CALL', from: CONTRACT, to: B, value: hex(ETH), error: 'execution reverted' }],
  };
  // B pokes the contract: it tries to pay C (fails, and so does the child below it), then self-destructs to A.
  const t4: FakeTx = {
    hash: txHash(4),
    block: 4,
    index: 2,
    from: B,
    to: CONTRACT,
    value: 0n,
    gasUsed: 50_000n,
    price: 9n * GWEI,
    calls: [
      {
        type: 'CALL',
        from: CONTRACT,
        to: C,
        value: hex(7n),
        error: 'execution reverted',
        calls: [{ type: 'CALL', from: C, to: A, value: hex(3n) }],
      },
      { type: 'STATICCALL', from: CONTRACT, to: B },
      { type: 'SELFDESTRUCT', from: CONTRACT, to: A, value: hex(ETH) },
    ],
  };
  const t5: FakeTx = {
    hash: txHash(5),
    block: 5,
    index: 0,
    from: A,
    to: USD6,
    value: 0n,
    gasUsed: 40_000n,
    price: 10n * GWEI,
  };
  const t6: FakeTx = {
    hash: txHash(6),
    block: 6,
    index: 3,
    from: B,
    to: ZERO0,
    value: 0n,
    gasUsed: 40_000n,
    price: 10n * GWEI,
  };
  const nft = erc20Log(t5, 2, NFT, A, B, 1n);
  nft.topics.push(topicOf(`0x${'00'.repeat(19)}2a`));
  return {
    head: 10,
    time: (n) => 1_600_000_000 + n * 12,
    txs: [t1, t2, t3, t4, t5, t6],
    logs: [
      erc20Log(t5, 0, USD6, A, B, 1_500_000n),
      { ...nft, data: '0x' },
      erc20Log(t6, 4, ZERO0, B, A, 3n),
      erc20Log(t6, 5, NOMETA, C, A, 9n),
      erc20Log(t6, 6, USD6, C, A, 0n), // zero-amount "poisoning" transfer
    ],
    calls: {
      [`${USD6.toLowerCase()}:${DECIMALS_SELECTOR}`]: word(6n),
      [`${USD6.toLowerCase()}:${SYMBOL_SELECTOR}`]: abiString('USDx'),
      [`${ZERO0.toLowerCase()}:${DECIMALS_SELECTOR}`]: word(0n),
      [`${ZERO0.toLowerCase()}:${SYMBOL_SELECTOR}`]: `0x${Buffer.from('ZRO').toString('hex').padEnd(64, '0')}`,
      // NOMETA: decimals() reverts (no entry), symbol() answers nothing.
      [`${NOMETA.toLowerCase()}:${SYMBOL_SELECTOR}`]: '0x',
    },
  };
}

function make(
  spec: FakeChainSpec = scenario(),
  options: Partial<JsonRpcSourceOptions> = {},
  handlers: Record<string, (p: unknown[]) => unknown> = {},
) {
  const node = new FakeNode({ ...fakeChain(spec), ...handlers });
  const source = new JsonRpcSource({ url: URL_, chain: 'ethereum', transport: node, ...options });
  return { node, source };
}

async function all(source: JsonRpcSource, address: string, direction: 'in' | 'out', extra = {}): Promise<Transfer[]> {
  const out: Transfer[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    const page = await source.getTransfers({ address, direction, ...extra, ...(cursor ? { cursor } : {}) });
    out.push(...page.transfers);
    if (!page.next) return out;
    cursor = page.next;
  }
  throw new Error('paging did not end');
}

async function codeOf(
  p: Promise<unknown>,
): Promise<{ code: FundflowErrorCode; error: Error & { details: Record<string, unknown> } }> {
  try {
    await p;
  } catch (e) {
    if (isFundflowError(e)) return { code: e.code, error: e };
    throw e;
  }
  throw new Error('expected a FundflowError');
}

const brief = (t: Transfer) => ({ id: t.id, kind: t.kind, from: t.from, to: t.to, amount: t.amount, fee: t.fee });

describe('JsonRpcSource over a fake node', () => {
  it('rejects a bad checksum with INVALID_ADDRESS before any request', async () => {
    const { node, source } = make();
    const bad = A.replace('aAeb', 'AAeb');
    expect((await codeOf(source.getTransfers({ address: bad, direction: 'out' }))).code).toBe('INVALID_ADDRESS');
    expect((await codeOf(source.getTransfers({ address: '0x1234', direction: 'out' }))).code).toBe('INVALID_ADDRESS');
    expect(node.calls).toHaveLength(0);
    expect(source.normalizeAddress(A.toLowerCase())).toBe(A);
  });

  it("finds A's outgoing transfers: value, creation, reverted tx with its fee, token; ids, seq, times, evidence", async () => {
    const { node, source } = make();
    const out = await all(source, A, 'out');
    expect(out.map(brief)).toEqual([
      { id: `${txHash(1)}:native`, kind: 'native', from: A, to: B, amount: 5n * ETH, fee: 21000n * 10n * GWEI },
      // Contract creation: `to` is the created contract.
      { id: `${txHash(2)}:native`, kind: 'native', from: A, to: CONTRACT, amount: ETH, fee: 100_000n * 12n * GWEI },
      // Reverted: no value moved, the fee did; its internal call moved nothing either.
      { id: `${txHash(3)}:native`, kind: 'native', from: A, to: CONTRACT, amount: 0n, fee: 30_000n * 11n * GWEI },
      { id: `${txHash(5)}:native`, kind: 'native', from: A, to: USD6, amount: 0n, fee: 40_000n * 10n * GWEI },
      { id: `${txHash(5)}:log:0`, kind: 'token', from: A, to: B, amount: 1_500_000n, fee: undefined },
    ]);
    const token = out.find((t) => t.kind === 'token')!;
    expect(token.asset).toEqual({ chain: 'ethereum', symbol: 'USDx', decimals: 6, contract: USD6 });
    expect(token.seq).toBe(500_000);
    const reverted = out[2]!;
    expect(reverted.seq).toBe(1_000_000);
    expect(reverted.time).toBe(1_600_000_000 + 3 * 12);
    expect(reverted.height).toBe(3);
    for (const t of out) for (const e of t.evidence) expect(e).toMatch(/^[0-9a-f]{64}$/);
    // A reverted transaction's trace is never read; neither is one whose only match is the root call.
    expect(node.count('debug_traceTransaction')).toBe(1); // the capability probe
    expect(source.info.kind).toBe('jsonrpc:trace_filter+debug_trace');
  });

  it('finds incoming: self-destruct and value, skips failed frames, reverted value, 0-value, NFT and 0-amount logs', async () => {
    const { source } = make();
    const inA = await all(source, A, 'in');
    expect(inA.map(brief)).toEqual([
      { id: `${txHash(4)}:trace:2`, kind: 'internal', from: CONTRACT, to: A, amount: ETH, fee: undefined },
      { id: `${txHash(6)}:log:4`, kind: 'token', from: B, to: A, amount: 3n, fee: undefined },
      { id: `${txHash(6)}:log:5`, kind: 'token', from: C, to: A, amount: 9n, fee: undefined },
    ]);
    expect(inA[0]!.seq).toBe(2 * 1_000_000 + 1);
    expect(inA[1]!.asset).toEqual({ chain: 'ethereum', symbol: 'ZRO', decimals: 0, contract: ZERO0 });
    expect(inA[2]!.asset).toEqual({
      chain: 'ethereum',
      symbol: `${NOMETA.slice(0, 6)}…${NOMETA.slice(-4)}`,
      decimals: 0,
      contract: NOMETA,
      decimalsKnown: false,
    });
    const inB = await all(source, B, 'in');
    // t3's reverted internal call to B and the 4-topic NFT log do not count.
    expect(inB.map((t) => t.id)).toEqual([`${txHash(1)}:native`, `${txHash(5)}:log:0`]);
    const inC = await all(source, C, 'in');
    expect(inC).toEqual([]);
    const outContract = await all(source, CONTRACT, 'out');
    expect(outContract.map((t) => t.id)).toEqual([`${txHash(4)}:trace:2`]);
    const inContract = await all(source, CONTRACT, 'in');
    expect(inContract.map((t) => [t.id, t.amount])).toEqual([[`${txHash(2)}:native`, ETH]]);
  });

  it('reads the same transfers with trace_transaction as with debug_traceTransaction', async () => {
    const a = make(
      scenario(),
      {},
      {
        debug_traceTransaction: () => {
          throw new RpcFail(-32601, 'the method debug_traceTransaction does not exist/is not available');
        },
      },
    );
    const viaTrace = await all(a.source, A, 'in');
    expect((await a.source.capabilities()).internal).toBe('trace');
    const b = make();
    const viaDebug = await all(b.source, A, 'in');
    expect(viaTrace.map(brief)).toEqual(viaDebug.map(brief));
  });

  it('reads token metadata once per token', async () => {
    const { node, source } = make();
    await all(source, A, 'in');
    await all(source, A, 'out');
    expect(node.calls.filter((c) => c.method === 'eth_call').length).toBe(6);
  });

  it('pages with small trace_filter pages and an opaque cursor, without repeats', async () => {
    const { source } = make(scenario(), { pageSize: 1 });
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const p = await source.getTransfers({ address: A, direction: 'out', ...(cursor ? { cursor } : {}) });
      ids.push(...p.transfers.map((t) => t.id));
      pages++;
      if (!p.next) break;
      cursor = p.next;
    }
    expect(pages).toBeGreaterThan(2);
    expect(new Set(ids).size).toBe(ids.length);
    const whole = await all(make().source, A, 'out');
    expect(ids).toEqual(whole.map((t) => t.id));
    expect((await codeOf(source.getTransfers({ address: A, direction: 'out', cursor: 'page-2' }))).code).toBe(
      'INVALID_ARGUMENT',
    );
  });

  it('maps since/until to blocks by block timestamps', async () => {
    const { node, source } = make();
    const out = await all(source, A, 'out', { since: 1_600_000_000 + 2 * 12, until: 1_600_000_000 + 3 * 12 + 5 });
    expect(out.map((t) => t.height)).toEqual([2, 3]);
    const filter = node.calls.find(
      (c) => c.method === 'trace_filter' && (c.params[0] as { count?: number }).count !== 1,
    );
    expect(filter?.params[0]).toMatchObject({ fromBlock: '0x2', toBlock: '0x3', fromAddress: [A] });
    const logs = node.calls.find((c) => c.method === 'eth_getLogs');
    expect(logs?.params[0]).toMatchObject({ fromBlock: '0x2', toBlock: '0x3' });
    expect(await all(source, A, 'out', { since: 1_700_000_000 })).toEqual([]);
  });

  it('marks answers for final blocks immutable and recent ones not', async () => {
    const { node, source } = make(scenario(), { finality: 7 });
    await all(source, A, 'out');
    const receipts = node.calls.filter((c) => c.method === 'eth_getTransactionReceipt');
    expect(receipts.find((c) => c.params[0] === txHash(1))?.immutable).toBe(true);
    expect(receipts.find((c) => c.params[0] === txHash(5))?.immutable).toBe(false);
    expect(node.calls.find((c) => c.method === 'eth_blockNumber')?.immutable).toBe(false);
  });

  it('throws UNSUPPORTED naming the capability for a node without trace APIs', async () => {
    const noTraces = new FakeNode({ ...fakeChain(scenario()) });
    delete noTraces.handlers.debug_traceTransaction;
    delete noTraces.handlers.trace_transaction;
    const s1 = new JsonRpcSource({ url: URL_, chain: 'ethereum', transport: noTraces });
    const e1 = await codeOf(s1.getTransfers({ address: A, direction: 'out' }));
    expect(e1.code).toBe('UNSUPPORTED');
    expect(e1.error.details.capability).toBe('internal');
    expect(e1.error.message).toMatch(/debug_traceTransaction/);
    const noHistory = new FakeNode({ ...fakeChain(scenario()) });
    delete noHistory.handlers.trace_filter;
    const s2 = new JsonRpcSource({ url: URL_, chain: 'ethereum', transport: noHistory });
    const e2 = await codeOf(s2.capabilities());
    expect(e2.code).toBe('UNSUPPORTED');
    expect(e2.error.details.capability).toBe('history');
    expect(e2.error.details.probed).toEqual({ trace_filter: false, ots_getApiLevel: false });
  });

  it('answers BAD_RESPONSE for HTML, non-JSON-RPC JSON and malformed receipts', async () => {
    const html = make(
      scenario(),
      {},
      {
        eth_blockNumber: () => {
          throw new RawAnswer(200, '<html><body>Cloudflare</body></html>');
        },
      },
    );
    expect((await codeOf(html.source.getTransfers({ address: A, direction: 'out' }))).code).toBe('BAD_RESPONSE');
    const notRpc = make(
      scenario(),
      {},
      {
        eth_blockNumber: () => {
          throw new RawAnswer(200, '{"hello":"world"}', 'application/json');
        },
      },
    );
    expect((await codeOf(notRpc.source.getTransfers({ address: A, direction: 'out' }))).code).toBe('BAD_RESPONSE');
    const badReceipt = make(scenario(), {}, { eth_getTransactionReceipt: () => ({ transactionHash: 'nope' }) });
    const e = await codeOf(badReceipt.source.getTransfers({ address: A, direction: 'out' }));
    expect(e.code).toBe('BAD_RESPONSE');
    expect(e.error.message).toMatch(/eth_getTransactionReceipt/);
    const noTo = make(
      scenario(),
      {},
      {
        eth_getTransactionReceipt: () => ({
          transactionHash: txHash(2),
          transactionIndex: '0x0',
          blockNumber: '0x2',
          gasUsed: '0x1',
          effectiveGasPrice: '0x1',
          status: '0x1',
          logs: [],
          contractAddress: null,
        }),
      },
    );
    expect((await codeOf(all(noTo.source, A, 'out'))).code).toBe('BAD_RESPONSE');
  });

  it('keeps an API key in the URL out of info, messages and details', async () => {
    const key = '9aa3d95b3bc440fa88ea12eaa4456161';
    const node = new FakeNode({
      eth_blockNumber: () => {
        throw new RpcFail(-32000, `project ID ${key} over capacity at https://mainnet.infura.io/v3/${key}`);
      },
      trace_filter: () => [],
      debug_traceTransaction: () => null,
    });
    const source = new JsonRpcSource({ url: `https://mainnet.infura.io/v3/${key}`, chain: 1, transport: node });
    expect(source.info.endpoint).toBe('https://mainnet.infura.io/v3/***');
    const e = await codeOf(source.getTransfers({ address: A, direction: 'out' }));
    expect(e.code).toBe('BAD_RESPONSE');
    expect(e.error.message).not.toContain(key);
    expect(JSON.stringify(e.error.details)).not.toContain(key);
    const q = new JsonRpcSource({ url: `https://x.test/rpc?apikey=${key}`, chain: 1, transport: node });
    expect(q.info.endpoint).not.toContain(key);
  });

  it('rejects bad options', () => {
    const node = new FakeNode();
    expect(() => new JsonRpcSource({ url: URL_, chain: 'nochain', transport: node })).toThrow(/unknown EVM chain/);
    expect(() => new JsonRpcSource({ url: 'ftp://x', chain: 1, transport: node })).toThrow(/http/);
    expect(() => new JsonRpcSource({ url: URL_, chain: 1, transport: node, pageSize: 0 })).toThrow(/pageSize/);
  });
});

describe('eth_getLogs bisection inside getTransfers', () => {
  // Each provider's real refusal text; the fake refuses ranges wider than 2 blocks.
  const refusals: [string, (from: number, to: number) => RpcFail][] = [
    ['geth', () => new RpcFail(-32005, 'query returned more than 10000 results')],
    [
      'infura (suggested range)',
      (from, to) =>
        new RpcFail(
          -32005,
          `query returned more than 10000 results. Try with this block range [${hex(from)}, ${hex(Math.min(to - 1, from + 1))}].`,
        ),
    ],
    [
      'alchemy (suggested range)',
      (from, to) =>
        new RpcFail(
          -32602,
          `Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters, this block range should work: [${hex(from)}, ${hex(Math.min(to - 1, from + 1))}]`,
        ),
    ],
    ['block range too large', () => new RpcFail(-32000, 'block range too large')],
    ['max range', () => new RpcFail(-32000, 'exceed maximum block range: 2')],
    ['quicknode', () => new RpcFail(-32614, 'eth_getLogs is limited to a 10,000 range')],
  ];
  for (const [name, refusal] of refusals) {
    it(`splits the range on "${name}" and still finds every log`, async () => {
      const spec = scenario();
      spec.refuseLogs = (from, to) => (to - from + 1 > 2 ? refusal(from, to) : undefined);
      const { node, source } = make(spec);
      const inA = await all(source, A, 'in');
      expect(inA.filter((t) => t.kind === 'token').map((t) => t.id)).toEqual([
        `${txHash(6)}:log:4`,
        `${txHash(6)}:log:5`,
      ]);
      const ranges = node.calls
        .filter((c) => c.method === 'eth_getLogs')
        .map((c) => c.params[0] as { fromBlock: string; toBlock: string });
      expect(ranges.length).toBeGreaterThan(3);
      if (name.includes('suggested')) {
        // The suggestion is taken: the second request is the suggested [0x0, 0x1].
        expect(ranges[1]).toMatchObject({ fromBlock: '0x0', toBlock: '0x1' });
      }
    });
  }

  it('gives up with BAD_RESPONSE when even one block is refused, and passes other errors through', async () => {
    const spec = scenario();
    spec.refuseLogs = () => new RpcFail(-32005, 'query returned more than 10000 results');
    expect((await codeOf(all(make(spec).source, A, 'in'))).code).toBe('BAD_RESPONSE');
    const other = scenario();
    other.refuseLogs = () => new RpcFail(-32602, 'invalid argument 0: hex string without 0x prefix');
    const { node, source } = make(other);
    expect((await codeOf(all(source, A, 'in'))).code).toBe('INVALID_ARGUMENT');
    expect(node.count('eth_getLogs')).toBe(1);
  });
});
