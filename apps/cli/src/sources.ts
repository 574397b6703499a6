import { homedir } from 'node:os';
import { join } from 'node:path';
import { bitcoinSourceFor, type CoreRpcAuth } from '@fundflow/bitcoin';
import { type ChainSource, FundflowError, type Transport } from '@fundflow/core';
import { evmSourceFor } from '@fundflow/evm';
import { nemSourceFor } from '@fundflow/nem';

/** How to reach a chain: which source kind, on which network, at which endpoint. */
export interface SourceSpec {
  kind: string;
  chain: string;
  endpoint: string;
  network?: string | undefined;
  /**
   * `bitcoin-rpc`: credentials taken out of `--endpoint http://user:pass@host:port` (so `endpoint` never carries them
   * into a case file, a statement or a log), or a cookie file.
   */
  rpcAuth?: CoreRpcAuth | undefined;
}

/** Public endpoints used when `--endpoint` is not given. A user with network access can trace live with these. */
export const DEFAULT_SOURCES: Record<string, SourceSpec> = {
  bitcoin: { kind: 'esplora', chain: 'bitcoin', network: 'bitcoin', endpoint: 'https://blockstream.info/api' },
  testnet: { kind: 'esplora', chain: 'bitcoin', network: 'testnet', endpoint: 'https://blockstream.info/testnet/api' },
  signet: { kind: 'esplora', chain: 'bitcoin', network: 'signet', endpoint: 'https://mempool.space/signet/api' },
  regtest: { kind: 'esplora', chain: 'bitcoin', network: 'regtest', endpoint: 'http://127.0.0.1:3002' },
  litecoin: { kind: 'esplora', chain: 'litecoin', network: 'litecoin', endpoint: 'https://litecoinspace.org/api' },
  // A local litecoind -regtest (-server -txindex=1); credentials in --endpoint or the node's cookie file.
  'litecoin-regtest': {
    kind: 'bitcoin-rpc',
    chain: 'litecoin',
    network: 'litecoin-regtest',
    endpoint: 'http://127.0.0.1:19443',
  },
  // Public NIS1 nodes come and go: pass --endpoint http://<node>:7890 when this one does not answer.
  nem: { kind: 'nis1', chain: 'nem', network: 'mainnet', endpoint: 'http://san.nem.ninja:7890' },
  // EVM chains: Etherscan API v2 by default (key from ETHERSCAN_API_KEY); `--source blockscout --endpoint
  // https://eth.blockscout.com` or `--source jsonrpc --endpoint <node>` (a node with trace_filter/ots_* and debug_*).
  ethereum: { kind: 'etherscan', chain: 'ethereum', endpoint: 'https://api.etherscan.io/v2/api' },
  sepolia: { kind: 'etherscan', chain: 'sepolia', endpoint: 'https://api.etherscan.io/v2/api' },
  optimism: { kind: 'etherscan', chain: 'optimism', endpoint: 'https://api.etherscan.io/v2/api' },
  bsc: { kind: 'etherscan', chain: 'bsc', endpoint: 'https://api.etherscan.io/v2/api' },
  polygon: { kind: 'etherscan', chain: 'polygon', endpoint: 'https://api.etherscan.io/v2/api' },
  base: { kind: 'etherscan', chain: 'base', endpoint: 'https://api.etherscan.io/v2/api' },
  arbitrum: { kind: 'etherscan', chain: 'arbitrum', endpoint: 'https://api.etherscan.io/v2/api' },
  // A local anvil (npm @foundry-rs/anvil-linux-amd64): JSON-RPC with trace_filter and debug_traceTransaction.
  anvil: { kind: 'jsonrpc', chain: 'anvil', endpoint: 'http://127.0.0.1:8545' },
};

/** The environment variable an EVM source kind reads its API key from when `--api-key-env` is not given. */
export const DEFAULT_API_KEY_ENV: Record<string, string> = {
  etherscan: 'ETHERSCAN_API_KEY',
  blockscout: 'BLOCKSCOUT_API_KEY',
};

/** Where Bitcoin/Litecoin Core write their RPC cookie by default, per network (where bitcoin-cli looks for it). */
const DEFAULT_COOKIES: Record<string, string> = {
  bitcoin: '.bitcoin/.cookie',
  testnet: '.bitcoin/testnet3/.cookie',
  signet: '.bitcoin/signet/.cookie',
  regtest: '.bitcoin/regtest/.cookie',
  litecoin: '.litecoin/.cookie',
  'litecoin-testnet': '.litecoin/testnet4/.cookie',
  'litecoin-regtest': '.litecoin/regtest/.cookie',
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
  const spec: SourceSpec = {
    ...base,
    ...(overrides.kind ? { kind: overrides.kind } : {}),
    ...(overrides.network ? { network: overrides.network } : {}),
    ...(overrides.endpoint ? { endpoint: overrides.endpoint.replace(/\/+$/, '') } : {}),
  };
  return spec.kind === 'bitcoin-rpc' ? withRpcAuth(spec) : spec;
}

/**
 * `bitcoin-rpc` credentials, in this order: `user:pass@` in the endpoint; the cookie file named by the environment
 * variable FUNDFLOW_RPC_COOKIE; the node's default cookie (`~/.litecoin/regtest/.cookie` for litecoin-regtest).
 * The endpoint kept in the spec has no credentials.
 */
function withRpcAuth(spec: SourceSpec): SourceSpec {
  let url: URL;
  try {
    url = new URL(spec.endpoint);
  } catch {
    throw new FundflowError('INVALID_ARGUMENT', '--endpoint is not a URL (e.g. http://user:pass@127.0.0.1:19443)', {
      details: {},
    });
  }
  let rpcAuth: CoreRpcAuth | undefined;
  if (url.username !== '' || url.password !== '') {
    rpcAuth = { user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
    url.username = '';
    url.password = '';
  } else if (process.env.FUNDFLOW_RPC_COOKIE) {
    rpcAuth = { cookieFile: process.env.FUNDFLOW_RPC_COOKIE };
  } else {
    const cookie = DEFAULT_COOKIES[spec.network ?? spec.chain];
    if (cookie !== undefined) rpcAuth = { cookieFile: join(homedir(), cookie) };
  }
  return { ...spec, endpoint: `${url.origin}${url.pathname}`.replace(/\/+$/, ''), rpcAuth };
}

/**
 * Builds the ChainSource a spec names, reading through `transport`: each chain package knows its own kinds
 * (`bitcoinSourceFor`, `evmSourceFor`, `nemSourceFor`; the viewer asks the same). `apiKey` (Etherscan, Blockscout) is
 * kept in the source only: never in the spec, a case file or a cassette.
 */
export function createSource(spec: SourceSpec, transport: Transport, apiKey?: string): ChainSource {
  const start = process.env.FUNDFLOW_RPC_START_HEIGHT;
  const source =
    bitcoinSourceFor(spec, transport, {
      ...(spec.rpcAuth ? { rpcAuth: spec.rpcAuth } : {}),
      ...(start ? { startHeight: Number(start) } : {}),
    }) ??
    evmSourceFor(spec, transport, apiKey) ??
    nemSourceFor(spec, transport);
  if (source === undefined) {
    throw new FundflowError('UNSUPPORTED', `No source of kind "${spec.kind}" in this version`, {
      details: { kind: spec.kind },
    });
  }
  return source;
}
