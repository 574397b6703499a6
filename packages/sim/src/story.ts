/**
 * The laundering story, written once over the `Ledger` operations and run on either ledger model:
 * an exchange hot wallet with clean activity, a drain, splits, peel chains, merges (some with clean inputs),
 * deposits to a labelled exchange and a mixer, unrelated noise, dust, value left unspent.
 * Every actor is a generator process; a scheduler runs the ready ones in shuffled order each block.
 */
import type { Model } from '@fundflow/core';
import type { Ledger, OutputSpec, Payment, SourceSpec } from './ledger';
import type { Prng } from './prng';

export interface StoryPlan {
  model: Model;
  customers: number;
  hotDeposits: number;
  hotWithdrawals: number;
  noiseTxs: number;
  serviceTxs: number;
  exchangeDepositAddresses: number;
  branches: number;
  attackers: number;
  drains: number;
  avgChainLength: number;
  /** Blocks of coinbase-only prelude (UTXO: regtest `generatetoaddress`; mature coins fund the economy). */
  preludeBlocks: number;
  preBlocks: number;
  storyBlocks: number;
  postBlocks: number;
}

export interface StoryFacts {
  hotWallet: string;
  attackers: string[];
  attackerClean: string;
  exchangeDepositAddresses: string[];
  exchangeHot: string;
  mixer: string;
  customers: string[];
  drainIds: string[];
  drainStartHeight: number;
  drainEndHeight: number;
  splits: number;
  branches: number;
  peelSteps: number;
  merges: number;
  mergesWithClean: number;
  exchangeDeposits: number;
  mixerDeposits: number;
  dustOutputs: number;
}

type Fate = 'exchange' | 'mixer' | 'merge' | 'unspent';

interface MergeSlot {
  done: boolean;
  address: string;
}

interface MergeGroup {
  members: MergeSlot[];
  withClean: boolean;
  fate: Exclude<Fate, 'merge'>;
  length: number;
}

const clamp = (x: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, x));

/**
 * Sizes every part of the story so the total number of transfers is close to `size`.
 * @example planStory('utxo', 2000, 0.25).branches // 34
 */
export function planStory(model: Model, size: number, noise: number): StoryPlan {
  const perStep = model === 'utxo' ? 1 : 2;
  const customers = clamp(Math.round(size / 25), 4, 3000);
  const hotDeposits = clamp(Math.round(size * 0.04), 6, 2500);
  const hotWithdrawals = clamp(Math.round(size * 0.03), 2, 2500);
  const noiseTxs = Math.round(size * noise);
  const serviceTxs = clamp(Math.round(size * 0.03), 2, 3000);
  const funding = model === 'utxo' ? Math.ceil((customers + 6) / 25) : 0;
  const storyBudget = Math.max(12, size - noiseTxs - hotDeposits - hotWithdrawals - serviceTxs - funding);
  const branches = clamp(Math.round(storyBudget ** 0.55 / 1.5), 5, 400);
  const drains = size < 200 ? 2 : size < 5000 ? 3 : 4;
  const attackers = size >= 2000 ? 2 : 1;
  const merges = Math.max(1, Math.round((branches * 0.35) / 2.7));
  const overhead = drains + attackers * perStep + branches * (model === 'utxo' ? 0.3 : 1) + merges * 3 + branches;
  const chainSteps = Math.max(branches, storyBudget - overhead);
  const avgChainLength = Math.max(1, chainSteps / (perStep * (branches + merges * 0.4)));
  return {
    model,
    customers,
    hotDeposits,
    hotWithdrawals,
    noiseTxs,
    serviceTxs,
    exchangeDepositAddresses: clamp(Math.round(size / 400), 3, 40),
    branches,
    attackers,
    drains,
    avgChainLength,
    preludeBlocks: model === 'utxo' ? 100 + clamp(Math.ceil(size / 100), 2, 48) : 0,
    preBlocks: clamp(Math.round(size / 60), 3, 600),
    storyBlocks: clamp(Math.round(size / 30), 6, 4000),
    postBlocks: clamp(Math.round(size / 300), 2, 200),
  };
}

/** Spreads `remaining` actions over blocks [from, to]. */
class Pacer {
  constructor(
    public remaining: number,
    private readonly from: number,
    private readonly to: number,
  ) {}

  take(height: number, rng: Prng): number {
    if (height < this.from || this.remaining <= 0) return 0;
    const expected = this.remaining / Math.max(1, this.to - height + 1);
    const n = Math.min(this.remaining, Math.floor(expected) + (rng.chance(expected % 1) ? 1 : 0));
    this.remaining -= n;
    return n;
  }
}

type Proc = Iterator<number, void, undefined>;

class Scheduler {
  private procs: { it: Proc; readyAt: number; done: boolean }[] = [];

  spawn(it: Proc, readyAt: number): void {
    this.procs.push({ it, readyAt, done: false });
  }

  get alive(): boolean {
    return this.procs.length > 0;
  }

  runBlock(height: number, rng: Prng): void {
    const ready = rng.shuffle(this.procs.filter((p) => p.readyAt <= height));
    for (const p of ready) {
      const r = p.it.next();
      if (r.done) p.done = true;
      else p.readyAt = height + Math.max(1, r.value);
    }
    this.procs = this.procs.filter((p) => !p.done);
  }
}

/** Keeps two significant digits most of the time: people pay round amounts, change is what is left. */
function roundish(rng: Prng, amount: bigint): bigint {
  if (!rng.chance(0.6)) return amount;
  const digits = amount.toString().length;
  if (digits <= 3) return amount;
  const factor = 10n ** BigInt(digits - 2);
  return (amount / factor) * factor;
}

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function weights(rng: Prng, n: number): number[] {
  const w = Array.from({ length: n }, () => rng.range(0.5, 1.5));
  const sum = w.reduce((s, x) => s + x, 0);
  return w.map((x) => x / sum);
}

/**
 * Runs the story on `ledger` block by block until every process has finished and the background budget is spent.
 * @example runStory(new UtxoLedger(1, rng, t0), rng, planStory('utxo', 2000, 0.25))
 */
export function runStory(ledger: Ledger, rng: Prng, plan: StoryPlan): StoryFacts {
  const sched = new Scheduler();
  const minChainValue = ledger.unit / 5000n;
  const hotWallet = ledger.newAddress('exchange');
  const exchangeHot = ledger.newAddress('exchange');
  const exchangeDepositAddresses = Array.from({ length: plan.exchangeDepositAddresses }, () =>
    ledger.newAddress('exchange'),
  );
  const mixer = ledger.newAddress('service');
  const attackers = Array.from({ length: plan.attackers }, () => ledger.newAddress('attacker'));
  const attackerClean = ledger.newAddress('attacker');
  const customers = Array.from({ length: plan.customers }, () => ledger.newAddress('customer'));
  const facts: StoryFacts = {
    hotWallet,
    attackers,
    attackerClean,
    exchangeDepositAddresses,
    exchangeHot,
    mixer,
    customers,
    drainIds: [],
    drainStartHeight: 0,
    drainEndHeight: 0,
    splits: 0,
    branches: 0,
    peelSteps: 0,
    merges: 0,
    mergesWithClean: 0,
    exchangeDeposits: 0,
    mixerDeposits: 0,
    dustOutputs: 0,
  };

  // --- funding -------------------------------------------------------------------------------------------------
  const fundPayments = (): Payment[] => {
    // UTXO: the mature coinbases of the prelude (50 BTC each) are the whole supply; account: a genesis allocation.
    const budget =
      plan.model === 'utxo'
        ? ((BigInt(plan.preludeBlocks - 100 + 1) * 50n * ledger.unit) / 100n) * 90n
        : BigInt(plan.customers) * 1000n * ledger.unit;
    const customerBudget = (budget * 92n) / 100n;
    const w = weights(rng, customers.length);
    const payments = customers.map((to, i) => ({ to, amount: rng.fraction(customerBudget, w[i] as number) }));
    // The attacker's own clean funds, mixed into some merges (UTXO: one whole coin per merge).
    const cleanCoins = plan.model === 'utxo' ? 6 + Math.ceil(plan.branches / 8) : 1;
    for (let i = 0; i < cleanCoins; i++) {
      payments.push({
        to: attackerClean,
        amount: rng.fraction(budget - customerBudget, rng.range(0.5, 1) / cleanCoins),
      });
    }
    if (plan.model === 'account') payments.push({ to: hotWallet, amount: rng.fraction(budget, rng.range(0.05, 0.1)) });
    return rng.shuffle(payments);
  };
  const economyStart = plan.preludeBlocks + 1;
  if (plan.model === 'account') ledger.fund(fundPayments());

  // --- timeline ------------------------------------------------------------------------------------------------
  const drainStart = economyStart + 1 + plan.preBlocks;
  const drainBlocks = Math.min(3, plan.drains);
  const drainEnd = drainStart + drainBlocks - 1;
  const plannedEnd = drainEnd + plan.storyBlocks + plan.postBlocks;
  facts.drainStartHeight = drainStart;
  facts.drainEndHeight = drainEnd;
  const meanWait = Math.max(1, (plan.storyBlocks * 0.6) / (plan.avgChainLength * 1.4));
  const stepWait = (): number => 1 + Math.min(Math.floor(rng.exp(meanWait - 1 + 1e-9)), Math.ceil(meanWait * 4));

  const pacers = {
    depositsPre: new Pacer(Math.round(plan.hotDeposits * 0.8), economyStart + 1, drainStart - 1),
    depositsPost: new Pacer(plan.hotDeposits - Math.round(plan.hotDeposits * 0.8), drainEnd + 1, plannedEnd),
    withdrawalsPre: new Pacer(Math.round(plan.hotWithdrawals * 0.2), economyStart + 2, drainStart - 1),
    withdrawalsPost: new Pacer(plan.hotWithdrawals - Math.round(plan.hotWithdrawals * 0.2), drainEnd + 1, plannedEnd),
    noise: new Pacer(plan.noiseTxs, economyStart + 1, plannedEnd),
    service: new Pacer(plan.serviceTxs, economyStart + 2, plannedEnd),
  };
  let depositTotal = 0n;
  let depositCount = 0;

  const pickCustomer = (min: bigint): string | undefined => {
    for (let i = 0; i < 6; i++) {
      const c = rng.pick(customers);
      if (ledger.balance(c) > min) return c;
    }
    return undefined;
  };
  const otherCustomers = (n: number, exclude: string): string[] => {
    const out = new Set<string>();
    for (let i = 0; i < n * 3 && out.size < n; i++) {
      const c = rng.pick(customers);
      if (c !== exclude) out.add(c);
    }
    return [...out];
  };

  // --- background actors ---------------------------------------------------------------------------------------
  const hotDeposit = (): void => {
    const c = pickCustomer(minChainValue);
    if (c === undefined) return;
    const amount = roundish(rng, rng.fraction(ledger.balance(c), rng.range(0.05, 0.35)));
    if (ledger.pay(c, [{ to: hotWallet, amount }], 'hot-deposit')) {
      depositTotal += amount;
      depositCount++;
    }
  };
  const hotWithdrawal = (): void => {
    const bal = ledger.balance(hotWallet);
    const avg = depositCount > 0 ? depositTotal / BigInt(depositCount) : bal / 100n;
    const payments = otherCustomers(rng.int(1, 3), hotWallet).map((to) => {
      const a = rng.fraction(avg, rng.range(0.1, 0.8));
      const b = rng.fraction(bal, rng.range(0.0005, 0.004));
      return { to, amount: roundish(rng, minBig(a, b)) };
    });
    ledger.pay(hotWallet, payments, 'hot-withdrawal');
  };
  const noiseTx = (): void => {
    const c = pickCustomer(minChainValue);
    if (c === undefined) return;
    const n = rng.chance(0.8) ? 1 : 2;
    const bal = ledger.balance(c);
    const payments: Payment[] = [];
    for (let i = 0; i < n; i++) {
      const r = rng.next();
      const to =
        r < 0.75
          ? (otherCustomers(1, c)[0] ?? ledger.newAddress('merchant'))
          : r < 0.85
            ? rng.pick(exchangeDepositAddresses)
            : r < 0.88
              ? mixer
              : ledger.newAddress('merchant');
      if (payments.some((p) => p.to === to)) continue;
      payments.push({ to, amount: roundish(rng, rng.fraction(bal, rng.range(0.01, 0.4) / n)) });
    }
    const dust = rng.chance(0.05);
    if (dust) payments.push({ to: ledger.newAddress('merchant'), amount: ledger.dust(rng) });
    if (ledger.pay(c, payments, 'noise') && dust) facts.dustOutputs++;
  };
  const serviceTx = (): void => {
    const r = rng.next();
    if (r < 0.5) {
      const d = rng.pick(exchangeDepositAddresses);
      if (ledger.balance(d) > 0n)
        ledger.sweep([{ address: d, all: true }], [{ to: exchangeHot, rest: true }], 'service');
      return;
    }
    const from = r < 0.8 ? exchangeHot : mixer;
    const bal = ledger.balance(from);
    if (bal <= minChainValue) return;
    const payments = otherCustomers(rng.int(1, 3), from).map((to) => ({
      to,
      amount: roundish(rng, rng.fraction(bal, rng.range(0.01, 0.1))),
    }));
    ledger.pay(from, payments, 'service');
  };

  // --- the theft -----------------------------------------------------------------------------------------------
  const fates: Fate[] = (() => {
    const b = plan.branches;
    const mixerN = Math.max(1, Math.round(b * 0.08));
    const unspentN = Math.max(1, Math.round(b * 0.12));
    const mergeN = Math.max(2, Math.round(b * 0.3));
    const exchangeN = b - mixerN - unspentN - mergeN;
    const list: Fate[] = [];
    for (let i = 0; i < exchangeN; i++) list.push('exchange');
    for (let i = 0; i < mixerN; i++) list.push('mixer');
    for (let i = 0; i < unspentN; i++) list.push('unspent');
    for (let i = 0; i < mergeN; i++) list.push('merge');
    return rng.shuffle(list);
  })();
  const mergeSlots = new Map<number, MergeSlot>();
  const mergeGroups: MergeGroup[] = [];
  {
    const idx = fates.flatMap((f, i) => (f === 'merge' ? [i] : []));
    let first = true;
    while (idx.length > 0) {
      const take = idx.length <= 3 ? idx.length : Math.min(idx.length, rng.int(2, 4));
      const group = idx.splice(0, idx.length - take === 1 ? take + 1 : take);
      const members = group.map((i) => {
        const slot = { done: false, address: '' };
        mergeSlots.set(i, slot);
        return slot;
      });
      const r = rng.next();
      mergeGroups.push({
        members,
        withClean: first || rng.chance(0.5),
        fate: first ? 'exchange' : r < 0.55 ? 'exchange' : r < 0.7 ? 'mixer' : 'unspent',
        length: Math.round(plan.avgChainLength * rng.range(0.2, 0.6)),
      });
      first = false;
    }
  }

  /** Retries an operation a few blocks when an account-chain block rule (or a busy address) refuses it. */
  function* retry(op: () => string[] | null): Generator<number, string[] | null, undefined> {
    for (let i = 0; i < 8; i++) {
      yield 1;
      const ids = op();
      if (ids !== null) return ids;
    }
    return null;
  }

  function* settle(address: string, fate: Fate, slot: MergeSlot | undefined): Generator<number, void, undefined> {
    if (fate === 'merge') {
      if (slot) {
        slot.address = address;
        slot.done = true;
      }
      return;
    }
    if (fate === 'unspent') return;
    const to = fate === 'exchange' ? rng.pick(exchangeDepositAddresses) : mixer;
    const op = (): string[] | null => ledger.sweep([{ address, all: true }], [{ to, rest: true }], 'deposit');
    const ids = op() ?? (yield* retry(op));
    if (ids === null) return;
    if (fate === 'exchange') facts.exchangeDeposits++;
    else facts.mixerDeposits++;
  }

  function* chain(start: string, length: number, fate: Fate, slot?: MergeSlot): Generator<number, void, undefined> {
    let address = start;
    for (let step = 0; step < length; step++) {
      yield stepWait();
      const bal = ledger.balance(address);
      if (bal < minChainValue * 2n) break;
      const r = rng.next();
      let to: string;
      let amount: bigint;
      let kind: 'exchange' | 'customer' | 'merchant' | 'dust';
      if (r < 0.08) {
        kind = 'dust';
        to = ledger.newAddress('merchant');
        amount = ledger.dust(rng);
      } else {
        const frac = Math.min(0.25, rng.range(0.3, 1.7) / Math.max(4, length));
        amount = roundish(rng, rng.fraction(bal, frac));
        if (amount < ledger.minOutput) amount = ledger.minOutput;
        if (r < 0.5) {
          kind = 'exchange';
          to = rng.pick(exchangeDepositAddresses);
        } else if (r < 0.6) {
          kind = 'customer';
          to = rng.pick(customers);
        } else {
          kind = 'merchant';
          to = ledger.newAddress('merchant');
        }
      }
      const next = ledger.newAddress('attacker');
      const peel: OutputSpec = { to, amount };
      const carry: OutputSpec = { to: next, rest: true };
      const outputs = rng.chance(0.5) ? [peel, carry] : [carry, peel];
      const op = (): string[] | null => ledger.sweep([{ address, all: true }], outputs, 'peel');
      const ids = op() ?? (yield* retry(op));
      if (ids === null) break;
      facts.peelSteps++;
      if (kind === 'exchange') facts.exchangeDeposits++;
      if (kind === 'dust') facts.dustOutputs++;
      address = next;
    }
    yield stepWait();
    yield* settle(address, fate, slot);
  }

  function* merge(group: MergeGroup): Generator<number, void, undefined> {
    while (!group.members.every((m) => m.done)) yield 1;
    yield rng.int(1, 6);
    const sources: SourceSpec[] = group.members
      .filter((m) => ledger.balance(m.address) >= minChainValue)
      .map((m) => ({ address: m.address, all: true }));
    if (sources.length === 0) return;
    let withClean = false;
    if (group.withClean) {
      const avg = sources.reduce((s, x) => s + ledger.balance(x.address), 0n) / BigInt(sources.length);
      const cap = ledger.balance(attackerClean) / 2n;
      const amount = minBig(rng.fraction(avg, rng.range(0.1, 0.6)), cap);
      if (amount >= ledger.minOutput * 10n) {
        sources.splice(rng.int(0, sources.length), 0, { address: attackerClean, amount });
        withClean = true;
      }
    }
    const target = ledger.newAddress('attacker');
    const op = (): string[] | null => ledger.sweep(sources, [{ to: target, rest: true }], 'merge');
    const ids = op() ?? (yield* retry(op));
    if (ids === null) return;
    facts.merges++;
    if (withClean) facts.mergesWithClean++;
    yield* chain(target, group.length, group.fate);
  }

  function* splitTo(from: string, targets: { address: string; branches: number }[]): Generator<number, void> {
    const bal = ledger.balance(from);
    const w = weights(rng, targets.length);
    const outputs: OutputSpec[] = targets.map((t, i) =>
      i === targets.length - 1
        ? { to: t.address, rest: true }
        : { to: t.address, amount: rng.fraction((bal * 999n) / 1000n, w[i] as number) },
    );
    const op = (): string[] | null => ledger.sweep([{ address: from, all: true }], outputs, 'split');
    const ids = op() ?? (yield* retry(op));
    if (ids === null) throw new Error(`simulated split from ${from} failed`);
    facts.splits++;
  }

  let nextBranch = 0;
  const startBranch = (address: string, readyAt: number): void => {
    const i = nextBranch++;
    const fate = fates[i] ?? 'exchange';
    const length = Math.max(1, Math.round(plan.avgChainLength * rng.range(0.3, 1.7)));
    facts.branches++;
    sched.spawn(chain(address, length, fate, mergeSlots.get(i)), readyAt);
  };

  function* levelTwo(address: string, branches: number): Generator<number, void, undefined> {
    const leaves = Array.from({ length: branches }, () => ({ address: ledger.newAddress('attacker'), branches: 1 }));
    yield* splitTo(address, leaves);
    for (const leaf of leaves) startBranch(leaf.address, ledger.height + 1);
  }

  function* split(): Generator<number, void, undefined> {
    const b = plan.branches;
    const level1 = Math.min(b, Math.max(attackers.length, rng.int(3, 8)));
    const counts = Array.from({ length: level1 }, () => 1);
    for (let i = level1; i < b; i++) counts[rng.int(0, level1 - 1)]! += 1;
    const firsts = counts.map((n) => ({ address: ledger.newAddress('attacker'), branches: n }));
    const perAttacker = attackers.map((_, i) => firsts.filter((_, j) => j % attackers.length === i));
    for (let i = 0; i < attackers.length; i++) {
      if (i > 0) yield rng.int(0, 2);
      yield* splitTo(attackers[i] as string, perAttacker[i] as typeof firsts);
    }
    for (const f of firsts) {
      if (f.branches === 1) startBranch(f.address, ledger.height + 1);
      else sched.spawn(levelTwo(f.address, f.branches), ledger.height + rng.int(1, 4));
    }
  }

  function* drain(): Generator<number, void, undefined> {
    const hotBalance = ledger.balance(hotWallet);
    const target = rng.fraction(hotBalance, rng.range(0.45, 0.7));
    let test = roundish(rng, rng.fraction(target, rng.range(0.001, 0.01)));
    if (test < ledger.minOutput * 10n) test = ledger.minOutput * 10n;
    const w = weights(rng, plan.drains - 1);
    const bigs = w.map((x) => rng.fraction(target - test, x));
    const byBlock: { to: string; amount: bigint }[][] = [[{ to: attackers[0] as string, amount: test }]];
    bigs.forEach((amount, j) => {
      const block = 1 + (j % (drainBlocks - 1));
      const list = byBlock[block] ?? [];
      list.push({ to: attackers[j % attackers.length] as string, amount });
      byBlock[block] = list;
    });
    for (let b = 0; b < byBlock.length; b++) {
      if (b > 0) yield 1;
      for (const p of byBlock[b] ?? []) {
        const ids = ledger.pay(hotWallet, [p], 'drain', { largestFirst: b > 0 });
        if (ids === null) throw new Error('simulated drain failed: the hot wallet cannot pay it');
        facts.drainIds.push(...ids);
      }
    }
    sched.spawn(split(), ledger.height + rng.int(1, 6));
  }

  for (const group of mergeGroups) sched.spawn(merge(group), drainEnd + 1);
  sched.spawn(drain(), drainStart);

  // --- the block loop ------------------------------------------------------------------------------------------
  const inDrain = (h: number): boolean => h >= drainStart && h <= drainEnd;
  const pacersLeft = (): boolean => Object.values(pacers).some((p) => p.remaining > 0);
  for (;;) {
    ledger.openBlock();
    const h = ledger.height;
    if (h > plannedEnd + 100_000) throw new Error('simulated story did not finish');
    if (h === economyStart && plan.model === 'utxo') ledger.fund(fundPayments());
    if (h >= economyStart) {
      sched.runBlock(h, rng);
      if (!inDrain(h)) {
        for (let i = pacers.depositsPre.take(h, rng) + pacers.depositsPost.take(h, rng); i > 0; i--) hotDeposit();
        for (let i = pacers.withdrawalsPre.take(h, rng) + pacers.withdrawalsPost.take(h, rng); i > 0; i--) {
          hotWithdrawal();
        }
      }
      for (let i = pacers.noise.take(h, rng); i > 0; i--) noiseTx();
      for (let i = pacers.service.take(h, rng); i > 0; i--) serviceTx();
    }
    ledger.closeBlock();
    if (h >= plannedEnd && !sched.alive && !pacersLeft()) break;
  }
  return facts;
}
