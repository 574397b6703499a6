import { Cassette, http, recording, replaying, type Transfer } from '@fundflow/core';
import { describeChainSourceConformance } from '@fundflow/core/testing';
import { getAddress } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Anvil, hasAnvil, startAnvil } from '../../scripts/anvil';
import { transportJsonRpcProvider } from './ethers-transport';
import { JsonRpcSource, type JsonRpcSourceOptions } from './source';
import { ETH, playScenario, type Scenario } from './testing/scenario';

const live = hasAnvil();
if (!live)
  console.warn('[evm] skipping the live anvil tests: the anvil binary (@foundry-rs/anvil-linux-amd64) is absent');

let anvil: Anvil | undefined;
let sc: Scenario;
let fees: Record<string, bigint> = {};
const cassette = new Cassette();
const T0 = 1_700_000_000;

async function all(source: JsonRpcSource, address: string, direction: 'in' | 'out', extra = {}): Promise<Transfer[]> {
  const out: Transfer[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const page = await source.getTransfers({ address, direction, ...extra, ...(cursor ? { cursor } : {}) });
    out.push(...page.transfers);
    if (!page.next) return out;
    cursor = page.next;
  }
  throw new Error('paging did not end');
}

const sourceOver = (options: Partial<JsonRpcSourceOptions> = {}) =>
  new JsonRpcSource({ url: anvil!.endpoint, chain: 'anvil', transport: http({ retries: 0 }), ...options });

describe.skipIf(!live)('JsonRpcSource against a real anvil', () => {
  beforeAll(async () => {
    anvil = await startAnvil({ timestamp: T0 });
    sc = await playScenario(anvil);
    fees = {};
    for (const [name, hash] of Object.entries(sc.tx)) {
      const r = await anvil.rpc<{ gasUsed: string; effectiveGasPrice: string }>('eth_getTransactionReceipt', [hash]);
      fees[name] = BigInt(r.gasUsed) * BigInt(r.effectiveGasPrice);
    }
    // Record the conformance queries once through a recording transport; the suite below replays them offline.
    const recorder = new JsonRpcSource({
      url: anvil.endpoint,
      chain: 'anvil',
      transport: recording(http({ retries: 0 }), cassette),
      pageSize: 3,
    });
    for (const direction of ['out', 'in'] as const) await all(recorder, getAddress(sc.accounts.a), direction);
  }, 120_000);
  afterAll(async () => {
    await anvil?.stop();
  });

  it('detects what anvil offers: trace_filter history and debug_traceTransaction internals', async () => {
    const source = sourceOver();
    const caps = await source.capabilities();
    expect(caps).toEqual({
      history: 'trace_filter',
      internal: 'debug_trace',
      probed: { trace_filter: true, debug_traceTransaction: true },
    });
    expect(source.info).toEqual({
      chain: 'anvil',
      kind: 'jsonrpc:trace_filter+debug_trace',
      endpoint: anvil!.endpoint,
    });
    const forced = sourceOver({ capabilities: { history: 'ots', internal: 'trace' } });
    expect((await forced.capabilities()).probed).toEqual({});
  });

  const modes: [string, JsonRpcSourceOptions['capabilities']][] = [
    ['trace_filter + debug_trace', { history: 'trace_filter', internal: 'debug_trace' }],
    ['trace_filter + trace_transaction', { history: 'trace_filter', internal: 'trace' }],
    ['ots + debug_trace', { history: 'ots', internal: 'debug_trace' }],
  ];
  for (const [name, capabilities] of modes) {
    for (const pageSize of [100, 2]) {
      it(`finds native, internal and token transfers both ways with exact amounts and fees (${name}, pageSize ${pageSize})`, async () => {
        const source = sourceOver({ capabilities: capabilities!, pageSize });
        const a = getAddress(sc.accounts.a);
        const b = getAddress(sc.accounts.b);
        const c = getAddress(sc.accounts.c);
        const f = getAddress(sc.forwarder);
        const id = (name: string, part = 'native') => `${sc.tx[name]}:${part}`;
        const outA = await all(source, a, 'out');
        const natives = outA.filter((t) => t.kind === 'native');
        // Every transaction A sent carries its fee, including value-0 and reverted ones.
        expect(natives.map((t) => [t.id, t.amount, t.fee])).toEqual(
          expect.arrayContaining([
            [id('native'), ETH, fees.native],
            [id('createForwarder'), ETH / 2n, fees.createForwarder],
            [id('forward'), 2n * ETH, fees.forward],
            [id('tryBoth'), 3n * ETH, fees.tryBoth],
            [id('reverted'), 0n, fees.reverted],
            [id('zeroValue'), 0n, fees.zeroValue],
            [id('destroy'), 0n, fees.destroy],
          ]),
        );
        expect(natives).toHaveLength(12); // the 7 above + deploying Sink and two Tokens, and the two token transfers
        expect(natives.find((t) => t.id === id('createForwarder'))!.to).toBe(f);
        expect(
          outA.filter((t) => t.kind === 'token').map((t) => [t.id, t.to, t.amount, t.asset.symbol, t.asset.decimals]),
        ).toEqual([
          [id('usd', 'log:0'), b, 1_234_567n, 'USDx', 6],
          [id('zeroDec', 'log:0'), b, 5n, 'ZERO', 0],
        ]);
        expect(outA.some((t) => t.kind === 'internal')).toBe(false);

        const inC = await all(source, c, 'in');
        expect(inC.map((t) => [t.id, t.kind, t.from, t.amount])).toEqual([
          [id('forward', 'trace:0'), 'internal', f, 2n * ETH],
          // The 1 wei to the reverting sink (path 0) did not move: the forward is path 1 and 3 ETH - 1 wei.
          [id('tryBoth', 'trace:1'), 'internal', f, 3n * ETH - 1n],
        ]);
        const inB = await all(source, b, 'in');
        expect(inB.map((t) => [t.id, t.kind, t.from, t.amount])).toEqual([
          [id('native'), 'native', a, ETH],
          [id('usd', 'log:0'), 'token', a, 1_234_567n],
          [id('zeroDec', 'log:0'), 'token', a, 5n],
          // anvil 1.7.1's ots_searchTransactionsAfter does not index SELFDESTRUCT beneficiaries: with ots history the
          // self-destruct to B is not found (one reason trace_filter is preferred).
          ...(capabilities?.history === 'ots' ? [] : [[id('destroy', 'trace:0'), 'internal', f, ETH / 2n + 1n]]),
        ]);
        const outF = await all(source, f, 'out');
        expect(outF.map((t) => [t.id, t.to, t.amount])).toEqual([
          [id('forward', 'trace:0'), c, 2n * ETH],
          [id('tryBoth', 'trace:1'), c, 3n * ETH - 1n],
          [id('destroy', 'trace:0'), b, ETH / 2n + 1n],
        ]);
        const inA = await all(source, a, 'in');
        const nometa = inA.find((t) => t.id === id('nometa', 'log:0'))!;
        expect(nometa.amount).toBe(77n);
        expect(nometa.asset).toMatchObject({ decimals: 0, decimalsKnown: false, contract: getAddress(sc.nometa) });
        for (const t of [...outA, ...inA, ...inB, ...inC, ...outF]) {
          expect(t.evidence.length).toBeGreaterThan(0);
          expect(t.time).toBeGreaterThanOrEqual(T0);
        }
      });
    }
  }

  it('maps since/until to the right blocks', async () => {
    const source = sourceOver();
    const a = getAddress(sc.accounts.a);
    const everything = await all(source, a, 'out');
    const times = [...new Set(everything.map((t) => t.time))].sort((x, y) => x - y);
    expect(times.length).toBeGreaterThan(3);
    const since = times[1]!;
    const until = times[times.length - 2]!;
    const window = await all(source, a, 'out', { since, until });
    expect(window.map((t) => t.id)).toEqual(
      everything.filter((t) => t.time >= since && t.time <= until).map((t) => t.id),
    );
  });

  it('serves ethers JsonRpcProvider through the transport', async () => {
    const provider = transportJsonRpcProvider(anvil!.endpoint, http({ retries: 0 }), 31337);
    const receipt = await provider.getTransactionReceipt(sc.tx.native!);
    expect(receipt?.status).toBe(1);
    expect(receipt!.gasUsed * receipt!.gasPrice).toBe(fees.native);
    provider.destroy();
  });

  describeChainSourceConformance('jsonrpc (anvil 1.7.1 scenario, recorded cassette)', {
    create: () => {
      const replayed = Cassette.parse(cassette.serialize().cassette, cassette.serialize().manifest);
      return new JsonRpcSource({ url: anvil!.endpoint, chain: 'anvil', transport: replaying(replayed), pageSize: 3 });
    },
    validAddresses: [
      ['0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266', '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'],
      '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    ],
    invalidAddresses: ['0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92267'.replace('F6F4', 'f6F4'), '0x1234', 'bc1qxyz', ''],
    account: { address: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266' },
  });
});
