import type { UtxoAnnotation, UtxoTransaction } from '@fundflow/core';
import { CHANGE_RULES, type ChangeRuleName, pickChange } from './change';
import { coinJoinFlag } from './coinjoin';

/**
 * Change rules the sources apply by default. `change:script-type` is left out: wallets that mix address types
 * (the litecoind case: precision 0.22) make it pick the payment; the other rules held precision 1.0 on both cases.
 */
export const DEFAULT_CHANGE_RULES: readonly ChangeRuleName[] = CHANGE_RULES.map((r) => r.rule).filter(
  (r) => r !== 'change:script-type',
);

/**
 * The heuristics the tracer records in edge provenance for one transaction: a CoinJoin flag (the hop is mixed) or,
 * otherwise, the change output when exactly one output qualifies.
 * @example annotateUtxo(tx) // { outputs: [{ vout: 1, rule: 'change:round-value', confidence: 0.6 }] }
 */
export function annotateUtxo(tx: UtxoTransaction): UtxoAnnotation | undefined {
  const mixed = coinJoinFlag(tx);
  if (mixed) return { mixed };
  const change = pickChange(tx, { rules: DEFAULT_CHANGE_RULES }, null);
  return change ? { outputs: [{ vout: change.vout, rule: change.rule, confidence: change.confidence }] } : undefined;
}
