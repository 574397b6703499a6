// Browser-safe label API. The node-only file loader (load-pack.ts, node:fs) is exported from '@fundflow/core/node'.
export {
  CSV_PACK_COLUMNS,
  parseCsvPack,
  serializeCsvPack,
} from './csv-pack';
export {
  CONFIDENCES,
  checkLabel,
  isChainName,
  isConfidence,
  isIsoDate,
  isLabelCategory,
  type LabelPack,
  type LabelPackDraft,
  type LabelPackInfo,
  type ParsePackOptions,
  packSha256,
} from './label-pack';
export { compareLabels, LabelRegistry, labelAddressKey } from './label-registry';
export { parseTagPack, TAGPACK_CHAINS } from './tagpack';
