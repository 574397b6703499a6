import type { UtxoTransaction } from '@fundflow/core';

/** Whirlpool pool denominations in satoshi (Samourai: 0.001, 0.01, 0.05 and 0.5 BTC), 5 inputs / 5 outputs each. */
export const WHIRLPOOL_DENOMINATIONS: readonly bigint[] = [100_000n, 1_000_000n, 5_000_000n, 50_000_000n];
/** Equal-output CoinJoins (Wasabi, JoinMarket): at least this many equal outputs and this many inputs. */
export const COINJOIN_MIN_EQUAL_OUTPUTS = 3;
export const COINJOIN_MIN_INPUTS = 3;

export interface CoinJoinFlag {
  kind: 'equal-outputs' | 'whirlpool';
  /** The equal output value (satoshi). */
  denomination: bigint;
  /** How many outputs carry it. */
  count: number;
}

/**
 * Flags a CoinJoin-shaped transaction (Stütz et al., AFT 2022; GraphSense):
 * - `whirlpool`: exactly 5 inputs and 5 outputs, every output exactly one pool denomination (1e5, 1e6, 5e6, 5e7 sat);
 * - `equal-outputs`: ≥ 3 inputs from ≥ 2 distinct addresses and ≥ 3 outputs of one value to ≥ 3 distinct addresses
 *   (the most frequent value; ties: the larger value). One wallet paying three equal amounts from one address is a
 *   batch payout, not a CoinJoin, hence the distinct-input-address condition.
 * A flagged transaction breaks common-input ownership: clustering skips it and the hop is "mixed". Pure.
 */
export function coinJoinFlag(tx: UtxoTransaction): CoinJoinFlag | undefined {
  // Most transactions have one or two inputs: rule them out before building anything (the tracer asks for every
  // transaction it reads).
  const whirlpoolShape = tx.inputs.length === 5 && tx.outputs.length === 5;
  if (!whirlpoolShape && (tx.inputs.length < COINJOIN_MIN_INPUTS || tx.outputs.length < COINJOIN_MIN_EQUAL_OUTPUTS)) {
    return undefined;
  }
  if (tx.inputs.some((i) => i.coinbase)) return undefined;
  if (whirlpoolShape) {
    const d = tx.outputs[0]!.value;
    if (WHIRLPOOL_DENOMINATIONS.includes(d) && tx.outputs.every((o) => o.value === d)) {
      return { kind: 'whirlpool', denomination: d, count: 5 };
    }
  }
  if (tx.inputs.length < COINJOIN_MIN_INPUTS) return undefined;
  const inputAddresses = new Set(tx.inputs.map((i) => i.address ?? i.outpoint));
  if (inputAddresses.size < 2) return undefined;
  const paying = tx.outputs.filter((o) => o.hasAddress && o.value > 0n);
  const byValue = new Map<bigint, Set<string>>();
  for (const o of paying) {
    const set = byValue.get(o.value) ?? new Set<string>();
    set.add(o.address);
    byValue.set(o.value, set);
  }
  let best: CoinJoinFlag | undefined;
  for (const [value, addresses] of byValue) {
    const count = paying.filter((o) => o.value === value).length;
    if (addresses.size < COINJOIN_MIN_EQUAL_OUTPUTS) continue;
    if (best === undefined || count > best.count || (count === best.count && value > best.denomination)) {
      best = { kind: 'equal-outputs', denomination: value, count };
    }
  }
  return best;
}
