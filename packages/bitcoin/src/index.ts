/**
 * @fundflow/bitcoin: Bitcoin and Litecoin `UtxoSource`s (Esplora REST, Bitcoin/Litecoin Core JSON-RPC), address
 * normalisation, network params and UTXO heuristics (change, peeling chains, CoinJoin flags, common-input clusters).
 */
export { isScriptId, normalizeBitcoinAddress, scriptId } from './address';
export {
  CORE_RPC_HISTORY_PAGE_SIZE,
  type CoreRpcAuth,
  CoreRpcSource,
  type CoreRpcSourceOptions,
  type CoreRpcStats,
} from './core-rpc-source';
export {
  type AddressStats,
  type AddressStatsPart,
  ESPLORA_CHAIN_PAGE_SIZE,
  ESPLORA_OUTSPENDS_BATCH_MAX,
  EsploraSource,
  type EsploraSourceOptions,
} from './esplora-source';
export * from './heuristics';
export {
  BITCOIN_NETWORK_NAMES,
  type BitcoinChainName,
  type BitcoinNetworkName,
  BTC,
  bitcoinNetworks,
  chainOf,
  isBitcoinNetworkName,
  LTC,
  legacyScriptHash,
  nativeAssetOf,
} from './networks';
export { coinsToSatoshi, quoteNumbersOf } from './rpc-decimal';
export { type BitcoinSourceOptions, bitcoinSourceFor } from './source-for';
export {
  type IndexedAddressTx,
  type IndexedBlock,
  type IndexedSpend,
  type ScannedRange,
  type SpendIndex,
  SqliteSpendIndex,
  type SqliteSpendIndexOptions,
} from './spend-index';
