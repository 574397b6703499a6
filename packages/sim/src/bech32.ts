/**
 * Segwit addresses (BIP173 bech32 for v0, BIP350 bech32m for v1+), written out so the simulator has no address
 * dependency.
 */

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3] as const;
const BECH32_CONST = 1;
const BECH32M_CONST = 0x2bc830a3;

function polymod(values: readonly number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GENERATOR[i] as number;
  }
  return chk >>> 0;
}

function hrpExpand(hrp: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) >>> 5);
  out.push(0);
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) & 31);
  return out;
}

function convertBits(data: ArrayLike<number>, from: number, to: number, pad: boolean): number[] | undefined {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  const maxv = (1 << to) - 1;
  for (let i = 0; i < data.length; i++) {
    const value = data[i] as number;
    if (value < 0 || value >> from !== 0) return undefined;
    acc = (acc << from) | value;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push((acc >> bits) & maxv);
    }
  }
  if (pad) {
    if (bits > 0) out.push((acc << (to - bits)) & maxv);
  } else if (bits >= from || ((acc << (to - bits)) & maxv) !== 0) {
    return undefined;
  }
  return out;
}

function polymodStep(chk: number, value: number): number {
  const top = chk >>> 25;
  let c = ((chk & 0x1ffffff) << 5) ^ value;
  if (top & 1) c ^= 0x3b6a57b2;
  if (top & 2) c ^= 0x26508e6d;
  if (top & 4) c ^= 0x1ea119fa;
  if (top & 8) c ^= 0x3d4233dd;
  if (top & 16) c ^= 0x2a1462b3;
  return c;
}

const hrpStates = new Map<string, number>();

/** Value of a hex digit by char code. */
const HEX_VALUE: readonly number[] = Array.from({ length: 128 }, (_, c) =>
  c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : 0,
);

/** Checksum state after the expanded hrp (the same for every address of a network). */
function hrpState(hrp: string): number {
  let chk = hrpStates.get(hrp);
  if (chk === undefined) {
    chk = 1;
    for (const v of hrpExpand(hrp)) chk = polymodStep(chk, v);
    hrpStates.set(hrp, chk);
  }
  return chk;
}

/**
 * Encodes a segwit output program as an address.
 * @example encodeSegwitAddress('bcrt', 0, hash160) // 'bcrt1q…' (program as bytes or hex)
 */
export function encodeSegwitAddress(hrp: string, version: number, program: Uint8Array | string): string {
  // A hex program is read 4 bits per character: no byte array needed on the hot path of address generation.
  const hex = typeof program === 'string';
  const width = hex ? 4 : 8;
  const count = hex ? program.length : program.length;
  // Built from char codes in one go: a flat string, not a rope of 40 pieces kept alive in every output.
  const codes: number[] = [];
  for (let i = 0; i < hrp.length; i++) codes.push(hrp.charCodeAt(i));
  codes.push(49);
  let chk = polymodStep(hrpState(hrp), version);
  codes.push(CHARSET.charCodeAt(version));
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < count; i++) {
    const v = hex ? (HEX_VALUE[program.charCodeAt(i)] ?? 0) : (program[i] as number);
    acc = ((acc << width) | v) & 0xfff;
    bits += width;
    while (bits >= 5) {
      bits -= 5;
      const d = (acc >> bits) & 31;
      chk = polymodStep(chk, d);
      codes.push(CHARSET.charCodeAt(d));
    }
  }
  if (bits > 0) {
    const d = (acc << (5 - bits)) & 31;
    chk = polymodStep(chk, d);
    codes.push(CHARSET.charCodeAt(d));
  }
  for (let i = 0; i < 6; i++) chk = polymodStep(chk, 0);
  const mod = (chk ^ (version === 0 ? BECH32_CONST : BECH32M_CONST)) >>> 0;
  for (let i = 0; i < 6; i++) codes.push(CHARSET.charCodeAt((mod >>> (5 * (5 - i))) & 31));
  return String.fromCharCode(...codes);
}

export interface SegwitAddress {
  hrp: string;
  version: number;
  program: Uint8Array;
}

/**
 * Decodes and fully validates a segwit address (case, checksum variant, program length); undefined when invalid.
 * @example decodeSegwitAddress('bcrt1q…')?.program.length === 20
 */
export function decodeSegwitAddress(address: string): SegwitAddress | undefined {
  if (address.length < 8 || address.length > 90) return undefined;
  const lower = address.toLowerCase();
  if (address !== lower && address !== address.toUpperCase()) return undefined;
  const sep = lower.lastIndexOf('1');
  if (sep < 1 || sep + 7 > lower.length) return undefined;
  const hrp = lower.slice(0, sep);
  for (let i = 0; i < hrp.length; i++) {
    const c = hrp.charCodeAt(i);
    if (c < 33 || c > 126) return undefined;
  }
  const data: number[] = [];
  for (let i = sep + 1; i < lower.length; i++) {
    const d = CHARSET.indexOf(lower.charAt(i));
    if (d < 0) return undefined;
    data.push(d);
  }
  const check = polymod([...hrpExpand(hrp), ...data]);
  const version = data[0];
  if (version === undefined || version > 16) return undefined;
  if (check !== (version === 0 ? BECH32_CONST : BECH32M_CONST)) return undefined;
  const program = convertBits(data.slice(1, -6), 5, 8, false);
  if (program === undefined || program.length < 2 || program.length > 40) return undefined;
  if (version === 0 && program.length !== 20 && program.length !== 32) return undefined;
  return { hrp, version, program: Uint8Array.from(program) };
}
