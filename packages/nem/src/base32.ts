// RFC 4648 base32 without padding, as NEM addresses use it (40 characters ↔ 25 bytes).

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const VALUES = new Map([...ALPHABET].map((c, i) => [c, i]));

/**
 * Base32 text of `bytes` (length a multiple of 5: no padding is written).
 * @example base32Encode(new Uint8Array([0x68, …25 bytes])) // 'NALICE2A…'
 */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Bytes of upper-case base32 text, or undefined when a character is outside the alphabet or the length does not
 * decode to whole bytes.
 * @example base32Decode('NALICE2A73DLYTP4365GNFCURAUP3XVBFO7YNYOW')?.length // 25
 */
export function base32Decode(text: string): Uint8Array | undefined {
  if ((text.length * 5) % 8 !== 0) return undefined;
  const out = new Uint8Array((text.length * 5) / 8);
  let buffer = 0;
  let bits = 0;
  let i = 0;
  for (const c of text) {
    const v = VALUES.get(c);
    if (v === undefined) return undefined;
    buffer = ((buffer << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out[i++] = (buffer >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  return out;
}
