/**
 * Generates the simulated NEM case `fixtures/nem-2018-exchange-drain/`:
 *   pnpm tsx packages/nem/scripts/generate-nem-case.ts [--seed 2018]
 *
 * A seeded simulated ledger shaped like the January 2018 NEM exchange drain (generateDrainScenario: the published
 * first hop exactly, then split, onlookers' messages, the 14 small transfers, warning-mosaic tagging, layering,
 * fan-in, exchange deposit accounts) is served by an in-process fake NIS1 node in NIS1's exact JSON and traced through
 * the real NisSource with recording on. The expected FIFO cash-outs come from the scenario's own bookkeeping (an
 * independent FIFO run over the ledger, not the tracer); the script refuses to write the case if the trace disagrees.
 * Addresses are derived from random public keys: none is a real account (checked against the known-facts pack).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type CaseFile,
  Cassette,
  DEFAULT_STOP_CATEGORIES,
  LabelRegistry,
  type PolicyName,
  parseCsvPack,
  recording,
  serializeCsvPack,
  traceForward,
} from '@fundflow/core';
import { builtinPackPaths, loadPackFile, writeCaseFolder } from '@fundflow/core/node';
import { NisSource } from '../src/index';
import { fakeNisNode, generateDrainScenario } from '../src/testing/index';

const { values } = parseArgs({ options: { seed: { type: 'string', default: '2018' } } });
const seed = Number(values.seed);
const NAME = 'nem-2018-exchange-drain';
/** A reserved `.invalid` host: the cassette can never be mistaken for answers of a real node. */
const ENDPOINT = 'http://simulated-nis1.invalid:7890';
const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = join(root, 'fixtures', NAME);

const started = Date.now();
const scenario = generateDrainScenario({ seed });
const real = parseCsvPack(readFileSync(join(root, 'packages/nem/labels/coincheck-2018-known-facts.csv'), 'utf8'));
const realAddresses = new Set(real.labels.map((l) => l.address));
for (const t of scenario.ledger.transactions) {
  const tx = t.transaction.otherTrans ?? t.transaction;
  if (tx.recipient !== undefined && realAddresses.has(tx.recipient)) {
    throw new Error(`generated address ${tx.recipient} is a real account: change the seed`);
  }
}

const labelsText = serializeCsvPack({
  info: {
    name: `${NAME}-labels`,
    title: 'Simulated exchange, victim and attacker accounts of the nem-2018-exchange-drain case',
    source: `simulated: packages/nem/scripts/generate-nem-case.ts (seed ${seed}); no real accounts`,
    asOf: scenario.asOf,
  },
  labels: scenario.labels,
});
// The same packs `fundflow replay` loads: the bundled ones and the case's own.
const labels = new LabelRegistry();
for (const path of builtinPackPaths()) labels.addPack(await loadPackFile(path));
labels.addPack(parseCsvPack(labelsText));

const cassette = new Cassette();
const node = fakeNisNode(scenario.ledger, { baseUrl: ENDPOINT });
const source = new NisSource({ baseUrl: ENDPOINT, network: 'mainnet', transport: recording(node, cassette) });
const policies: PolicyName[] = ['fifo', 'haircut', 'poison'];
const stop = { maxHops: 50, minAmount: 0n, fanOutCap: 100, stopCategories: DEFAULT_STOP_CATEGORIES };
const trace = await traceForward({
  source,
  labels,
  params: { seeds: [scenario.hotWallet], since: scenario.since, until: scenario.until, policies, stop },
});

const truth = scenario.expected.cashOuts;
const fifo = trace.results.fifo!.summary;
const got = new Map(fifo.cashOuts.map((c) => [c.address, BigInt(c.amount)]));
const problems: string[] = [];
if (BigInt(fifo.stolen) !== scenario.stolen) problems.push(`stolen ${fifo.stolen} ≠ ${scenario.stolen}`);
for (const [a, v] of truth) if (got.get(a) !== v) problems.push(`cash-out ${a}: traced ${got.get(a)} ≠ truth ${v}`);
for (const [a, v] of got) if (!truth.has(a)) problems.push(`unexpected cash-out ${a} ${v}`);
const reasons = new Set([...Object.keys(scenario.expected.byReason), ...Object.keys(fifo.byReason)]);
for (const r of reasons) {
  const want = scenario.expected.byReason[r] ?? 0n;
  if (BigInt(fifo.byReason[r] ?? '0') !== want) problems.push(`${r}: traced ${fifo.byReason[r] ?? 0} ≠ truth ${want}`);
}
const taggedInTrace = trace.labels.filter((l) => l.category === 'tagged').length;
if (taggedInTrace === 0) problems.push('no warning-mosaic label reached the trace');
if (problems.length > 0) throw new Error(`FIFO trace disagrees with the ground truth:\n  ${problems.join('\n  ')}`);

const xem = (micro: bigint) => `${(micro / 1_000_000n).toLocaleString('en-US')} XEM`;
const accounts = new Set<string>();
for (const t of trace.transfers) accounts.add(t.from).add(t.to);

const FACTS = 'shared/realdata/incidents/coincheck-2018-nem-known-facts.csv';
const c: CaseFile = {
  format: 'fundflow.case/1',
  name: NAME,
  title: 'Simulated NEM exchange hot-wallet drain shaped like January 2018 (523M+ XEM)',
  description:
    `A simulated NEM ledger (${scenario.counts.accounts} accounts, ${scenario.counts.transactions} transactions) ` +
    'whose first hop follows the published facts of the 2018-01-26 drain exactly: 11 transfers from the exchange hot ' +
    'wallet to the attacker account totalling 526,300,010 XEM between 00:02 and 08:26 JST. Then, simulated: ten moves ' +
    'to nine accounts between 02:57 and 03:59 JST, messages from onlookers, 14 small transfers (1,100 XEM) on ' +
    `2018-01-30, warning mosaics sent to ${scenario.counts.tagged} accounts, layering (splits, peels, v2 mosaic ` +
    `transfers, a multisig account), three fan-in accounts and five exchange deposit accounts. ${accounts.size} ` +
    'accounts carry stolen value in the trace. Addresses are generated (valid NEM addresses of random keys, none real).',
  provenance: {
    kind: 'simulated',
    statement:
      `simulated: generated by packages/nem/scripts/generate-nem-case.ts (seed ${seed}), served in NIS1's exact JSON ` +
      'by an in-process fake node and recorded through the real NIS1 source; follows the published facts of the ' +
      'January 2018 NEM drain for the first hop; all addresses, hashes and later hops are simulated, not ledger data',
    script: 'packages/nem/scripts/generate-nem-case.ts',
    follows: [
      'hot wallet → attacker: 11 transfers totalling 526,300,010 XEM between 00:02 and 08:26 JST on 2018-01-26, the ' +
        'first a 10 XEM test at 00:02, then 5 × 100,000,000 XEM between 00:04 and 00:09 (Business Insider Japan ' +
        `post-161079 / post-161283, via ${FACTS})`,
      'within about eight minutes: 100,000,000 XEM × 5, 20,000,000 XEM × 1 and 3,000,000 XEM × 1 (ITmedia NEWS ' +
        `2018-01-29 "news079"; r1p-sn.hateblo.jp 2018-01-26, via ${FACTS})`,
      'the remaining 3,300,000 XEM in three later transfers, 1,500,000 at 03:35, 1,000,000 at 04:33 and 800,000 at ' +
        '08:26 JST: the total and the last time follow the sources above; this split and the first two times are ' +
        'as given in fundflow issue #5, not in a published per-transfer list (none was found)',
      'attacker → 9 accounts in 10 moves between 02:57 and 03:59 JST on 2018-01-26 (Business Insider Japan ' +
        `post-161079 / post-161283, via ${FACTS}); the amounts are simulated`,
      'from about 22:33 JST on 2018-01-30 for ~30 minutes: 14 transfers to 9 accounts, 11 × 100 XEM + 3 × 0 XEM = ' +
        `1,100 XEM, to accounts that had sent messages to the attacker (Business Insider Japan post-161283, via ${FACTS})`,
      'warning mosaics mizunashi.coincheck_stolen_funds_do_not_accept_trades:owner_of_this_account_is_hacker ' +
        '(ozcn/nem-sneak scripts/chase_coincheck_20180126.py) and ts:warning_dont_accept_stolen_funds (nemsneak ' +
        `enumerate-infected script), sent to accounts holding stolen XEM (via ${FACTS}); which accounts are simulated`,
      `NIS1 format: NEM epoch 2015-03-29T00:06:25Z, 1 XEM = 1,000,000 micro-XEM, mainnet network byte 0x68 (${FACTS})`,
    ],
  },
  source: { kind: 'nis1', chain: 'nem', network: 'mainnet', endpoint: ENDPOINT },
  trace: {
    seeds: [scenario.hotWallet],
    since: scenario.since,
    until: scenario.until,
    policies,
    maxHops: stop.maxHops,
    minAmount: '0',
    fanOutCap: stop.fanOutCap,
  },
  labels: ['labels.csv'],
  cassette: 'cassette',
  expected: {
    fifo: {
      stolen: scenario.stolen.toString(),
      cashOuts: [...truth]
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
        .map(([address, v]) => ({ address, amount: v.toString() })),
      byReason: Object.fromEntries(Object.entries(scenario.expected.byReason).map(([k, v]) => [k, v.toString()])),
    },
  },
};
await writeCaseFolder(dir, { caseFile: c, cassette, trace, labelFiles: { 'labels.csv': labelsText } });
const bytes = readFileSync(join(dir, 'cassette/cassette.json')).length;
console.error(
  `${NAME}: ${scenario.counts.accounts} accounts and ${scenario.counts.transactions} transactions simulated; ` +
    `${cassette.size} cassette entries (${(bytes / 1e6).toFixed(2)} MB); trace: ${accounts.size} accounts, ` +
    `${trace.transfers.length} transfers, ${taggedInTrace} warning-mosaic labels; FIFO stolen ${xem(scenario.stolen)}, ` +
    `cash-outs ${xem(scenario.expected.byReason['cash-out'] ?? 0n)} at ${truth.size} accounts, matches the ` +
    `ground truth exactly (${Date.now() - started} ms)`,
);
