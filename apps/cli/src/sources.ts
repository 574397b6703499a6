import { EsploraSource, isBitcoinNetworkName } from '@fundflow/bitcoin';
import { type ChainSource, FundflowError, type Transport } from '@fundflow/core';
import { isNemNetworkName, NisSource } from '@fundflow/nem';

/** How to reach a chain: which source kind, on which network, at which endpoint. */
export interface SourceSpec {
  kind: string;
  chain: string;
  endpoint: string;
  network?: string | undefined;
}

/** Public endpoints used when `--endpoint` is not given. A user with network access can trace live with these. */
export const DEFAULT_SOURCES: Record<string, SourceSpec> = {
  bitcoin: { kind: 'esplora', chain: 'bitcoin', network: 'bitcoin', endpoint: 'https://blockstream.info/api' },
  testnet: { kind: 'esplora', chain: 'bitcoin', network: 'testnet', endpoint: 'https://blockstream.info/testnet/api' },
  signet: { kind: 'esplora', chain: 'bitcoin', network: 'signet', endpoint: 'https://mempool.space/signet/api' },
  regtest: { kind: 'esplora', chain: 'bitcoin', network: 'regtest', endpoint: 'http://127.0.0.1:3002' },
  litecoin: { kind: 'esplora', chain: 'litecoin', network: 'litecoin', endpoint: 'https://litecoinspace.org/api' },
  // Public NIS1 nodes come and go: pass --endpoint http://<node>:7890 when this one does not answer.
  nem: { kind: 'nis1', chain: 'nem', network: 'mainnet', endpoint: 'http://san.nem.ninja:7890' },
};

/** The chains `fundflow trace` knows, for help texts and errors. */
export const KNOWN_CHAINS = Object.keys(DEFAULT_SOURCES);

/** Resolves `fundflow trace <chain>` with optional overrides into a source spec. */
export function resolveSourceSpec(
  chain: string,
  overrides: { endpoint?: string; kind?: string; network?: string },
): SourceSpec {
  const base = DEFAULT_SOURCES[chain];
  if (!base) {
    throw new FundflowError('INVALID_ARGUMENT', `Unknown chain "${chain}". Known: ${KNOWN_CHAINS.join(', ')}`, {
      details: { chain },
    });
  }
  return {
    ...base,
    ...(overrides.kind ? { kind: overrides.kind } : {}),
    ...(overrides.network ? { network: overrides.network } : {}),
    ...(overrides.endpoint ? { endpoint: overrides.endpoint.replace(/\/+$/, '') } : {}),
  };
}

/** Builds the ChainSource a spec names, reading through `transport`. */
export function createSource(spec: SourceSpec, transport: Transport): ChainSource {
  if (spec.kind === 'esplora') {
    const network = spec.network ?? spec.chain;
    if (!isBitcoinNetworkName(network)) {
      throw new FundflowError('INVALID_ARGUMENT', `Esplora does not know the network "${network}"`, {
        details: { network },
      });
    }
    return new EsploraSource({ baseUrl: spec.endpoint, network, transport });
  }
  if (spec.kind === 'nis1') {
    const network = spec.network ?? 'mainnet';
    if (!isNemNetworkName(network)) {
      throw new FundflowError('INVALID_ARGUMENT', `NIS1 does not know the network "${network}" (mainnet, testnet)`, {
        details: { network },
      });
    }
    return new NisSource({ baseUrl: spec.endpoint, network, transport });
  }
  throw new FundflowError('UNSUPPORTED', `No source of kind "${spec.kind}" in this version`, {
    details: { kind: spec.kind },
  });
}
