/**
 * Tiny ABI readers for the answers of ERC-20 metadata calls (`decimals()`, `symbol()`), tolerant of the
 * non-standard forms found on mainnet (bytes32 symbols, short or empty answers).
 */

/** Selector of `decimals()`. */
export const DECIMALS_SELECTOR = '0x313ce567';
/** Selector of `symbol()`. */
export const SYMBOL_SELECTOR = '0x95d89b41';

const HEX = /^0x([0-9a-fA-F]{2})*$/;

/**
 * The `decimals()` answer as a number 0..255, or undefined when the answer is empty, not one 32-byte word, or out of
 * range (the token has no usable `decimals()`).
 * @example decodeDecimals('0x0000000000000000000000000000000000000000000000000000000000000012') === 18
 */
export function decodeDecimals(result: string): number | undefined {
  if (!HEX.test(result) || result.length < 66) return undefined;
  const word = BigInt(result.slice(0, 66));
  return word <= 255n ? Number(word) : undefined;
}

/**
 * The `symbol()` answer: an ABI `string`, or a `bytes32` (old tokens such as EOS, MKR); control characters dropped,
 * at most 32 characters. Undefined when the answer is empty or neither form.
 * @example decodeSymbol('0x454f530000000000000000000000000000000000000000000000000000000000') === 'EOS'
 */
export function decodeSymbol(result: string): string | undefined {
  if (!HEX.test(result) || result.length < 66) return undefined;
  const bytes = hexBytes(result.slice(2));
  const asString = abiString(bytes);
  const text = asString ?? (bytes.length === 32 ? bytes32Text(bytes) : undefined);
  if (text === undefined) return undefined;
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '').trim();
  return clean.length > 0 ? clean.slice(0, 32) : undefined;
}

function abiString(bytes: Uint8Array): string | undefined {
  if (bytes.length < 64) return undefined;
  const offset = wordNumber(bytes, 0);
  if (offset === undefined || offset % 32 !== 0 || offset + 32 > bytes.length) return undefined;
  const length = wordNumber(bytes, offset);
  if (length === undefined || offset + 32 + length > bytes.length) return undefined;
  return utf8(bytes.subarray(offset + 32, offset + 32 + length));
}

function bytes32Text(bytes: Uint8Array): string | undefined {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return end === 0 ? undefined : utf8(bytes.subarray(0, end));
}

function wordNumber(bytes: Uint8Array, at: number): number | undefined {
  let n = 0n;
  for (let i = at; i < at + 32; i++) n = (n << 8n) | BigInt(bytes[i] ?? 0);
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : undefined;
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function utf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}
