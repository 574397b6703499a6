export { addressToTopic, normalizeEvmAddress, topicToAddress } from './address';
export { EVM_CHAINS, type EvmChain, evmChain, evmSeq, nativeAssetOf, transferIds } from './chains';
export * from './decode/index';
export * from './jsonrpc/index';
export {
  BLOCKSCOUT_ENDPOINTS,
  type BlockscoutEndpoint,
  BlockscoutSource,
  type BlockscoutSourceOptions,
} from './blockscout/blockscout-source';
export {
  ETHERSCAN_ACTIONS,
  ETHERSCAN_MAX_PAGE_SIZE,
  ETHERSCAN_V2_URL,
  type EtherscanAction,
  EtherscanSource,
  type EtherscanSourceOptions,
  etherscanRetryIf,
} from './etherscan/etherscan-source';
