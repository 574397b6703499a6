import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isFundflowError } from '@fundflow/core';
import { describe, expect, it } from 'vitest';
import { addressFromPublicKey, isNemAddress, normalizeNemAddress } from './address';
import { base32Decode, base32Encode } from './base32';

const FACTS = fileURLToPath(
  new URL('../../../../shared/realdata/incidents/coincheck-2018-nem-known-facts.csv', import.meta.url),
);
const VECTOR_KEY = 'bdd8dd702acb3d88daf188be8d6d9c54b3a29a32561a068b25d2261b2b2b7f02';
const VECTOR_ADDRESS = 'NALICE2A73DLYTP4365GNFCURAUP3XVBFO7YNYOW';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isFundflowError(e) ? e.code : 'not a FundflowError';
  }
  return undefined;
}

describe('NEM address codec', () => {
  it('derives the api-notes test vector from its public key (Keccak-256, not FIPS SHA3)', () => {
    expect(addressFromPublicKey(VECTOR_KEY, 'mainnet')).toBe(VECTOR_ADDRESS);
    expect(addressFromPublicKey(VECTOR_KEY.toUpperCase(), 'mainnet')).toBe(VECTOR_ADDRESS);
    const testnet = addressFromPublicKey(VECTOR_KEY, 'testnet');
    expect(testnet).toMatch(/^T[A-Z2-7]{39}$/);
    expect(normalizeNemAddress(testnet, 'testnet')).toBe(testnet);
  });

  it('normalises dashed and lower-case input', () => {
    const dashed = 'nalice-2a73dl-ytp436-5gnfcu-raup3x-vbfo7y-nyow';
    expect(normalizeNemAddress(dashed)).toBe(VECTOR_ADDRESS);
    expect(normalizeNemAddress(` ${VECTOR_ADDRESS.toLowerCase()} `)).toBe(VECTOR_ADDRESS);
    expect(normalizeNemAddress(normalizeNemAddress(dashed))).toBe(VECTOR_ADDRESS);
  });

  it.each([
    ['checksum-invalid (last character changed)', 'NALICE2A73DLYTP4365GNFCURAUP3XVBFO7YNYOX'],
    ['checksum-invalid (two characters swapped)', 'NALICE2A73DLYTP4365GNFCURAUP3XVBFO7YNOYW'],
    ['a testnet address on mainnet', addressFromPublicKey(VECTOR_KEY, 'testnet')],
    ['too short', 'NALICE2A73DLYTP4365GNFCURAUP3XVBFO7YNYO'],
    ['outside the base32 alphabet', 'NALICE2A73DLYTP4365GNFCURAUP3XVBFO7YNY0W'],
    ['empty', ''],
    ['markup', '<script>alert(1)</script>'],
  ])('rejects %s with INVALID_ADDRESS', (_why, address) => {
    expect(codeOf(() => normalizeNemAddress(address, 'mainnet'))).toBe('INVALID_ADDRESS');
    expect(isNemAddress(address, 'mainnet')).toBe(false);
  });

  it('says which network a wrong-network address belongs to', () => {
    expect(() => normalizeNemAddress(VECTOR_ADDRESS, 'testnet')).toThrow(/mainnet address/);
  });

  it('rejects a public key that is not 64 hex digits', () => {
    expect(codeOf(() => addressFromPublicKey('abc', 'mainnet'))).toBe('INVALID_ARGUMENT');
  });

  it('round-trips base32', () => {
    const bytes = Uint8Array.from({ length: 25 }, (_, i) => (i * 37 + 11) & 0xff);
    expect(base32Decode(base32Encode(bytes))).toEqual(bytes);
    expect(base32Decode('A1')).toBeUndefined();
  });

  it.skipIf(!existsSync(FACTS))('validates every NEM address of the 2018 known-facts file', () => {
    const text = readFileSync(FACTS, 'utf8');
    const addresses = [...text.matchAll(/(?<=^|,)(N[A-Z2-7]{39})(?=,|$)/gm)].map((m) => m[1]!);
    expect(addresses.length).toBe(14);
    for (const a of addresses) expect(normalizeNemAddress(a, 'mainnet'), a).toBe(a);
  });
});

if (!existsSync(FACTS)) {
  console.warn(`skipping the facts-file address check: ${FACTS} is absent (shared/realdata is not beside the repo)`);
}
