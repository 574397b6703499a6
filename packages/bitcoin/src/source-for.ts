import { type ChainSource, FundflowError, type SourceSpecFields, type Transport } from '@fundflow/core';
import { type CoreRpcAuth, CoreRpcSource } from './core-rpc-source';
import { EsploraSource } from './esplora-source';
import { isBitcoinNetworkName } from './networks';

/** What only a Bitcoin/Litecoin Core source needs beside its spec (never written into a case file). */
export interface BitcoinSourceOptions {
  rpcAuth?: CoreRpcAuth;
  /** First block height a Core RPC source scans for spends. */
  startHeight?: number;
}

/**
 * The source a case's or a trace's source spec names, for the kinds of this package (`esplora`, `bitcoin-rpc`),
 * reading through `transport`; undefined for another kind. An unknown network is `INVALID_ARGUMENT`.
 * @example bitcoinSourceFor({ kind: 'esplora', chain: 'bitcoin', network: 'bitcoin', endpoint }, replaying(cassette))
 */
export function bitcoinSourceFor(
  spec: SourceSpecFields,
  transport: Transport,
  options: BitcoinSourceOptions = {},
): ChainSource | undefined {
  if (spec.kind !== 'esplora' && spec.kind !== 'bitcoin-rpc') return undefined;
  const network = spec.network ?? spec.chain;
  if (!isBitcoinNetworkName(network)) {
    const who = spec.kind === 'esplora' ? 'Esplora' : 'Bitcoin Core RPC';
    throw new FundflowError('INVALID_ARGUMENT', `${who} does not know the network "${network}"`, {
      details: { network },
    });
  }
  if (spec.kind === 'esplora') return new EsploraSource({ baseUrl: spec.endpoint, network, transport });
  return new CoreRpcSource({
    endpoint: spec.endpoint,
    network,
    transport,
    ...(options.rpcAuth ? { auth: options.rpcAuth } : {}),
    ...(options.startHeight !== undefined ? { startHeight: options.startHeight } : {}),
  });
}
