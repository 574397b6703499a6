export { AccountLedger } from './account-ledger';
export { decodeSegwitAddress, encodeSegwitAddress, type SegwitAddress } from './bech32';
export { computeTxid, serializeBase, serializeWithWitness, txSizes, witnessOf } from './bitcoin-tx';
export * from './esplora-format';
export * from './esplora-server';
export { formatAmount, generateScenario, SIM_ACCOUNT_ASSET, SIM_BITCOIN_ASSET } from './generate-scenario';
export { accountGroundTruth, CASH_OUT_CATEGORIES, utxoGroundTruth } from './ground-truth';
export type { Ledger, OutputSpec, Payment, Role, SourceSpec, TxKind } from './ledger';
export { simulatedHash160 } from './ledger';
export { Prng } from './prng';
export * from './scenario';
export {
  type AccountScenarioIndex,
  indexAccountScenario,
  indexUtxoScenario,
  type UtxoScenarioIndex,
} from './scenario-index';
export { scriptId } from './script-id';
export * from './sim-sources';
export { planStory, runStory, type StoryFacts, type StoryPlan } from './story';
export { scenarioLabelPack, scenarioLabels, scenarioParams } from './trace-inputs';
export { P2WPKH_DUST, UtxoLedger } from './utxo-ledger';
