import type { Asset, Label, Model } from '@fundflow/core';

/** Everything here is simulated: no address, transaction or label refers to a real chain. */

export interface GenerateScenarioOptions {
  seed: number;
  model: Model;
  /** Approximate number of transfers (UTXO: non-coinbase transactions; account: transfers), 10 … 100 000. */
  size: number;
  /** Share of unrelated noise traffic, 0 … 0.9 (default 0.25). */
  noise?: number;
}

/** Where a unit of stolen value ended under FIFO. */
export type GroundTruthStatus = 'cash-out' | 'unspent' | 'fee';

export interface GroundTruthEntry {
  /** cash-out: the labelled address that received it; unspent: where it sits; fee: the address whose funds paid it. */
  address: string;
  amount: bigint;
  status: GroundTruthStatus;
  /** The label of a cash-out address. */
  label?: Label;
}

/** A block of the simulated chain; its hash is simulated (a hash of its content, no header or proof of work). */
export interface SimBlock {
  height: number;
  hash: string;
  time: number;
}

/** A p2wpkh input spending `txid:vout` (prevout resolved). */
export interface SimSpendInput {
  coinbase: false;
  txid: string;
  vout: number;
  sequence: number;
  address: string;
  value: bigint;
}

/** The coinbase input: BIP34 height push in the scriptSig. */
export interface SimCoinbaseInput {
  coinbase: true;
  sequence: number;
  scriptsig: string;
}

export type SimInput = SimSpendInput | SimCoinbaseInput;

export interface SimOutput {
  /** null for scripts without an address (the coinbase's OP_RETURN witness commitment). */
  address: string | null;
  scriptpubkey: string;
  type: 'v0_p2wpkh' | 'op_return';
  value: bigint;
}

/** A simulated Bitcoin (regtest) transaction. `txid` is the real double-sha256 of its non-witness serialization. */
export interface SimUtxoTx {
  txid: string;
  version: number;
  locktime: number;
  vin: SimInput[];
  vout: SimOutput[];
  size: number;
  weight: number;
  fee: bigint;
  height: number;
  time: number;
}

/** A simulated account-chain transfer (one transaction, native asset). */
export interface SimTransfer {
  /** `txhash:native` */
  id: string;
  txid: string;
  from: string;
  to: string;
  amount: bigint;
  fee: bigint;
  time: number;
  height: number;
}

export interface ScenarioCounts {
  /** All transactions (UTXO, coinbases included) or transfers (account). */
  transactions: number;
  coinbases: number;
  blocks: number;
  addresses: number;
  drains: number;
  splits: number;
  branches: number;
  peelSteps: number;
  merges: number;
  mergesWithClean: number;
  exchangeDeposits: number;
  mixerDeposits: number;
  hotWalletTxs: number;
  noiseTxs: number;
  serviceTxs: number;
  dustOutputs: number;
}

export interface ScenarioBase {
  /** Always true: this data is simulated. */
  simulated: true;
  seed: number;
  size: number;
  noise: number;
  chain: string;
  network?: string;
  nativeAsset: Asset;
  /** The victim exchange's hot wallet: the trace seed address. */
  seedAddress: string;
  /** Drain window (unix s, inclusive): the hot wallet's outgoing value in it is exactly the theft plus its change. */
  since: number;
  until: number;
  /** Time of the last block. */
  endTime: number;
  tipHeight: number;
  /** Σ of the drain's outputs to attacker addresses. */
  stolenTotal: bigint;
  /** The drain transactions (UTXO txids) or transfer ids (account). */
  drainIds: string[];
  attackerAddresses: string[];
  labels: Label[];
  /** FIFO ground truth; sums exactly to `stolenTotal`. */
  groundTruth: GroundTruthEntry[];
  /** YYYY-MM-DD of the last block: the as-of date of the labels. */
  asOf: string;
  counts: ScenarioCounts;
  blocks: SimBlock[];
  /** Human summary (not part of the serialized scenario). */
  describe(): string;
}

export interface UtxoScenario extends ScenarioBase {
  model: 'utxo';
  /** In chain order (height, then position in block; each block's coinbase first). */
  transactions: SimUtxoTx[];
}

export interface AccountScenario extends ScenarioBase {
  model: 'account';
  /** Balances before the first block (no transfer carries them): clean opening lots. */
  genesis: { address: string; amount: bigint }[];
  /** In chain order (height, then position in block). */
  transfers: SimTransfer[];
}

export type Scenario = UtxoScenario | AccountScenario;
