import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';

/**
 * Id of an output whose script has no address (here: the coinbase's OP_RETURN witness commitment), in the form
 * fundflow's Esplora source uses, so the in-process source and the HTTP server give the same domain objects.
 * @example scriptId('6a24aa21a9ed' + '00'.repeat(32), 'op_return') // 'script:op_return:2161bbb13c37621e0128bbeaa3d1f3ec'
 */
export function scriptId(scriptPubKeyHex: string, type: string): string {
  const kind = type.toLowerCase().replace(/[^a-z0-9_]/g, '_') || 'unknown';
  return `script:${kind}:${bytesToHex(sha256(hexToBytes(scriptPubKeyHex)).subarray(0, 16))}`;
}
