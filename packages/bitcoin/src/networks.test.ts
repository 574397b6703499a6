import { address } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import {
  BITCOIN_NETWORK_NAMES,
  bitcoinNetworks,
  chainOf,
  isBitcoinNetworkName,
  legacyScriptHash,
  nativeAssetOf,
} from './networks';

// hash160 of 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 and the BIP 173 witness program, re-encoded per network.
const HASH160 = address.fromBase58Check('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2').hash;
const PROGRAM = address.fromBech32('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4').data;

describe('networks', () => {
  it.each([
    ['bitcoin', 'bitcoin'],
    ['testnet', 'bitcoin'],
    ['signet', 'bitcoin'],
    ['regtest', 'bitcoin'],
    ['litecoin', 'litecoin'],
    ['litecoin-testnet', 'litecoin'],
    ['litecoin-regtest', 'litecoin'],
  ] as const)('chainOf(%s) is %s and its asset is that chain’s 8-decimal coin', (network, chain) => {
    expect(chainOf(network)).toBe(chain);
    expect(nativeAssetOf(network)).toEqual({ chain, symbol: chain === 'bitcoin' ? 'BTC' : 'LTC', decimals: 8 });
  });

  it.each([
    ['bitcoin', 'bc', '1', '3'],
    ['testnet', 'tb', 'm', '2'],
    ['signet', 'tb', 'm', '2'],
    ['regtest', 'bcrt', 'm', '2'],
    ['litecoin', 'ltc', 'L', 'M'],
    ['litecoin-testnet', 'tltc', 'm', 'Q'],
    ['litecoin-regtest', 'rltc', 'm', 'Q'],
  ] as const)('%s: bech32 %s, P2PKH starts %s, P2SH starts %s', (network, hrp, p2pkh, p2sh) => {
    const params = bitcoinNetworks[network];
    expect(params.bech32).toBe(hrp);
    expect(address.toBase58Check(HASH160, params.pubKeyHash)[0]).toBe(p2pkh);
    expect(address.toBase58Check(HASH160, params.scriptHash)[0]).toBe(p2sh);
  });

  it('litecoin params match Litecoin Core (version bytes, WIF) and give the known ltc1 encoding', () => {
    expect(bitcoinNetworks.litecoin).toMatchObject({ pubKeyHash: 0x30, scriptHash: 0x32, wif: 0xb0 });
    expect(bitcoinNetworks['litecoin-testnet']).toMatchObject({ pubKeyHash: 0x6f, scriptHash: 0x3a, wif: 0xef });
    expect(bitcoinNetworks['litecoin-regtest']).toMatchObject({ pubKeyHash: 0x6f, scriptHash: 0x3a, wif: 0xef });
    expect(address.toBech32(PROGRAM, 0, bitcoinNetworks.litecoin.bech32)).toBe(
      'ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9',
    );
    expect(legacyScriptHash).toEqual({ litecoin: 0x05, 'litecoin-testnet': 0xc4, 'litecoin-regtest': 0xc4 });
  });

  it('names every network once and recognises only those', () => {
    expect(new Set(BITCOIN_NETWORK_NAMES).size).toBe(Object.keys(bitcoinNetworks).length);
    expect(isBitcoinNetworkName('signet')).toBe(true);
    expect(isBitcoinNetworkName('ethereum')).toBe(false);
    expect(isBitcoinNetworkName('mainnet')).toBe(false);
  });

  it('hands out a fresh asset object each time', () => {
    const a = nativeAssetOf('bitcoin');
    a.symbol = 'XXX';
    expect(nativeAssetOf('bitcoin').symbol).toBe('BTC');
  });
});
