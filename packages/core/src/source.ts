import type { Asset, Label, Model, Outspend, Transfer, UtxoTransaction } from './types';

/** What a source reads from, for the trace file. Never contains secrets. */
export interface SourceInfo {
  chain: string;
  /** e.g. `esplora`, `bitcoin-rpc`, `jsonrpc`, `etherscan`, `blockscout`, `nis1`, `sim`. */
  kind: string;
  /** Endpoint with credentials removed, or a description for in-process sources. */
  endpoint: string;
  network?: string;
}

/** A source named by SourceInfo's fields, as case.json's `source`, a trace's `sources[]` or the CLI's spec give them. */
export type SourceSpecFields = Pick<SourceInfo, 'chain' | 'kind' | 'endpoint'> & { network?: string | undefined };

interface SourceBase {
  readonly model: Model;
  readonly info: SourceInfo;
  /** The chain's native asset (BTC, LTC, ETH, XEM). */
  readonly nativeAsset: Asset;
  /**
   * Validate and normalise an address (case, dashes, checksum). Throws `INVALID_ADDRESS` for a malformed
   * address or one of another network; makes no request.
   */
  normalizeAddress(address: string): string;
  /** Labels the chain itself carries for an address (NEM warning mosaics). Optional. */
  getLabels?(address: string): Promise<Label[]>;
}

/** Cursor-paged address history for UTXO chains: txids touching an address. */
export interface UtxoHistoryPage {
  txids: string[];
  /** Opaque cursor for the next (older) page; absent when done. */
  next?: string;
}

/**
 * What a chain's heuristics say about one transaction: a CoinJoin-like hop (its value is mixed) and findings about
 * single outputs (e.g. which output is the spender's change), each a named rule with a confidence.
 */
export interface UtxoAnnotation {
  mixed?: { kind: string; denomination: bigint; count: number };
  outputs?: { vout: number; rule: string; confidence: number }[];
}

/** UTXO model: transactions and the transaction that spends each output. */
export interface UtxoSource extends SourceBase {
  /** Heuristics over a transaction (pure, no request); the tracer copies them into edge provenance. Optional. */
  annotate?(tx: UtxoTransaction): UtxoAnnotation | undefined;
  readonly model: 'utxo';
  /** The transaction with its inputs (prevouts resolved) and outputs. Throws `NOT_FOUND`. */
  getTransaction(txid: string): Promise<UtxoTransaction>;
  /** One entry per output of `txid`, in vout order. */
  getOutspends(txid: string): Promise<Outspend[]>;
  /**
   * `getTransaction` / `getOutspends` answered at once, or undefined when the answer needs a wait (the source's
   * transport has no `requestNow`). A replay then runs without a promise per request. Optional.
   */
  getTransactionNow?(txid: string): UtxoTransaction | undefined;
  getOutspendsNow?(txid: string): Outspend[] | undefined;
  /** Transactions touching `address`, newest first, paged. */
  getAddressHistory(address: string, cursor?: string): Promise<UtxoHistoryPage>;
}

export interface TransferQuery {
  address: string;
  direction: 'in' | 'out';
  /** Inclusive lower bound (unix s). */
  since?: number;
  /** Inclusive upper bound (unix s). */
  until?: number;
  /** Opaque cursor from the previous page. */
  cursor?: string;
}

export interface TransferPage {
  /** Transfers in any order; the tracer sorts. May include transfers outside [since, until]: the tracer filters. */
  transfers: Transfer[];
  /** Cursor for the next page; absent when the range is exhausted. */
  next?: string;
}

/** Account model: an address's incoming and outgoing transfers in a time range, paged. */
export interface AccountSource extends SourceBase {
  readonly model: 'account';
  getTransfers(query: TransferQuery): Promise<TransferPage>;
}

/** One interface over both ledger models; `model` tells which methods a source has. */
export type ChainSource = UtxoSource | AccountSource;
