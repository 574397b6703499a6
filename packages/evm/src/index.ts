export { addressToTopic, normalizeEvmAddress, topicToAddress } from './address';
export {
  BLOCKSCOUT_ENDPOINTS,
  type BlockscoutEndpoint,
  BlockscoutSource,
  type BlockscoutSourceOptions,
} from './blockscout/blockscout-source';
export { EVM_CHAINS, type EvmChain, evmChain, evmSeq, nativeAssetOf, transferIds } from './chains';
export * from './decode/index';
export {
  ETHERSCAN_ACTIONS,
  ETHERSCAN_MAX_PAGE_SIZE,
  ETHERSCAN_V2_URL,
  type EtherscanAction,
  EtherscanSource,
  type EtherscanSourceOptions,
  etherscanRetryIf,
} from './etherscan/etherscan-source';
export * from './jsonrpc/index';
export { evmSourceFor } from './source-for';
