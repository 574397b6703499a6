import { FundflowError } from '@fundflow/core';
import { getAddress } from 'ethers';

const HEX40 = /^0x[0-9a-fA-F]{40}$/;

/**
 * Validates an EVM address and returns it EIP-55 checksummed. All-lowercase and all-uppercase hex are accepted (they
 * carry no checksum); mixed case must match the checksum. Throws `INVALID_ADDRESS` otherwise. Makes no request.
 * @example normalizeEvmAddress('0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed') // '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'
 */
export function normalizeEvmAddress(address: string, chain = 'ethereum'): string {
  const a = address.trim();
  if (!HEX40.test(a)) {
    throw new FundflowError('INVALID_ADDRESS', `'${a.slice(0, 60)}' is not an EVM address (0x + 40 hex digits)`, {
      details: { chain },
    });
  }
  try {
    return getAddress(a);
  } catch {
    throw new FundflowError('INVALID_ADDRESS', `${a} has a bad EIP-55 checksum (mixed case that does not match)`, {
      details: { chain, address: a },
    });
  }
}

/** A 32-byte log topic holding an address → the checksummed address. */
export function topicToAddress(topic: string): string {
  return getAddress(`0x${topic.slice(-40)}`);
}

/** An address → the 32-byte topic that matches it in eth_getLogs filters. */
export function addressToTopic(address: string): string {
  return `0x${address.slice(2).toLowerCase().padStart(64, '0')}`;
}
