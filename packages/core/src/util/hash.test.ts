import { describe, expect, it } from 'vitest';
import { sha256Hex, sha256HexPortable } from './hash';

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 test vector', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256HexPortable('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it("gives the browser's digest in Node for every kind of text a cassette holds", () => {
    const texts = [
      '',
      '{"txid":"00","vout":[]}',
      'NEM message: 送金テスト ✓ 🚀',
      'lone surrogates \ud800 and \udfff become U+FFFD in UTF-8',
      'x'.repeat(100_000),
    ];
    for (const text of texts) expect(sha256Hex(text)).toBe(sha256HexPortable(text));
  });
});
