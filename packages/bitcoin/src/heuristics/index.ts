/**
 * UTXO heuristics (methods.md, "UTXO heuristics"): change detection, peeling chains, CoinJoin flags and
 * common-input clustering. Pure functions over core's `UtxoTransaction`; no I/O, browser-safe.
 */

export { annotateUtxo, DEFAULT_CHANGE_RULES } from './annotate';
export {
  CHANGE_RULES,
  type ChangeCandidate,
  type ChangeContext,
  type ChangeExplanation,
  type ChangeGuess,
  type ChangeRuleName,
  detectChange,
  explainChange,
  pickChange,
  ROUND_UNIT,
  ruleLabel,
} from './change';
export {
  type AddressCluster,
  COMMON_INPUT_CONFIDENCE,
  COMMON_INPUT_RULE,
  type CommonInputClustering,
  commonInputClusters,
} from './cluster';
export {
  COINJOIN_MIN_EQUAL_OUTPUTS,
  COINJOIN_MIN_INPUTS,
  type CoinJoinFlag,
  coinJoinFlag,
  WHIRLPOOL_DENOMINATIONS,
} from './coinjoin';
export {
  detectPeelChains,
  PEEL_CHAIN_CONFIDENCE,
  PEEL_CHAIN_MIN_LENGTH,
  PEEL_CHAIN_RULE,
  type Peel,
  type PeelChain,
  type PeelOutput,
  type PeelStep,
  peelStep,
} from './peel-chain';
export { addressScriptType } from './script-type';
