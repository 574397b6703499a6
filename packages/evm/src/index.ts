export { addressToTopic, normalizeEvmAddress, topicToAddress } from './address';
export { EVM_CHAINS, type EvmChain, evmChain, evmSeq, nativeAssetOf, transferIds } from './chains';
