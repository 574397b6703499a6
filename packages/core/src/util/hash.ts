import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

type NodeCrypto = { createHash(algorithm: 'sha256'): { update(text: string): { digest(encoding: 'hex'): string } } };

// Node's own sha256 hashes about five times faster than the pure-JS one (verifying a 215 MB cassette: 0.35 s against
// 1.9 s). It is reached through process.getBuiltinModule (Node ≥ 20.16), so nothing here imports a Node module and
// the browser, where there is no process, keeps the pure-JS hash. Both give the same digest (tested).
const nodeCrypto = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;

/** sha256 of a UTF-8 string, hex. Runs in Node and in the browser alike. */
export function sha256Hex(text: string): string {
  return nodeCrypto ? nodeCrypto.createHash('sha256').update(text).digest('hex') : sha256HexPortable(text);
}

/** sha256Hex in plain JavaScript, as browsers run it. */
export function sha256HexPortable(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}
