import type { Asset } from '@fundflow/core';
import { networks as bitcoinjsNetworks, type Network } from 'bitcoinjs-lib';

/** The networks this package reads. Testnet, signet and regtest keep their chain's name; the network says which. */
export type BitcoinNetworkName =
  | 'bitcoin'
  | 'testnet'
  | 'signet'
  | 'regtest'
  | 'litecoin'
  | 'litecoin-testnet'
  | 'litecoin-regtest';

/** The chain families of those networks: the `chain` of every asset, label and SourceInfo. */
export type BitcoinChainName = 'bitcoin' | 'litecoin';

export const BITCOIN_NETWORK_NAMES: readonly BitcoinNetworkName[] = [
  'bitcoin',
  'testnet',
  'signet',
  'regtest',
  'litecoin',
  'litecoin-testnet',
  'litecoin-regtest',
];

const LITECOIN_MESSAGE_PREFIX = '\x19Litecoin Signed Message:\n';

/**
 * bitcoinjs-lib parameters per network. Litecoin's come from Litecoin Core's chainparams (bech32 `ltc`/`tltc`/`rltc`,
 * P2PKH 0x30 `L…` / 0x6f `m…`, P2SH 0x32 `M…` / 0x3a `Q…`, WIF 0xb0 / 0xef); bip32 versions are Litecoin Core's
 * xpub/tpub defaults (they play no part in addresses).
 * @example toOutputScript('ltc1q…', bitcoinNetworks.litecoin)
 */
export const bitcoinNetworks: Readonly<Record<BitcoinNetworkName, Network>> = {
  bitcoin: bitcoinjsNetworks.bitcoin,
  testnet: bitcoinjsNetworks.testnet,
  signet: bitcoinjsNetworks.testnet,
  regtest: bitcoinjsNetworks.regtest,
  litecoin: {
    messagePrefix: LITECOIN_MESSAGE_PREFIX,
    bech32: 'ltc',
    bip32: { public: 0x0488b21e, private: 0x0488ade4 },
    pubKeyHash: 0x30,
    scriptHash: 0x32,
    wif: 0xb0,
  },
  'litecoin-testnet': {
    messagePrefix: LITECOIN_MESSAGE_PREFIX,
    bech32: 'tltc',
    bip32: { public: 0x043587cf, private: 0x04358394 },
    pubKeyHash: 0x6f,
    scriptHash: 0x3a,
    wif: 0xef,
  },
  'litecoin-regtest': {
    messagePrefix: LITECOIN_MESSAGE_PREFIX,
    bech32: 'rltc',
    bip32: { public: 0x043587cf, private: 0x04358394 },
    pubKeyHash: 0x6f,
    scriptHash: 0x3a,
    wif: 0xef,
  },
};

/**
 * Litecoin still accepts its pre-2017 P2SH version byte (Bitcoin's 0x05 `3…`, 0xc4 `2…` on test networks) for the
 * same scripts as `M…`/`Q…`; address normalisation rewrites those to the current form.
 */
export const legacyScriptHash: Readonly<Partial<Record<BitcoinNetworkName, number>>> = {
  litecoin: 0x05,
  'litecoin-testnet': 0xc4,
  'litecoin-regtest': 0xc4,
};

/**
 * The chain a network belongs to.
 * @example chainOf('litecoin-regtest') === 'litecoin'
 */
export function chainOf(network: BitcoinNetworkName): BitcoinChainName {
  return network.startsWith('litecoin') ? 'litecoin' : 'bitcoin';
}

export const BTC: Readonly<Asset> = { chain: 'bitcoin', symbol: 'BTC', decimals: 8 };
export const LTC: Readonly<Asset> = { chain: 'litecoin', symbol: 'LTC', decimals: 8 };

/**
 * The native asset of a network (a fresh copy). Test networks share their chain's asset: the network goes to SourceInfo.
 * @example nativeAssetOf('testnet') // { chain: 'bitcoin', symbol: 'BTC', decimals: 8 }
 */
export function nativeAssetOf(network: BitcoinNetworkName): Asset {
  return { ...(chainOf(network) === 'litecoin' ? LTC : BTC) };
}

/**
 * Narrows a string (CLI flag, config) to a network name; throws nothing.
 * @example isBitcoinNetworkName('signet') === true
 */
export function isBitcoinNetworkName(name: string): name is BitcoinNetworkName {
  return (BITCOIN_NETWORK_NAMES as readonly string[]).includes(name);
}
