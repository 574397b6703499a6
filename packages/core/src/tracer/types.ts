import type { LabelCategory } from '../types';

export const POLICIES = ['fifo', 'haircut', 'poison'] as const;
export type PolicyName = (typeof POLICIES)[number];

/**
 * Where a branch of traced value ended. A stop is a finding, not an error.
 * - `cash-out`: reached a labelled exchange / mixer / bridge / sanctioned / service address
 * - `unspent`: still sitting there (UTXO unspent, or account balance not moved out before `followUntil`)
 * - `max-hops`, `dust` (below minAmount), `fan-out` (more outgoing transfers than fanOutCap: probably a service),
 *   `time-window` (moved after `followUntil`), `returned` (came back to a seed address), `fee` (paid as a miner fee),
 *   `swap` (account chains, all assets: handed to a swap counterparty; the value goes on in the asset that came back)
 */
export const STOP_REASONS = [
  'cash-out',
  'unspent',
  'max-hops',
  'dust',
  'fan-out',
  'time-window',
  'returned',
  'fee',
  'swap',
] as const;
export type StopReason = (typeof STOP_REASONS)[number];

export interface StopRules {
  /** Follow at most this many hops from the seed (the theft itself is hop 1). */
  maxHops: number;
  /** Tainted amounts below this (base units of the traced asset) are not followed. */
  minAmount: bigint;
  /** An address with more outgoing transfers than this in the window is treated as a service and not followed. */
  fanOutCap: number;
  /** Labels of these categories are cash-out points: record and stop. */
  stopCategories: LabelCategory[];
}

export const DEFAULT_STOP_CATEGORIES: LabelCategory[] = ['exchange', 'mixer', 'bridge', 'sanctioned', 'service'];

export interface TraceParams {
  /** Addresses (all their outgoing value in the window is the stolen value) or, on UTXO chains, outpoints `txid:vout`. */
  seeds: string[];
  /** The theft window (unix s, inclusive): what the seeds sent inside it is the stolen value. */
  since?: number;
  until?: number;
  /** Moves after this time (unix s) are not followed: the value stops as `time-window`. Default: no limit. */
  followUntil?: number;
  policies: PolicyName[];
  stop: StopRules;
  /**
   * Account chains: the asset id to follow (default: the native asset), or `all`: every asset the seeds sent, each in
   * its own ledger, and swaps (an address sends asset A and receives asset B in one transaction) carry the taint from
   * A into B. With `all`, `stop.minAmount` applies to the native asset only.
   */
  asset?: string;
}
