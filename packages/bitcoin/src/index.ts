/** @fundflow/bitcoin: Bitcoin and Litecoin `UtxoSource`s (Esplora REST), address normalisation and network params. */
export { isScriptId, normalizeBitcoinAddress, scriptId } from './address';
export {
  type AddressStats,
  type AddressStatsPart,
  ESPLORA_CHAIN_PAGE_SIZE,
  ESPLORA_OUTSPENDS_BATCH_MAX,
  EsploraSource,
  type EsploraSourceOptions,
} from './esplora-source';
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
