import type { Asset } from '@fundflow/core';

/** An EVM chain fundflow knows by name: its chain id (Etherscan v2 `chainid`) and native coin. */
export interface EvmChain {
  /** fundflow's chain name (trace files, asset ids, labels). */
  name: string;
  chainId: number;
  symbol: string;
}

export const EVM_CHAINS: readonly EvmChain[] = [
  { name: 'ethereum', chainId: 1, symbol: 'ETH' },
  { name: 'sepolia', chainId: 11155111, symbol: 'ETH' },
  { name: 'optimism', chainId: 10, symbol: 'ETH' },
  { name: 'bsc', chainId: 56, symbol: 'BNB' },
  { name: 'polygon', chainId: 137, symbol: 'POL' },
  { name: 'base', chainId: 8453, symbol: 'ETH' },
  { name: 'arbitrum', chainId: 42161, symbol: 'ETH' },
  { name: 'anvil', chainId: 31337, symbol: 'ETH' },
];

/** The chain with this name or chain id; undefined when unknown. */
export function evmChain(nameOrId: string | number): EvmChain | undefined {
  return EVM_CHAINS.find((c) => c.name === nameOrId || c.chainId === Number(nameOrId));
}

/** The native coin of a chain: 18 decimals on every EVM chain. */
export function nativeAssetOf(chain: EvmChain): Asset {
  return { chain: chain.name, symbol: chain.symbol, decimals: 18 };
}

/**
 * Transfer ids on EVM chains (stable across runs; one scheme for every source):
 * - `txhash:native` the transaction's own value (also for value 0 and reverted transactions: it carries the fee);
 * - `txhash:trace:<path>` an internal value transfer at call-tree path `<path>` (child indexes joined by `.`);
 * - `txhash:log:<logIndex>` an ERC-20 Transfer log.
 * `txhash` is lowercase 0x-hex.
 */
export const transferIds = {
  native: (txhash: string) => `${txhash.toLowerCase()}:native`,
  trace: (txhash: string, path: readonly number[]) => `${txhash.toLowerCase()}:trace:${path.join('.')}`,
  log: (txhash: string, logIndex: number) => `${txhash.toLowerCase()}:log:${logIndex}`,
};

/**
 * Position of a transfer inside its block for the ledger's ordering: transaction index, then the tx's own value (0),
 * internal transfers in call order (1…), token logs (500000 + log index).
 */
export function evmSeq(
  txIndex: number,
  part: { kind: 'native' } | { kind: 'trace'; order: number } | { kind: 'log'; logIndex: number },
): number {
  const within = part.kind === 'native' ? 0 : part.kind === 'trace' ? 1 + part.order : 500_000 + part.logIndex;
  return txIndex * 1_000_000 + within;
}
