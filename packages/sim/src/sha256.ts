import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

type NodeCrypto = typeof import('node:crypto');

// Generation hashes a few hundred thousand small buffers: Node's one-shot native hash is several times faster than
// pure JS there. Without Node (a browser) the pure-JS hash gives the same bytes.
const nodeCrypto = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;
const oneShot = typeof nodeCrypto?.hash === 'function' ? nodeCrypto.hash : undefined;
const nodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;

/**
 * sha256 of bytes.
 * @example sha256(new Uint8Array(0)) // e3b0c442…
 */
export function sha256(data: Uint8Array): Uint8Array {
  if (oneShot) return oneShot('sha256', data, 'buffer');
  if (nodeCrypto) return nodeCrypto.createHash('sha256').update(data).digest();
  return nobleSha256(data);
}

/**
 * Double sha256 (Bitcoin's hash256).
 * @example sha256d(serializedTx)
 */
export function sha256d(data: Uint8Array): Uint8Array {
  return sha256(sha256(data));
}

/**
 * sha256 of a UTF-8 string, hex.
 * @example sha256HexOf('') // 'e3b0c442…b855'
 */
export function sha256HexOf(text: string): string {
  if (oneShot) return oneShot('sha256', text, 'hex');
  if (nodeCrypto) return nodeCrypto.createHash('sha256').update(text, 'utf8').digest('hex');
  return bytesToHex(nobleSha256(new TextEncoder().encode(text)));
}

/**
 * sha256 of a UTF-8 string.
 * @example sha256Of('abc').length // 32
 */
export function sha256Of(text: string): Uint8Array {
  if (oneShot) return oneShot('sha256', text, 'buffer');
  if (nodeCrypto) return nodeCrypto.createHash('sha256').update(text, 'utf8').digest();
  return nobleSha256(new TextEncoder().encode(text));
}

/**
 * Double sha256 in display order (reversed), hex: a txid or block hash.
 * @example sha256dReversedHex(serializeBase(tx)) === tx.txid
 */
export function sha256dReversedHex(data: Uint8Array): string {
  if (oneShot) {
    const digest = oneShot('sha256', oneShot('sha256', data, 'buffer'), 'buffer');
    return digest.reverse().toString('hex');
  }
  return bytesToHex(sha256d(data).reverse());
}

/**
 * Lower-case hex of bytes (native in Node: a flat string).
 * @example toHex(new Uint8Array([1, 255])) // '01ff'
 */
export function toHex(bytes: Uint8Array): string {
  if (nodeBuffer) return nodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  return bytesToHex(bytes);
}
