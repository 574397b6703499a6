import { type ChainSource, FundflowError, type SourceSpecFields, type Transport } from '@fundflow/core';
import { BlockscoutSource } from './blockscout/blockscout-source';
import { evmChain } from './chains';
import { EtherscanSource } from './etherscan/etherscan-source';
import { type HistoryMethod, type InternalMethod, JsonRpcSource } from './jsonrpc/source';

/**
 * The source a case's or a trace's source spec names, for the kinds of this package (`etherscan`, `blockscout`,
 * `jsonrpc`, or `jsonrpc:<history>+<internal>` as a recorded case names the methods its node offered), reading through
 * `transport`; undefined for another kind. `apiKey` (Etherscan, Blockscout) stays in the source: never in the spec, a
 * case file or a cassette. A chain fundflow does not know is `INVALID_ARGUMENT`.
 * @example evmSourceFor({ kind: 'etherscan', chain: 'ethereum', endpoint }, transport, process.env.ETHERSCAN_API_KEY)
 */
export function evmSourceFor(spec: SourceSpecFields, transport: Transport, apiKey?: string): ChainSource | undefined {
  const jsonrpc = /^jsonrpc(?::(trace_filter|ots)\+(debug_trace|trace|ots))?$/.exec(spec.kind);
  if (!jsonrpc && spec.kind !== 'etherscan' && spec.kind !== 'blockscout') return undefined;
  const chain = evmChain(spec.chain);
  if (!chain) {
    throw new FundflowError('INVALID_ARGUMENT', `"${spec.chain}" is not an EVM chain fundflow knows`, {
      details: { chain: spec.chain },
    });
  }
  if (jsonrpc) {
    const history = jsonrpc[1] as HistoryMethod | undefined;
    const internal = jsonrpc[2] as InternalMethod | undefined;
    return new JsonRpcSource({
      url: spec.endpoint,
      chain,
      transport,
      ...(history && internal ? { capabilities: { history, internal } } : {}),
    });
  }
  const options = { baseUrl: spec.endpoint, chain: chain.name, transport, ...(apiKey ? { apiKey } : {}) };
  return spec.kind === 'etherscan' ? new EtherscanSource(options) : new BlockscoutSource(options);
}
