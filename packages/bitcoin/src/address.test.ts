import { createHash } from 'node:crypto';
import { type FundflowErrorCode, isFundflowError } from '@fundflow/core';
import { describe, expect, it } from 'vitest';
import { isScriptId, normalizeBitcoinAddress, scriptId } from './address';
import type { BitcoinNetworkName } from './networks';

// Data-driven, bitcoinjs-lib style. Sources: BIP 173 / BIP 350 test vectors, BIP 86 (taproot), the Bitcoin wiki
// examples 1BvBMSEY…/3J98t1Wp…, mempool.space samples in ../shared/realdata; litecoin/regtest forms are the same
// hashes re-encoded with Litecoin Core's version bytes (the ltc1/tb1 ones match published vectors).
const valid: { network: BitcoinNetworkName; address: string; expected: string; note: string }[] = [
  { network: 'bitcoin', note: 'p2pkh', address: '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', expected: '' },
  { network: 'bitcoin', note: 'p2pkh (realdata)', address: '1stAprEZapjCYGUACUcXohQqSHF9MU5Kj', expected: '' },
  { network: 'bitcoin', note: 'p2sh', address: '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', expected: '' },
  { network: 'bitcoin', note: 'p2wpkh', address: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', expected: '' },
  {
    network: 'bitcoin',
    note: 'p2wsh',
    address: 'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3',
    expected: '',
  },
  {
    network: 'bitcoin',
    note: 'p2tr (BIP 86)',
    address: 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
    expected: '',
  },
  {
    network: 'bitcoin',
    note: 'p2tr (realdata)',
    address: 'bc1p3zfekshja5gnm4r4vp2mz7wd0pxze7jjetffq3jprs5rxk4zq4wqesykl2',
    expected: '',
  },
  {
    network: 'bitcoin',
    note: 'upper-case bech32 is lower-cased',
    address: 'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4',
    expected: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
  },
  {
    network: 'bitcoin',
    note: 'surrounding whitespace is dropped',
    address: ' 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy\n',
    expected: '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy',
  },
  {
    network: 'bitcoin',
    note: 'witness v16 (BIP 350)',
    address: 'BC1SW50QGDZ25J',
    expected: 'bc1sw50qgdz25j',
  },
  {
    network: 'bitcoin',
    note: 'witness v2 (BIP 350)',
    address: 'bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs',
    expected: '',
  },
  { network: 'bitcoin', note: 'witness v1, 2 bytes (realdata)', address: 'bc1pfeessrawgf', expected: '' },
  {
    network: 'testnet',
    note: 'testnet p2wsh (BIP 173)',
    address: 'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
    expected: '',
  },
  { network: 'testnet', note: 'testnet p2pkh', address: 'mrS8eVKXguwufwvsVe9GtgGb7fif9UQeAu', expected: '' },
  { network: 'signet', note: 'signet p2sh', address: '2N9hLwkSqr1cPQAPxbrGVUjxyjD11G2e1he', expected: '' },
  { network: 'regtest', note: 'regtest bcrt1', address: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080', expected: '' },
  { network: 'regtest', note: 'regtest m…', address: 'mrS8eVKXguwufwvsVe9GtgGb7fif9UQeAu', expected: '' },
  { network: 'litecoin', note: 'litecoin L…', address: 'LW98ceYNxYki9e9QxDACLn82TtVEPm4qmy', expected: '' },
  { network: 'litecoin', note: 'litecoin M…', address: 'MQMHBtvnBfxTzt3K2bdxgSE7qZPHSXWsGM', expected: '' },
  {
    network: 'litecoin',
    note: 'litecoin legacy 3… P2SH becomes M…',
    address: '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy',
    expected: 'MQMHBtvnBfxTzt3K2bdxgSE7qZPHSXWsGM',
  },
  { network: 'litecoin', note: 'litecoin ltc1', address: 'ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9', expected: '' },
  {
    network: 'litecoin',
    note: 'litecoin taproot',
    address: 'ltc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqpj6zg2',
    expected: '',
  },
  {
    network: 'litecoin-testnet',
    note: 'litecoin testnet tltc1',
    address: 'tltc1qw508d6qejxtdg4y5r3zarvary0c5xw7klfsuq0',
    expected: '',
  },
  {
    network: 'litecoin-testnet',
    note: 'litecoin testnet legacy 2… becomes Q…',
    address: '2N9hLwkSqr1cPQAPxbrGVUjxyjD11G2e1he',
    expected: 'Qd474mK5s7fUYMA1DxJWZSQQsbSq6maeug',
  },
  {
    network: 'litecoin-regtest',
    note: 'litecoin regtest rltc1',
    address: 'rltc1qw508d6qejxtdg4y5r3zarvary0c5xw7k693xs3',
    expected: '',
  },
  {
    network: 'litecoin-regtest',
    note: 'litecoin regtest m…',
    address: 'mrS8eVKXguwufwvsVe9GtgGb7fif9UQeAu',
    expected: '',
  },
];

const invalid: { network: BitcoinNetworkName; address: string; code: FundflowErrorCode; note: string }[] = [
  { network: 'bitcoin', note: 'empty', address: '', code: 'INVALID_ADDRESS' },
  { network: 'bitcoin', note: 'garbage', address: 'not-an-address', code: 'INVALID_ADDRESS' },
  { network: 'bitcoin', note: 'an ethereum address', address: '0x' + 'ab'.repeat(20), code: 'INVALID_ADDRESS' },
  {
    network: 'bitcoin',
    note: 'base58 bad checksum',
    address: '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3',
    code: 'INVALID_ADDRESS',
  },
  {
    network: 'bitcoin',
    note: 'bech32 bad checksum',
    address: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5',
    code: 'INVALID_ADDRESS',
  },
  {
    network: 'bitcoin',
    note: 'mixed-case bech32',
    address: 'bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
    code: 'INVALID_ADDRESS',
  },
  {
    network: 'bitcoin',
    note: 'witness v1 with a bech32 (not bech32m) checksum (BIP 350)',
    address: 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd',
    code: 'INVALID_ADDRESS',
  },
  {
    network: 'bitcoin',
    note: 'witness v0 of 16 bytes (BIP 350)',
    address: 'BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P',
    code: 'INVALID_ADDRESS',
  },
  {
    network: 'bitcoin',
    note: 'taproot key not on the curve (needs the ecc lib)',
    address: 'bc1plllllllllllllllllllllllllllllllllllllllllllllllllllsr7rg6v',
    code: 'INVALID_ADDRESS',
  },
  {
    network: 'bitcoin',
    note: 'testnet bech32 on mainnet',
    address: 'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
    code: 'INVALID_ADDRESS',
  },
  {
    network: 'bitcoin',
    note: 'testnet m… on mainnet',
    address: 'mrS8eVKXguwufwvsVe9GtgGb7fif9UQeAu',
    code: 'INVALID_ADDRESS',
  },
  {
    network: 'bitcoin',
    note: 'litecoin L… on bitcoin',
    address: 'LW98ceYNxYki9e9QxDACLn82TtVEPm4qmy',
    code: 'INVALID_ADDRESS',
  },
  {
    network: 'bitcoin',
    note: 'litecoin M… on bitcoin',
    address: 'MQMHBtvnBfxTzt3K2bdxgSE7qZPHSXWsGM',
    code: 'INVALID_ADDRESS',
  },
  {
    network: 'bitcoin',
    note: 'ltc1 on bitcoin',
    address: 'ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9',
    code: 'INVALID_ADDRESS',
  },
  {
    network: 'bitcoin',
    note: 'regtest bcrt1 on mainnet',
    address: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080',
    code: 'INVALID_ADDRESS',
  },
  {
    network: 'litecoin',
    note: 'bc1 on litecoin',
    address: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
    code: 'INVALID_ADDRESS',
  },
  {
    network: 'litecoin',
    note: 'bitcoin 1… on litecoin',
    address: '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2',
    code: 'INVALID_ADDRESS',
  },
  {
    network: 'litecoin',
    note: 'rltc1 on litecoin mainnet',
    address: 'rltc1qw508d6qejxtdg4y5r3zarvary0c5xw7k693xs3',
    code: 'INVALID_ADDRESS',
  },
  {
    network: 'litecoin-regtest',
    note: 'bcrt1 on litecoin regtest',
    address: 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080',
    code: 'INVALID_ADDRESS',
  },
  {
    network: 'regtest',
    note: 'rltc1 on bitcoin regtest',
    address: 'rltc1qw508d6qejxtdg4y5r3zarvary0c5xw7k693xs3',
    code: 'INVALID_ADDRESS',
  },
  {
    network: 'regtest',
    note: 'testnet tb1 on regtest',
    address: 'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
    code: 'INVALID_ADDRESS',
  },
];

describe('normalizeBitcoinAddress', () => {
  it.each(valid)('$network accepts $note: $address', ({ network, address, expected }) => {
    expect(normalizeBitcoinAddress(address, network)).toBe(expected || address);
  });

  it.each(invalid)('$network rejects $note with $code', ({ network, address, code }) => {
    let caught: unknown;
    try {
      normalizeBitcoinAddress(address, network);
    } catch (e) {
      caught = e;
    }
    expect(isFundflowError(caught, code)).toBe(true);
    if (isFundflowError(caught)) expect(caught.details).toEqual({ address, network });
  });

  it('says which network an address of another network belongs to', () => {
    expect(() => normalizeBitcoinAddress('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'litecoin')).toThrow(
      /prefix 'bc' \(used by bitcoin\)/,
    );
  });
});

describe('scriptId', () => {
  it('is script:<type>:<first 16 bytes of sha256(script)>', () => {
    // sha256('') = e3b0c442 98fc1c14 9afbf4c8 996fb924 27ae41e4 …
    expect(scriptId('', 'empty')).toBe('script:empty:e3b0c44298fc1c149afbf4c8996fb924');
    // Hash of the script bytes, not of the hex text; hex case does not matter.
    const bytesHash = createHash('sha256').update(Buffer.from('6a', 'hex')).digest('hex').slice(0, 32);
    expect(scriptId('6a', 'op_return')).toBe(`script:op_return:${bytesHash}`);
    expect(scriptId('6A', 'op_return')).toBe(`script:op_return:${bytesHash}`);
  });

  it('differs by script and sanitises the type', () => {
    expect(scriptId('6a01ff', 'op_return')).not.toBe(scriptId('6a01fe', 'op_return'));
    expect(scriptId('51', 'Weird:Type')).toMatch(/^script:weird_type:/);
    expect(scriptId('51', '')).toMatch(/^script:unknown:/);
    expect(isScriptId(scriptId('51', 'nonstandard'))).toBe(true);
    expect(isScriptId('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4')).toBe(false);
  });

  it('rejects text that is not hex', () => {
    expect(() => scriptId('zz', 'p2pk')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => scriptId('abc', 'p2pk')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
