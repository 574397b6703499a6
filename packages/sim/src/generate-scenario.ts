import { type Asset, FundflowError, type Label, type LabelCategory } from '@fundflow/core';
import { AccountLedger } from './account-ledger';
import { accountGroundTruth, utxoGroundTruth } from './ground-truth';
import type { TxKind } from './ledger';
import { Prng } from './prng';
import type {
  AccountScenario,
  GenerateScenarioOptions,
  GroundTruthEntry,
  Scenario,
  ScenarioCounts,
  SimBlock,
  UtxoScenario,
} from './scenario';
import { planStory, runStory, type StoryFacts } from './story';
import { UtxoLedger } from './utxo-ledger';

export const SIM_ACCOUNT_ASSET: Asset = { chain: 'sim-account', symbol: 'SIM', decimals: 18 };
export const SIM_BITCOIN_ASSET: Asset = { chain: 'bitcoin', symbol: 'BTC', decimals: 8 };
/** 2025-01-01T00:00:00Z: simulated chains start within the year after. */
const EPOCH = 1_735_689_600;

/**
 * Generates a simulated laundering scenario, a pure function of its options (own PRNG, no clock).
 * UTXO scenarios are a Bitcoin regtest chain; account scenarios a 'sim-account' chain with native SIM.
 * @example
 *   const s = generateScenario({ seed: 1, model: 'utxo', size: 2000 });
 *   s.seedAddress; s.since; s.until; s.groundTruth; console.log(s.describe());
 */
export function generateScenario(options: GenerateScenarioOptions & { model: 'utxo' }): UtxoScenario;
export function generateScenario(options: GenerateScenarioOptions & { model: 'account' }): AccountScenario;
export function generateScenario(options: GenerateScenarioOptions): Scenario;
export function generateScenario(options: GenerateScenarioOptions): Scenario {
  const { seed, model, size } = options;
  const noise = options.noise ?? 0.25;
  if (!Number.isSafeInteger(seed)) {
    throw new FundflowError('INVALID_ARGUMENT', `seed must be a safe integer, got ${seed}`, { details: { seed } });
  }
  if (model !== 'utxo' && model !== 'account') {
    throw new FundflowError('INVALID_ARGUMENT', `model must be 'utxo' or 'account', got ${String(model)}`, {
      details: { model },
    });
  }
  if (!Number.isInteger(size) || size < 10 || size > 100_000) {
    throw new FundflowError('INVALID_ARGUMENT', `size must be an integer from 10 to 100000, got ${size}`, {
      details: { size },
    });
  }
  if (!(noise >= 0 && noise <= 0.9)) {
    throw new FundflowError('INVALID_ARGUMENT', `noise must be between 0 and 0.9, got ${noise}`, {
      details: { noise },
    });
  }

  const timeRng = new Prng(seed, 1);
  const startTime = EPOCH + timeRng.int(0, 364) * 86_400 + timeRng.int(0, 86_399);
  const storyRng = new Prng(seed, 2);
  const ledgerRng = new Prng(seed, 3);
  const plan = planStory(model, size, noise);

  if (model === 'utxo') {
    const ledger = new UtxoLedger(seed, ledgerRng, startTime);
    const facts = runStory(ledger, storyRng, plan);
    const common = commonParts('bitcoin', facts, ledger.blocks);
    const drains = new Set(facts.drainIds);
    const attackers = new Set(facts.attackers);
    let stolenTotal = 0n;
    for (const tx of ledger.transactions) {
      if (!drains.has(tx.txid)) continue;
      for (const o of tx.vout) if (o.address !== null && attackers.has(o.address)) stolenTotal += o.value;
    }
    const groundTruth = utxoGroundTruth(ledger.transactions, facts.drainIds, facts.attackers, common.labels);
    checkGroundTruth(groundTruth, stolenTotal);
    const scenario: UtxoScenario = {
      simulated: true,
      model: 'utxo',
      seed,
      size,
      noise,
      chain: 'bitcoin',
      network: 'regtest',
      nativeAsset: SIM_BITCOIN_ASSET,
      ...common.window,
      stolenTotal,
      drainIds: facts.drainIds,
      attackerAddresses: facts.attackers,
      seedAddress: facts.hotWallet,
      labels: common.labels,
      groundTruth,
      asOf: common.asOf,
      counts: counts(facts, ledger.counts(), ledger.transactions.length, ledger.blocks.length, ledger.addresses, true),
      blocks: ledger.blocks,
      transactions: ledger.transactions,
      describe: () => describeScenario(scenario, facts),
    };
    return scenario;
  }

  const ledger = new AccountLedger(seed, ledgerRng, startTime);
  const facts = runStory(ledger, storyRng, plan);
  const common = commonParts(SIM_ACCOUNT_ASSET.chain, facts, ledger.blocks);
  const drains = new Set(facts.drainIds);
  let stolenTotal = 0n;
  for (const t of ledger.transfers) if (drains.has(t.id)) stolenTotal += t.amount;
  const groundTruth = accountGroundTruth(ledger.genesis, ledger.transfers, facts.drainIds, common.labels);
  checkGroundTruth(groundTruth, stolenTotal);
  const scenario: AccountScenario = {
    simulated: true,
    model: 'account',
    seed,
    size,
    noise,
    chain: SIM_ACCOUNT_ASSET.chain,
    nativeAsset: SIM_ACCOUNT_ASSET,
    ...common.window,
    stolenTotal,
    drainIds: facts.drainIds,
    attackerAddresses: facts.attackers,
    seedAddress: facts.hotWallet,
    labels: common.labels,
    groundTruth,
    asOf: common.asOf,
    counts: counts(facts, ledger.counts(), ledger.transfers.length, ledger.blocks.length, ledger.addresses, false),
    blocks: ledger.blocks,
    genesis: ledger.genesis,
    transfers: ledger.transfers,
    describe: () => describeScenario(scenario, facts),
  };
  return scenario;
}

function commonParts(
  chain: string,
  facts: StoryFacts,
  blocks: SimBlock[],
): { labels: Label[]; asOf: string; window: { since: number; until: number; endTime: number; tipHeight: number } } {
  const blockAt = (h: number): SimBlock => {
    const b = blocks[h - (blocks[0]?.height ?? 1)];
    if (!b || b.height !== h) throw new Error(`simulated block ${h} is missing`);
    return b;
  };
  const tip = blocks[blocks.length - 1] as SimBlock;
  const asOf = new Date(tip.time * 1000).toISOString().slice(0, 10);
  const label = (address: string, name: string, category: LabelCategory): Label => ({
    address,
    chain,
    name,
    category,
    pack: 'sim',
    source: 'simulated',
    asOf,
    confidence: 'high',
  });
  const labels: Label[] = [
    label(facts.hotWallet, 'SimVictim exchange hot wallet (simulated)', 'victim'),
    ...facts.attackers.map((a) => label(a, 'SimAttacker drain address (simulated)', 'attacker')),
    ...facts.exchangeDepositAddresses.map((a) => label(a, 'SimExchange deposit address (simulated)', 'exchange')),
    label(facts.exchangeHot, 'SimExchange hot wallet (simulated)', 'exchange'),
    label(facts.mixer, 'SimMixer (simulated)', 'mixer'),
  ];
  return {
    labels,
    asOf,
    window: {
      since: blockAt(facts.drainStartHeight).time,
      until: blockAt(facts.drainEndHeight).time,
      endTime: tip.time,
      tipHeight: tip.height,
    },
  };
}

function checkGroundTruth(entries: GroundTruthEntry[], stolenTotal: bigint): void {
  const sum = entries.reduce((s, e) => s + e.amount, 0n);
  if (sum !== stolenTotal) throw new Error(`ground truth sums to ${sum}, stolen total is ${stolenTotal}`);
}

function counts(
  facts: StoryFacts,
  kinds: Record<TxKind, number>,
  transactions: number,
  blocks: number,
  addresses: number,
  utxo: boolean,
): ScenarioCounts {
  return {
    transactions,
    coinbases: utxo ? blocks : 0,
    blocks,
    addresses,
    drains: facts.drainIds.length,
    splits: facts.splits,
    branches: facts.branches,
    peelSteps: facts.peelSteps,
    merges: facts.merges,
    mergesWithClean: facts.mergesWithClean,
    exchangeDeposits: facts.exchangeDeposits,
    mixerDeposits: facts.mixerDeposits,
    hotWalletTxs: kinds['hot-deposit'] + kinds['hot-withdrawal'] + kinds.drain,
    noiseTxs: kinds.noise,
    serviceTxs: kinds.service + kinds.funding,
    dustOutputs: facts.dustOutputs,
  };
}

/**
 * Base units as a decimal string, trailing zeros dropped.
 * @example formatAmount(123456789n, 8) // '1.23456789'
 */
export function formatAmount(amount: bigint, decimals: number): string {
  const neg = amount < 0n;
  const s = (neg ? -amount : amount).toString().padStart(decimals + 1, '0');
  const int = s.slice(0, s.length - decimals);
  const frac = s.slice(s.length - decimals).replace(/0+$/, '');
  return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

function describeScenario(s: Scenario, facts: StoryFacts): string {
  const unit = s.nativeAsset.symbol;
  const fmt = (a: bigint): string => `${formatAmount(a, s.nativeAsset.decimals)} ${unit}`;
  const iso = (t: number): string => new Date(t * 1000).toISOString();
  const sum = (status: GroundTruthEntry['status'], category?: LabelCategory): { amount: bigint; n: number } => {
    const es = s.groundTruth.filter((e) => e.status === status && (!category || e.label?.category === category));
    return { amount: es.reduce((a, e) => a + e.amount, 0n), n: es.length };
  };
  const exch = sum('cash-out', 'exchange');
  const mix = sum('cash-out', 'mixer');
  const unspent = sum('unspent');
  const fees = sum('fee');
  const c = s.counts;
  const chain = s.model === 'utxo' ? 'bitcoin regtest' : 'sim-account';
  return [
    `SIMULATED ${s.model} scenario (${chain}), seed ${s.seed}, size ${s.size}, noise ${s.noise}. No real chain data.`,
    `Victim hot wallet ${s.seedAddress} drained in ${c.drains} ${s.model === 'utxo' ? 'transactions' : 'transfers'} ` +
      `between ${iso(s.since)} and ${iso(s.until)}: ${fmt(s.stolenTotal)} stolen to ${s.attackerAddresses.length} ` +
      `attacker address(es).`,
    `Laundering: ${c.splits} splits into ${c.branches} branches, ${c.peelSteps} peel steps, ${c.merges} merges ` +
      `(${c.mergesWithClean} with clean inputs), ${c.exchangeDeposits} exchange deposits, ${c.mixerDeposits} mixer ` +
      `deposits, ${c.dustOutputs} dust outputs.`,
    `Background: ${c.hotWalletTxs} hot wallet ${s.model === 'utxo' ? 'transactions' : 'transfers'} (drain included), ` +
      `${c.noiseTxs} noise, ${c.serviceTxs} service/funding.`,
    `Ground truth (FIFO): ${fmt(exch.amount)} cashed out at ${exch.n} exchange addresses, ${fmt(mix.amount)} at the ` +
      `mixer, ${fmt(unspent.amount)} unspent at ${unspent.n} addresses, ${fmt(fees.amount)} paid as fees.`,
    `Chain: ${c.transactions} ${s.model === 'utxo' ? `transactions (${c.coinbases} coinbases)` : 'transfers'} in ` +
      `${c.blocks} blocks up to height ${s.tipHeight}, ${c.addresses} addresses; exchange cluster of ` +
      `${facts.exchangeDepositAddresses.length + 1} labelled addresses.`,
    `Trace seed: ${s.seedAddress}, since ${s.since}, until ${s.until}.`,
  ].join('\n');
}
