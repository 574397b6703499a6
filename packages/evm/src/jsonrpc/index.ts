export {
  endpointSecrets,
  JsonRpcClient,
  type JsonRpcClientOptions,
  type RpcAnswer,
  type RpcCallOptions,
  type RpcErrorDetails,
  rpcErrorDetails,
} from './client';
export {
  rewriteRpcIds,
  type TransportFetchOptions,
  transportFetchRequest,
  transportJsonRpcProvider,
} from './ethers-transport';
export {
  type GetLogsOptions,
  getLogsAdaptive,
  isRangeRefusal,
  type LogFilter,
  type LogsWithEvidence,
} from './get-logs';
export {
  type HistoryMethod,
  type InternalMethod,
  type JsonRpcCapabilities,
  JsonRpcSource,
  type JsonRpcSourceOptions,
} from './source';
