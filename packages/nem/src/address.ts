import { FundflowError } from '@fundflow/core';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { base32Decode, base32Encode } from './base32';

export type NemNetworkName = 'mainnet' | 'testnet';

/** Version byte and address prefix of each NIS1 network (mainnet 0x68 'N', testnet 0x98 'T'). */
export const NEM_NETWORKS: Readonly<Record<NemNetworkName, { byte: number; prefix: string }>> = {
  mainnet: { byte: 0x68, prefix: 'N' },
  testnet: { byte: 0x98, prefix: 'T' },
};

/** True for a network name `NisSource` and the codec know. */
export function isNemNetworkName(name: string): name is NemNetworkName {
  return name === 'mainnet' || name === 'testnet';
}

const PUBLIC_KEY = /^[0-9a-fA-F]{64}$/;

/**
 * The address of a NEM public key: Keccak-256 (original Keccak, as Ethereum's, not FIPS SHA3) → RIPEMD-160 → network
 * byte in front → first 4 bytes of Keccak-256 of those 21 bytes as checksum → base32. No request.
 * Throws `INVALID_ARGUMENT` for a key that is not 64 hex digits.
 * @example addressFromPublicKey('bdd8dd702acb3d88daf188be8d6d9c54b3a29a32561a068b25d2261b2b2b7f02') // 'NALICE2A73DLYTP4365GNFCURAUP3XVBFO7YNYOW'
 */
export function addressFromPublicKey(publicKey: string, network: NemNetworkName = 'mainnet'): string {
  if (!PUBLIC_KEY.test(publicKey)) {
    throw new FundflowError('INVALID_ARGUMENT', `'${publicKey.slice(0, 80)}' is not a NEM public key (64 hex digits)`, {
      details: { publicKey: publicKey.slice(0, 80) },
    });
  }
  const body = new Uint8Array(25);
  body[0] = NEM_NETWORKS[network].byte;
  body.set(ripemd160(keccak_256(hexToBytes(publicKey.toLowerCase()))), 1);
  body.set(keccak_256(body.subarray(0, 21)).subarray(0, 4), 21);
  return base32Encode(body);
}

/**
 * Canonical form of a NEM address of `network`: upper case, dashes removed, base32 decoded, network byte and
 * Keccak-256 checksum verified. Throws `INVALID_ADDRESS` (saying which check failed); makes no request.
 * @example normalizeNemAddress('nalice-2a73dl-ytp436-5gnfcu-raup3x-vbfo7y-nyow') // 'NALICE2A73DLYTP4365GNFCURAUP3XVBFO7YNYOW'
 */
export function normalizeNemAddress(address: string, network: NemNetworkName = 'mainnet'): string {
  const text = address.trim().toUpperCase().replaceAll('-', '');
  const shown = address.slice(0, 80);
  const fail = (why: string) =>
    new FundflowError('INVALID_ADDRESS', `'${shown}' is not a NEM ${network} address: ${why}`, {
      details: { address: shown, chain: 'nem', network },
    });
  if (text.length !== 40) throw fail(`a NEM address has 40 base32 characters (dashes aside), this has ${text.length}`);
  const bytes = base32Decode(text);
  if (!bytes) throw fail('it contains characters outside A-Z and 2-7');
  const expected = NEM_NETWORKS[network].byte;
  if (bytes[0] !== expected) {
    const other = Object.entries(NEM_NETWORKS).find(([, n]) => n.byte === bytes[0]);
    throw fail(
      other
        ? `it is a ${other[0]} address (starts with ${other[1].prefix}); this source reads ${network}`
        : `unknown network byte 0x${bytesToHex(bytes.subarray(0, 1))}`,
    );
  }
  const checksum = keccak_256(bytes.subarray(0, 21)).subarray(0, 4);
  if (bytesToHex(checksum) !== bytesToHex(bytes.subarray(21))) {
    throw fail('the checksum does not match (a mistyped character?)');
  }
  return text;
}

/**
 * Whether `address` is a valid NEM address of `network` (any case, dashes allowed). No request.
 * @example isNemAddress('NC4C6PSUW5CLTDT5SXAGJDQJGZNESKFK5MCN77OG') // true
 */
export function isNemAddress(address: string, network: NemNetworkName = 'mainnet'): boolean {
  try {
    normalizeNemAddress(address, network);
    return true;
  } catch {
    return false;
  }
}
