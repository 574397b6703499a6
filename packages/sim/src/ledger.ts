import type { Prng } from './prng';
import { sha256HexOf } from './sha256';

/** What a simulated transaction is part of (for counts and the description). */
export type TxKind =
  | 'funding'
  | 'hot-deposit'
  | 'hot-withdrawal'
  | 'drain'
  | 'split'
  | 'peel'
  | 'merge'
  | 'deposit'
  | 'noise'
  | 'service';

/** Roles decide the wallet fingerprint (version, locktime, sequence) of an address's transactions. */
export type Role = 'miner' | 'exchange' | 'attacker' | 'customer' | 'merchant' | 'service';

export interface Payment {
  to: string;
  amount: bigint;
}

/** An output of a sweep: a fixed amount, or the remainder after fixed outputs and fees (exactly one per sweep). */
export type OutputSpec = { to: string; amount: bigint } | { to: string; rest: true };

/** An input side of a sweep: all funds of an address, or about `amount` of it (UTXO: one whole coin). */
export type SourceSpec = { address: string; all: true } | { address: string; amount: bigint };

/**
 * The few operations the story needs, implemented per ledger model. Each returns the ids it created
 * (UTXO: txids; account: transfer ids) or null when it cannot be done now (funds short, or an account-chain block
 * rule); a null leaves the ledger unchanged.
 */
export interface Ledger {
  readonly height: number;
  /** Base units per coin (1e8 sat, 1e18 wei). */
  readonly unit: bigint;
  /** Smallest amount worth an output on this chain. */
  readonly minOutput: bigint;
  newAddress(role: Role): string;
  balance(address: string): bigint;
  openBlock(): void;
  closeBlock(): void;
  /** Funds addresses from outside the story (UTXO: faucet transactions from mined coins; account: genesis). */
  fund(payments: Payment[]): void;
  pay(from: string, payments: Payment[], kind: TxKind, options?: { largestFirst?: boolean }): string[] | null;
  sweep(sources: SourceSpec[], outputs: OutputSpec[], kind: TxKind): string[] | null;
  /** A dust amount (below what anyone would bother to move). */
  dust(rng: Prng): bigint;
  counts(): Record<TxKind, number>;
}

/**
 * Zeroed per-kind transaction counters.
 * @example emptyKindCounts().peel // 0
 */
export function emptyKindCounts(): Record<TxKind, number> {
  return {
    funding: 0,
    'hot-deposit': 0,
    'hot-withdrawal': 0,
    drain: 0,
    split: 0,
    peel: 0,
    merge: 0,
    deposit: 0,
    noise: 0,
    service: 0,
  };
}

/**
 * First 20 bytes of sha256(`fundflow-sim:<seed>:<index>`), hex: the simulated key hash of address `index`.
 * @example simulatedHash160(1, 0) // 40 hex digits; 'bcrt1q' + bech32 of it is address 0 of seed 1
 */
export function simulatedHash160(seed: number, index: number): string {
  return sha256HexOf(`fundflow-sim:${seed}:${index}`).slice(0, 40);
}
