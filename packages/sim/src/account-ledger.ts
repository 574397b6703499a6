import {
  emptyKindCounts,
  type Ledger,
  type OutputSpec,
  type Payment,
  type Role,
  type SourceSpec,
  simulatedHash160,
  type TxKind,
} from './ledger';
import type { Prng } from './prng';
import type { SimBlock, SimTransfer } from './scenario';
import { sha256HexOf } from './sha256';

const SLOT_SECONDS = 12;
const GAS_PER_TRANSFER = 21_000n;
const GWEI = 1_000_000_000n;

/**
 * A simulated account chain ('sim-account', native SIM with 18 decimals): balances, one transfer per transaction,
 * a block every 12 s slot (some slots missed). Within one block an address either sends or receives, never both,
 * so the order of same-time transfers can never change whose funds moved.
 * @example const ledger = new AccountLedger(1, new Prng(1, 3), 1_750_000_000); runStory(ledger, rng, plan);
 */
export class AccountLedger implements Ledger {
  readonly unit = 10n ** 18n;
  readonly minOutput = 1n;
  readonly transfers: SimTransfer[] = [];
  readonly blocks: SimBlock[] = [];
  readonly genesis: { address: string; amount: bigint }[] = [];
  height = 0;
  time: number;
  private readonly balances = new Map<string, bigint>();
  private readonly nonces = new Map<string, number>();
  private sentThisBlock = new Set<string>();
  private receivedThisBlock = new Set<string>();
  private addressCount = 0;
  private readonly kindCounts = emptyKindCounts();

  constructor(
    private readonly seed: number,
    private readonly rng: Prng,
    startTime: number,
  ) {
    this.time = startTime;
  }

  newAddress(_role: Role): string {
    return `0x${simulatedHash160(this.seed, this.addressCount++)}`;
  }

  get addresses(): number {
    return this.addressCount;
  }

  balance(address: string): bigint {
    return this.balances.get(address) ?? 0n;
  }

  counts(): Record<TxKind, number> {
    return { ...this.kindCounts };
  }

  openBlock(): void {
    this.height++;
    this.time += SLOT_SECONDS * (this.rng.chance(0.03) ? 2 : 1);
    this.sentThisBlock = new Set();
    this.receivedThisBlock = new Set();
  }

  closeBlock(): void {
    const hash = sha256HexOf(`sim-account-block:${this.seed}:${this.height}`);
    this.blocks.push({ height: this.height, hash: `0x${hash}`, time: this.time });
  }

  fund(payments: Payment[]): void {
    if (this.height !== 0) throw new Error('account funding is a genesis allocation: fund before the first block');
    for (const p of payments) {
      this.genesis.push({ address: p.to, amount: p.amount });
      this.balances.set(p.to, this.balance(p.to) + p.amount);
    }
  }

  pay(from: string, payments: Payment[], kind: TxKind): string[] | null {
    if (!this.canSend(from) || payments.some((p) => p.amount < this.minOutput || !this.canReceive(p.to, from))) {
      return null;
    }
    const fees = payments.map(() => this.fee());
    const total = payments.reduce((s, p, i) => s + p.amount + (fees[i] as bigint), 0n);
    if (total > this.balance(from)) return null;
    return payments.map((p, i) => this.transfer(from, p.to, p.amount, fees[i] as bigint, kind));
  }

  sweep(sources: SourceSpec[], outputs: OutputSpec[], kind: TxKind): string[] | null {
    const [first] = sources;
    if (first === undefined) return null;
    if (sources.length === 1 && 'all' in first) return this.sweepOne(first.address, outputs, kind);
    // Several sources (a merge): each sends its part to the single rest output.
    const [out] = outputs;
    if (outputs.length !== 1 || out === undefined || !('rest' in out)) {
      throw new Error('an account-chain sweep from several sources has exactly one (rest) output');
    }
    const plan: { from: string; amount: bigint; fee: bigint }[] = [];
    for (const s of sources) {
      const fee = this.fee();
      const amount = 'all' in s ? this.balance(s.address) - fee : s.amount;
      if (!this.canSend(s.address) || !this.canReceive(out.to, s.address) || amount < this.minOutput) return null;
      if (amount + fee > this.balance(s.address)) return null;
      plan.push({ from: s.address, amount, fee });
    }
    return plan.map((p) => this.transfer(p.from, out.to, p.amount, p.fee, kind));
  }

  dust(rng: Prng): bigint {
    return BigInt(rng.int(1, 999)) * 10n ** 9n;
  }

  private sweepOne(from: string, outputs: OutputSpec[], kind: TxKind): string[] | null {
    if (!this.canSend(from) || outputs.some((o) => !this.canReceive(o.to, from))) return null;
    const fees = outputs.map(() => this.fee());
    const fixed = outputs.reduce((s, o) => s + ('amount' in o ? o.amount : 0n), 0n);
    const rest = this.balance(from) - fixed - fees.reduce((s, f) => s + f, 0n);
    if (rest < this.minOutput || outputs.some((o) => 'amount' in o && o.amount < this.minOutput)) return null;
    return outputs.map((o, i) => this.transfer(from, o.to, 'amount' in o ? o.amount : rest, fees[i] as bigint, kind));
  }

  private canSend(address: string): boolean {
    return !this.receivedThisBlock.has(address);
  }

  private canReceive(address: string, from: string): boolean {
    return address !== from && !this.sentThisBlock.has(address);
  }

  private fee(): bigint {
    const gwei = this.rng.chance(0.85) ? this.rng.int(1, 30) : this.rng.int(31, 120);
    return GAS_PER_TRANSFER * BigInt(gwei) * GWEI;
  }

  private transfer(from: string, to: string, amount: bigint, fee: bigint, kind: TxKind): string {
    const balance = this.balance(from);
    if (amount + fee > balance) throw new Error(`simulated overdraft at ${from}`);
    const nonce = this.nonces.get(from) ?? 0;
    this.nonces.set(from, nonce + 1);
    const txid = `0x${sha256HexOf(`sim-account-tx:${from}:${nonce}:${to}:${amount}:${fee}`)}`;
    this.balances.set(from, balance - amount - fee);
    this.balances.set(to, this.balance(to) + amount);
    this.sentThisBlock.add(from);
    this.receivedThisBlock.add(to);
    const id = `${txid}:native`;
    this.transfers.push({ id, txid, from, to, amount, fee, time: this.time, height: this.height });
    this.kindCounts[kind]++;
    return id;
  }
}
