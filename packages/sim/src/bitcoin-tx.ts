/**
 * Bitcoin consensus serialization for the simulated regtest chain: txids, sizes, weights, witnesses, scripts.
 * Simulated transactions serialize exactly like real segwit transactions, so `txid` is the real double-sha256 of the
 * content and `/tx/:txid/hex` decodes with any Bitcoin library. Signatures, public keys, witness commitments and block
 * hashes are deterministic stand-ins (simulated): they do not verify.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type { SimInput, SimOutput } from './scenario';
import { sha256, sha256d, sha256dReversedHex, sha256Of } from './sha256';

export const COINBASE_TXID = '0'.repeat(64);
export const COINBASE_VOUT = 0xffffffff;
/** 71-byte DER signature + sighash byte, 33-byte compressed key: one p2wpkh witness is 1 + 72 + 34 bytes. */
const P2WPKH_WITNESS_BYTES = 107;
/** Coinbase witness: one 32-byte reserved value. */
const COINBASE_WITNESS_BYTES = 34;

/**
 * Bytes of a CompactSize integer.
 * @example varintLength(300) // 3
 */
export function varintLength(n: number): number {
  return n < 0xfd ? 1 : n <= 0xffff ? 3 : 5;
}

function hexNibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  throw new Error('not hex');
}

function hexByte(h: string, i: number): number {
  return (hexNibble(h.charCodeAt(i)) << 4) | hexNibble(h.charCodeAt(i + 1));
}

const nodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;

class ByteWriter {
  readonly bytes: Uint8Array;
  private readonly native: Buffer | undefined;
  private at = 0;

  constructor(length: number) {
    // Node's Buffer parses hex natively, several times faster than a loop over char codes; every byte gets written
    // (`done` checks), so the pooled unzeroed allocation is safe.
    this.native = nodeBuffer?.allocUnsafe(length);
    this.bytes = this.native ?? new Uint8Array(length);
  }

  u8(n: number): void {
    this.bytes[this.at++] = n;
  }

  u32(n: number): void {
    this.u8(n & 0xff);
    this.u8((n >>> 8) & 0xff);
    this.u8((n >>> 16) & 0xff);
    this.u8((n >>> 24) & 0xff);
  }

  u64(n: bigint): void {
    this.u32(Number(n & 0xffffffffn));
    this.u32(Number((n >> 32n) & 0xffffffffn));
  }

  varint(n: number): void {
    if (n < 0xfd) this.u8(n);
    else if (n <= 0xffff) {
      this.u8(0xfd);
      this.u8(n & 0xff);
      this.u8(n >>> 8);
    } else {
      this.u8(0xfe);
      this.u32(n);
    }
  }

  raw(b: Uint8Array): void {
    this.bytes.set(b, this.at);
    this.at += b.length;
  }

  hex(h: string): void {
    if (this.native) {
      this.at += this.native.write(h, this.at, 'hex');
      return;
    }
    for (let i = 0; i < h.length; i += 2) this.u8(hexByte(h, i));
  }

  /** Hex shown in display order (txids): written reversed. */
  hexReversed(h: string): void {
    if (this.native) {
      const start = this.at;
      this.at += this.native.write(h, this.at, 'hex');
      this.native.subarray(start, this.at).reverse();
      return;
    }
    for (let i = h.length - 2; i >= 0; i -= 2) this.u8(hexByte(h, i));
  }

  done(): Uint8Array {
    if (this.at !== this.bytes.length) throw new Error(`serializer wrote ${this.at} of ${this.bytes.length} bytes`);
    return this.bytes;
  }
}

interface TxShape {
  version: number;
  locktime: number;
  vin: readonly SimInput[];
  vout: readonly Pick<SimOutput, 'scriptpubkey' | 'value'>[];
}

function scriptSigHex(input: SimInput): string {
  return input.coinbase ? input.scriptsig : '';
}

/** Non-witness serialization length (what the txid hashes). */
function baseSize(tx: TxShape): number {
  let n = 4 + varintLength(tx.vin.length) + varintLength(tx.vout.length) + 4;
  for (const input of tx.vin) {
    const ss = scriptSigHex(input).length / 2;
    n += 32 + 4 + varintLength(ss) + ss + 4;
  }
  for (const out of tx.vout) {
    const spk = out.scriptpubkey.length / 2;
    n += 8 + varintLength(spk) + spk;
  }
  return n;
}

/**
 * Total size, weight and vsize of the segwit serialization (every simulated transaction has witness data).
 * @example txSizes(oneP2wpkhInTwoOut) // { size: 222, weight: 561, vsize: 141 }
 */
export function txSizes(tx: TxShape): { size: number; weight: number; vsize: number } {
  const base = baseSize(tx);
  let witness = 2;
  for (const input of tx.vin) witness += input.coinbase ? COINBASE_WITNESS_BYTES : P2WPKH_WITNESS_BYTES;
  const size = base + witness;
  const weight = base * 3 + size;
  return { size, weight, vsize: Math.ceil(weight / 4) };
}

function writeBody(w: ByteWriter, tx: TxShape): void {
  w.varint(tx.vin.length);
  for (const input of tx.vin) {
    if (input.coinbase) {
      w.raw(new Uint8Array(32));
      w.u32(COINBASE_VOUT);
    } else {
      w.hexReversed(input.txid);
      w.u32(input.vout);
    }
    const ss = scriptSigHex(input);
    w.varint(ss.length / 2);
    w.hex(ss);
    w.u32(input.sequence);
  }
  w.varint(tx.vout.length);
  for (const out of tx.vout) {
    w.u64(out.value);
    w.varint(out.scriptpubkey.length / 2);
    w.hex(out.scriptpubkey);
  }
}

/**
 * The serialization without witness data (what the txid hashes).
 * @example sha256d(serializeBase(tx)) // the txid's bytes, reversed
 */
export function serializeBase(tx: TxShape): Uint8Array {
  const w = new ByteWriter(baseSize(tx));
  w.u32(tx.version);
  writeBody(w, tx);
  w.u32(tx.locktime);
  return w.done();
}

/**
 * The full segwit serialization (BIP144), witnesses derived by `witnessOf`: what `/tx/:txid/hex` serves.
 * @example serializeWithWitness(tx, tx.txid).length === tx.size
 */
export function serializeWithWitness(tx: TxShape, txid: string): Uint8Array {
  const w = new ByteWriter(txSizes(tx).size);
  w.u32(tx.version);
  w.u8(0);
  w.u8(1);
  writeBody(w, tx);
  tx.vin.forEach((input, i) => {
    const items = witnessOf(txid, i, input.coinbase);
    w.varint(items.length);
    for (const item of items) {
      w.varint(item.length / 2);
      w.hex(item);
    }
  });
  w.u32(tx.locktime);
  return w.done();
}

/**
 * Real txid: reversed double-sha256 of the non-witness serialization.
 * @example computeTxid(tx) === tx.txid
 */
export function computeTxid(tx: TxShape): string {
  return sha256dReversedHex(serializeBase(tx));
}

/**
 * The witness stack of input `vin`: a deterministic stand-in for a signature and a public key, shaped like real ones
 * (DER, low r/s without padding, SIGHASH_ALL, compressed key). Simulated: it does not verify, and the key does not
 * hash to the address (simulated addresses come from sha256 of the seed).
 * @example witnessOf(txid, 0, false) // ['30440220…01', '02…']
 */
export function witnessOf(txid: string, vin: number, coinbase: boolean): string[] {
  if (coinbase) return ['00'.repeat(32)];
  const r = sha256Of(`sim-witness:${txid}:${vin}`);
  const s = sha256(r);
  const key = sha256(s);
  r[0] = 1 + ((r[0] as number) % 0x7e);
  s[0] = 1 + ((s[0] as number) % 0x7e);
  const parity = ((key[31] as number) & 1) === 0 ? '02' : '03';
  return [`30440220${bytesToHex(r)}0220${bytesToHex(s)}01`, `${parity}${bytesToHex(key)}`];
}

/**
 * p2wpkh output script.
 * @example p2wpkhScript('751e…33bd6') // '0014751e…33bd6'
 */
export function p2wpkhScript(hash160Hex: string): string {
  return `0014${hash160Hex}`;
}

/**
 * BIP34 coinbase scriptSig as Bitcoin Core writes it: `<height> OP_0`.
 * @example coinbaseScriptSig(150) // '02960000'
 */
export function coinbaseScriptSig(height: number): string {
  if (height >= 1 && height <= 16) return `${(0x50 + height).toString(16)}00`;
  const bytes: number[] = [];
  for (let n = height; n > 0; n = Math.floor(n / 256)) bytes.push(n & 0xff);
  if (bytes.length === 0 || ((bytes[bytes.length - 1] as number) & 0x80) !== 0) bytes.push(0);
  return `${bytes.length.toString(16).padStart(2, '0')}${bytesToHex(Uint8Array.from(bytes))}00`;
}

/**
 * `OP_RETURN` witness commitment output script (BIP141 shape). Simulated: the 32-byte commitment hashes the block's
 * txids instead of its wtxid merkle root.
 * @example witnessCommitmentScript(blockTxids) // '6a24aa21a9ed…'
 */
export function witnessCommitmentScript(txids: readonly string[]): string {
  return `6a24aa21a9ed${bytesToHex(sha256d(concatReversed(txids)))}`;
}

function concatReversed(hashes: readonly string[]): Uint8Array {
  const w = new ByteWriter(32 * hashes.length);
  for (const h of hashes) w.hexReversed(h);
  return w.done();
}

/**
 * Script to Esplora's (rust-bitcoin's) asm, for the opcodes simulated scripts use.
 * @example scriptAsm('0014' + hash) // 'OP_0 OP_PUSHBYTES_20 <hash>'
 */
export function scriptAsm(hex: string): string {
  const b = hexToBytes(hex);
  const parts: string[] = [];
  for (let i = 0; i < b.length; ) {
    const op = b[i++] as number;
    if (op === 0) parts.push('OP_0');
    else if (op >= 1 && op <= 0x4b) {
      parts.push(`OP_PUSHBYTES_${op}`, bytesToHex(b.subarray(i, i + op)));
      i += op;
    } else if (op >= 0x51 && op <= 0x60) parts.push(`OP_PUSHNUM_${op - 0x50}`);
    else if (op === 0x6a) parts.push('OP_RETURN');
    else throw new Error(`opcode 0x${op.toString(16)} is not used by the simulator`);
  }
  return parts.join(' ');
}

/**
 * Simulated block hash: double-sha256 over the previous hash, height, time and the block's txids (not a real header,
 * no proof of work), shown in display order like real block hashes.
 * @example simulatedBlockHash(prevHash, 120, 1752760528, txids) // '5c0e…'
 */
export function simulatedBlockHash(
  prevHashHex: string,
  height: number,
  time: number,
  txids: readonly string[],
): string {
  const w = new ByteWriter(40 + 32 * txids.length);
  w.hexReversed(prevHashHex);
  w.u32(height);
  w.u32(time);
  for (const t of txids) w.hexReversed(t);
  return sha256dReversedHex(w.done());
}
