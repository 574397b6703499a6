/**
 * A realistic exchange drain played on a real `litecoind -regtest` (Debian package litecoind, 0.21), then traced
 * through the Bitcoin Core RPC source with recording on:
 *   pnpm tsx packages/bitcoin/scripts/ltc-regtest-scenario.ts            # writes fixtures/ltc-regtest-exchange-drain/
 *   pnpm tsx packages/bitcoin/scripts/ltc-regtest-scenario.ts --dry-run  # plays, traces and checks; writes nothing
 *
 * The story: an exchange hot wallet holds many UTXOs on one address; before the theft it pays a customer. The
 * attacker drains most UTXOs in three transactions to three addresses; one drained output is split four ways; one
 * branch peels 24 times (small payments, some to the exchange's deposit addresses, some to a merchant); two
 * branches and a drain output are consolidated together with a clean UTXO (clean first); the rest goes to labelled
 * exchange deposit addresses, with an OP_RETURN output and change left unspent. The exchange sweeps deposits to its
 * own hot wallet. Unrelated noise runs throughout, and one noise transaction stays in the mempool.
 *
 * The ground truth is computed here, independently of the tracer and of the RPC source: raw blocks (`getblock <h> 0`)
 * decoded with bitcoinjs-lib (satoshi integers), FIFO over every transaction in chain order (inputs in order,
 * outputs in order, fee last; labelled exchange addresses stop the value). The fixture is only written when the
 * traced FIFO result equals it exactly.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type CaseFile,
  Cassette,
  canonicalJson,
  compareExpected,
  DEFAULT_STOP_CATEGORIES,
  http,
  type Label,
  LabelRegistry,
  type PolicyName,
  parseCsvPack,
  recording,
  serializeCsvPack,
  type TraceFile,
  type Transport,
  traceForward,
} from '@fundflow/core';
import { builtinPackPaths, loadPackFile, writeCaseFolder } from '@fundflow/core/node';
import { Block, address as bjsAddress } from 'bitcoinjs-lib';
import { CoreRpcSource } from '../src/core-rpc-source';
import { bitcoinNetworks } from '../src/networks';
import { type Litecoind, startLitecoind } from './litecoind';

export const CASE_NAME = 'ltc-regtest-exchange-drain';
export const SCRIPT_PATH = 'packages/bitcoin/scripts/ltc-regtest-scenario.ts';
const COIN = 100_000_000n;
const START_TIME = 1_700_000_000;
const BLOCK_SPACING = 150;
const NETWORK = bitcoinNetworks['litecoin-regtest'];

export interface Scenario {
  hotAddress: string;
  /** Theft window: block times of the first and last drain. */
  since: number;
  until: number;
  exchangeAddresses: string[];
  labels: Label[];
  asOf: string;
  counts: Record<string, number>;
  /** Interesting transactions for probes. */
  probes: { coinbaseTxid: string; unconfirmedTxid: string; opReturnTxid: string; peelHops: number };
}

export interface GroundTruth {
  stolen: bigint;
  cashOuts: Map<string, bigint>;
  byReason: Record<string, bigint>;
}

/** Deterministic pseudo-random numbers (mulberry32), so the scenario has the same shape each run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function coins(sats: bigint): string {
  const whole = sats / COIN;
  const frac = (sats % COIN).toString().padStart(8, '0');
  return `${whole}.${frac}`;
}

interface Utxo {
  txid: string;
  vout: number;
  value: bigint;
  address: string;
}

/** Plays the scenario on a running node. The node must be fresh (block 0 only). */
export async function playScenario(node: Litecoind, seed = 3): Promise<Scenario> {
  const rand = prng(seed);
  const between = (lo: bigint, hi: bigint) => lo + BigInt(Math.floor(rand() * Number(hi - lo)));
  let now = START_TIME;
  const rpc = node.rpc;
  await rpc('setmocktime', [now]);
  const wallets = ['miner', 'hot', 'attacker', 'exchange', 'noise', 'customer', 'merchant'];
  for (const w of wallets) await rpc('createwallet', [w]);
  const newAddress = (wallet: string, type: 'bech32' | 'legacy' | 'p2sh-segwit' = 'bech32') =>
    rpc<string>('getnewaddress', ['', type], wallet);
  const minerAddress = await newAddress('miner');
  const mine = async (n = 1) => {
    for (let i = 0; i < n; i++) {
      now += BLOCK_SPACING;
      await rpc('setmocktime', [now]);
      await rpc('generatetoaddress', [1, minerAddress]);
    }
  };
  const blockTimeOf = async (txid: string) => {
    const tx = await rpc<{ blocktime?: number }>('getrawtransaction', [txid, true]);
    if (tx.blocktime === undefined) throw new Error(`${txid} is not mined`);
    return tx.blocktime;
  };
  // Pays `amount` from a wallet (its own coin selection) and returns the output made.
  const pay = async (wallet: string, to: string, amount: bigint): Promise<Utxo> => {
    const txid = await rpc<string>('sendtoaddress', [to, coins(amount)], wallet);
    const tx = await rpc<{ vout: Array<{ n: number; scriptPubKey: { addresses?: string[] } }> }>('getrawtransaction', [
      txid,
      true,
    ]);
    const out = tx.vout.find((o) => o.scriptPubKey.addresses?.[0] === to);
    if (out === undefined) throw new Error(`payment to ${to} not found in ${txid}`);
    return { txid, vout: out.n, value: amount, address: to };
  };
  // A transaction with exactly these inputs (in order) and outputs (in order), signed by `wallet`.
  const spend = async (
    wallet: string,
    inputs: Utxo[],
    outputs: Array<[address: string, value: bigint] | ['data', string]>,
  ): Promise<{ txid: string; outs: Utxo[] }> => {
    const raw = await rpc<string>('createrawtransaction', [
      inputs.map((u) => ({ txid: u.txid, vout: u.vout })),
      outputs.map(([a, v]) => (a === 'data' ? { data: v } : { [a]: coins(v as bigint) })),
    ]);
    const signed = await rpc<{ hex: string; complete: boolean }>('signrawtransactionwithwallet', [raw], wallet);
    if (!signed.complete) throw new Error(`could not sign a ${wallet} transaction`);
    const txid = await rpc<string>('sendrawtransaction', [signed.hex]);
    const outs: Utxo[] = [];
    outputs.forEach(([a, v], vout) => {
      if (a !== 'data') outs.push({ txid, vout, value: v as bigint, address: a });
    });
    return { txid, outs };
  };
  const fee = (inputs: number, outputs: number) => BigInt(10_000 + 1_500 * inputs + 500 * outputs);
  const sum = (us: Utxo[]) => us.reduce((s, u) => s + u.value, 0n);

  await mine(110); // 10 mature coinbases
  const counts: Record<string, number> = {};
  const bump = (k: string, n = 1) => {
    counts[k] = (counts[k] ?? 0) + n;
  };

  // Noise helper: miner pays fresh noise addresses; the noise wallet shuffles some of it around.
  const noise = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const type = (['bech32', 'legacy', 'p2sh-segwit'] as const)[i % 3]!;
      await pay('miner', await newAddress('noise', type), between(10_000_000n, 300_000_000n));
      bump('noise');
    }
  };

  // 1. The exchange hot wallet: one reused address, 34 deposits from customers (here: the miner).
  const hotAddress = await newAddress('hot');
  const hot: Utxo[] = [];
  for (let i = 0; i < 34; i++) {
    hot.push(await pay('miner', hotAddress, between(80_000_000n, 320_000_000n)));
    bump('hotUtxos');
    if (i % 10 === 9) await mine();
  }
  await noise(4);
  await mine();
  // A legitimate withdrawal before the theft (outside the theft window), change back to the hot address.
  const first = hot.shift()!;
  const customer = await newAddress('customer');
  const w = await spend(
    'hot',
    [first],
    [
      [customer, 50_000_000n],
      [hotAddress, first.value - 50_000_000n - fee(1, 2)],
    ],
  );
  hot.push(w.outs[1]!);
  bump('withdrawals');
  await mine(6);

  // 2. The drain: 3 transactions sweep 30 of the 34 hot UTXOs to 3 attacker addresses.
  const attacker = await Promise.all([
    newAddress('attacker'),
    newAddress('attacker', 'legacy'),
    newAddress('attacker'),
  ]);
  const drainIn = [hot.slice(0, 12), hot.slice(12, 22), hot.slice(22, 30)];
  const drains: Utxo[] = [];
  for (let d = 0; d < 3; d++) {
    const ins = drainIn[d]!;
    const tx = await spend('hot', ins, [[attacker[d]!, sum(ins) - fee(ins.length, 1)]]);
    drains.push(tx.outs[0]!);
    bump('drains');
    if (d === 1) await mine();
  }
  await mine();
  const since = await blockTimeOf(drains[0]!.txid);
  const until = await blockTimeOf(drains[2]!.txid);
  await noise(3);
  await mine(2);

  // Exchange deposit addresses (the cluster the labels name) and the exchange's own hot wallet.
  const depositTypes = ['bech32', 'p2sh-segwit', 'legacy'] as const;
  const deposits: string[] = [];
  for (let i = 0; i < 9; i++) deposits.push(await newAddress('exchange', depositTypes[i % 3]));
  const exchangeHot = await newAddress('exchange');
  let depositIndex = 0;
  const nextDeposit = () => deposits[depositIndex++ % deposits.length]!;

  // 3. Split: drain 1's output into four branches.
  const a1 = drains[0]!;
  const b = await Promise.all([
    newAddress('attacker'),
    newAddress('attacker'),
    newAddress('attacker', 'p2sh-segwit'),
    newAddress('attacker'),
  ]);
  const splitFee = fee(1, 4);
  const parts = [(a1.value * 40n) / 100n, (a1.value * 25n) / 100n, (a1.value * 20n) / 100n];
  const split = await spend(
    'attacker',
    [a1],
    [
      [b[0]!, parts[0]!],
      [b[1]!, parts[1]!],
      [b[2]!, parts[2]!],
      [b[3]!, a1.value - parts[0]! - parts[1]! - parts[2]! - splitFee],
    ],
  );
  bump('splits');
  await mine();

  // 4. Peel chain: 24 hops of 1 input → payment + change; payments alternate merchant / exchange deposit.
  let carry = split.outs[0]!;
  const peelHops = 24;
  for (let hop = 0; hop < peelHops; hop++) {
    const toExchange = hop % 3 === 1;
    const payee = toExchange ? nextDeposit() : await newAddress('merchant');
    const payment = between(5_000_000n, 40_000_000n);
    const change = await newAddress('attacker', hop % 4 === 3 ? 'legacy' : 'bech32');
    const rest = carry.value - payment - fee(1, 2);
    const changeFirst = hop % 2 === 0;
    const outs: Array<[string, bigint]> = changeFirst
      ? [
          [change, rest],
          [payee, payment],
        ]
      : [
          [payee, payment],
          [change, rest],
        ];
    const tx = await spend('attacker', [carry], outs);
    carry = tx.outs[changeFirst ? 0 : 1]!;
    bump('peelHops');
    if (toExchange) bump('exchangeDeposits');
    if (hop % 5 === 4) await mine();
    if (hop === 11) await noise(2);
  }
  await mine();
  // The end of the peel chain: most of it to a deposit address, the rest stays.
  const peelEnd = await spend(
    'attacker',
    [carry],
    [
      [nextDeposit(), (carry.value * 3n) / 4n],
      [await newAddress('attacker'), carry.value - (carry.value * 3n) / 4n - fee(1, 2)],
    ],
  );
  bump('exchangeDeposits');
  void peelEnd;

  // 5. Consolidation: a clean attacker UTXO first, then branch 2, drain 2's output and branch 3.
  const clean = await pay('miner', await newAddress('attacker'), 150_000_000n);
  await mine();
  const consIns = [clean, split.outs[1]!, drains[1]!, split.outs[2]!];
  const consolidated = await spend('attacker', consIns, [
    [await newAddress('attacker'), sum(consIns) - fee(consIns.length, 1)],
  ]);
  bump('consolidations');
  await mine();
  const c1 = consolidated.outs[0]!;
  // Deposit part of it; the first 3 LTC out are the clean coins under FIFO.
  await spend(
    'attacker',
    [c1],
    [
      [nextDeposit(), 300_000_000n + (c1.value - 300_000_000n) / 2n],
      [await newAddress('attacker'), c1.value - 300_000_000n - (c1.value - 300_000_000n) / 2n - fee(1, 2)],
    ],
  );
  bump('exchangeDeposits');

  // 6. Branch 4 goes to the exchange whole; drain 3 splits between a deposit, an OP_RETURN and change.
  const b4 = split.outs[3]!;
  await spend('attacker', [b4], [[nextDeposit(), b4.value - fee(1, 1)]]);
  bump('exchangeDeposits');
  const a3 = drains[2]!;
  const opReturn = await spend(
    'attacker',
    [a3],
    [
      [nextDeposit(), a3.value / 2n],
      ['data', Buffer.from('fundflow regtest').toString('hex')],
      [await newAddress('attacker', 'legacy'), a3.value - a3.value / 2n - fee(1, 3)],
    ],
  );
  bump('exchangeDeposits');
  await noise(3);
  await mine();

  // 7. The exchange sweeps its deposit addresses into its hot wallet (after the deposits: not followed).
  const unspent = await rpc<Array<{ txid: string; vout: number; amount: number; address: string }>>(
    'listunspent',
    [1, 9999999, deposits],
    'exchange',
  );
  const sweepIns = unspent
    .slice(0, 6)
    .map((u) => ({ txid: u.txid, vout: u.vout, value: BigInt(Math.round(u.amount * 1e8)), address: u.address }));
  if (sweepIns.length > 0) {
    await spend('exchange', sweepIns, [[exchangeHot, sum(sweepIns) - fee(sweepIns.length, 1)]]);
    bump('sweeps');
  }
  await noise(2);
  await mine(2);

  // 8. One noise payment left unconfirmed in the mempool.
  const pending = await pay('noise', await newAddress('customer'), 1_000_000n);
  bump('mempool');

  const tip = await rpc<number>('getblockcount');
  const coinbaseBlock = await rpc<{ tx: string[] }>('getblock', [await rpc<string>('getblockhash', [tip]), 1]);
  counts.blocks = tip + 1;
  const asOf = new Date(now * 1000).toISOString().slice(0, 10);
  const exchangeAddresses = [...deposits, exchangeHot];
  const labels: Label[] = exchangeAddresses.map((address, i) => ({
    chain: 'litecoin',
    address,
    name: i < deposits.length ? 'Regtest Exchange (deposit)' : 'Regtest Exchange (hot wallet)',
    category: 'exchange',
    pack: `${CASE_NAME}-labels`,
    source: `scenario script ${SCRIPT_PATH}: addresses of the scenario's "exchange" wallet`,
    asOf,
    confidence: 'high',
  }));
  return {
    hotAddress,
    since,
    until,
    exchangeAddresses,
    labels,
    asOf,
    counts,
    probes: {
      coinbaseTxid: coinbaseBlock.tx[0]!,
      unconfirmedTxid: pending.txid,
      opReturnTxid: opReturn.txid,
      peelHops,
    },
  };
}

/**
 * FIFO ground truth from the raw chain, independent of the tracer and the RPC source: every block decoded with
 * bitcoinjs-lib; the seed's outflows in the window are stolen; each transaction's inputs (in order) pour their runs
 * of clean/stolen units into its outputs (in order), the fee last; value reaching an exchange address stops there.
 */
export async function groundTruth(node: Litecoind, s: Scenario): Promise<GroundTruth> {
  const rpc = node.rpc;
  const exchange = new Set(s.exchangeAddresses);
  const tip = await rpc<number>('getblockcount');
  // Runs per outpoint: [length, stolen?] covering the output's value in order.
  const tainted = new Map<string, Array<[bigint, boolean]>>();
  const values = new Map<string, bigint>();
  const addressOf = new Map<string, string>();
  const cashOuts = new Map<string, bigint>();
  const byReason: Record<string, bigint> = {};
  const add = (reason: string, v: bigint) => {
    if (v > 0n) byReason[reason] = (byReason[reason] ?? 0n) + v;
  };
  let stolen = 0n;
  for (let h = 0; h <= tip; h++) {
    const hex = await rpc<string>('getblock', [await rpc<string>('getblockhash', [h]), 0]);
    const block = Block.fromHex(hex);
    for (const tx of block.transactions ?? []) {
      const txid = tx.getId();
      const outs = tx.outs.map((o, vout) => {
        let address: string;
        try {
          address = bjsAddress.fromOutputScript(o.script, NETWORK);
        } catch {
          address = `script:${txid}:${vout}`;
        }
        values.set(`${txid}:${vout}`, o.value);
        addressOf.set(`${txid}:${vout}`, address);
        return { value: o.value, address };
      });
      const coinbase = tx.isCoinbase();
      const ins = coinbase ? [] : tx.ins.map((i) => `${Buffer.from(i.hash).reverse().toString('hex')}:${i.index}`);
      const time = block.timestamp;
      const fromSeed = ins.some((op) => addressOf.get(op) === s.hotAddress);
      if (fromSeed && time >= s.since && time <= s.until) {
        outs.forEach((o, vout) => {
          if (o.value === 0n || o.address === s.hotAddress) return;
          stolen += o.value;
          settle(`${txid}:${vout}`, o.address, [[o.value, true]]);
        });
        continue;
      }
      if (!ins.some((op) => tainted.has(op))) continue;
      const stream: Array<[bigint, boolean]> = [];
      for (const op of ins) {
        const runs = tainted.get(op) ?? [[values.get(op)!, false]];
        tainted.delete(op);
        stream.push(...runs.map(([l, t]) => [l, t] as [bigint, boolean]));
      }
      const take = (n: bigint): Array<[bigint, boolean]> => {
        const got: Array<[bigint, boolean]> = [];
        let left = n;
        while (left > 0n && stream.length > 0) {
          const head = stream[0]!;
          // bigint: no Math.min.
          let k = left;
          if (head[0] < left) k = head[0];
          got.push([k, head[1]]);
          head[0] -= k;
          left -= k;
          if (head[0] === 0n) stream.shift();
        }
        return got;
      };
      for (const [vout, o] of outs.entries()) settle(`${txid}:${vout}`, o.address, take(o.value));
      add(
        'fee',
        stream.reduce((sum, [l, t]) => sum + (t ? l : 0n), 0n),
      );
    }
  }
  for (const runs of tainted.values())
    add(
      'unspent',
      runs.reduce((sum, [l, t]) => sum + (t ? l : 0n), 0n),
    );
  return { stolen, cashOuts, byReason };

  function settle(outpoint: string, address: string, runs: Array<[bigint, boolean]>): void {
    const amount = runs.reduce((sum, [l, t]) => sum + (t ? l : 0n), 0n);
    if (amount === 0n) return;
    if (exchange.has(address)) {
      cashOuts.set(address, (cashOuts.get(address) ?? 0n) + amount);
      add('cash-out', amount);
      return;
    }
    tainted.set(outpoint, runs);
  }
}

/** The trace the fixture holds: FIFO, haircut and poison from the hot address over the theft window. */
export function traceParams(s: Scenario) {
  const policies: PolicyName[] = ['fifo', 'haircut', 'poison'];
  return {
    seeds: [s.hotAddress],
    since: s.since,
    until: s.until,
    policies,
    stop: { maxHops: 200, minAmount: 0n, fanOutCap: 1000, stopCategories: DEFAULT_STOP_CATEGORIES },
  };
}

/** The case's label pack text (also what `fundflow replay` loads from labels.csv). */
export function labelsText(s: Scenario): string {
  return serializeCsvPack({
    info: {
      name: `${CASE_NAME}-labels`,
      title: 'Exchange addresses of the ltc-regtest-exchange-drain scenario',
      source: `scenario script ${SCRIPT_PATH}`,
      asOf: s.asOf,
    },
    labels: s.labels,
  });
}

/** Traces the scenario through CoreRpcSource over `transport`, with the builtin packs and the case's labels. */
export async function traceScenario(
  node: Pick<Litecoind, 'endpoint' | 'user' | 'password'>,
  s: Scenario,
  transport: Transport,
): Promise<{ trace: TraceFile; source: CoreRpcSource }> {
  const labels = new LabelRegistry();
  for (const path of builtinPackPaths()) labels.addPack(await loadPackFile(path));
  labels.addPack(parseCsvPack(labelsText(s)));
  const source = new CoreRpcSource({
    endpoint: node.endpoint,
    network: 'litecoin-regtest',
    auth: { user: node.user, password: node.password },
    transport,
  });
  const trace = await traceForward({ source, labels, params: traceParams(s) });
  return { trace, source };
}

/** The case's expected FIFO results: the ground truth, as case.json states it. */
export function expectedOf(truth: GroundTruth): CaseFile['expected'] {
  return {
    fifo: {
      stolen: truth.stolen.toString(),
      cashOuts: [...truth.cashOuts]
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
        .map(([address, v]) => ({ address, amount: v.toString() })),
      byReason: Object.fromEntries(Object.entries(truth.byReason).map(([k, v]) => [k, v.toString()])),
    },
  };
}

/** Differences between a trace's FIFO result and the ground truth; empty when they agree exactly. */
export function compareWithTruth(trace: TraceFile, truth: GroundTruth): string[] {
  return compareExpected(expectedOf(truth), trace);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'dry-run': { type: 'boolean', default: false } } });
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const dir = join(root, 'fixtures', CASE_NAME);
  const started = Date.now();
  const node = await startLitecoind();
  try {
    const scenario = await playScenario(node);
    const truth = await groundTruth(node, scenario);
    const cassette = new Cassette();
    const secrets = [node.password];
    const net = http({ rateLimit: { requestsPerSecond: 2000 }, secrets });
    const { trace, source } = await traceScenario(node, scenario, recording(net, cassette, { secrets }));
    const problems = compareWithTruth(trace, truth);
    if (problems.length > 0) throw new Error(`FIFO trace disagrees with the ground truth:\n  ${problems.join('\n  ')}`);
    const traceRequests = net.stats().sent;
    const rpcCalls = source.stats();
    // Probes for the source's tests, recorded from the same node: a coinbase, an unconfirmed transaction, an
    // OP_RETURN output, a transaction the node does not have.
    const missingTxid = 'f'.repeat(64);
    await source.getTransaction(scenario.probes.coinbaseTxid);
    await source.getTransaction(scenario.probes.unconfirmedTxid);
    await source.getOutspends(scenario.probes.unconfirmedTxid);
    await source.getTransaction(scenario.probes.opReturnTxid);
    await source.getTransaction(missingTxid).catch(() => undefined);
    const summary =
      `${CASE_NAME}: ${scenario.counts.blocks} blocks, ${cassette.size} cassette entries, trace made ` +
      `${traceRequests} requests (${Object.entries(rpcCalls.calls)
        .map(([m, n]) => `${m} ${n}`)
        .join(', ')}; ${rpcCalls.blocksScanned} blocks scanned), ${trace.results.fifo!.edges.length} fifo edges, ` +
      `${truth.cashOuts.size} cash-out addresses; FIFO matches the ground truth exactly (${node.version}, ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s)`;
    if (values['dry-run']) {
      console.error(`${summary}\n(dry run: nothing written)`);
      return;
    }
    const p = traceParams(scenario);
    const c: CaseFile = {
      format: 'fundflow.case/1',
      name: CASE_NAME,
      title: 'Exchange hot-wallet drain on a real litecoind regtest chain',
      description:
        `A Litecoin exchange hot wallet holding ${scenario.counts.hotUtxos} UTXOs on one address is drained in ` +
        `${scenario.counts.drains} transactions to attacker addresses; one drained output is split four ways, one ` +
        `branch peels ${scenario.counts.peelHops} times, two branches and a drain output are consolidated with a ` +
        `clean UTXO, and the rest reaches ${scenario.counts.exchangeDeposits} deposits at a labelled exchange ` +
        `cluster, among ${scenario.counts.noise} unrelated payments, on a ${scenario.counts.blocks}-block chain ` +
        'made by litecoind 0.21 -regtest and read through its JSON-RPC API.',
      provenance: {
        kind: 'recorded-node',
        statement: `recorded from litecoind 0.21 regtest, scenario script ${SCRIPT_PATH}`,
        script: SCRIPT_PATH,
        recordedAt: new Date().toISOString().slice(0, 10),
      },
      source: { kind: 'bitcoin-rpc', chain: 'litecoin', network: 'litecoin-regtest', endpoint: node.endpoint },
      trace: {
        seeds: p.seeds,
        since: p.since,
        until: p.until,
        policies: p.policies,
        maxHops: p.stop.maxHops,
        minAmount: '0',
        fanOutCap: p.stop.fanOutCap,
      },
      labels: ['labels.csv'],
      cassette: 'cassette',
      expected: expectedOf(truth),
    };
    await writeCaseFolder(dir, { caseFile: c, cassette, trace, labelFiles: { 'labels.csv': labelsText(scenario) } });
    writeFileSync(
      join(dir, 'probes.json'),
      canonicalJson({ ...scenario.probes, missingTxid, hotAddress: scenario.hotAddress, traceRequests }, 2) + '\n',
    );
    console.error(summary);
  } finally {
    await node.stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exitCode = 1;
  });
}
