import type { TraceFile } from '@fundflow/core';

/** Where to look an address or a transaction up on the web, for one trace's chain and network. */
export interface Explorer {
  /** Shown next to the links, e.g. `mempool.space`. */
  name: string;
  address(address: string): string;
  tx(txid: string): string;
}

/** https base URL → explorer with `/address/…` and `/tx/…` pages (mempool.space, Etherscan and their kin). */
function pathExplorer(name: string, base: string): Explorer {
  return {
    name,
    address: (a) => `${base}/address/${encodeURIComponent(a)}`,
    tx: (t) => `${base}/tx/${encodeURIComponent(t)}`,
  };
}

/** EVM chains by fundflow chain name (packages/evm EVM_CHAINS); `anvil` (a local node) has none. */
const EVM_EXPLORERS: Record<string, [string, string]> = {
  ethereum: ['etherscan.io', 'https://etherscan.io'],
  sepolia: ['sepolia.etherscan.io', 'https://sepolia.etherscan.io'],
  optimism: ['optimistic.etherscan.io', 'https://optimistic.etherscan.io'],
  bsc: ['bscscan.com', 'https://bscscan.com'],
  polygon: ['polygonscan.com', 'https://polygonscan.com'],
  base: ['basescan.org', 'https://basescan.org'],
  arbitrum: ['arbiscan.io', 'https://arbiscan.io'],
};

/** Bitcoin-family networks (packages/bitcoin network names) → explorer base path; regtest has none. */
const UTXO_EXPLORERS: Record<string, [string, string]> = {
  bitcoin: ['mempool.space', 'https://mempool.space'],
  mainnet: ['mempool.space', 'https://mempool.space'],
  testnet: ['mempool.space', 'https://mempool.space/testnet'],
  testnet4: ['mempool.space', 'https://mempool.space/testnet4'],
  signet: ['mempool.space', 'https://mempool.space/signet'],
  litecoin: ['litecoinspace.org', 'https://litecoinspace.org'],
  'litecoin-testnet': ['litecoinspace.org', 'https://litecoinspace.org/testnet'],
};

/** Networks and endpoints that mean the chain is not a public one: local nodes and simulators. */
function privateChain(trace: TraceFile): boolean {
  if (trace.chain === 'anvil' || trace.chain === 'sim' || trace.chain === 'simulated') return true;
  return trace.sources.some((s) => {
    const network = (s.network ?? '').toLowerCase();
    if (/regtest|simnet|devnet|anvil|local|sim/.test(network)) return true;
    try {
      // `.invalid` is how the simulators name their endpoints (RFC 2606): the accounts do not exist on the chain.
      return new URL(s.endpoint).hostname.endsWith('.invalid');
    } catch {
      return false;
    }
  });
}

/**
 * The explorer for a trace's chain and network, or undefined when there is none to link to (regtest, anvil,
 * simulated traces, unknown chains). Links are plain https URLs built from the chain name, never from trace text
 * other than the (URL-encoded) address or txid.
 * @example explorerFor(trace)?.address('bc1q…') // 'https://mempool.space/address/bc1q…'
 */
export function explorerFor(trace: TraceFile): Explorer | undefined {
  if (privateChain(trace)) return undefined;
  const network = trace.sources.find((s) => s.chain === trace.chain)?.network;
  if (trace.chain === 'bitcoin' || trace.chain === 'litecoin') {
    const key =
      network === undefined || network === 'mainnet' || network === 'bitcoin' || network === 'litecoin'
        ? trace.chain
        : network;
    const hit = UTXO_EXPLORERS[key];
    return hit !== undefined ? pathExplorer(hit[0], hit[1]) : undefined;
  }
  if (trace.chain === 'nem') {
    const base =
      network === undefined || network === 'mainnet'
        ? 'https://explorer.nemtool.com'
        : network === 'testnet'
          ? 'https://testnet-explorer.nemtool.com'
          : undefined;
    if (base === undefined) return undefined;
    return {
      name: new URL(base).hostname,
      address: (a) => `${base}/#/s_account?account=${encodeURIComponent(a)}`,
      tx: (t) => `${base}/#/s_tx?hash=${encodeURIComponent(t)}`,
    };
  }
  const evm = EVM_EXPLORERS[trace.chain];
  return evm !== undefined ? pathExplorer(evm[0], evm[1]) : undefined;
}
