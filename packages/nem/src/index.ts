/** @fundflow/nem: NEM (NIS1) `AccountSource`, the NEM address codec and the 2018 warning-mosaic labels. */
export {
  addressFromPublicKey,
  isNemAddress,
  isNemNetworkName,
  NEM_NETWORKS,
  type NemNetworkName,
  normalizeNemAddress,
} from './address';
export { base32Decode, base32Encode } from './base32';
export { buildKnownFactsPack, KNOWN_FACTS_AS_OF } from './known-facts';
export { MICRO_XEM, NEM_EPOCH, nemTimeToUnix, unixToNemTime } from './nem-time';
export { NisSource, type NisSourceOptions, toTransfers, XEM } from './nis-source';
export { nemSourceFor } from './source-for';
export {
  mosaicKey,
  WARNING_MOSAIC_MARKING_DATE,
  WARNING_MOSAIC_PACK,
  WARNING_MOSAICS,
} from './warning-mosaics';
