export { DECIMALS_SELECTOR, decodeDecimals, decodeSymbol, SYMBOL_SELECTOR } from './abi';
export { decodeTokenTransferLog, decodeTokenTransferLogs, ERC20_TRANSFER_TOPIC, type TokenTransferLog } from './logs';
export { decodeNativeTransaction, type NativeMove } from './native';
export {
  decodeCallFrame,
  decodeOtsInternalOps,
  decodeParityTraces,
  groupParityTraces,
  type InternalMove,
} from './traces';
export {
  type CallFrame,
  callFrameSchema,
  hexToBigInt,
  hexToNumber,
  type OtsInternalOp,
  type OtsSearchPage,
  otsInternalOpSchema,
  otsSearchPageSchema,
  type ParityTrace,
  parityTraceSchema,
  type RpcBlock,
  type RpcLog,
  type RpcReceipt,
  type RpcTransaction,
  rpcBlockSchema,
  rpcLogSchema,
  rpcReceiptSchema,
  rpcTransactionSchema,
} from './wire';
