import { type ChainSource, FundflowError, type SourceSpecFields, type Transport } from '@fundflow/core';
import { isNemNetworkName } from './address';
import { NisSource } from './nis-source';

/**
 * The source a case's or a trace's source spec names, for this package's kind (`nis1`), reading through `transport`;
 * undefined for another kind. An unknown network is `INVALID_ARGUMENT`.
 * @example nemSourceFor({ kind: 'nis1', chain: 'nem', network: 'mainnet', endpoint }, replaying(cassette))
 */
export function nemSourceFor(spec: SourceSpecFields, transport: Transport): ChainSource | undefined {
  if (spec.kind !== 'nis1') return undefined;
  const network = spec.network ?? 'mainnet';
  if (!isNemNetworkName(network)) {
    throw new FundflowError('INVALID_ARGUMENT', `NIS1 does not know the network "${network}" (mainnet, testnet)`, {
      details: { network },
    });
  }
  return new NisSource({ baseUrl: spec.endpoint, network, transport });
}
