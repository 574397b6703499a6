/**
 * An account-model FIFO ledger for a scenario's *own* bookkeeping (independent of any ChainSource and of the tracer):
 * the scenario script tells it every value movement it caused, in chain order, and it says how much stolen value went
 * where.
 *
 * The rule (Clayton's case over an address's balance history):
 * - every (address, asset) balance is a queue of runs `{amount, stolen}`; money that appears from outside the chain
 *   (genesis, `anvil_setBalance`, a token's mint) is a clean run;
 * - a transfer takes its amount from the head of the sender's queue and appends those runs, in order, to the
 *   receiver's queue; a transaction's movements are applied in execution order (the tx's own value, internal calls,
 *   token transfers as the contract makes them), and its gas fee (ETH) is taken from the head of the sender's queue
 *   after all of them;
 * - a theft transfer (victim → attacker inside the theft window) arrives wholly stolen, whatever the victim held;
 * - value arriving at a *stop* address (a labelled mixer, bridge, exchange or service) is counted as reached there and
 *   continues as clean (the trail ends at the service);
 * - a swap at a pool is a conversion: the tokens go to the pool (a stop), and the asset paid back carries the stolen
 *   share of the tokens sent (`out × stolenIn / in`, rounded down), stolen part first.
 */

export interface Run {
  amount: bigint;
  stolen: boolean;
}

export interface FifoLedgerOptions {
  /** Stop addresses → their label category (e.g. `mixer`). */
  stops?: Record<string, string>;
  /** Addresses whose stolen arrivals are counted without stopping there (e.g. exchange deposit addresses). */
  watch?: readonly string[];
}

const key = (address: string, asset: string) => `${address.toLowerCase()}|${asset}`;

function add(map: Map<string, bigint>, k: string, v: bigint): void {
  if (v !== 0n) map.set(k, (map.get(k) ?? 0n) + v);
}

function sumStolen(runs: readonly Run[]): bigint {
  return runs.reduce((s, r) => s + (r.stolen ? r.amount : 0n), 0n);
}

/**
 * A FIFO taint ledger over account balances. Throws when asked to move more than an address holds: the bookkeeping
 * must match the chain exactly.
 * @example
 *   const l = new FifoLedger({ stops: { [mixer]: 'mixer' } });
 *   l.credit(victim, 'ETH', 100n); l.theft(victim, attacker, 'ETH', 60n); l.transfer(attacker, mixer, 'ETH', 10n);
 *   l.reachedByCategory('mixer').get('ETH') === 10n
 */
export class FifoLedger {
  private readonly queues = new Map<string, Run[]>();
  private readonly stops: Map<string, string>;
  private readonly watched: Set<string>;
  /** Display spelling of each address seen, by lowercase. */
  private readonly spelled = new Map<string, string>();
  /** asset → stolen amount that left the victim. */
  readonly stolen = new Map<string, bigint>();
  /** asset → stolen value that came back out of swaps (the conversion's output side). */
  readonly swappedOut = new Map<string, bigint>();
  /** category → asset → stolen amount that reached a stop of that category. */
  private readonly reachedCat = new Map<string, Map<string, bigint>>();
  /** address → asset → stolen amount that arrived (stops and watched addresses). */
  private readonly reachedAddr = new Map<string, Map<string, bigint>>();
  /** asset → stolen amount paid as gas fees. */
  readonly fees = new Map<string, bigint>();

  constructor(options: FifoLedgerOptions = {}) {
    this.stops = new Map(Object.entries(options.stops ?? {}).map(([a, c]) => [a.toLowerCase(), c]));
    this.watched = new Set((options.watch ?? []).map((a) => a.toLowerCase()));
    for (const a of [...Object.keys(options.stops ?? {}), ...(options.watch ?? [])]) this.see(a);
  }

  /** Value appearing from outside the ledger (genesis, setBalance, mint): a clean run unless `stolen`. */
  credit(address: string, asset: string, amount: bigint, stolen = false): void {
    this.append(address, asset, [{ amount, stolen }]);
  }

  /** A theft transfer: taken FIFO from the victim, arriving wholly stolen. */
  theft(from: string, to: string, asset: string, amount: bigint): void {
    this.take(from, asset, amount);
    add(this.stolen, asset, amount);
    this.arrive(to, asset, [{ amount, stolen: true }]);
  }

  /** An ordinary transfer; returns the stolen part it carried. */
  transfer(from: string, to: string, asset: string, amount: bigint): bigint {
    const runs = this.take(from, asset, amount);
    this.arrive(to, asset, runs);
    return sumStolen(runs);
  }

  /** A gas fee paid by `from` (after the transaction's transfers); returns the stolen part burnt. */
  fee(from: string, asset: string, amount: bigint): bigint {
    const stolen = sumStolen(this.take(from, asset, amount));
    add(this.fees, asset, stolen);
    return stolen;
  }

  /**
   * A swap: `amountIn` of `assetIn` from `trader` to `pool`, `amountOut` of `assetOut` back from the pool. Returns the
   * stolen input and the stolen output it carries on.
   */
  swap(
    trader: string,
    pool: string,
    assetIn: string,
    amountIn: bigint,
    assetOut: string,
    amountOut: bigint,
  ): { stolenIn: bigint; stolenOut: bigint } {
    const stolenIn = this.transfer(trader, pool, assetIn, amountIn);
    this.take(pool, assetOut, amountOut);
    const stolenOut = amountIn === 0n ? 0n : (amountOut * stolenIn) / amountIn;
    add(this.swappedOut, assetOut, stolenOut);
    this.arrive(trader, assetOut, [
      { amount: stolenOut, stolen: true },
      { amount: amountOut - stolenOut, stolen: false },
    ]);
    return { stolenIn, stolenOut };
  }

  balance(address: string, asset: string): bigint {
    return (this.queues.get(key(address, asset)) ?? []).reduce((s, r) => s + r.amount, 0n);
  }

  stolenBalance(address: string, asset: string): bigint {
    return sumStolen(this.queues.get(key(address, asset)) ?? []);
  }

  /** A copy of an address's queue for one asset. */
  runs(address: string, asset: string): Run[] {
    return (this.queues.get(key(address, asset)) ?? []).map((r) => ({ ...r }));
  }

  /** asset → stolen amount that reached stops of `category`. */
  reachedByCategory(category: string): Map<string, bigint> {
    return new Map(this.reachedCat.get(category) ?? []);
  }

  /** address → asset → stolen amount that arrived there, for every stop and watched address reached. */
  reachedByAddress(): Map<string, Map<string, bigint>> {
    return new Map([...this.reachedAddr].map(([a, m]) => [this.spell(a), new Map(m)]));
  }

  /** Every (address, asset, balance, stolen) the ledger holds, addresses as first spelled. */
  holdings(): Array<{ address: string; asset: string; balance: bigint; stolen: bigint }> {
    return [...this.queues].map(([k, runs]) => {
      const [address, asset] = k.split('|') as [string, string];
      return {
        address: this.spell(address),
        asset,
        balance: runs.reduce((s, r) => s + r.amount, 0n),
        stolen: sumStolen(runs),
      };
    });
  }

  isStop(address: string): boolean {
    return this.stops.has(address.toLowerCase());
  }

  private see(address: string): void {
    if (!this.spelled.has(address.toLowerCase())) this.spelled.set(address.toLowerCase(), address);
  }

  private spell(lower: string): string {
    return this.spelled.get(lower) ?? lower;
  }

  private take(address: string, asset: string, amount: bigint): Run[] {
    if (amount < 0n) throw new Error(`ledger: negative amount ${amount}`);
    const queue = this.queues.get(key(address, asset)) ?? [];
    const have = queue.reduce((s, r) => s + r.amount, 0n);
    if (have < amount) throw new Error(`ledger: ${address} holds ${have} ${asset}, cannot send ${amount}`);
    const got: Run[] = [];
    let left = amount;
    while (left > 0n) {
      const head = queue[0]!;
      // bigint: no Math.min.
      let k = left;
      if (head.amount < left) k = head.amount;
      got.push({ amount: k, stolen: head.stolen });
      head.amount -= k;
      left -= k;
      if (head.amount === 0n) queue.shift();
    }
    return got;
  }

  private arrive(address: string, asset: string, runs: Run[]): void {
    const lower = address.toLowerCase();
    const stolen = sumStolen(runs);
    const category = this.stops.get(lower);
    if (stolen > 0n && (category !== undefined || this.watched.has(lower))) {
      const m = this.reachedAddr.get(lower) ?? new Map<string, bigint>();
      add(m, asset, stolen);
      this.reachedAddr.set(lower, m);
    }
    if (category !== undefined) {
      const m = this.reachedCat.get(category) ?? new Map<string, bigint>();
      add(m, asset, stolen);
      this.reachedCat.set(category, m);
      this.append(address, asset, [{ amount: runs.reduce((s, r) => s + r.amount, 0n), stolen: false }]);
      return;
    }
    this.append(address, asset, runs);
  }

  private append(address: string, asset: string, runs: readonly Run[]): void {
    this.see(address);
    const k = key(address, asset);
    const queue = this.queues.get(k) ?? [];
    for (const r of runs) {
      if (r.amount === 0n) continue;
      const last = queue[queue.length - 1];
      if (last && last.stolen === r.stolen) last.amount += r.amount;
      else queue.push({ ...r });
    }
    this.queues.set(k, queue);
  }
}
