export { compareWithGroundTruth, expectedFromGroundTruth, truthAssetId } from './expected';
export { FifoLedger, type FifoLedgerOptions, type Run } from './fifo-ledger';
export type {
  AssetAmounts,
  EvmFifoTruth,
  EvmGroundTruth,
  EvmScenarioContracts,
  EvmScenarioMixerWithdrawal,
  EvmScenarioRoles,
  EvmScenarioSwap,
  EvmScenarioTx,
} from './ground-truth';
