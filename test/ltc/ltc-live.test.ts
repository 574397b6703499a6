import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreRpcSource } from '@fundflow/bitcoin';
import { http, isFundflowError } from '@fundflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasLitecoind, type Litecoind, startLitecoind } from '../../packages/bitcoin/scripts/litecoind';
import {
  type GroundTruth,
  groundTruth,
  labelsText,
  playScenario,
  type Scenario,
} from '../../packages/bitcoin/scripts/ltc-regtest-scenario';
import { runCli } from '../helpers';

// Real node: litecoind -regtest (Debian package litecoind; .ci/run installs it). Without it on PATH, skip loudly.
const available = hasLitecoind();
if (!available) {
  console.warn('skipping the live litecoind tests: litecoind is not on PATH (apt-get install -y litecoind; CI does)');
}

describe.skipIf(!available)('live trace against litecoind -regtest', () => {
  let node: Litecoind;
  let scenario: Scenario;
  let truth: GroundTruth;
  const timings: string[] = [];

  beforeAll(async () => {
    const t0 = Date.now();
    node = await startLitecoind();
    timings.push(`node up in ${Date.now() - t0} ms`);
    const t1 = Date.now();
    scenario = await playScenario(node);
    truth = await groundTruth(node, scenario);
    timings.push(`scenario + ground truth in ${Date.now() - t1} ms`);
  }, 240_000);

  afterAll(async () => {
    await node?.stop();
    console.info(`litecoind live test: ${timings.join(', ')}`);
  }, 60_000);

  it('fundflow trace through the RPC source reaches every cash-out with the exact FIFO amounts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ff-ltc-live-'));
    writeFileSync(join(dir, 'labels.csv'), labelsText(scenario));
    const endpoint = `http://${node.user}:${node.password}@127.0.0.1:${node.rpcPort}`;
    const started = Date.now();
    const r = await runCli([
      'trace',
      'litecoin-regtest',
      scenario.hotAddress,
      '--endpoint',
      endpoint,
      '--since',
      String(scenario.since),
      '--until',
      String(scenario.until),
      '--policy',
      'fifo,haircut',
      '--max-hops',
      '200',
      '--fan-out',
      '1000',
      '--rps',
      '2000',
      '--labels',
      join(dir, 'labels.csv'),
      '--record',
      join(dir, 'case'),
      '--no-progress',
      '--json',
      '-o',
      join(dir, 'trace.json'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const fifo = JSON.parse(r.stdout).fifo;
    expect(BigInt(fifo.stolen)).toBe(truth.stolen);
    const got = new Map<string, bigint>(
      fifo.cashOuts.map((c: { address: string; amount: string }) => [c.address, BigInt(c.amount)]),
    );
    expect(got).toEqual(truth.cashOuts);
    for (const [reason, amount] of Object.entries(truth.byReason)) expect(BigInt(fifo.byReason[reason])).toBe(amount);
    const requests = /(\d+) requests sent/.exec(r.stderr)?.[1];
    expect(Number(requests)).toBeGreaterThan(0);
    timings.push(`live CLI trace: ${requests} requests in ${Date.now() - started} ms`);
    // The password went in --endpoint: it must not reach the trace file, the recorded case or the output.
    for (const text of [
      r.stdout,
      r.stderr,
      readFileSync(join(dir, 'trace.json'), 'utf8'),
      readFileSync(join(dir, 'case/case.json'), 'utf8'),
      readFileSync(join(dir, 'case/cassette/cassette.json'), 'utf8'),
    ]) {
      expect(text).not.toContain(node.password);
    }
  }, 180_000);

  it('decodes live: a coinbase, an OP_RETURN output, an unconfirmed transaction', async () => {
    const source = new CoreRpcSource({
      endpoint: node.endpoint,
      network: 'litecoin-regtest',
      auth: { user: node.user, password: node.password },
      transport: http({ secrets: [node.password] }),
    });
    const coinbase = await source.getTransaction(scenario.probes.coinbaseTxid);
    expect(coinbase.inputs[0]!.coinbase).toBe(true);
    expect(coinbase.confirmed).toBe(true);
    const opReturn = await source.getTransaction(scenario.probes.opReturnTxid);
    expect(opReturn.outputs.filter((o) => !o.hasAddress).map((o) => o.scriptType)).toEqual(['op_return']);
    const pending = await source.getTransaction(scenario.probes.unconfirmedTxid);
    expect(pending).toMatchObject({ confirmed: false, height: -1 });
    const error = await source
      .getAddressHistory('ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9')
      .catch((e: unknown) => e);
    expect(isFundflowError(error, 'INVALID_ADDRESS')).toBe(true);
  }, 60_000);

  it('sees a mempool spend only with the mempool option', async () => {
    const pending = scenario.probes.unconfirmedTxid;
    const raw = await node.rpc<{ vin: Array<{ txid: string; vout: number }> }>('getrawtransaction', [pending, true]);
    const parent = raw.vin[0]!;
    const options = {
      endpoint: node.endpoint,
      network: 'litecoin-regtest' as const,
      auth: { user: node.user, password: node.password },
      transport: http(),
    };
    const plain = await new CoreRpcSource(options).getOutspends(parent.txid);
    expect(plain[parent.vout]).toEqual({ spent: false });
    const withPool = await new CoreRpcSource({ ...options, mempool: true }).getOutspends(parent.txid);
    expect(withPool[parent.vout]).toEqual({ spent: true, txid: pending, vin: 0, height: -1 });
  }, 60_000);

  it('answers a wrong password with AUTH_FAILED at once, without the password in the error', async () => {
    const source = new CoreRpcSource({
      endpoint: `http://${node.user}:wrong-password-123@127.0.0.1:${node.rpcPort}`,
      network: 'litecoin-regtest',
      transport: http(),
    });
    const started = Date.now();
    const error = await source.getTransaction(scenario.probes.coinbaseTxid).catch((e: unknown) => e);
    expect(isFundflowError(error, 'AUTH_FAILED')).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(JSON.stringify(error) + String((error as Error).message)).not.toContain('wrong-password-123');
  }, 30_000);

  it('reads the credentials from the node’s cookie file', async () => {
    // This node runs with -rpcuser/-rpcpassword, so it writes no cookie: make one with those credentials.
    const cookie = join(mkdtempSync(join(tmpdir(), 'ff-cookie-')), '.cookie');
    writeFileSync(cookie, `${node.user}:${node.password}`);
    const source = new CoreRpcSource({
      endpoint: node.endpoint,
      network: 'litecoin-regtest',
      auth: { cookieFile: cookie },
      transport: http(),
    });
    expect((await source.getTransaction(scenario.probes.coinbaseTxid)).txid).toBe(scenario.probes.coinbaseTxid);
  }, 30_000);
});
