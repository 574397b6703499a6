/** Hex helpers without Buffer, so the package runs in the browser too. Internal: not exported from the package. */

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** Bytes of an even-length hex string, or undefined when it is not one. */
export function hexToBytes(hex: string): Uint8Array | undefined {
  if (!HEX.test(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Lower-case hex of bytes. */
export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}
