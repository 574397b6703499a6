import type { UtxoAnnotation, UtxoTransaction } from '@fundflow/core';
import { CHANGE_RULES, type ChangeRuleName, ROUND_UNIT } from './change';
import { coinJoinFlag } from './coinjoin';

/**
 * Change rules the sources apply by default. `change:script-type` is left out: wallets that mix address types
 * (the litecoind case: precision 0.22) make it pick the payment; the other rules held precision 1.0 on both cases.
 * `change:fresh-address` needs an address index the sources do not have, so it never applies here.
 */
export const DEFAULT_CHANGE_RULES: readonly ChangeRuleName[] = CHANGE_RULES.map((r) => r.rule).filter(
  (r) => r !== 'change:script-type',
);

const rule = (name: ChangeRuleName) => CHANGE_RULES.find((r) => r.rule === name)!;
const DIRECT = rule('change:direct');
const OPTIMAL = rule('change:optimal');
const ROUND = rule('change:round-value');

/**
 * The heuristics the tracer records in edge provenance for one transaction: a CoinJoin flag (the hop is mixed) or,
 * otherwise, the change output when exactly one output qualifies.
 * @example annotateUtxo(tx) // { outputs: [{ vout: 1, rule: 'change:round-value', confidence: 0.6 }] }
 */
export function annotateUtxo(tx: UtxoTransaction): UtxoAnnotation | undefined {
  const mixed = coinJoinFlag(tx);
  if (mixed) return { mixed };
  const change = defaultChange(tx);
  return change ? { outputs: [{ vout: change.vout, rule: change.rule, confidence: change.confidence }] } : undefined;
}

/**
 * `detectChange(tx, { rules: DEFAULT_CHANGE_RULES })` for a transaction that is not a CoinJoin, in one pass over the
 * outputs with no arrays built: the tracer annotates every transaction it reads (a test holds the two to the same
 * answers). Each rule qualifies the paying outputs (an address, value > 0); it applies when exactly one qualifies, and
 * the applicable rules must agree on the output.
 */
function defaultChange(tx: UtxoTransaction): { vout: number; rule: ChangeRuleName; confidence: number } | undefined {
  const { inputs } = tx;
  if (inputs.length === 0) return undefined;
  let smallest = inputs[0]!.value;
  for (const i of inputs) {
    if (i.coinbase) return undefined;
    if (i.value < smallest) smallest = i.value;
  }
  let paying = 0;
  let direct = 0;
  let directVout = -1;
  let below = 0;
  let belowVout = -1;
  let odd = 0;
  let oddVout = -1;
  for (const o of tx.outputs) {
    if (!o.hasAddress || o.value <= 0n) continue;
    paying++;
    if (spendsFrom(tx, o.address)) {
      direct++;
      directVout = o.vout;
    }
    if (o.value < smallest) {
      below++;
      belowVout = o.vout;
    }
    if (o.value % ROUND_UNIT !== 0n) {
      odd++;
      oddVout = o.vout;
    }
  }
  if (paying < 2) return undefined;
  // Optimal and round-value say nothing when every paying output qualifies.
  const picks: [vout: number, rule: (typeof CHANGE_RULES)[number]][] = [];
  if (direct === 1) picks.push([directVout, DIRECT]);
  if (below === 1 && below !== paying) picks.push([belowVout, OPTIMAL]);
  if (odd === 1 && odd !== paying) picks.push([oddVout, ROUND]);
  const first = picks[0];
  if (first === undefined || picks.some(([vout]) => vout !== first[0])) return undefined;
  return { vout: first[0], rule: first[1].rule, confidence: first[1].confidence };
}

function spendsFrom(tx: UtxoTransaction, address: string): boolean {
  for (const i of tx.inputs) if (i.address === address) return true;
  return false;
}
