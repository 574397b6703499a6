/**
 * Domain types shared by every chain package, the tracer, the graph builder and the viewer.
 * Amounts are bigint base units (satoshi, wei, micro-XEM); times are unix seconds; ids are stable strings.
 */

export type Model = 'utxo' | 'account';

/** An asset on a chain. `contract` is set for tokens (ERC-20 address, NEM mosaic id). */
export interface Asset {
  chain: string;
  symbol: string;
  decimals: number;
  contract?: string;
  /** false when the source could not read the token's decimals: amounts are raw units. */
  decimalsKnown?: boolean;
}

/** Stable asset id: `chain:symbol` for native coins, `chain:contract` for tokens. */
export function assetId(asset: Asset): string {
  return `${asset.chain}:${asset.contract ?? asset.symbol}`;
}

export type TransferKind = 'utxo' | 'native' | 'internal' | 'token' | 'mosaic';

/**
 * One value movement on an account chain (an edge of the flow graph).
 * Ids: EVM `txhash:native` / `txhash:log:<i>` / `txhash:trace:<path>`; NEM `hash` or `hash:inner`.
 */
export interface Transfer {
  id: string;
  txid: string;
  from: string;
  to: string;
  asset: Asset;
  amount: bigint;
  /** Fee paid by `from` in the chain's native asset, when this transfer is what the fee paid for. */
  fee?: bigint;
  time: number;
  height: number;
  /** Position inside the block (transaction index, then log/trace index) when the source knows it. */
  seq?: number;
  kind: TransferKind;
  /** Chain-supplied free text (NEM message). Data, never markup. */
  memo?: string;
  /** sha256 of the response bodies this transfer was read from. */
  evidence: string[];
}

/** A transaction output on a UTXO chain. `address` is a script-derived id when the script has no address. */
export interface UtxoOutput {
  vout: number;
  address: string;
  value: bigint;
  scriptType: string;
  /** false for outputs whose `address` is a script id (p2pk, op_return, nonstandard). */
  hasAddress: boolean;
}

export interface UtxoInput {
  /** `txid:vout` of the spent output; absent for a coinbase input. */
  outpoint?: string;
  address?: string;
  value: bigint;
  coinbase: boolean;
}

export interface UtxoTransaction {
  txid: string;
  /** Block time (unix s); for an unconfirmed tx the time it was first seen, or 0. */
  time: number;
  /** Block height; -1 when unconfirmed. */
  height: number;
  confirmed: boolean;
  inputs: UtxoInput[];
  outputs: UtxoOutput[];
  fee: bigint;
  evidence: string[];
}

/**
 * Where an output went: the spending transaction and input index, or unspent. `height` is the spender's block height
 * when the source knows it (Esplora does; -1 = unconfirmed), so the tracer can order work before fetching it.
 */
export type Outspend = { spent: false } | { spent: true; txid: string; vin: number; height?: number };

/** Outpoint id `txid:vout`. */
export function outpointId(txid: string, vout: number): string {
  // join makes one flat string; `${txid}:${vout}` would be a rope (a cons string) that V8 hashes and compares by
  // walking its pieces: map look-ups by such ids measured two to three times slower, and a trace does millions.
  return [txid, vout].join(':');
}

/**
 * Where output `vout` sits in `tx.outputs` (-1: not there). Sources list outputs in vout order, so this is `vout`
 * itself unless a source did not.
 * @example outputPosition(tx, 1) // 1
 */
export function outputPosition(tx: UtxoTransaction, vout: number): number {
  return tx.outputs[vout]?.vout === vout ? vout : tx.outputs.findIndex((o) => o.vout === vout);
}

/** Splits `txid:vout`. */
export function parseOutpoint(id: string): { txid: string; vout: number } {
  const i = id.lastIndexOf(':');
  return { txid: id.slice(0, i), vout: Number(id.slice(i + 1)) };
}

/** Categories of labels the tracer and viewer know; the trace's stop categories are cash-out points. */
export const LABEL_CATEGORIES = [
  'exchange',
  'mixer',
  'bridge',
  'sanctioned',
  'service',
  'victim',
  'attacker',
  'tagged',
  'other',
] as const;
export type LabelCategory = (typeof LABEL_CATEGORIES)[number];

export type Confidence = 'high' | 'medium' | 'low';

/** A label on an address, with its provenance. */
export interface Label {
  address: string;
  chain: string;
  name: string;
  category: LabelCategory;
  /** Pack name the label came from, or `source:<kind>` for chain-supplied labels (NEM warning mosaics). */
  pack: string;
  /** Where the fact was published (URL, document, list name). */
  source: string;
  /** Date the fact was true (YYYY-MM-DD). */
  asOf: string;
  confidence: Confidence;
}

/** Compare strings by UTF-16 code units (locale-free, deterministic). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
