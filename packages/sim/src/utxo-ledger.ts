import { encodeSegwitAddress } from './bech32';
import {
  coinbaseScriptSig,
  computeTxid,
  p2wpkhScript,
  simulatedBlockHash,
  txSizes,
  varintLength,
  witnessCommitmentScript,
} from './bitcoin-tx';
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
import type { SimBlock, SimOutput, SimSpendInput, SimUtxoTx } from './scenario';

/** Regtest: block subsidy halves every 150 blocks; coinbase outputs mature after 100 blocks. */
const HALVING_INTERVAL = 150;
const COINBASE_MATURITY = 100;
const INITIAL_SUBSIDY = 50n * 100_000_000n;
/** Bitcoin Core's dust threshold for p2wpkh outputs at the default relay fee. */
export const P2WPKH_DUST = 294n;
/** Hash of the real regtest genesis block: the simulated chain's block 1 builds on it. */
const REGTEST_GENESIS_HASH = '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206';
const MEAN_BLOCK_INTERVAL = 600;

interface Coin {
  txid: string;
  vout: number;
  value: bigint;
  height: number;
  coinbase: boolean;
}

/** Everything the ledger knows about one address, in one table entry. */
interface AddressInfo {
  script: string;
  style: WalletStyle;
  /** Unspent coins, oldest first. */
  coins: Coin[];
  /** Σ of the non-coinbase coins (coinbase coins mature with height, so they are summed on demand). */
  spendable: bigint;
  hasCoinbase: boolean;
}

interface WalletStyle {
  version: number;
  /** Anti fee-sniping locktime (Bitcoin Core): the tip height when the transaction was made. */
  tipLocktime: boolean;
  sequence: number;
}

const STYLES: Record<Role, WalletStyle[]> = {
  miner: [{ version: 2, tipLocktime: true, sequence: 0xfffffffd }],
  exchange: [{ version: 1, tipLocktime: false, sequence: 0xffffffff }],
  attacker: [{ version: 2, tipLocktime: true, sequence: 0xfffffffd }],
  service: [{ version: 2, tipLocktime: false, sequence: 0xfffffffe }],
  customer: [
    { version: 2, tipLocktime: true, sequence: 0xfffffffd },
    { version: 2, tipLocktime: false, sequence: 0xffffffff },
    { version: 1, tipLocktime: false, sequence: 0xffffffff },
  ],
  merchant: [{ version: 2, tipLocktime: false, sequence: 0xfffffffd }],
};

/**
 * A simulated Bitcoin regtest chain: coins per address, blocks with coinbases, real txids.
 * @example const ledger = new UtxoLedger(1, new Prng(1, 3), 1_750_000_000); runStory(ledger, rng, plan);
 */
export class UtxoLedger implements Ledger {
  readonly unit = 100_000_000n;
  readonly minOutput = P2WPKH_DUST;
  readonly transactions: SimUtxoTx[] = [];
  readonly blocks: SimBlock[] = [];
  readonly miner: string;
  height = 0;
  time: number;
  private pending: SimUtxoTx[] = [];
  private readonly book = new Map<string, AddressInfo>();
  private addressCount = 0;
  private readonly kindCounts = emptyKindCounts();

  constructor(
    private readonly seed: number,
    private readonly rng: Prng,
    startTime: number,
  ) {
    this.time = startTime;
    this.miner = this.newAddress('miner');
  }

  newAddress(role: Role): string {
    const hash = simulatedHash160(this.seed, this.addressCount++);
    const address = encodeSegwitAddress('bcrt', 0, hash);
    this.book.set(address, {
      script: p2wpkhScript(hash),
      style: this.rng.pick(STYLES[role]),
      coins: [],
      spendable: 0n,
      hasCoinbase: false,
    });
    return address;
  }

  get addresses(): number {
    return this.addressCount;
  }

  balance(address: string): bigint {
    const info = this.book.get(address);
    if (!info) return 0n;
    if (!info.hasCoinbase) return info.spendable;
    let sum = 0n;
    for (const c of info.coins) if (this.mature(c)) sum += c.value;
    return sum;
  }

  counts(): Record<TxKind, number> {
    return { ...this.kindCounts };
  }

  openBlock(): void {
    this.height++;
    this.time += Math.max(1, Math.round(this.rng.exp(MEAN_BLOCK_INTERVAL)));
  }

  closeBlock(): void {
    const subsidy = INITIAL_SUBSIDY >> BigInt(Math.floor(this.height / HALVING_INTERVAL));
    let fees = 0n;
    for (const tx of this.pending) fees += tx.fee;
    const coinbaseShape = {
      version: 2,
      locktime: 0,
      vin: [{ coinbase: true as const, sequence: 0xffffffff, scriptsig: coinbaseScriptSig(this.height) }],
      vout: [
        this.output(this.miner, subsidy + fees),
        {
          address: null,
          scriptpubkey: witnessCommitmentScript(this.pending.map((tx) => tx.txid)),
          type: 'op_return' as const,
          value: 0n,
        },
      ],
    };
    const sizes = txSizes(coinbaseShape);
    const coinbase: SimUtxoTx = {
      txid: computeTxid(coinbaseShape),
      ...coinbaseShape,
      size: sizes.size,
      weight: sizes.weight,
      fee: 0n,
      height: this.height,
      time: this.time,
    };
    const txs = [coinbase, ...this.pending];
    const prev = this.blocks[this.blocks.length - 1]?.hash ?? REGTEST_GENESIS_HASH;
    const hash = simulatedBlockHash(
      prev,
      this.height,
      this.time,
      txs.map((tx) => tx.txid),
    );
    this.blocks.push({ height: this.height, hash, time: this.time });
    this.addCoins(coinbase, true);
    for (const tx of txs) this.transactions.push(tx);
    this.pending = [];
  }

  fund(payments: Payment[]): void {
    for (let i = 0; i < payments.length; i += 25) {
      if (this.pay(this.miner, payments.slice(i, i + 25), 'funding', { largestFirst: true }) === null) {
        throw new Error('simulated faucet ran dry: fewer mature coinbases than the plan needs');
      }
    }
  }

  pay(from: string, payments: Payment[], kind: TxKind, options: { largestFirst?: boolean } = {}): string[] | null {
    if (payments.some((p) => p.amount < this.minOutput || p.to === from)) return null;
    const target = payments.reduce((s, p) => s + p.amount, 0n);
    const coins = this.info(from).coins;
    const available = options.largestFirst
      ? coins.filter((c) => this.mature(c)).sort((a, b) => (a.value > b.value ? -1 : a.value < b.value ? 1 : 0))
      : coins;
    const rate = this.feeRate();
    const picked: Coin[] = [];
    let sum = 0n;
    for (const coin of available) {
      if (!this.mature(coin)) continue;
      picked.push(coin);
      sum += coin.value;
      const fee = this.feeFor(picked.length, payments.length + 1, rate);
      if (sum >= target + fee) break;
    }
    const feeWithChange = this.feeFor(picked.length, payments.length + 1, rate);
    if (sum < target + this.feeFor(picked.length, payments.length, rate)) return null;
    const outputs: SimOutput[] = payments.map((p) => this.output(p.to, p.amount));
    const change = sum - target - feeWithChange;
    if (change >= this.minOutput) {
      // Wallets put change at a random position, exchanges (batch payouts) last.
      const at = this.info(from).style.version === 1 ? outputs.length : this.rng.int(0, outputs.length);
      outputs.splice(at, 0, this.output(from, change));
    }
    return [this.makeTx(from, picked, outputs, kind)];
  }

  sweep(sources: SourceSpec[], outputs: OutputSpec[], kind: TxKind): string[] | null {
    const picked: Coin[] = [];
    const owners: string[] = [];
    for (const source of sources) {
      const coins = this.info(source.address).coins.filter((c) => this.mature(c));
      if (coins.length === 0) return null;
      if ('all' in source) {
        for (const c of coins) {
          picked.push(c);
          owners.push(source.address);
        }
      } else {
        // One whole coin: the smallest that covers the amount, else the largest.
        const sorted = [...coins].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
        const coin = sorted.find((c) => c.value >= source.amount) ?? (sorted[sorted.length - 1] as Coin);
        picked.push(coin);
        owners.push(source.address);
      }
    }
    const sum = picked.reduce((s, c) => s + c.value, 0n);
    const fixed = outputs.reduce((s, o) => s + ('amount' in o ? o.amount : 0n), 0n);
    const fee = this.feeFor(picked.length, outputs.length, this.feeRate());
    const rest = sum - fixed - fee;
    if (rest < this.minOutput) return null;
    if (outputs.some((o) => 'amount' in o && o.amount < this.minOutput)) return null;
    const built = outputs.map((o) => this.output(o.to, 'amount' in o ? o.amount : rest));
    return [this.makeTxMulti(owners, picked, built, kind)];
  }

  dust(rng: Prng): bigint {
    return BigInt(rng.int(Number(P2WPKH_DUST), 999));
  }

  private mature(c: Coin): boolean {
    return !c.coinbase || this.height - c.height >= COINBASE_MATURITY;
  }

  private feeRate(): number {
    // sat/vB: mostly cheap, sometimes congested.
    return this.rng.chance(0.8) ? this.rng.int(1, 12) : this.rng.int(13, 60);
  }

  /** Fee of a p2wpkh → p2wpkh transaction (the same arithmetic as `txSizes`, without building one). */
  private feeFor(inputs: number, outputs: number, rate: number): bigint {
    const base = 4 + varintLength(inputs) + inputs * 41 + varintLength(outputs) + outputs * 31 + 4;
    const size = base + 2 + inputs * 107;
    return BigInt(Math.ceil((base * 3 + size) / 4) * rate);
  }

  private info(address: string): AddressInfo {
    const info = this.book.get(address);
    if (info === undefined) throw new Error(`unknown simulated address ${address}`);
    return info;
  }

  private output(address: string, value: bigint): SimOutput {
    return { address, scriptpubkey: this.info(address).script, type: 'v0_p2wpkh', value };
  }

  private makeTx(from: string, coins: Coin[], outputs: SimOutput[], kind: TxKind): string {
    return this.makeTxMulti(
      coins.map(() => from),
      coins,
      outputs,
      kind,
    );
  }

  private makeTxMulti(owners: string[], coins: Coin[], outputs: SimOutput[], kind: TxKind): string {
    const style = this.info(owners[0] as string).style;
    const vin: SimSpendInput[] = [];
    let inSum = 0n;
    for (let i = 0; i < coins.length; i++) {
      const c = coins[i] as Coin;
      vin.push({
        coinbase: false,
        txid: c.txid,
        vout: c.vout,
        sequence: style.sequence,
        address: owners[i] as string,
        value: c.value,
      });
      inSum += c.value;
    }
    let outSum = 0n;
    for (const o of outputs) outSum += o.value;
    const shape = { version: style.version, locktime: style.tipLocktime ? this.height - 1 : 0, vin, vout: outputs };
    const sizes = txSizes(shape);
    const tx: SimUtxoTx = {
      txid: computeTxid(shape),
      version: shape.version,
      locktime: shape.locktime,
      vin,
      vout: outputs,
      size: sizes.size,
      weight: sizes.weight,
      fee: inSum - outSum,
      height: this.height,
      time: this.time,
    };
    if (tx.fee <= 0n) throw new Error(`simulated transaction without a fee (${kind})`);
    for (let i = 0; i < coins.length; i++) this.removeCoin(owners[i] as string, coins[i] as Coin);
    this.addCoins(tx, false);
    this.pending.push(tx);
    this.kindCounts[kind]++;
    return tx.txid;
  }

  private removeCoin(address: string, coin: Coin): void {
    const info = this.info(address);
    const i = info.coins.indexOf(coin);
    if (i < 0) throw new Error(`coin ${coin.txid}:${coin.vout} is not at ${address}`);
    info.coins.splice(i, 1);
    if (!coin.coinbase) info.spendable -= coin.value;
  }

  private addCoins(tx: SimUtxoTx, coinbase: boolean): void {
    for (let vout = 0; vout < tx.vout.length; vout++) {
      const o = tx.vout[vout] as SimOutput;
      if (o.address === null) continue;
      const info = this.info(o.address);
      info.coins.push({ txid: tx.txid, vout, value: o.value, height: tx.height, coinbase });
      if (coinbase) info.hasCoinbase = true;
      else info.spendable += o.value;
    }
  }
}
