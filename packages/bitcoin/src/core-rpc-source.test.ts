import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Cassette,
  DEFAULT_STOP_CATEGORIES,
  http,
  isFundflowError,
  LabelRegistry,
  parseCaseFile,
  parseCsvPack,
  replaying,
  type Transport,
  traceForward,
} from '@fundflow/core';
import { freePortForTest, loadCassette } from '@fundflow/core/node';
import { describeChainSourceConformance } from '@fundflow/core/testing';
import { describe, expect, it } from 'vitest';
import { CoreRpcSource } from './core-rpc-source';
import { SqliteSpendIndex } from './spend-index';

// The real-node fixture: litecoind 0.21 -regtest answers recorded by packages/bitcoin/scripts/ltc-regtest-scenario.ts.
const CASE = fileURLToPath(new URL('../../../fixtures/ltc-regtest-exchange-drain/', import.meta.url));
const caseFile = parseCaseFile(readFileSync(join(CASE, 'case.json'), 'utf8'));
const probes = JSON.parse(readFileSync(join(CASE, 'probes.json'), 'utf8')) as {
  coinbaseTxid: string;
  unconfirmedTxid: string;
  opReturnTxid: string;
  missingTxid: string;
  hotAddress: string;
};
let cassette: Cassette | undefined;
const loaded = async () => {
  cassette ??= await loadCassette(join(CASE, caseFile.cassette));
  return cassette;
};

/** Counts the RPC methods a source sends through it. */
function counting(inner: Transport): Transport & { methods: string[] } {
  const methods: string[] = [];
  return {
    methods,
    request(request, signal) {
      for (const call of JSON.parse(request.body ?? '[]')) methods.push(call.method);
      return inner.request(request, signal);
    },
    stats: () => inner.stats(),
  };
}

async function fixtureSource(options: { index?: SqliteSpendIndex; transport?: Transport } = {}) {
  return new CoreRpcSource({
    endpoint: caseFile.source.endpoint,
    network: 'litecoin-regtest',
    transport: options.transport ?? replaying(await loaded()),
    ...(options.index ? { spendIndex: options.index } : {}),
  });
}

describeChainSourceConformance('bitcoin-rpc (litecoind regtest fixture)', {
  create: () => fixtureSource(),
  validAddresses: [
    probes.hotAddress,
    [probes.hotAddress.toUpperCase(), probes.hotAddress],
    'mz8G1HNcQJi4LMzd1eJvFYnh93nMw7YenA',
    // The legacy P2SH form (0xc4) of a deposit address of the case, converted by hand (Python base58check).
    ['2Mv4sByyKVQVMhtvrQ1fxkutXq4hcT7k3Do', 'QPRdJzqZWWYSr5gu27hyqcKxyT9SK4VPcY'],
  ],
  invalidAddresses: [
    'ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9',
    'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080',
    'LW98ceYNxYki9e9QxDACLn82TtVEPm4qmy',
    'not-an-address',
  ],
  utxo: { txid: probes.opReturnTxid, missingTxid: probes.missingTxid, historyAddress: probes.hotAddress },
});

describe('CoreRpcSource on recorded litecoind answers', () => {
  it('names itself without credentials, whatever the endpoint carried', () => {
    const source = new CoreRpcSource({
      endpoint: 'http://fundflow:s3cretpassw0rd@127.0.0.1:19443/',
      network: 'litecoin-regtest',
      transport: replaying(cassette!),
    });
    expect(source.info).toEqual({
      chain: 'litecoin',
      kind: 'bitcoin-rpc',
      endpoint: 'http://127.0.0.1:19443',
      network: 'litecoin-regtest',
    });
  });

  it('rejects an address of another network before any request', async () => {
    const transport = counting(replaying(await loaded()));
    const source = await fixtureSource({ transport });
    for (const address of [
      'ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9',
      'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
    ]) {
      const error = await source.getAddressHistory(address).catch((e: unknown) => e);
      expect(isFundflowError(error, 'INVALID_ADDRESS'), address).toBe(true);
    }
    expect(transport.methods).toEqual([]);
  });

  it('decodes a coinbase: one coinbase input carrying the outputs, and the witness commitment without an address', async () => {
    const source = await fixtureSource();
    const tx = await source.getTransaction(probes.coinbaseTxid);
    expect(tx.confirmed).toBe(true);
    expect(tx.inputs).toHaveLength(1);
    expect(tx.inputs[0]!.coinbase).toBe(true);
    expect(tx.inputs[0]!.outpoint).toBeUndefined();
    expect(tx.inputs[0]!.value).toBe(tx.outputs.reduce((s, o) => s + o.value, 0n));
    expect(tx.fee).toBe(0n);
    const commitment = tx.outputs.find((o) => o.scriptType === 'op_return');
    expect(commitment?.hasAddress).toBe(false);
    expect(commitment?.address).toMatch(/^script:op_return:[0-9a-f]{32}$/);
    expect(commitment?.value).toBe(0n);
  });

  it('gives an OP_RETURN output a script id and keeps the fee exact', async () => {
    const source = await fixtureSource();
    const tx = await source.getTransaction(probes.opReturnTxid);
    const data = tx.outputs[1]!;
    expect(data).toMatchObject({ vout: 1, value: 0n, hasAddress: false, scriptType: 'op_return' });
    expect(data.address).toMatch(/^script:op_return:/);
    expect(tx.outputs[0]!.hasAddress).toBe(true);
    const sumIn = tx.inputs.reduce((s, i) => s + i.value, 0n);
    expect(tx.fee).toBe(sumIn - tx.outputs.reduce((s, o) => s + o.value, 0n));
    expect(tx.fee).toBe(10_000n + 1_500n + 3n * 500n); // the scenario's fee for 1 input, 3 outputs
  });

  it('reports a mempool transaction as unconfirmed (height -1, time 0) with unspent outputs', async () => {
    const source = await fixtureSource();
    const tx = await source.getTransaction(probes.unconfirmedTxid);
    expect(tx).toMatchObject({ confirmed: false, height: -1, time: 0 });
    expect(tx.inputs.every((i) => !i.coinbase && i.value > 0n)).toBe(true);
    const spends = await source.getOutspends(probes.unconfirmedTxid);
    expect(spends).toEqual(tx.outputs.map(() => ({ spent: false })));
  });

  it('answers NOT_FOUND for a transaction the node does not have, with the node’s message', async () => {
    const source = await fixtureSource();
    const error = await source.getTransaction(probes.missingTxid).catch((e: unknown) => e);
    expect(isFundflowError(error, 'NOT_FOUND')).toBe(true);
    expect((error as Error).message).toContain('No such mempool or blockchain transaction');
  });

  it('scans once: a second trace over the same range with a persisted index makes no scan requests', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ff-spend-index-')), 'index.sqlite');
    const labels = new LabelRegistry();
    labels.addPack(parseCsvPack(readFileSync(join(CASE, 'labels.csv'), 'utf8')));
    const params = {
      seeds: caseFile.trace.seeds,
      since: caseFile.trace.since!,
      until: caseFile.trace.until!,
      policies: ['fifo' as const],
      stop: { maxHops: 200, minAmount: 0n, fanOutCap: 1000, stopCategories: DEFAULT_STOP_CATEGORIES },
    };
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const transport = counting(replaying(await loaded()));
      const index = await SqliteSpendIndex.open({ path });
      const source = await fixtureSource({ index, transport });
      const trace = await traceForward({ source, labels, params });
      index.close();
      runs.push({ trace, methods: transport.methods, stats: source.stats() });
    }
    const [first, second] = runs;
    expect(first!.stats.blocksScanned).toBeGreaterThan(100);
    expect(first!.methods.filter((m) => m === 'getblock').length).toBe(first!.stats.blocksScanned);
    expect(second!.stats.blocksScanned).toBe(0);
    expect(second!.methods.filter((m) => m === 'getblock')).toEqual([]);
    // Only the one check that the stored range is still the node's chain.
    expect(second!.methods.filter((m) => m === 'getblockhash').length).toBe(2);
    expect(second!.trace.results.fifo).toEqual(first!.trace.results.fifo);
    const cashOuts = new Map(second!.trace.results.fifo!.summary.cashOuts.map((c) => [c.address, c.amount]));
    expect(cashOuts).toEqual(new Map(caseFile.expected.fifo!.cashOuts.map((c) => [c.address, c.amount])));
  });
});

describe('CoreRpcSource against a node that is not there', () => {
  it('fails with NETWORK_ERROR within seconds, naming the endpoint and without the password', async () => {
    const port = await freePortForTest();
    const source = new CoreRpcSource({
      endpoint: `http://fundflow:s3cretpassw0rd@127.0.0.1:${port}`,
      network: 'litecoin-regtest',
      transport: http({ retries: 2, backoff: { baseMs: 50 } }),
    });
    const started = Date.now();
    const error = await source.getTransaction('ab'.repeat(32)).catch((e: unknown) => e);
    expect(isFundflowError(error, 'NETWORK_ERROR')).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
    const text = JSON.stringify((error as Error).message) + JSON.stringify((error as { details: unknown }).details);
    expect(text).toContain(`127.0.0.1:${port}`);
    expect(text).not.toContain('s3cretpassw0rd');
  });
});
